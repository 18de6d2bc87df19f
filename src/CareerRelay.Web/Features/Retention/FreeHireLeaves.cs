using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Agencies;
using CareerRelay.Web.Features.Credits;

namespace CareerRelay.Web.Features.Retention;

/// <summary>Where a placement stands after its follow-ups, and which free hires give their slot back.</summary>
public static class FreeHireLeaves
{
    public sealed record Returning(string CompanyId, string PlacementId);

    /// <summary>The newest follow-up of each placement that found something out ("unknown" changes nothing already known).</summary>
    public static IQueryable<PlacementFollowUp> LatestKnown(CareerRelayDb db) =>
        db.PlacementFollowUps.Where(f => f.Status != FollowUpStatus.Unknown
            && !db.PlacementFollowUps.Any(g => g.PlacementId == f.PlacementId && g.Sequence > f.Sequence && g.Status != FollowUpStatus.Unknown));

    /// <summary>The free hires whose newest known follow-up says they left within the guarantee, not dismissed: each holds one slot given back.</summary>
    public static async Task<List<Returning>> ReturningSlotsAsync(CareerRelayDb db, RetentionRules rules, CancellationToken ct)
    {
        var rows = await (from p in db.Placements
                          join r in db.Redemptions on p.RedemptionId equals r.Id
                          join f in LatestKnown(db) on p.Id equals f.PlacementId
                          where f.Status == FollowUpStatus.Left
                          select new { r.CompanyId, PlacementId = p.Id, p.StartDate, f.Status, f.LeftOn, f.Reason }).ToListAsync(ct);
        return [.. rows.Where(x => rules.ReturnsSlot(x.StartDate, x.Status, x.LeftOn, x.Reason)).Select(x => new Returning(x.CompanyId, x.PlacementId))];
    }

    /// <summary>Of these placements, the ones whose free-hire slot is back with the company right now (returned more often than taken back).</summary>
    public static async Task<HashSet<string>> SlotBackAsync(CareerRelayDb db, IReadOnlyCollection<string> placementIds, CancellationToken ct) =>
        [.. await db.LedgerEntries.Where(e => placementIds.Contains(e.Reference) && (e.Type == LedgerEntryType.ReturnedEarlyLeave
                || e.Type == LedgerEntryType.EarlyLeaveReversed || e.Type == LedgerEntryType.EarlyLeaveOwed))
            .GroupBy(e => e.Reference).Where(g => g.Sum(e => e.Type == LedgerEntryType.ReturnedEarlyLeave ? 1 : -1) > 0).Select(g => g.Key)
            .ToListAsync(ct)];

    /// <summary>The company whose redeemed slot a placement filled, or null when it was not a free hire.</summary>
    public static Task<string?> RedeemingCompanyAsync(CareerRelayDb db, Placement placement, CancellationToken ct) =>
        placement.RedemptionId is null ? Task.FromResult<string?>(null)
            : db.Redemptions.Where(r => r.Id == placement.RedemptionId).Select(r => (string?)r.CompanyId).FirstOrDefaultAsync(ct);
}
