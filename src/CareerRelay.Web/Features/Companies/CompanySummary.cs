using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Redemptions;
using CareerRelay.Web.Features.Registrations;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Companies;

/// <summary>The loop in numbers (SPEC §6 summary fields). Aggregates only — never a candidate.</summary>
public sealed record CompanySummary(
    int InvitationsSent, long Clicks, int Registrations, int Verified, int Held, int QualifiedReferrals, int ReferralsPerSlot,
    int ProgressToNextSlot, int SlotsEarned, int SlotsRedeemed, int SlotsAvailable, int SlotsOwed, int Placements)
{
    /// <summary>How many more qualified referrals earn the next slot (「あと3人で無料採用枠を1つ獲得」).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public int ToNextSlot => ReferralsPerSlot - ProgressToNextSlot;
}

/// <summary>One query for the API and the console, so both always show the same numbers.</summary>
public sealed class CompanySummaries(IOptions<RelayOptions> relay)
{
    public async Task<CompanySummary> ForCompanyAsync(CareerRelayDb db, string companyId, CancellationToken ct)
    {
        var n = relay.Value.ReferralsPerSlot;
        var account = await db.CompanyAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.CompanyId == companyId, ct) ?? SlotLedger.NewAccount(companyId);
        var entryCounts = await db.LedgerEntries.AsNoTracking().Where(e => e.CompanyId == companyId)
            .GroupBy(e => e.Type).Select(g => new { Type = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Entries(string type) => entryCounts.FirstOrDefault(e => e.Type == type)?.Count ?? 0;

        // Registration counts come from the account's rollup (kept with every status change; checked by verify-ledger),
        // not from counting the company's registrations on each call — P4: a handful of rows whatever the volume.
        var registrations = account.RegistrationCount;
        return new CompanySummary(
            InvitationsSent: await db.Invitations.CountAsync(i => i.CompanyId == companyId, ct),
            Clicks: await db.RelayLinks.Where(l => l.CompanyId == companyId).SumAsync(l => l.Clicks, ct),
            Registrations: registrations,
            Verified: account.VerifiedCount,
            Held: account.HeldCount,
            QualifiedReferrals: account.QualifiedCount,
            ReferralsPerSlot: n,
            ProgressToNextSlot: SlotArithmetic.ProgressToNextSlot(account.QualifiedCount, n),
            SlotsEarned: Entries(LedgerEntryType.SlotEarned) + Entries(LedgerEntryType.PlacementReward)
                - Entries(LedgerEntryType.SlotReversed) - Entries(LedgerEntryType.SlotOwed),
            SlotsRedeemed: await db.Redemptions.CountAsync(r => r.CompanyId == companyId && r.Status != RedemptionStatus.Cancelled, ct),
            SlotsAvailable: account.Balance,
            SlotsOwed: account.SlotsOwed,
            // Placements anywhere of candidates this company referred.
            Placements: await db.Placements.CountAsync(p => p.ReferringCompanyId == companyId, ct));
    }
}
