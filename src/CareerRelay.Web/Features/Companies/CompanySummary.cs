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
public sealed class CompanySummaries(IOptions<Credits.SlotRules> rules)
{
    public async Task<CompanySummary> ForCompanyAsync(CareerRelayDb db, string companyId, CancellationToken ct)
    {
        var n = rules.Value.ReferralsPerSlot;
        // One round trip (P4): the account's rollups (kept with every change, checked by verify-ledger) and four small
        // indexed aggregates as scalar subqueries (links, redemptions and placements are few per company; registration
        // counts not yet folded into the account are a few seconds' worth).
        var figures = await db.CompanyAccounts.AsNoTracking().Where(a => a.CompanyId == companyId).Select(a => new
        {
            a.InvitationCount, a.VerifiedCount, a.HeldCount, a.QualifiedCount, a.Balance, a.SlotsOwed, a.SlotsEarned,
            RegistrationCount = a.RegistrationCount + (SummaryRollup.PendingRegistrations(db, companyId).Sum(d => (int?)d.Count) ?? 0),
            Clicks = db.RelayLinks.Where(l => l.CompanyId == companyId).Sum(l => (long?)l.Clicks) ?? 0,
            SlotsRedeemed = db.Redemptions.Count(r => r.CompanyId == companyId && r.Status != RedemptionStatus.Cancelled),
            // Placements anywhere of candidates this company referred.
            Placements = db.Placements.Count(p => p.ReferringCompanyId == companyId),
        }).FirstOrDefaultAsync(ct);
        if (figures is null) return new CompanySummary(0, 0, 0, 0, 0, 0, n, 0, 0, 0, 0, 0, 0);
        return new CompanySummary(
            InvitationsSent: figures.InvitationCount,
            Clicks: figures.Clicks,
            Registrations: figures.RegistrationCount,
            Verified: figures.VerifiedCount,
            Held: figures.HeldCount,
            QualifiedReferrals: figures.QualifiedCount,
            ReferralsPerSlot: n,
            ProgressToNextSlot: SlotArithmetic.ProgressToNextSlot(figures.QualifiedCount, n),
            SlotsEarned: figures.SlotsEarned,
            SlotsRedeemed: figures.SlotsRedeemed,
            SlotsAvailable: figures.Balance,
            SlotsOwed: figures.SlotsOwed,
            Placements: figures.Placements);
    }
}

// What the routes in CompanyEndpoints take and answer.

public sealed record PartnerAgenciesRequest(List<string?>? AgencyIds);

public sealed record PartnerAgency(string Id, string Name, string LicenseNumber, bool Active);

public sealed record PartnerAgencies(IReadOnlyList<string> AgencyIds, IReadOnlyList<PartnerAgency> Agencies);
