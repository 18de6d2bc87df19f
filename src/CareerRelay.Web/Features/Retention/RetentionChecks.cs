using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Retention;

/// <summary>
/// Puts each follow-up on the agency's to-do list the day it falls due — <c>Relay:RetentionCheckMonths</c> calendar months
/// after the start date (31 January + 1 month is 28 February; weekends and holidays do not move it) — and mails the agency
/// (the person's pseudonymous id only). The person, if they opted in to mail, gets one "still working there?" mail per check.
/// A check that fell due while nothing ran is superseded by a later one: only the latest due check of a placement is made,
/// and none once the agency has recorded that check (or a later one) or a leave.
/// </summary>
public sealed class RetentionChecks(CareerRelayDb db, DbWriteGate gate, MailOutbox outbox, CandidateMailing mailing, PublicUrls urls,
    IOptions<RetentionRules> rules, TimeProvider clock)
{
    public async Task<int> MakeDueAsync(CancellationToken ct)
    {
        var months = rules.Value.CheckMonths;
        if (months.Count == 0) return 0;
        var today = CompanyActivity.TodayInJapan(clock);
        // Placements that a check may have fallen due for in the last 31 days, or before and not yet made.
        var earliestStart = today.AddMonths(-months[^1]).AddDays(-31);
        // A month back from 28 February is 28 January, yet a start on 29–31 January is due that day too (month ends clamp):
        // three days' margin here, and LatestDue below decides exactly.
        var latestStart = today.AddMonths(-months[0]).AddDays(3);
        var placements = await db.Placements.AsNoTracking()
            .Where(p => p.StartDate >= earliestStart && p.StartDate <= latestStart)
            .Select(p => new
            {
                p.Id, p.AgencyId, p.CandidateId, p.StartDate,
                Made = db.PlacementChecks.Where(c => c.PlacementId == p.Id).Max(c => (int?)c.Month) ?? 0,
                Recorded = db.PlacementFollowUps.Where(f => f.PlacementId == p.Id).Max(f => (int?)f.CheckMonth) ?? -1,
                Left = db.PlacementFollowUps.Any(f => f.PlacementId == p.Id && f.Status == FollowUpStatus.Left),
            })
            .OrderBy(p => p.StartDate).Take(500).ToListAsync(ct);
        var made = 0;
        foreach (var p in placements)
        {
            var month = rules.Value.LatestDue(p.StartDate, today);
            if (month == 0 || p.Made >= month || p.Recorded >= month || p.Left) continue;
            try
            {
                await gate.RunAsync(db, t => MakeAsync(p.Id, p.AgencyId, p.CandidateId, month, p.StartDate.AddMonths(month), t), ct);
                made++;
            }
            catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
            {
                // Another node made this check first.
            }
        }
        return made;
    }

    private async Task<int> MakeAsync(string placementId, string agencyId, string candidateId, int month, DateOnly dueOn, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = SecretTokens.New(24);
        var lang = Lang.Japanese;
        var check = new PlacementCheck
        {
            Id = Ids.New(), PlacementId = placementId, AgencyId = agencyId, CandidateId = candidateId, Month = month, DueOn = dueOn, CreatedAt = now,
        };
        db.PlacementChecks.Add(check);
        if (await mailing.EnqueueAsync(candidateId, "candidate-follow-up", Texts.Format("Mail.FollowUp.Person.Subject", lang, month),
                Texts.Format("Mail.FollowUp.Person.Body", lang, month, urls.To($"/follow-up/{token}")), lang, ct))
            check.PersonTokenHash = SecretTokens.Hash(token);
        var contact = await db.Agencies.Where(a => a.Id == agencyId).Select(a => a.ContactEmail).FirstAsync(ct);
        outbox.Enqueue(db, null, null, "agency-follow-up-due", new MailContent(contact, Texts.Format("Mail.FollowUp.Agency.Subject", lang, month),
            Texts.Format("Mail.FollowUp.Agency.Body", lang, month, candidateId, urls.To($"/agency/candidates/{candidateId}#placements")), lang), now);
        return 1;
    }

    /// <summary>True when the link is a check whose person has not answered yet.</summary>
    public Task<bool> IsOpenAsync(string token, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(token)) return Task.FromResult(false);
        var hash = SecretTokens.Hash(token);
        return db.PlacementChecks.AnyAsync(c => c.PersonTokenHash == hash && c.PersonAnswer == null, ct);
    }

    /// <summary>
    /// The person's own answer, once: shown to the agency that placed them, never to the hiring company. "Left" also tells the
    /// agency by mail at once (pseudonymous id and a link), so it can confirm and record the leave.
    /// </summary>
    public async Task<Result<bool>> AnswerAsync(string token, string? answer, CancellationToken ct)
    {
        if (answer is not (FollowUpStatus.Employed or FollowUpStatus.Left)) return ApiError.Invalid("answer", "Error.OneOf", "employed, left");
        if (!SecretTokens.LooksValid(token)) return ApiError.NotFound("follow-up");
        var hash = SecretTokens.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var answered = await gate.RunAsync(db, async t =>
        {
            var claimed = await db.PlacementChecks.Where(c => c.PersonTokenHash == hash && c.PersonAnswer == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.PersonAnswer, answer).SetProperty(c => c.PersonAnsweredAt, now), t);
            if (claimed == 1 && answer == FollowUpStatus.Left)
            {
                var check = await db.PlacementChecks.AsNoTracking().Where(c => c.PersonTokenHash == hash)
                    .Select(c => new { c.CandidateId, c.PlacementId, Contact = db.Agencies.Where(a => a.Id == c.AgencyId).Select(a => a.ContactEmail).First() })
                    .FirstAsync(t);
                outbox.Enqueue(db, null, null, "agency-follow-up-left", new MailContent(check.Contact, Texts.Get("Mail.FollowUp.PersonLeft.Subject", Lang.Japanese),
                    Texts.Format("Mail.FollowUp.PersonLeft.Body", Lang.Japanese, check.CandidateId, urls.To($"/agency/placements/{check.PlacementId}")), Lang.Japanese), now);
            }
            return claimed;
        }, ct);
        if (answered == 1) return true;
        return await db.PlacementChecks.AnyAsync(c => c.PersonTokenHash == hash, ct) ? false : ApiError.NotFound("follow-up");
    }
}

/// <summary>Makes due follow-ups every hour (and once at start, after a night the app was down).</summary>
public sealed class RetentionCheckJob(IServiceScopeFactory scopes, ILogger<RetentionCheckJob> logger)
    : Infrastructure.PeriodicJob(TimeSpan.FromHours(1), runAtStart: true, logger)
{
    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionChecks>().MakeDueAsync(ct);
    }
}
