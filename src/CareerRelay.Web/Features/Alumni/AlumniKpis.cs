using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Alumni;

/// <summary>
/// The alumni figures a company reads on its dashboard (to date) and in its monthly report (members at the month's end; the
/// rest within the month): members, re-hires, contracts, and referrals made by alumni referrers. Counts only; nothing opened.
/// </summary>
public sealed class AlumniKpis(CareerRelayDb db)
{
    /// <summary>To date (no period), or for the Japan-time days <paramref name="from"/>..<paramref name="to"/>.</summary>
    public async Task<AlumniFigures> ForCompanyAsync(string companyId, CancellationToken ct, DateOnly? from = null, DateOnly? to = null)
    {
        DateTime? start = from?.ToDateTime(TimeOnly.MinValue) - JapanCalendar.Offset;
        DateTime? end = to?.AddDays(1).ToDateTime(TimeOnly.MinValue) - JapanCalendar.Offset;
        var members = end is { } e
            ? await db.AlumniMembers.CountAsync(m => m.CompanyId == companyId && m.ConfirmedAt != null && m.ConfirmedAt < e
                && (m.Status == AlumniStatus.Confirmed || (m.Status == AlumniStatus.Left && m.LeftAt >= e)), ct)
            : await db.AlumniMembers.CountAsync(m => m.CompanyId == companyId && m.Status == AlumniStatus.Confirmed, ct);
        var rehires = await db.AlumniRehires.Where(r => r.CompanyId == companyId && (from == null || r.On >= from) && (to == null || r.On <= to))
            .GroupBy(r => r.Kind).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var referrals = await (from a in db.ReferralApplications
                               join r in db.Referrers on a.ReferrerId equals r.Id
                               where a.CompanyId == companyId && r.Type == Referrals.ReferrerTypes.Alumni && a.VerifiedAt != null
                                   && (start == null || a.VerifiedAt >= start) && (end == null || a.VerifiedAt < end)
                               select a.Id).CountAsync(ct);
        return new AlumniFigures(members, rehires.GetValueOrDefault(RehireKinds.Rehire), rehires.GetValueOrDefault(RehireKinds.Contract), referrals);
    }
}

/// <summary>The company's alumni figures (names in CompanyFigures: alumniMembers, alumniRehires, alumniContracts, alumniReferrals).</summary>
public sealed record AlumniFigures(int Members, int Rehires, int Contracts, int Referrals);
