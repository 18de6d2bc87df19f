using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Web.Features.Interviews;

/// <summary>
/// The day before a scheduled 面談, at 18:00 JST: a reminder to the person (LINE or mail) and to the organiser (mail). Runs every
/// minute on every node; each interview is claimed by a conditional update, so it is reminded once.
/// </summary>
public sealed class InterviewReminders(IServiceScopeFactory scopes, TimeProvider clock, ILogger<InterviewReminders> logger)
    : PeriodicJob(TimeSpan.FromMinutes(1), runAtStart: true, logger)
{
    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var gate = scope.ServiceProvider.GetRequiredService<DbWriteGate>();
        var scheduling = scope.ServiceProvider.GetRequiredService<InterviewScheduling>();
        var notices = scope.ServiceProvider.GetRequiredService<Candidates.PersonNotices>();
        var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();
        var urls = scope.ServiceProvider.GetRequiredService<PublicUrls>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await (from i in db.Interviews
                         join s in db.InterviewSlots on i.ChosenSlotId equals s.Id
                         join a in db.Agencies on i.AgencyId equals a.Id
                         where i.Status == InterviewStatus.Scheduled && i.RemindedAt == null && i.RemindAt <= now && s.StartAt > now
                         orderby i.RemindAt
                         select new { Interview = i, Slot = s, AgencyName = a.Name }).AsNoTracking().Take(100).ToListAsync(ct);
        var sent = 0;
        foreach (var x in due)
        {
            await gate.RunAsync(db, async t =>
            {
                var claimed = await db.Interviews.Where(i => i.Id == x.Interview.Id && i.RemindedAt == null && i.Status == InterviewStatus.Scheduled)
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.RemindedAt, now), t);
                if (claimed == 0) return 0;
                await notices.TellAsync(x.Interview.CandidateId, "candidate-interview-reminder", (lang, profile) =>
                    scheduling.Said(profile, lang, InterviewNotices.Reminder, x.AgencyName, InterviewTimes.Format(x.Slot, lang), x.Interview), t);
                outbox.Enqueue(db, null, null, "agency-interview-reminder", new MailContent(x.Interview.OrganizerEmail,
                    Texts.Format("Mail.InterviewOrganizer.ReminderSubject", Lang.Japanese, InterviewTimes.Format(x.Slot, Lang.Japanese)),
                    Texts.Format("Mail.InterviewOrganizer.ReminderBody", Lang.Japanese, x.Interview.CandidateId, InterviewTimes.Format(x.Slot, Lang.Japanese),
                        urls.To($"/agency/candidates/{x.Interview.CandidateId}#interviews")), Lang.Japanese), now);
                sent++;
                return 0;
            }, ct);
        }
        return sent;
    }
}
