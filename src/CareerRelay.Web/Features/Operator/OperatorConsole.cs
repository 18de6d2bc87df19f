using System.Globalization;
using System.Security.Claims;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Features.Operator.Pages;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace CareerRelay.Web.Features.Operator;

/// <summary>What the operator's page handlers need, bound as one parameter (<c>[AsParameters] OperatorPage page</c>).</summary>
public sealed record OperatorPage(HttpContext Http, PageRenderer Renderer, IAntiforgery Antiforgery)
{
    public Task<IResult> RenderAsync<TPage>(PageParameters<TPage> parameters, int status = 200) where TPage : Microsoft.AspNetCore.Components.IComponent =>
        OperatorConsole.RenderAsync(Http, Renderer, Antiforgery, parameters, status);
}

/// <summary>
/// The operator's pages under /operator: the consent notice (publish a new version), the audit log ("who
/// read candidate X between T1 and T2") and provision records of a period (page and CSV). Operators sign in
/// with an operator API key typed into a form; the session is a cookie of its own, checked against the key
/// on every request, so revoking the key ends it.
/// </summary>
public static class OperatorConsole
{
    public const string Scheme = "Operator";
    public const string Policy = "operator-console";
    internal const string KeyClaim = "operator_key";
    private const int PageSize = 500;

    internal static void Map(IEndpointRouteBuilder app)
    {
        // A sign-in form left open too long shows the sign-in page again, saying so.
        var open = app.MapFormPages("/operator", http => RenderAsync<OperatorSignInPage>(http, http.RequestServices.GetRequiredService<PageRenderer>(),
                http.RequestServices.GetRequiredService<IAntiforgery>(), PageParameters.For<OperatorSignInPage>().With(p => p.Error, Texts.Get("Console.FormExpired.Body", Lang.FromQuery(http.Request))), 400))
            .RequireRateLimiting(Registrations.PublicEndpoints.RateLimitPolicy);
        open.MapGet("/signin", SignInPageAsync);
        open.MapPost("/signin", SignInAsync);

        var pages = app.MapOperatorPages("/operator");
        pages.MapGet("", NoticePageAsync);
        pages.MapPost("/notice", PublishAsync);
        pages.MapGet("/audit", AuditPageAsync);
        pages.MapPost("/audit/lookup", LookupAsync);
        pages.MapGet("/provisions", ProvisionsPageAsync);
        pages.MapGet("/provisions.csv", ProvisionsCsvAsync);
        // Signing out with a stale form just goes back to the sign-in page; the session stays until it ends.
        pages.MapPost("/signout", (Delegate)SignOutAsync).OnFormRefused(http => Task.FromResult(Results.Redirect("/operator/signin" + Lang.Query(http.Request))));

        // The network view (SPEC §5 "sees the network"): flows company → agency → hiring company, as a Sankey diagram and CSV.
        var network = app.MapOperatorPages("/admin");
        network.MapGet("", NetworkPageAsync);
        network.MapGet("/network.csv", NetworkCsvAsync);
    }

    private static async Task<IResult> NetworkPageAsync([AsParameters] OperatorPage page, NetworkFlows flows, Retention.RetentionKpis retention,
        Education.EducationKpis education,
        CancellationToken ct)
    {
        var q = page.Http.Request.Query;
        var (from, to, bad) = Period(q);
        var lang = Lang.FromQuery(page.Http.Request);
        var view = bad ? null : await flows.ForPeriodAsync(from, to, Texts.Get("Network.InSupport", lang), ct);
        return await page.RenderAsync(PageParameters.For<OperatorNetworkPage>()
            .With(p => p.From, q["from"].ToString())
            .With(p => p.To, q["to"].ToString())
            .With(p => p.View, view)
            .With(p => p.Retention, await retention.ForNetworkAsync(ct))
            .With(p => p.Education, await education.ForNetworkAsync(ct))
            .With(p => p.BadPeriod, bad), bad ? 400 : 200);
    }

    private static async Task<IResult> NetworkCsvAsync(HttpContext http, NetworkFlows flows, CancellationToken ct)
    {
        var (from, to, bad) = Period(http.Request.Query);
        var lang = Lang.FromQuery(http.Request);
        if (bad) return new ErrorPages.ErrorPageResult(StatusCodes.Status400BadRequest, "Operator.BadPeriod");
        var view = await flows.ForPeriodAsync(from, to, Texts.Get("Network.InSupport", lang), ct);
        return Csv.Download(http, new System.Text.StringBuilder(NetworkFlows.Csv(view)), $"network-{http.Request.Query["from"]}-{http.Request.Query["to"]}.csv");
    }

