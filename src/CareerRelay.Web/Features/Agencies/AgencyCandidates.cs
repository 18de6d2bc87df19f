using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Agencies;

/// <summary>
/// What an agency may read about its candidates — only those with an active consent to it — and the audit
/// entry every such read leaves (who, what, when). Shared by the agency API and the agency workspace.
/// </summary>
public sealed class AgencyCandidates(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, AgencyWork work, TimeProvider clock)
{
    /// <summary>Stage and since filter in the database; prefecture, occupation and the free-text search need the opened profiles.</summary>
    public sealed record Filter(string? Stage = null, string? Prefecture = null, string? Occupation = null, DateTime? Since = null, string? Search = null)
    {
        public bool NeedsProfiles => Prefecture is not null || Occupation is not null || Search is not null;
    }

    /// <summary>How many candidates a profile-filtered search opens per request (it pages on from the last one seen).</summary>
    private const int MaxScanned = 5000;

    public sealed record Row(string Id, CandidateProfile Profile, string Stage, DateTime RegisteredAt, DateTime? FirstContactedAt);

    public async Task<Page<Row>> ListAsync(string agencyId, string actor, Filter filter, PageRequest page, CancellationToken ct)
    {
        var consenting = work.ConsentingCandidateIds(agencyId);
        var query = from id in consenting
                    join s in db.AgencyCandidates.Where(a => a.AgencyId == agencyId) on id equals s.CandidateId into states
                    from s in states.DefaultIfEmpty()
                    select new
                    {
                        Id = id,
                        Stage = s == null ? PipelineStages.New : s.Stage,
                        FirstContactedAt = s == null ? null : s.FirstContactedAt,
                        // Through a relay registration; else through an alumni membership with 転職支援: when they chose this agency.
                        RegisteredAt = db.Registrations.Where(r => r.CandidateId == id && db.Consents.Any(c => c.RegistrationId == r.Id && c.AgencyId == agencyId))
                            .Min(r => (DateTime?)r.CreatedAt) ?? db.Consents.Where(c => c.CandidateId == id && c.AgencyId == agencyId).Min(c => (DateTime?)c.GivenAt),
                    };
        if (filter.Stage is not null) query = query.Where(x => x.Stage == filter.Stage);
        if (filter.Since is not null) query = query.Where(x => x.RegisteredAt >= filter.Since);

        // Without profile filters the database pages; with them, candidates are opened and filtered here (their fields are sealed).
        var rows = filter.NeedsProfiles ? await query.PageAfter(page with { Limit = MaxScanned }, x => x.Id).ToListAsync(ct)
            : await query.PageAfter(page, x => x.Id).ToListAsync(ct);
        var profiles = await vault.OpenManyAsync(db, rows.Select(r => r.Id).ToList(), ct);
        var matching = rows.Where(r => profiles.TryGetValue(r.Id, out var p) && Matches(p, filter))
            .Select(r => new Row(r.Id, profiles[r.Id], r.Stage, r.RegisteredAt!.Value, r.FirstContactedAt)).ToList();
        var result = page.ToPage(matching, r => r.Id, r => r);
        await AuditAsync(actor, AuditActions.CandidatesList, result.Items.Select(r => r.Id), ct);
        return result;
    }

    private static bool Matches(CandidateProfile p, Filter f) =>
        (f.Prefecture is null || p.Prefecture == f.Prefecture)
        && (f.Occupation is null || (p.DesiredOccupation ?? "").Contains(f.Occupation, StringComparison.OrdinalIgnoreCase))
        && (f.Search is null || new[] { p.Name, p.NameKana ?? "", p.Email, p.DesiredOccupation ?? "", string.Join(" ", p.HeldSkills()), p.CareerSummary ?? "" }
            .Any(x => x.Contains(f.Search, StringComparison.OrdinalIgnoreCase)));

