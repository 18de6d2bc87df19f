using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Agencies;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Retention;

/// <summary>A placement with its checks, the person's own answers and the agency's follow-ups — for the agency that made it only.</summary>
public sealed class ShowPlacement(CareerRelayDb db, IOptions<RetentionRules> rules)
{
    public async Task<PlacementDetail?> ForAgencyAsync(string agencyId, string placementId, CancellationToken ct) =>
        (await ManyAsync(db.Placements.Where(p => p.Id == placementId && p.AgencyId == agencyId), ct)).SingleOrDefault();

    /// <summary>This agency's placements of one person, newest first (the workspace's candidate page).</summary>
    public Task<List<PlacementDetail>> OfCandidateAsync(string agencyId, string candidateId, CancellationToken ct) =>
        ManyAsync(db.Placements.Where(p => p.AgencyId == agencyId && p.CandidateId == candidateId), ct);

    private async Task<List<PlacementDetail>> ManyAsync(IQueryable<Placement> query, CancellationToken ct)
    {
        var placements = await query.AsNoTracking().OrderByDescending(p => p.StartDate).ThenByDescending(p => p.Id).Take(50).ToListAsync(ct);
        var ids = placements.Select(p => p.Id).ToList();
        var checks = (await db.PlacementChecks.AsNoTracking().Where(c => ids.Contains(c.PlacementId)).ToListAsync(ct)).ToLookup(c => c.PlacementId);
        var followUps = (await db.PlacementFollowUps.AsNoTracking().Where(f => ids.Contains(f.PlacementId)).ToListAsync(ct))
            .ToLookup(f => f.PlacementId);
        var slotBack = await FreeHireLeaves.SlotBackAsync(db, ids, ct);
        return [.. placements.Select(p =>
        {
            var records = followUps[p.Id].OrderBy(f => f.Sequence).ToList();
            var made = checks[p.Id].ToDictionary(c => c.Month);
            var recorded = records.Select(f => f.CheckMonth).DefaultIfEmpty(-1).Max();
            var items = rules.Value.CheckMonths.Select(m => made.TryGetValue(m, out var c)
                ? new CheckItem(m, c.DueOn, recorded >= m, c.PersonAnswer, c.PersonAnsweredAt)
                : new CheckItem(m, p.StartDate.AddMonths(m), recorded >= m, null, null)).ToList();
            return new PlacementDetail(p.Id, p.CandidateId, p.JobId, p.HiringCompanyName, p.StartDate, p.EmploymentType, p.RedemptionId,
                p.RedemptionId is not null, p.CreatedAt, records.LastOrDefault()?.Status, items, [.. records.Select(RecordFollowUp.ToItem)],
                slotBack.Contains(p.Id));
        })];
    }

    /// <summary>
    /// The hiring company's view of its hires through agencies who left (the newest known follow-up): dates and the refund the
    /// agency's rule implies — never the reason, the person's own answers or anything the person did not share with it.
    /// </summary>
    public async Task<List<HiredAndLeft>> LeftAtCompanyAsync(string companyId, CancellationToken ct)
    {
        var rows = await (from p in db.Placements
                          join f in FreeHireLeaves.LatestKnown(db) on p.Id equals f.PlacementId
                          join a in db.Agencies on p.AgencyId equals a.Id
                          where p.CompanyId == companyId && f.Status == FollowUpStatus.Left
                          orderby f.LeftOn descending
                          select new
                          {
                              p.Id, p.CandidateId, JobTitle = db.Jobs.Where(j => j.Id == p.JobId).Select(j => j.Title).FirstOrDefault(), AgencyName = a.Name,
                              p.StartDate, f.LeftOn, p.RedemptionId, a.RefundRule,
                          }).Take(200).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var slotBack = await FreeHireLeaves.SlotBackAsync(db, ids, ct);
        return [.. rows.Select(r =>
        {
            var rule = Tenants.RefundRule.Parse(r.RefundRule);
            var free = r.RedemptionId is not null;
            return new HiredAndLeft(r.CandidateId, r.JobTitle, r.AgencyName, r.StartDate, r.LeftOn!.Value, free, slotBack.Contains(r.Id),
                free ? null : Tenants.RefundRule.PercentFor(rule, r.StartDate, r.LeftOn!.Value), rule.Count > 0);
        })];
    }

    /// <summary>The agency's to-do list: checks that fell due and that no follow-up has answered yet, oldest first.</summary>
    public Task<List<DueCheck>> DueAsync(string agencyId, CancellationToken ct) =>
        (from c in db.PlacementChecks
         join p in db.Placements on c.PlacementId equals p.Id
         where c.AgencyId == agencyId
            && !db.PlacementFollowUps.Any(f => f.PlacementId == c.PlacementId && (f.CheckMonth >= c.Month || f.Status == FollowUpStatus.Left))
            && !db.PlacementChecks.Any(later => later.PlacementId == c.PlacementId && later.Month > c.Month)
         orderby c.DueOn
         select new DueCheck(p.Id, p.CandidateId, p.HiringCompanyName, p.JobId, p.StartDate, c.Month, c.DueOn, c.PersonAnswer)).Take(200).ToListAsync(ct);
}

/// <summary>An early leave the hiring company is shown: when, through which agency, and what that agency's refund rule implies.</summary>
public sealed record HiredAndLeft(string CandidateId, string? JobTitle, string AgencyName, DateOnly StartDate, DateOnly LeftOn, bool FreeHire,
    bool SlotReturned, int? RefundPercent, bool RuleStated);

public sealed record DueCheck(string PlacementId, string CandidateId, string? HiringCompanyName, string? JobId, DateOnly StartDate, int Month,
    DateOnly DueOn, string? PersonAnswer);
