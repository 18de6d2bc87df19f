using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Redemptions;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Agencies;

/// <summary>
/// The agency's side of the loop (SPEC §1, §4): support steps, jobs of partner companies, introductions the
/// candidate agrees to, placements (idempotent; rewards and fulfilled redemptions), and the redemption inbox.
/// Shared by the agency API and the agency workspace. Every query is filtered by the agency id from the
/// credential, and a candidate is only reachable through an active consent to this agency.
/// </summary>
public sealed class AgencyWork(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, QualifyRegistration qualify, RegistrationCounters counters, SlotLedger ledger,
    MailOutbox outbox, Infrastructure.Webhooks.WebhookOutbox webhooks, Matching.MatchIndexer matchIndex, PublicUrls urls, IOptions<RelayOptions> relay, IOptions<SlotRules> slotRules,
    TimeProvider clock)
{
    public const int MaxNote = 2000;

    /// <summary>
    /// Candidates who consented to this agency (active) and confirmed their email: through a relay registration, or through an
    /// alumni membership with 転職支援 (the consent's RegistrationId is then the membership's id).
    /// </summary>
    public IQueryable<string> ConsentingCandidateIds(string agencyId) =>
        (from c in db.Consents
         where c.AgencyId == agencyId && c.WithdrawnAt == null
             && (db.Registrations.Any(r => r.Id == c.RegistrationId && r.Status != RegistrationStatus.PendingVerification)
                 || db.AlumniMembers.Any(m => m.Id == c.RegistrationId && m.ConfirmedAt != null))
         select c.CandidateId).Distinct();

    public Task<bool> SeesCandidateAsync(string agencyId, string candidateId, CancellationToken ct) =>
        ConsentingCandidateIds(agencyId).AnyAsync(id => id == candidateId, ct);

    /// <summary>Open jobs of the companies this agency partners with (or of companies that chose no partners).</summary>
    public IQueryable<Job> VisibleJobs(string agencyId) =>
        db.Jobs.Where(j => j.Status == "open"
            && (db.CompanyPartnerAgencies.Any(p => p.CompanyId == j.CompanyId && p.AgencyId == agencyId)
                || !db.CompanyPartnerAgencies.Any(p => p.CompanyId == j.CompanyId)));

    /// <summary>This agency's consenting candidates ranked for a job, best first, with reasons (ids and scores only).</summary>
    public async Task<List<Matching.Match>> RankForJobAsync(string agencyId, Job job, string lang, int limit, CancellationToken ct)
    {
        var candidates = await ConsentingCandidateIds(agencyId).ToListAsync(ct);
        await matchIndex.EnsureAsync(db, candidates, ct);
        return matchIndex.Rank(job, candidates, clock.GetUtcNow().UtcDateTime, lang, limit);
    }

    /// <summary>
    /// Records a support step. The first step is the first contact: with <c>Relay:QualifyOn = AgencyContact</c>
    /// it is what qualifies the candidate's waiting referral (all in one transaction).
    /// </summary>
    public async Task<Result<EventItem>> RecordEventAsync(string agencyId, string actorId, string candidateId, EventRequest body, CancellationToken ct)
    {
        var v = new Validation();
        var type = v.Required("type", body.Type, 20);
        if (type.Length > 0 && !PipelineStages.Events.Contains(type)) v.Add("type", "Error.OneOf", string.Join(", ", PipelineStages.Events));
        var note = v.Optional("note", body.Note, MaxNote, multiline: true);
        var jobId = v.Optional("jobId", body.JobId, 64);
        if (!v.IsValid) return v.ToError();
        if (!await SeesCandidateAsync(agencyId, candidateId, ct)) return ApiError.NotFound("candidate");
        if (jobId is not null && !await VisibleJobs(agencyId).AnyAsync(j => j.Id == jobId, ct)) return ApiError.NotFound("job");

        var key = await db.CandidateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.CandidateId == candidateId, ct);
        if (key is null) return ApiError.NotFound("candidate");
        var sealedNote = note is null ? null : PersonalDataCipher.Seal(vault.Unwrap(key), System.Text.Encoding.UTF8.GetBytes(note));
        var now = clock.GetUtcNow().UtcDateTime;
        var item = new PipelineEvent { Id = Ids.New(), AgencyId = agencyId, CandidateId = candidateId, Type = type, Note = sealedNote, JobId = jobId, ActorId = actorId, CreatedAt = now };
        await gate.RunAsync(db, async token =>
        {
            db.PipelineEvents.Add(item);
            var state = await StateAsync(agencyId, candidateId, type, now, token);
            state.Stage = type;
            await FirstContactAsync(state, now, token);
            return 0;
        }, ct);
        return new EventItem(item.Id, candidateId, type, note, jobId, now);
    }

    /// <summary>
    /// A message or an interview proposal reached the person: when it is the agency's first contact, it counts as one (the
    /// pipeline moves from 未連絡 to 連絡済み with an entry, the dashboard's median, and qualification on contact).
    /// Part of the caller's transaction.
    /// </summary>
    public async Task MarkFirstContactAsync(string agencyId, string candidateId, string actorId, DateTime now, CancellationToken ct)
    {
        var state = await StateAsync(agencyId, candidateId, PipelineStages.Contacted, now, ct);
        if (state.FirstContactedAt is not null) return;
        if (state.Stage == PipelineStages.New) state.Stage = PipelineStages.Contacted;
        db.PipelineEvents.Add(new PipelineEvent { Id = Ids.New(), AgencyId = agencyId, CandidateId = candidateId, Type = PipelineStages.Contacted, ActorId = actorId, CreatedAt = now });
        await FirstContactAsync(state, now, ct);
    }

    /// <summary>
    /// The person chose a 面談 time: the pipeline records 面談 with it (the note, sealed with the person's key) and moves on to
    /// 面談 unless it is already further. Part of the caller's transaction.
    /// </summary>
    public async Task RecordInterviewAsync(string agencyId, string candidateId, string actorId, byte[] sealedNote, DateTime now, CancellationToken ct)
    {
        var state = await StateAsync(agencyId, candidateId, PipelineStages.Interviewed, now, ct);
        if (Array.IndexOf(PipelineStages.Board, state.Stage) < Array.IndexOf(PipelineStages.Board, PipelineStages.Interviewed)) state.Stage = PipelineStages.Interviewed;
        db.PipelineEvents.Add(new PipelineEvent { Id = Ids.New(), AgencyId = agencyId, CandidateId = candidateId, Type = PipelineStages.Interviewed, Note = sealedNote, ActorId = actorId, CreatedAt = now });
        await FirstContactAsync(state, now, ct);
    }

    private async Task<AgencyCandidate> StateAsync(string agencyId, string candidateId, string stageIfNew, DateTime now, CancellationToken ct)
    {
        var state = await db.AgencyCandidates.FirstOrDefaultAsync(a => a.AgencyId == agencyId && a.CandidateId == candidateId, ct);
        if (state is null) db.AgencyCandidates.Add(state = new AgencyCandidate { AgencyId = agencyId, CandidateId = candidateId, Stage = stageIfNew, UpdatedAt = now });
        state.UpdatedAt = now;
        return state;
    }

    private async Task FirstContactAsync(AgencyCandidate state, DateTime now, CancellationToken ct)
    {
        if (state.FirstContactedAt is not null) return;
        state.FirstContactedAt = now;
        if (relay.Value.QualifyOn == QualifyOn.AgencyContact) await QualifyWaitingAsync(state.AgencyId, state.CandidateId, ct);
    }

    /// <summary>Verified referrals of this candidate that name this agency and wait for a first contact.</summary>
    private async Task QualifyWaitingAsync(string agencyId, string candidateId, CancellationToken ct)
    {
        var waiting = await (from r in db.Registrations
                             where r.CandidateId == candidateId && r.Status == RegistrationStatus.Verified
                                 && db.Consents.Any(c => c.RegistrationId == r.Id && c.AgencyId == agencyId)
                             orderby r.CreatedAt
                             select r).ToListAsync(ct);
        foreach (var registration in waiting) await counters.ApplyAsync(db, registration, await qualify.QualifyAsync(db, registration, ct), ct);
    }

    /// <summary>
    /// Records a placement. The same (agency, candidate, job or hiring company) again answers the existing one,
    /// also when two requests race (the unique business key decides). In the same transaction: a cited
    /// redemption is fulfilled (fee waived), the referring company receives <c>Relay:PlacementRewardSlots</c>
    /// when the candidate was hired elsewhere, and the pipeline moves to 入社.
    /// </summary>
    public async Task<Result<(PlacementItem Placement, bool Created)>> RecordPlacementAsync(string agencyId, string actorId, PlacementRequest body, CancellationToken ct)
    {
        var v = new Validation();
        var candidateId = v.Required("candidateId", body.CandidateId, 64);
        var jobId = v.Optional("jobId", body.JobId, 64);
        var hiringName = v.Optional("hiringCompanyName", body.HiringCompanyName, 200);
        var redemptionId = v.Optional("redemptionId", body.RedemptionId, 64);
        if (jobId is null && hiringName is null) v.Add("hiringCompanyName", "Error.PlacementCompany");
        var startText = v.Required("startDate", body.StartDate, 10);
        if (startText.Length > 0 && !DateOnly.TryParseExact(startText, "yyyy-MM-dd", out _)) v.Add("startDate", "Error.Date");
        if (redemptionId is not null && jobId is null) v.Add("jobId", "Error.RedemptionJob");
        var employment = v.Optional("employmentType", body.EmploymentType, 20);
        if (employment is not null && !PlacementEmployment.All.Contains(employment))
            v.Add("employmentType", "Error.OneOf", string.Join(", ", PlacementEmployment.All));
        if (!v.IsValid) return v.ToError();
        var startDate = DateOnly.ParseExact(startText, "yyyy-MM-dd");

        var businessKey = jobId is not null ? $"{agencyId}|{candidateId}|job:{jobId}" : $"{agencyId}|{candidateId}|name:{PersonIdentity.NormaliseEmail(hiringName!)}";
        if (await ExistingAsync(businessKey, ct) is { } again) return (again, false);
        if (!await SeesCandidateAsync(agencyId, candidateId, ct)) return ApiError.NotFound("candidate");

        string? hiringCompanyId = null;
        if (jobId is not null)
        {
            var job = await VisibleJobs(agencyId).Where(j => j.Id == jobId).Select(j => new { j.CompanyId, j.EmploymentType }).FirstOrDefaultAsync(ct)
                ?? await db.Jobs.Where(j => j.Id == jobId && db.Redemptions.Any(r => r.JobId == j.Id && r.Id == redemptionId))
                    .Select(j => new { j.CompanyId, j.EmploymentType }).FirstOrDefaultAsync(ct);
            if (job is null) return ApiError.NotFound("job");
            hiringCompanyId = job.CompanyId;
            employment ??= PlacementEmployment.FromJob(job.EmploymentType);
        }
        if (redemptionId is not null)
        {
            var redemption = await db.Redemptions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == redemptionId, ct);
            if (redemption is null || (hiringCompanyId is not null && redemption.CompanyId != hiringCompanyId && redemption.JobId != jobId)) return ApiError.NotFound("redemption");
            if (redemption.JobId != jobId)
                return AgencyErrors.RedemptionForAnotherJob;
            if (redemption.Status == RedemptionStatus.Fulfilled)
                return AgencyErrors.RedemptionFulfilled;
            if (redemption.Status == RedemptionStatus.Cancelled)
                return AgencyErrors.RedemptionCancelled;
        }

        // The company whose relay brought the candidate: the first qualified referral in the window.
        var referrer = await db.Registrations.Where(r => r.CandidateId == candidateId && r.Status == RegistrationStatus.Qualified)
            .OrderBy(r => r.QualifiedAt).Select(r => r.CompanyId).FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var placement = new Placement
        {
            Id = Ids.New(), AgencyId = agencyId, CandidateId = candidateId, JobId = jobId, CompanyId = hiringCompanyId, HiringCompanyName = hiringName,
            StartDate = startDate, EmploymentType = employment, RedemptionId = redemptionId, ReferringCompanyId = referrer, BusinessKey = businessKey, CreatedAt = now,
        };
        try
        {
            var outcome = await gate.RunAsync<Result<bool>>(db, async token =>
            {
                db.Placements.Add(placement);
                if (redemptionId is not null)
                {
                    // Conditional: a fulfilment racing a cancellation (or another placement) — exactly one wins.
                    var fulfilled = await db.Redemptions.Where(r => r.Id == redemptionId && r.Status == RedemptionStatus.Open)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RedemptionStatus.Fulfilled).SetProperty(r => r.FulfilledAt, now)
                            .SetProperty(r => r.PlacementId, placement.Id), token);
                    if (fulfilled == 0)
                        return AgencyErrors.RedemptionNoLongerOpen;
                    await webhooks.EnqueueAsync(db, "company", hiringCompanyId!, Infrastructure.Webhooks.CompanyEvents.RedemptionFulfilled,
                        new { redemptionId, placementId = placement.Id, jobId }, token);
                }
                // The referring company hears of its candidate's placement (ids only).
                if (referrer is not null)
                    await webhooks.EnqueueAsync(db, "company", referrer, Infrastructure.Webhooks.CompanyEvents.PlacementRecorded,
                        new { placementId = placement.Id, referredElsewhere = referrer != hiringCompanyId }, token);
                var reward = slotRules.Value.PlacementRewardSlots;
                if (referrer is not null && referrer != hiringCompanyId)
                    for (var i = 1; i <= reward; i++)
                        await ledger.RewardPlacementAsync(db, referrer, placement.Id, i, token);
                db.PipelineEvents.Add(new PipelineEvent { Id = Ids.New(), AgencyId = agencyId, CandidateId = candidateId, Type = PipelineStages.Placed, JobId = jobId, ActorId = actorId, CreatedAt = now });
                var state = await db.AgencyCandidates.FirstOrDefaultAsync(a => a.AgencyId == agencyId && a.CandidateId == candidateId, token);
                if (state is null) db.AgencyCandidates.Add(new AgencyCandidate { AgencyId = agencyId, CandidateId = candidateId, Stage = PipelineStages.Placed, FirstContactedAt = now, UpdatedAt = now });
                else { state.Stage = PipelineStages.Placed; state.UpdatedAt = now; state.FirstContactedAt ??= now; }
                return true;
            }, ct);
            if (outcome.Failed)
            {
                db.ChangeTracker.Clear();
                return outcome.Error!;
            }
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            // The same placement recorded by a concurrent request: answer that one.
            return (await ExistingAsync(businessKey, ct))! is { } raced ? (raced, false) : throw new InvalidOperationException("Placement vanished.", ex);
        }
        return (ToItem(placement, redemptionId is not null), true);
    }

    private async Task<PlacementItem?> ExistingAsync(string businessKey, CancellationToken ct)
    {
        var found = await db.Placements.AsNoTracking().FirstOrDefaultAsync(p => p.BusinessKey == businessKey, ct);
        return found is null ? null : ToItem(found, found.RedemptionId is not null);
    }

    private static PlacementItem ToItem(Placement p, bool feeWaived) =>
        new(p.Id, p.CandidateId, p.JobId, p.HiringCompanyName, p.StartDate, p.RedemptionId, feeWaived, p.CreatedAt, p.EmploymentType);

    /// <summary>Open redemptions on jobs this agency may fill (not accepted by another agency).</summary>
    public Task<List<InboxItem>> RedemptionInboxAsync(string agencyId, CancellationToken ct) =>
        (from r in db.Redemptions
         join j in VisibleJobs(agencyId) on r.JobId equals j.Id
         join c in db.Companies on r.CompanyId equals c.Id
         where r.Status == RedemptionStatus.Open && (r.AcceptedByAgencyId == null || r.AcceptedByAgencyId == agencyId)
         orderby r.CreatedAt
         select new InboxItem(r.Id, j.Id, j.Title, c.Name, r.Status, r.AcceptedByAgencyId == agencyId, r.CreatedAt)).ToListAsync(ct);

    /// <summary>Takes an open redemption on: the first agency to accept it is the one that works it.</summary>
    public async Task<Result<InboxItem>> AcceptRedemptionAsync(string agencyId, string redemptionId, CancellationToken ct)
    {
        if (!await RedemptionInboxQuery(agencyId).AnyAsync(r => r.Id == redemptionId, ct)) return ApiError.NotFound("redemption");
        var taken = await gate.RunAsync(db, token => db.Redemptions
            .Where(r => r.Id == redemptionId && r.Status == RedemptionStatus.Open && (r.AcceptedByAgencyId == null || r.AcceptedByAgencyId == agencyId))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.AcceptedByAgencyId, agencyId), token), ct);
        if (taken == 0) return AgencyErrors.RedemptionTaken;
        return (await RedemptionInboxAsync(agencyId, ct)).First(r => r.Id == redemptionId);
    }

    private IQueryable<Redemption> RedemptionInboxQuery(string agencyId) =>
        from r in db.Redemptions
        join j in VisibleJobs(agencyId) on r.JobId equals j.Id
        where r.Status == RedemptionStatus.Open && (r.AcceptedByAgencyId == null || r.AcceptedByAgencyId == agencyId)
        select r;

    /// <summary>
    /// Proposes the candidate for a job. Nothing is shared yet: the candidate gets a mail and agrees (or not) on
    /// their own page; only an agreement lets the hiring company see the profile.
    /// </summary>
    public async Task<Result<IntroductionItem>> IntroduceAsync(string agencyId, string candidateId, string? jobId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(jobId) || jobId.Length > 64) return ApiError.Invalid("jobId", "Error.IntroductionJob");
        if (!await SeesCandidateAsync(agencyId, candidateId, ct)) return ApiError.NotFound("candidate");
        var job = await VisibleJobs(agencyId).Join(db.Companies, j => j.CompanyId, c => c.Id, (j, c) => new { j.Id, j.Title, j.CompanyId, Company = c.Name })
            .FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null) return ApiError.NotFound("job");
        var existing = await db.Introductions.AsNoTracking().FirstOrDefaultAsync(i => i.AgencyId == agencyId && i.CandidateId == candidateId && i.JobId == jobId && i.Status != IntroductionStatus.Declined, ct);
        if (existing is not null) return new IntroductionItem(existing.Id, candidateId, job.Id, existing.Status, existing.CreatedAt);

        var (_, dataKey, profile) = await vault.OpenAsync(db, candidateId, ct) ?? throw new InvalidOperationException("The candidate is gone.");
        var agencyName = await db.Agencies.Where(a => a.Id == agencyId).Select(a => a.Name).FirstAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var introduction = new Introduction { Id = Ids.New(), AgencyId = agencyId, CandidateId = candidateId, JobId = job.Id, CompanyId = job.CompanyId, Status = IntroductionStatus.Pending, CreatedAt = now };
        await gate.RunAsync(db, _ =>
        {
            db.Introductions.Add(introduction);
            outbox.Enqueue(db, candidateId, dataKey, "candidate-introduction", new MailContent(profile.Email, Texts.Get("Mail.Introduction.Subject", Lang.Japanese),
                Texts.Format("Mail.Introduction.Body", Lang.Japanese, profile.Name, agencyName, job.Company, job.Title, urls.To("/me")), Lang.Japanese), now);
            return Task.FromResult(0);
        }, ct);
        return new IntroductionItem(introduction.Id, candidateId, job.Id, IntroductionStatus.Pending, now);
    }
}