    private static Task<IResult> SignInPageAsync([AsParameters] OperatorPage page) =>
        page.RenderAsync(PageParameters.For<OperatorSignInPage>().With(p => p.Error, null));

    private static async Task<IResult> SignInAsync([AsParameters] OperatorPage page, CareerRelayDb db, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var key = (await page.Http.Request.ReadFormAsync(ct))["key"].ToString().Trim();
        var hash = SecretTokens.LooksValid(key, 200) ? SecretTokens.Hash(key) : null;
        var found = hash is null ? null
            : await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash && k.Role == Roles.Operator && k.RevokedAt == null, ct);
        if (found is null)
            return await page.RenderAsync(PageParameters.For<OperatorSignInPage>().With(p => p.Error, Texts.Get("Operator.BadKey", lang)), 401);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(KeyClaim, found.Id),
            SessionCookies.SignedInAt(clock.GetUtcNow()),
        ], Scheme));
        await page.Http.SignInAsync(Scheme, principal);
        return Results.Redirect("/operator" + Lang.Query(page.Http.Request));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(Scheme);
        return Results.Redirect("/operator/signin" + Lang.Query(http.Request));
    }

    private static async Task<IResult> NoticePageAsync([AsParameters] OperatorPage page, CareerRelayDb db, CancellationToken ct) =>
        await page.RenderAsync(PageParameters.For<OperatorNoticePage>()
            .With(p => p.Notice, await NoticeBook.CurrentAsync(db, ct))
            .With(p => p.Message, page.Http.Request.Query["published"].ToString() is { Length: > 0 } v ? Texts.Format("Operator.Published", Lang.FromQuery(page.Http.Request), v) : null));

    private static async Task<IResult> PublishAsync([AsParameters] OperatorPage page, CareerRelayDb db, OperatorRecords records, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await records.PublishNoticeAsync(form["textJa"], form["textEn"], ct);
        if (result.Failed)
            return await page.RenderAsync(PageParameters.For<OperatorNoticePage>()
                .With(p => p.Notice, await NoticeBook.CurrentAsync(db, ct))
                .With(p => p.Errors, FormErrors.From(result.Error, Lang.FromQuery(page.Http.Request)))
                .With(p => p.Typed, form), 400);
        return Results.Redirect($"/operator?published={result.Value!.Version}{Lang.Parameter(Lang.FromQuery(page.Http.Request))}");
    }

    /// <summary>A GET form: candidate id and a period in Japan time (dates, inclusive).</summary>
    private static async Task<IResult> AuditPageAsync([AsParameters] OperatorPage page, OperatorRecords records, CancellationToken ct)
    {
        var q = page.Http.Request.Query;
        var candidateId = q["candidateId"].ToString().Trim();
        var (from, to, bad) = Period(q);
        var items = bad || candidateId.Length == 0 ? null
            : await records.ReadableAsync(await records.AuditAsync(candidateId, from, to, new PageRequest(PageSize, null), ct), ct);
        return await page.RenderAsync(PageParameters.For<OperatorAuditPage>()
            .With(p => p.CandidateId, candidateId)
            .With(p => p.From, q["from"].ToString())
            .With(p => p.To, q["to"].ToString())
            .With(p => p.Items, items)
            .With(p => p.BadPeriod, bad)
            .With(p => p.Found, q["found"] == "email"), bad ? 400 : 200);
    }

    /// <summary>
    /// Someone complains by email: the operator types their address (a POST — no address in any URL or log), the person is found
    /// through the keyed hash, the look-up itself is recorded as a read, and the page shows their audit log by pseudonymous id.
    /// </summary>
    private static async Task<IResult> LookupAsync([AsParameters] OperatorPage page, OperatorRecords records, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var email = form["email"].ToString().Trim();
        var v = new Validation();
        v.Required("email", email, 254);
        if (v.IsValid && !Registrations.PersonIdentity.IsPlausibleEmail(Registrations.PersonIdentity.NormaliseEmail(email))) v.Add("email", "Error.Email");
        var candidateId = v.IsValid ? await records.FindByEmailAsync(email, page.Http.User.FindFirstValue(KeyClaim)!, ct) : null;
        if (v.IsValid && candidateId is null) v.Add("email", "Operator.NoSuchPerson");
        if (!v.IsValid)
            return await page.RenderAsync(PageParameters.For<OperatorAuditPage>()
                .With(p => p.EmailErrors, FormErrors.From(v.ToError(), Lang.FromQuery(page.Http.Request)))
                .With(p => p.Email, email), 400);
        return Results.Redirect($"/operator/audit?candidateId={candidateId}&found=email{Lang.Parameter(Lang.FromQuery(page.Http.Request))}");
    }

    private static async Task<IResult> ProvisionsPageAsync([AsParameters] OperatorPage page, OperatorRecords records, CancellationToken ct)
    {
        var q = page.Http.Request.Query;
        var (from, to, bad) = Period(q);
        var items = bad ? null : await records.ProvisionsAsync(from, to, new PageRequest(PageSize, null), ct);
        return await page.RenderAsync(PageParameters.For<OperatorProvisionsPage>()
            .With(p => p.From, q["from"].ToString())
            .With(p => p.To, q["to"].ToString())
            .With(p => p.Items, items)
            .With(p => p.BadPeriod, bad), bad ? 400 : 200);
    }

    /// <summary>Every provision record of the period (not only the first page), for the regulator or the records.</summary>
    private static async Task<IResult> ProvisionsCsvAsync(HttpContext http, OperatorRecords records, CancellationToken ct)
    {
        var (from, to, bad) = Period(http.Request.Query);
        if (bad) return new ErrorPages.ErrorPageResult(StatusCodes.Status400BadRequest, "Operator.BadPeriod");
        var csv = new System.Text.StringBuilder("id,createdAtJst,candidateId,recipientType,recipientId,recipientName,items,basis\r\n");
        string? cursor = null;
        do
        {
            var page = new PageRequest(PageRequest.MaxLimit, cursor);
            var rows = await records.ProvisionsAsync(from, to, page, ct);
            foreach (var p in rows.Take(PageRequest.MaxLimit))
                csv.AppendJoin(',', Csv.Field(p.Id), Csv.Field(ConsoleFormat.Jst(p.CreatedAt)), Csv.Field(p.CandidateId), Csv.Field(p.RecipientType),
                    Csv.Field(p.RecipientId), Csv.Field(p.RecipientName), Csv.Field(p.Items), Csv.Field(p.Basis)).Append("\r\n");
            cursor = page.ToPage(rows, p => p.Id, p => p).NextCursor;
        } while (cursor is not null);
        return Csv.Download(http, csv, $"provision-records-{http.Request.Query["from"]}-{http.Request.Query["to"]}.csv");
    }

    /// <summary>from/to as Japan-time dates (yyyy-MM-dd), both inclusive; either may be left empty.</summary>
    internal static (DateTime? From, DateTime? To, bool Bad) Period(IQueryCollection q)
    {
        DateTime? Parse(string name, int addDays, out bool bad)
        {
            bad = false;
            var text = q[name].ToString().Trim();
            if (text.Length == 0) return null;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) { bad = true; return null; }
            return day.AddDays(addDays).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-9).AddTicks(addDays > 0 ? -1 : 0);
        }
        var from = Parse("from", 0, out var badFrom);
        var to = Parse("to", 1, out var badTo);
        return (from, to, badFrom || badTo || (from is not null && to is not null && from > to));
    }

    /// <summary>The operator's signed-in pages: a stale form gets the console's "form expired" page.</summary>
    internal static RouteGroupBuilder MapOperatorPages(this IEndpointRouteBuilder app, string prefix) =>
        app.MapFormPages(prefix, http => Task.FromResult(ConsolePages.FormExpired(http))).RequireAuthorization(Policy);

    internal static async Task<IResult> RenderAsync<TPage>(HttpContext http, PageRenderer renderer, IAntiforgery antiforgery,
        PageParameters<TPage> parameters, int status = 200) where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        // What every operator page's frame has.
        parameters.WithShared("Lang", Lang.FromQuery(http.Request))
            .WithShared("AntiforgeryToken", antiforgery.GetAndStoreTokens(http).RequestToken)
            .WithShared("SwitchLanguageUrl", LanguageSwitch.For(http.Request));
        http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(await renderer.RenderAsync<TPage>(parameters), status);
    }
}
