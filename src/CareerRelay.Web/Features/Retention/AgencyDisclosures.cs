using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Agencies;
using CareerRelay.Web.Features.Companies;

namespace CareerRelay.Web.Features.Retention;

/// <summary>
/// The figures 職業安定法施行規則 24条の8 asks an agency to publish (as the MHLW 人材サービス総合サイト lists them), for one
/// fiscal year (April–March) by start date: placements, of which indefinite (無期雇用), of those who left within six months
/// (dismissals excluded) and whose six months passed with nothing known. Each placement counts by the newest follow-up
/// that found something out, so a correction changes the figure.
/// </summary>
public sealed class AgencyDisclosures(CareerRelayDb db, TimeProvider clock)
{
    public const int FirstFiscalYear = 2000;

    public static int FiscalYearOf(DateOnly day) => day.Month >= 4 ? day.Year : day.Year - 1;

    public int CurrentFiscalYear => FiscalYearOf(CompanyActivity.TodayInJapan(clock));

    /// <summary>The fiscal year of <c>?fiscalYear=</c>: 2000 to the current one; the current one when absent.</summary>
    public Result<int> ParseFiscalYear(string? text)
    {
        if (string.IsNullOrEmpty(text)) return CurrentFiscalYear;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year)
            && year >= FirstFiscalYear && year <= CurrentFiscalYear) return year;
        return ApiError.Invalid("fiscalYear", "Error.FiscalYear", FirstFiscalYear, CurrentFiscalYear);
    }

    public async Task<Disclosure> ForAsync(string agencyId, int fiscalYear, CancellationToken ct)
    {
        var from = new DateOnly(fiscalYear, 4, 1);
        var to = new DateOnly(fiscalYear + 1, 3, 31);
        var today = CompanyActivity.TodayInJapan(clock);
        var placements = await db.Placements.AsNoTracking()
            .Where(p => p.AgencyId == agencyId && p.StartDate >= from && p.StartDate <= to)
            .Select(p => new { p.Id, p.StartDate, p.EmploymentType }).ToListAsync(ct);
        var indefinite = placements.Where(p => p.EmploymentType == PlacementEmployment.Indefinite).ToList();
        var ids = indefinite.Select(p => p.Id).ToList();
        var followUps = (await db.PlacementFollowUps.AsNoTracking().Where(f => ids.Contains(f.PlacementId)).ToListAsync(ct))
            .GroupBy(f => f.PlacementId).ToDictionary(g => g.Key, g => g.ToList());

        int leftWithinSix = 0, unknown = 0;
        foreach (var p in indefinite)
        {
            var o = SixMonthOutcome.Of(p.StartDate, followUps.GetValueOrDefault(p.Id) ?? [], today);
            if (o.LeftInside && !o.Dismissed) leftWithinSix++;
            // Six months passed, no leave inside them, and nobody asked at or after six months.
            if (o.Passed && !o.LeftInside && !o.AskedAfter) unknown++;
        }
        return new Disclosure(fiscalYear, from, to, placements.Count, indefinite.Count, leftWithinSix, unknown);
    }
}
