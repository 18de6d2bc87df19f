using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// Weekly job alerts: to each person who opted in to such mail, the new jobs of the week that match them
/// (same score and reasons as おすすめ求人, excluded companies never), with one-click unsubscribe. A person is
/// claimed by a conditional update of their last-alert time, so two nodes never mail them twice in a week.
/// </summary>
public sealed class JobAlerts(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, CandidateJobs jobs, CandidateMailing mailing,
    PublicUrls urls, TimeProvider clock)
{
    public static readonly TimeSpan Every = TimeSpan.FromDays(7);
    public const double MinimumScore = 30;
    public const int PerMail = 5;

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = now - Every;
        var people = await db.Candidates.AsNoTracking().Where(c => c.RecommendationMails && (c.LastJobAlertAt == null || c.LastJobAlertAt <= due))
            .OrderBy(c => c.LastJobAlertAt).Take(200).Select(c => new { c.Id, c.LastJobAlertAt }).ToListAsync(ct);
        var sent = 0;
        foreach (var person in people)
        {
            var since = person.LastJobAlertAt ?? due;
            var claimed = await gate.RunAsync(db, t => db.Candidates.Where(c => c.Id == person.Id && c.LastJobAlertAt == person.LastJobAlertAt)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastJobAlertAt, now), t), ct);
            if (claimed == 0) continue;
            var profile = (await vault.OpenManyAsync(db, [person.Id], ct)).GetValueOrDefault(person.Id);
            if (profile is null) continue;
            var lang = Lang.Japanese;
            var fresh = (await jobs.RecommendAsync(person.Id, profile, lang, ct)).Where(r => r.Job.CreatedAt > since && r.Score >= MinimumScore).Take(PerMail).ToList();
            if (fresh.Count == 0) continue;
            var body = Texts.Get("Mail.JobAlert.Intro", lang) + "\n\n" + string.Join("\n\n", fresh.Select(r =>
                $"■ {r.Job.Title}（{r.CompanyName}）\n" + string.Join("\n", r.Reasons.Select(x => "・" + x)))) + "\n\n" + Texts.Format("Mail.JobAlert.Outro", lang, urls.To("/me"));
            var push = Texts.Format("Line.JobAlert", lang, fresh.Count, urls.To("/me#recommended"));
            if (await gate.RunAsync(db, t => mailing.EnqueueAsync(person.Id, "job-alert", Texts.Format("Mail.JobAlert.Subject", lang, fresh.Count), body, lang, t, push), ct)) sent++;
        }
        return sent;
    }
}

/// <summary>Looks for due job alerts once an hour.</summary>
public sealed class JobAlertSender(IServiceScopeFactory scopes, ILogger<JobAlertSender> logger)
    : Infrastructure.PeriodicJob(TimeSpan.FromHours(1), runAtStart: false, logger)
{
    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobAlerts>().SendDueAsync(ct);
    }
}
