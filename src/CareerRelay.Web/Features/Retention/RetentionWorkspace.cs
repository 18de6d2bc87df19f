using System.Globalization;
using System.Text;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Retention.Pages;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Retention;

/// <summary>
/// The agency workspace's retention pages: the follow-ups due (to-do list), one placement with its follow-ups and the form
/// to record one, and the legal figures with their CSV. The same <see cref="RecordFollowUp"/> and
/// <see cref="AgencyDisclosures"/> as the API.
/// </summary>
public static class RetentionWorkspace
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapConsolePages("/agency", ConsoleAuth.AgencyPolicy);
        pages.MapGet("/follow-ups", DueAsync);
        pages.MapGet("/placements/{id}", PlacementAsync);
        pages.MapPost("/placements/{id}/follow-ups", RecordAsync);
        pages.MapGet("/disclosures", DisclosuresAsync);
        pages.MapGet("/disclosures.csv", DisclosuresCsvAsync);
        pages.MapPost("/refund-rule", SetRefundRuleAsync);
    }

    [TextKeys("Disclosure.Csv.{0}")]
    private static readonly string[] CsvColumns = ["FiscalYear", "From", "To", "Placements", "Indefinite", "IndefiniteLeftWithinSixMonths", "IndefiniteUnknown"];

    private static string Actor(ConsoleUser user) => $"{user.AgencyId}/user:{user.Id}";

    /// <summary>The to-do list. The names shown are a read of personal data, so audited like the candidate list.</summary>
    private static async Task<IResult> DueAsync([AsParameters] ConsolePage page, ShowPlacement show, PlacedPeople people, CancellationToken ct)
    {
        var due = await show.DueAsync(page.User.AgencyId, ct);
        var names = await people.NamesAsync(page.User, [.. due.Select(d => d.CandidateId).Distinct()], ct);
        return await page.RenderAsync(PageParameters.For<AgencyFollowUpsPage>().With(p => p.Items, due).With(p => p.Names, names));
    }

    private static async Task<IResult> PlacementAsync(string id, [AsParameters] ConsolePage page, ShowPlacement show, PlacedPeople people,
        CareerRelayDb db, IOptions<RetentionRules> rules, TimeProvider clock, CancellationToken ct) =>
        await RenderPlacementAsync(id, page, show, people, db, rules, clock, FormErrors.None, null, 200, ct);

    private static async Task<IResult> RecordAsync(string id, [AsParameters] ConsolePage page, RecordFollowUp record, ShowPlacement show,
        PlacedPeople people, CareerRelayDb db, IOptions<RetentionRules> rules, TimeProvider clock, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        string? Field(string name) => form[name].ToString() is { Length: > 0 } v ? v : null;
        var status = Field("status");
        // The form always sends the leave's fields; they mean something only with "left".
        var left = status == FollowUpStatus.Left;
        var result = await record.HandleAsync(page.User.AgencyId, Actor(page.User), id,
            new FollowUpRequest(status, left ? Field("leftOn") : null, left ? Field("reason") : null), ct);
        if (!result.Failed) return ConsolePages.RedirectTo(page.Http, $"/agency/placements/{id}", "follow-up");
        if (result.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        return await RenderPlacementAsync(id, page, show, people, db, rules, clock, ConsolePages.Errors(page.Http, result.Error),
            form.ToDictionary(f => f.Key, f => f.Value.ToString()), 400, ct);
    }

    private static async Task<IResult> RenderPlacementAsync(string id, ConsolePage page, ShowPlacement show, PlacedPeople people, CareerRelayDb db,
        IOptions<RetentionRules> rules, TimeProvider clock, FormErrors errors, IReadOnlyDictionary<string, string>? typed, int status, CancellationToken ct)
    {
        var detail = await show.ForAgencyAsync(page.User.AgencyId, id, ct);
        if (detail is null) return ConsolePages.NotFound();
        var names = await people.NamesAsync(page.User, [detail.CandidateId], ct);
        var job = detail.JobId is null ? null : await db.Jobs.Where(j => j.Id == detail.JobId)
            .Join(db.Companies, j => j.CompanyId, c => c.Id, (j, c) => c.Name + "「" + j.Title + "」").FirstOrDefaultAsync(ct);
        var rule = RefundRule.Parse(await db.Agencies.Where(a => a.Id == page.User.AgencyId).Select(a => a.RefundRule).FirstOrDefaultAsync(ct));
        return await page.RenderAsync(PageParameters.For<AgencyPlacementPage>()
            .With(p => p.Detail, detail)
            .With(p => p.Refund, rule)
            .With(p => p.PersonName, names.GetValueOrDefault(detail.CandidateId))
            .With(p => p.HiringCompany, detail.HiringCompanyName ?? job ?? "")
            .With(p => p.Today, Companies.CompanyActivity.TodayInJapan(clock))
            .With(p => p.GuaranteeDays, rules.Value.SlotGuaranteeDays)
            .With(p => p.Errors, errors)
            .With(p => p.Typed, typed), status);
    }

    private static Task<IResult> DisclosuresAsync([AsParameters] ConsolePage page, AgencyDisclosures disclosures, CareerRelayDb db, CancellationToken ct) =>
        RenderDisclosuresAsync(page, disclosures, db, FormErrors.None, null, 200, ct);

    private static async Task<IResult> RenderDisclosuresAsync(ConsolePage page, AgencyDisclosures disclosures, CareerRelayDb db, FormErrors errors,
        IReadOnlyDictionary<string, string>? typed, int status, CancellationToken ct)
    {
        var year = disclosures.ParseFiscalYear(page.Http.Request.Query["fiscalYear"]);
        var shown = year.Failed ? disclosures.CurrentFiscalYear : year.Value;
        var refund = await db.Agencies.Where(a => a.Id == page.User.AgencyId).Select(a => a.RefundRule).FirstOrDefaultAsync(ct);
        return await page.RenderAsync(PageParameters.For<AgencyDisclosuresPage>()
            .With(p => p.Figures, await disclosures.ForAsync(page.User.AgencyId, shown, ct))
            .With(p => p.AgencyId, page.User.AgencyId)
            .With(p => p.Refund, RefundRule.Parse(refund))
            .With(p => p.Errors, errors)
            .With(p => p.Typed, typed)
            .With(p => p.Years, Enumerable.Range(0, 5).Select(i => disclosures.CurrentFiscalYear - i).ToList()), year.Failed ? 400 : status);
    }

    /// <summary>The refund rule from the form's rows (a row left empty is no step).</summary>
    private static async Task<IResult> SetRefundRuleAsync([AsParameters] ConsolePage page, SetRefundRule set, AgencyDisclosures disclosures,
        CareerRelayDb db, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        int? Number(string name) => int.TryParse(form[name].ToString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : form[name].ToString().Trim().Length == 0 ? null : -1; // typed but not a number: refused beside its row
        var tiers = Enumerable.Range(0, RefundRule.MaxTiers)
            .Select(i => (Months: Number($"months{i}"), Percent: Number($"percent{i}")))
            .Where(t => t.Months is not null || t.Percent is not null)
            .Select(t => (RefundTierInput?)new RefundTierInput(t.Months, t.Percent)).ToList();
        var result = await set.HandleAsync(page.User.AgencyId, new RefundRuleRequest(tiers), ct);
        if (!result.Failed) return ConsolePages.RedirectTo(page.Http, "/agency/disclosures", "refund-rule");
        return await RenderDisclosuresAsync(page, disclosures, db, ConsolePages.Errors(page.Http, result.Error),
            form.ToDictionary(f => f.Key, f => f.Value.ToString()), 400, ct);
    }

    /// <summary>The same figures as CSV (the console's CSV: UTF-8 with a BOM, never cached), one row for the fiscal year asked.</summary>
    private static async Task<IResult> DisclosuresCsvAsync([AsParameters] ConsolePage page, AgencyDisclosures disclosures, CancellationToken ct)
    {
        var year = disclosures.ParseFiscalYear(page.Http.Request.Query["fiscalYear"]);
        if (year.Failed) return ConsolePages.RedirectWithProblem(page.Http, "/agency/disclosures", year.Error!);
        var lang = Lang.FromQuery(page.Http.Request);
        var d = await disclosures.ForAsync(page.User.AgencyId, year.Value, ct);
        var csv = new StringBuilder();
        csv.AppendJoin(',', CsvColumns.Select(h => Csv.Field(Texts.Get($"Disclosure.Csv.{h}", lang)))).Append("\r\n");
        csv.AppendJoin(',', d.FiscalYear, d.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            d.Placements, d.Indefinite, d.IndefiniteLeftWithinSixMonths, d.IndefiniteUnknown).Append("\r\n");
        return Csv.Download(page.Http, csv, $"disclosure-{d.FiscalYear}.csv");
    }
}

/// <summary>The names of placed people for the workspace: only people who still consent to this agency (an erased or withdrawn
/// person's placement stays, their name does not), and each read audited like the candidate list.</summary>
public sealed class PlacedPeople(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, Agencies.AgencyWork work, TimeProvider clock)
{
    public async Task<Dictionary<string, string>> NamesAsync(ConsoleUser user, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var consenting = await work.ConsentingCandidateIds(user.AgencyId).Where(id => ids.Contains(id)).ToListAsync(ct);
        var profiles = await vault.OpenManyAsync(db, consenting, ct);
        if (profiles.Count > 0)
            await AuditLog.RecordAsync(db, gate, "agency", $"{user.AgencyId}/user:{user.Id}", AuditActions.CandidatesList, profiles.Keys,
                clock.GetUtcNow().UtcDateTime, ct);
        return profiles.ToDictionary(p => p.Key, p => p.Value.Name);
    }
}
