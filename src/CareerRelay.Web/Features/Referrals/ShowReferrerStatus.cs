using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Referrals;

/// <summary>What a referrer sees through their status link.</summary>
public sealed class ShowReferrerStatus(CareerRelayDb db)
{
    /// <summary>What a referrer sees: their referrals' jobs, dates and stages — never the person's data or the company's notes — and their recognition.</summary>
    public async Task<StatusView?> StatusAsync(string? statusToken, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(statusToken)) return null;
        var hash = SecretTokens.Hash(statusToken!);
        var referrer = await db.Referrers.AsNoTracking().FirstOrDefaultAsync(r => r.StatusTokenHash == hash, ct);
        if (referrer is null) return null;
        var programme = await db.ReferralProgrammes.AsNoTracking().FirstAsync(p => p.Id == referrer.ProgrammeId, ct);
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == referrer.CompanyId).Select(c => c.Name).FirstAsync(ct);
        var items = await (from a in db.ReferralApplications.AsNoTracking()
                           join j in db.Jobs on a.JobId equals j.Id
                           where a.ReferrerId == referrer.Id && a.Stage != ReferralStages.PendingVerification
                           orderby a.CreatedAt descending
                           select new StatusItem(j.Title, a.VerifiedAt ?? a.CreatedAt, a.Stage, a.Thanks)).ToListAsync(ct);
        var points = programme.Recognition == "points"
            ? items.Count * programme.PointsPerReferral + items.Count(i => i.Stage == ReferralStages.Hired) * programme.PointsPerHire : 0;
        return new StatusView(company, referrer.Name, programme.Recognition, points, items);
    }
}
