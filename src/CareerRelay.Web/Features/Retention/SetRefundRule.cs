using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Tenants;

namespace CareerRelay.Web.Features.Retention;

/// <summary>An agency states its refund rule; the landing pages show it beside the fee table from then on.</summary>
public sealed class SetRefundRule(CareerRelayDb db, DbWriteGate gate, RelayEntries entries)
{
    public async Task<Result<IReadOnlyList<RefundTier>>> HandleAsync(string agencyId, RefundRuleRequest body, CancellationToken ct)
    {
        var tiers = RefundRule.Validate(body.Tiers);
        if (tiers.Failed) return tiers.Error!;
        var stored = RefundRule.Format(tiers.Value!);
        await gate.RunAsync(db, t => db.Agencies.Where(a => a.Id == agencyId).ExecuteUpdateAsync(s => s.SetProperty(a => a.RefundRule, stored), t), ct);
        entries.Invalidate(); // the landing pages show the fee table, cached per generation
        return tiers;
    }
}
