using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Surveys;

/// <summary>Schedules, sends (only to people who opted in, with one-click unsubscribe), takes answers and reports results.</summary>
public sealed class SatisfactionSurveys(CareerRelayDb db, DbWriteGate gate, CandidateMailing mailing, CandidateVault vault, PublicUrls urls,
    IOptions<Registrations.RelayOptions> relay, TimeProvider clock)
{
    /// <summary>Called inside the verification transaction: the survey exists from the moment the referral does.</summary>
    public static Survey Schedule(Registrations.Registration registration, DateTime verifiedAt, int afterDays) => new()
    {
        Id = Ids.New(), CandidateId = registration.CandidateId, RegistrationId = registration.Id, CompanyId = registration.CompanyId,
        // A placeholder: the answer link is minted when the survey is mailed.
        TokenHash = SecretTokens.Hash(SecretTokens.New(24)), Status = SurveyStatus.Pending, DueAt = verifiedAt.AddDays(afterDays),
    };

    /// <summary>
    /// Sends the surveys that are due, each exactly once however many nodes run this. PostgreSQL: one transaction locks a
    /// batch with <c>FOR UPDATE SKIP LOCKED</c> (other nodes take other surveys) and marks each sent as its mail is queued.
    /// SQLite (one node): each survey is claimed by a conditional update in its own transaction.
    /// The mail carries a fresh answer link (the token is replaced at sending; the one made at scheduling was never mailed).
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!gate.IsSqlite)
            return await gate.RunAsync(db, async t =>
            {
                var locked = await db.Database.SqlQuery<DueSurvey>($"""
                    SELECT id AS "Id", candidate_id AS "CandidateId" FROM surveys
                    WHERE status = {SurveyStatus.Pending} AND due_at <= {now}
                    ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED
                    """).ToListAsync(t);
                var mailed = 0;
                foreach (var survey in locked)
                    if (await SendOneAsync(survey, now, t)) mailed++;
                return mailed;
            }, ct);

        var due = await db.Surveys.AsNoTracking().Where(s => s.Status == SurveyStatus.Pending && s.DueAt <= now).OrderBy(s => s.DueAt).Take(100)
            .Select(s => new DueSurvey(s.Id, s.CandidateId)).ToListAsync(ct);
        var sent = 0;
        foreach (var survey in due)
            if (await gate.RunAsync(db, t => SendOneAsync(survey, now, t), ct)) sent++;
        return sent;
    }

    public sealed record DueSurvey(string Id, string CandidateId);

    /// <summary>Inside the caller's transaction: claims the survey (unless another pass did) and queues its mail.</summary>
    private async Task<bool> SendOneAsync(DueSurvey survey, DateTime now, CancellationToken t)
    {
        var token = SecretTokens.New(24);
        var lang = Lang.Japanese;
        var claimed = await db.Surveys.Where(s => s.Id == survey.Id && s.Status == SurveyStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SurveyStatus.Sent).SetProperty(x => x.SentAt, now), t);
        if (claimed == 0) return false;
        var mailed = await mailing.EnqueueAsync(survey.CandidateId, "candidate-survey", Texts.Get("Mail.Survey.Subject", lang),
            Texts.Format("Mail.Survey.Body", lang, urls.To($"/survey/{token}")), lang, t);
        await db.Surveys.Where(s => s.Id == survey.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, mailed ? SurveyStatus.Sent : SurveyStatus.Skipped)
            .SetProperty(x => x.TokenHash, SecretTokens.Hash(token)), t);
        return mailed;
    }

    /// <summary>True when the link is a sent, unanswered survey.</summary>
    public Task<bool> IsOpenAsync(string token, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(token)) return Task.FromResult(false);
        var hash = SecretTokens.Hash(token);
        return db.Surveys.AnyAsync(s => s.TokenHash == hash && s.Status == SurveyStatus.Sent, ct);
    }

    /// <summary>Records the answer once; a second answer (or an unknown link) changes nothing.</summary>
    public async Task<Result<bool>> AnswerAsync(string token, string? score, string? comment, string lang, CancellationToken ct)
    {
        var v = new Validation();
        if (!int.TryParse(score, out var value) || value is < 0 or > 10) v.Add("score", "Error.Score");
        var text = v.Optional("comment", comment, 2000, multiline: true);
        if (!v.IsValid) return v.ToError(lang);
        if (!SecretTokens.LooksValid(token)) return ApiError.NotFound("survey");
        var hash = SecretTokens.Hash(token);
        var survey = await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.TokenHash == hash, ct);
        if (survey is null) return ApiError.NotFound("survey");
        var key = await db.CandidateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.CandidateId == survey.CandidateId, ct);
        var sealedComment = text is null || key is null ? null : PersonalDataCipher.Seal(vault.Unwrap(key), System.Text.Encoding.UTF8.GetBytes(text));
        var now = clock.GetUtcNow().UtcDateTime;
        var answered = await gate.RunAsync(db, t => db.Surveys.Where(s => s.Id == survey.Id && s.Status == SurveyStatus.Sent)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SurveyStatus.Answered).SetProperty(x => x.AnsweredAt, now)
                .SetProperty(x => x.Score, value).SetProperty(x => x.Comment, sealedComment), t), ct);
        return answered == 1;
    }

    /// <summary>Satisfaction of the candidates a company referred.</summary>
    public async Task<Satisfaction> ForCompanyAsync(string companyId, CancellationToken ct) =>
        Satisfaction.Of(await db.Surveys.Where(s => s.CompanyId == companyId && s.Score != null).Select(s => s.Score!.Value).ToListAsync(ct));

    /// <summary>Satisfaction of the candidates who consented to an agency (through the surveyed registration).</summary>
    public async Task<Satisfaction> ForAgencyAsync(string agencyId, CancellationToken ct) =>
        Satisfaction.Of(await db.Surveys.Where(s => s.Score != null && db.Consents.Any(c => c.RegistrationId == s.RegistrationId && c.AgencyId == agencyId))
            .Select(s => s.Score!.Value).ToListAsync(ct));

    public int AfterDays => relay.Value.SurveyAfterDays;
}

/// <summary>Sends due surveys once a minute.</summary>
public sealed class SurveySender(IServiceScopeFactory scopes, ILogger<SurveySender> logger)
    : Infrastructure.PeriodicJob(TimeSpan.FromMinutes(1), runAtStart: false, logger)
{
    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SatisfactionSurveys>().SendDueAsync(ct);
    }
}