    public sealed record HistoryItem(string Id, string Type, string? Note, string? JobId, string ActorId, DateTime CreatedAt);
    public sealed record IntroductionView(string Id, string JobId, string JobTitle, string CompanyName, string Status, DateTime CreatedAt);
    public sealed record PlacementView(string Id, string? JobId, string? HiringCompanyName, DateOnly StartDate, bool FeeWaived);
    /// <param name="RelayedBy">The companies whose rejection mail brought the person to this agency (their relay links).</param>
    /// <param name="MailRefusedSince">Since when mail to the person is refused (their address is on the suppression list); null while it reaches them.</param>
    public sealed record Detail(string Id, CandidateProfile Profile, string Stage, DateTime RegisteredAt, DateTime? FirstContactedAt,
        IReadOnlyList<HistoryItem> History, IReadOnlyList<IntroductionView> Introductions, IReadOnlyList<PlacementView> Placements, bool HasResume,
        IReadOnlyList<string> RelayedBy, DateTime? MailRefusedSince = null);

    /// <summary>The candidate page: profile and the agency's own history with them. Null when not this agency's candidate.</summary>
    public async Task<Detail?> DetailAsync(string agencyId, string actor, string candidateId, CancellationToken ct)
    {
        if (!await work.SeesCandidateAsync(agencyId, candidateId, ct)) return null;
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return null;
        var (_, dataKey, profile) = opened;
        var state = await db.AgencyCandidates.AsNoTracking().FirstOrDefaultAsync(a => a.AgencyId == agencyId && a.CandidateId == candidateId, ct);
        var registrations = await db.Registrations.Where(r => r.CandidateId == candidateId && db.Consents.Any(c => c.RegistrationId == r.Id && c.AgencyId == agencyId))
            .Join(db.Companies, r => r.CompanyId, c => c.Id, (r, c) => new { r.CreatedAt, c.Name }).ToListAsync(ct);
        var registeredAt = registrations.Count > 0 ? registrations.Min(r => r.CreatedAt)
            : await db.Consents.Where(c => c.CandidateId == candidateId && c.AgencyId == agencyId).MinAsync(c => c.GivenAt, ct);
        var events = await db.PipelineEvents.AsNoTracking().Where(e => e.AgencyId == agencyId && e.CandidateId == candidateId).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        var introductions = await (from i in db.Introductions
                                   join j in db.Jobs on i.JobId equals j.Id
                                   join c in db.Companies on i.CompanyId equals c.Id
                                   where i.AgencyId == agencyId && i.CandidateId == candidateId
                                   orderby i.CreatedAt
                                   select new IntroductionView(i.Id, j.Id, j.Title, c.Name, i.Status, i.CreatedAt)).ToListAsync(ct);
        var placements = await db.Placements.AsNoTracking().Where(p => p.AgencyId == agencyId && p.CandidateId == candidateId)
            .Select(p => new PlacementView(p.Id, p.JobId, p.HiringCompanyName, p.StartDate, p.RedemptionId != null)).ToListAsync(ct);
        await AuditAsync(actor, AuditActions.CandidateView, [candidateId], ct);
        return new Detail(candidateId, profile, state?.Stage ?? PipelineStages.New, registeredAt, state?.FirstContactedAt,
            [.. events.Select(e => new HistoryItem(e.Id, e.Type, e.Note is null ? null : System.Text.Encoding.UTF8.GetString(PersonalDataCipher.Open(dataKey, e.Note)), e.JobId, e.ActorId, e.CreatedAt))],
            introductions, placements, await db.CandidateFiles.AnyAsync(f => f.CandidateId == candidateId, ct),
            [.. registrations.OrderBy(r => r.CreatedAt).Select(r => r.Name).Distinct()],
            await db.MailSuppressions.Where(x => x.AddressHash == opened.Candidate.EmailHash).Select(x => (DateTime?)x.CreatedAt).FirstOrDefaultAsync(ct));
    }

    private Task AuditAsync(string actor, string action, IEnumerable<string> candidateIds, CancellationToken ct) =>
        AuditLog.RecordAsync(db, gate, "agency", actor, action, candidateIds, clock.GetUtcNow().UtcDateTime, ct);
}
