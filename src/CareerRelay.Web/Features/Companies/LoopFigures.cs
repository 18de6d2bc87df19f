using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Companies;

/// <summary>
/// The loop 紹介 → 選考 → 不採用 → 再紹介 in a company's numbers: people referred in (verified referral applications), hired
/// from them, rejections relayed (personal invitations minted for rejections from the ATS, imports and referrals),
/// relayed people placed at other companies, and re-applications. Counts only, never a person.
/// </summary>
public sealed record LoopFigures(int ReferralsIn, int ReferralHires, int RejectionsRelayed, int PlacedElsewhere, int Reapplications)
{
    public static async Task<LoopFigures> ForCompanyAsync(CareerRelayDb db, string companyId, CancellationToken ct) => new(
        ReferralsIn: await db.ReferralApplications.CountAsync(a => a.CompanyId == companyId && a.VerifiedAt != null, ct),
        ReferralHires: await db.ReferralApplications.CountAsync(a => a.CompanyId == companyId && a.Stage == Referrals.ReferralStages.Hired, ct),
        RejectionsRelayed: await db.AtsEvents.CountAsync(e => e.CompanyId == companyId && e.Invited, ct),
        PlacedElsewhere: await db.Placements.CountAsync(p => p.ReferringCompanyId == companyId && (p.CompanyId == null || p.CompanyId != companyId), ct),
        Reapplications: await db.Reapplications.CountAsync(r => r.CompanyId == companyId, ct));
}
