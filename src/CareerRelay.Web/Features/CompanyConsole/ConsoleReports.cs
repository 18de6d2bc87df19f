using System.Globalization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>The ledger, the monthly report (page and CSV) and the ROI simulator: the numbers HR shows its managers.</summary>
internal static class ConsoleReports
{
    private static async Task<(int Balance, List<EntryItem> Entries)> LedgerAsync(CareerRelayDb db, string companyId, CancellationToken ct)
    {
        var balance = await db.CompanyAccounts.Where(a => a.CompanyId == companyId).Select(a => a.Balance).FirstOrDefaultAsync(ct);
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.CompanyId == companyId).OrderByDescending(e => e.Id)
            .Select(e => new EntryItem(e.Id, e.Type, e.Amount, e.CreatedAt, e.Reference)).ToListAsync(ct);
        return (balance, entries);
    }

    public static async Task<IResult> LedgerPageAsync([AsParameters] ConsolePage page, CareerRelayDb db, CancellationToken ct)
    {
        var (balance, entries) = await LedgerAsync(db, page.User.CompanyId, ct);
        return await page.RenderAsync(PageParameters.For<LedgerPage>()
            .With(p => p.Balance, balance)
            .With(p => p.Entries, entries));
    }

    /// <summary>The whole ledger, oldest first, with reasons in the reader's language and times in JST.</summary>
    public static async Task<IResult> LedgerCsvAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(http.Request);
        var (_, entries) = await LedgerAsync(db, user.CompanyId, ct);
        var csv = new System.Text.StringBuilder("id,createdAtJst,type,reason,amount,reference\r\n");
        foreach (var e in Enumerable.Reverse(entries))
            csv.AppendJoin(',', Csv.Field(e.Id), Csv.Field(ConsoleFormat.Jst(e.CreatedAt)), Csv.Field(e.Type),
                Csv.Field(ConsoleFormat.LedgerReason(e.Type, lang)), e.Amount.ToString(CultureInfo.InvariantCulture), Csv.Field(e.Reference)).Append("\r\n");
        return Csv.Download(http, csv, $"ledger-{clock.GetUtcNow().AddHours(9):yyyyMMdd}.csv");
    }

    /// <summary>/console/reports?month=2026-11 — a month in Japan time; this month when none is given.</summary>
    public static async Task<IResult> MonthlyPageAsync([AsParameters] ConsolePage page, CareerRelayDb db, Retention.RetentionKpis retention,
        Alumni.AlumniKpis alumni, TimeProvider clock, CancellationToken ct)
    {
        if (!TryMonth(page.Http, clock, out var month)) return await RenderMonthlyAsync(page, clock, null, null, null, 400);
        var period = (await CompanyActivity.ForPeriodsAsync(db, page.User.CompanyId, [month, month.AddMonths(1)], ct))[0];
        var last = month.AddMonths(1).AddDays(-1);
        return await RenderMonthlyAsync(page, clock, period, await retention.ForCompanyAsync(page.User.CompanyId, ct, last),
            await alumni.ForCompanyAsync(page.User.CompanyId, ct, month, last), 200,
            await Links.SourceFigures.ForCompanyAsync(db, page.User.CompanyId, month, month.AddMonths(1), ct));
    }

    private static Task<IResult> RenderMonthlyAsync(ConsolePage page, TimeProvider clock, ActivityPeriod? period, Retention.CompanyRetention? retention,
        Alumni.AlumniFigures? alumni, int status, IReadOnlyList<Links.SourceRow>? sources = null) =>
        page.RenderAsync(PageParameters.For<ReportPage>()
            .With(p => p.Period, period)
            .With(p => p.Sources, sources ?? [])
            .With(p => p.Retention, retention)
            .With(p => p.Alumni, alumni)
            .With(p => p.Today, CompanyActivity.TodayInJapan(clock))
            .With(p => p.ThisMonth, FirstOfMonth(CompanyActivity.TodayInJapan(clock))), status);

    /// <summary>The month's figures as one CSV row per measure, so a spreadsheet of several months lines up.</summary>
    public static async Task<IResult> MonthlyCsvAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, Retention.RetentionKpis retention,
        Alumni.AlumniKpis alumni, TimeProvider clock, CancellationToken ct)
    {
        if (!TryMonth(http, clock, out var month)) return Results.Text(Texts.Get("Report.BadMonth", Lang.FromQuery(http.Request)), statusCode: 400);
        var lang = Lang.FromQuery(http.Request);
        var p = (await CompanyActivity.ForPeriodsAsync(db, user.CompanyId, [month, month.AddMonths(1)], ct))[0];
        var csv = new System.Text.StringBuilder("month,measure,label,value\r\n");
        var a = await alumni.ForCompanyAsync(user.CompanyId, ct, month, month.AddMonths(1).AddDays(-1));
        foreach (var (measure, value) in Measures(p).Concat(CompanyFigures.Alumni.Zip(new long[] { a.Members, a.Rehires, a.Contracts, a.Referrals })))
            csv.AppendJoin(',', month.ToString("yyyy-MM", CultureInfo.InvariantCulture), measure, Csv.Field(Texts.Get($"Figure.{measure}", lang)),
                value.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        // Rates (%) and medians (days) as of the month's last day; empty where the page shows "—" (too early, or under five people).
        var r = await retention.ForCompanyAsync(user.CompanyId, ct, month.AddMonths(1).AddDays(-1));
        foreach (var (measure, value) in new (string, double?)[]
        {
            (CompanyFigures.RetentionHires, r.Hires.Retention.Rate), (CompanyFigures.LeadTimeHires, r.Hires.LeadTime.MedianDays),
            (CompanyFigures.RetentionRelayed, r.RelayedElsewhere.Retention.Rate), (CompanyFigures.LeadTimeRelayed, r.RelayedElsewhere.LeadTime.MedianDays),
            (CompanyFigures.RetentionReferralHires, r.ReferralHires.Retention.Rate), (CompanyFigures.LeadTimeReferralHires, r.ReferralHires.LeadTime.MedianDays),
        })
            csv.AppendJoin(',', month.ToString("yyyy-MM", CultureInfo.InvariantCulture), measure, Csv.Field(Texts.Get($"Figure.{measure}", lang)),
                value?.ToString("0.#", CultureInfo.InvariantCulture) ?? "").Append("\r\n");
        return Csv.Download(http, csv, $"report-{month:yyyy-MM}.csv");
    }

    /// <summary>The month's figures per link and source (?src=), one row each, with the source's name as the link counts it.</summary>
    public static async Task<IResult> SourcesCsvAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!TryMonth(http, clock, out var month)) return Results.Text(Texts.Get("Report.BadMonth", Lang.FromQuery(http.Request)), statusCode: 400);
        var csv = new System.Text.StringBuilder("month,linkId,link,source,clicks,registrations,verified,qualified\r\n");
        foreach (var r in await Links.SourceFigures.ForCompanyAsync(db, user.CompanyId, month, month.AddMonths(1), ct))
            csv.AppendJoin(',', month.ToString("yyyy-MM", CultureInfo.InvariantCulture), Csv.Field(r.LinkId), Csv.Field(r.LinkLabel), Csv.Field(r.Source),
                r.Clicks.ToString(CultureInfo.InvariantCulture), r.Registrations.ToString(CultureInfo.InvariantCulture),
                r.Verified.ToString(CultureInfo.InvariantCulture), r.Qualified.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        return Csv.Download(http, csv, $"sources-{month:yyyy-MM}.csv");
    }

    /// <summary>Every figure of the report, in the order the page shows them.</summary>
    public static IEnumerable<(string Measure, long Value)> Measures(ActivityPeriod p) => MeasureNames.Zip(
    [
        p.Invitations, p.Clicks, p.Registrations, p.Verified, p.Qualified, p.Reversed, p.Placements,
        p.SlotsEarned, p.SlotsReversed, p.SlotsRedeemed, p.SlotsReturned,
    ]);

    /// <summary>The report's figures by name (the CSV's <c>measure</c> column), in the page's order; their words are the dashboard's.</summary>
    public static readonly string[] MeasureNames =
    [
        CompanyFigures.Invitations, CompanyFigures.Clicks, CompanyFigures.Registrations, CompanyFigures.Verified, CompanyFigures.Qualified,
        CompanyFigures.Reversed, CompanyFigures.Placements, CompanyFigures.SlotsEarned, CompanyFigures.SlotsReversed, CompanyFigures.SlotsRedeemed,
        CompanyFigures.SlotsReturned,
    ];

    /// <summary>A GET form: the simulator computes, it stores nothing.</summary>
    public static async Task<IResult> RoiPageAsync([AsParameters] ConsolePage page, CareerRelayDb db, CompanySummaries summaries,
        IOptions<Credits.SlotRules> rules, CancellationToken ct)
    {
        var (inputs, invalid) = RoiSimulator.Parse(page.Http.Request.Query);
        var perSlot = rules.Value.ReferralsPerSlot;
        var actual = await summaries.ForCompanyAsync(db, page.User.CompanyId, ct);
        var firstLink = await db.RelayLinks.Where(l => l.CompanyId == page.User.CompanyId).OrderBy(l => l.CreatedAt).Select(l => (DateTime?)l.CreatedAt).FirstOrDefaultAsync(ct);
        return await page.RenderAsync(PageParameters.For<RoiPage>()
            .With(p => p.Inputs, inputs)
            .With(p => p.Invalid, invalid)
            .With(p => p.Estimate, RoiSimulator.Estimate(inputs, perSlot))
            .With(p => p.ReferralsPerSlot, perSlot)
            .With(p => p.Actual, actual)
            .With(p => p.ActualSince, firstLink), invalid.Count > 0 ? 400 : 200);
    }

    private static bool TryMonth(HttpContext http, TimeProvider clock, out DateOnly month)
    {
        var text = http.Request.Query["month"].ToString();
        if (text.Length == 0)
        {
            month = FirstOfMonth(CompanyActivity.TodayInJapan(clock));
            return true;
        }
        return CompanyActivity.TryParseMonth(text, out month);
    }

    private static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);
}
