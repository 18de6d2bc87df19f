using System.Security.Claims;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Operator.Pages;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;

namespace CareerRelay.Web.Features.Operator;

/// <summary>
/// /operator/holds: the review desk's pages — the queue (held) and the decided list, one referral's timeline with notes,
/// release / reverse one or many, ban and unban a link or referrer, and CSV of either list. Every action is recorded with the
/// operator key that made it (<see cref="ReviewDesk"/>).
/// </summary>
internal static class HoldsDeskPages
{
    public const string Held = "held", Resolved = "resolved";

    internal static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapOperatorPages("/operator");
        pages.MapGet("/holds", ([AsParameters] OperatorPage page, ReviewDesk desk, CancellationToken ct) => ListAsync(page, desk, ct));
        pages.MapGet("/holds.csv", CsvAsync);
        pages.MapGet("/holds/{id}", DetailAsync);
        pages.MapPost("/holds/decide", DecideAsync);
        pages.MapPost("/holds/{id}/notes", NoteAsync);
        pages.MapPost("/links/{id}/ban", (string id, [AsParameters] OperatorPage page, ReviewDesk desk, CancellationToken ct) => BanAsync(id, true, page, desk, ct));
        pages.MapPost("/links/{id}/unban", (string id, [AsParameters] OperatorPage page, ReviewDesk desk, CancellationToken ct) => BanAsync(id, false, page, desk, ct));
    }

    private static Task<Reviewer> ReviewerAsync(OperatorPage page, ReviewDesk desk, CancellationToken ct) =>
        desk.ReviewerAsync(page.Http.User.FindFirstValue(OperatorConsole.KeyClaim)!, ct);

    private static string Lang(OperatorPage page) => Infrastructure.Localization.Lang.FromQuery(page.Http.Request);

    private static async Task<IResult> ListAsync(OperatorPage page, ReviewDesk desk, CancellationToken ct, string? message = null,
        FormErrors? errors = null, int status = 200)
    {
        var q = page.Http.Request.Query;
        var view = q["view"] == Resolved ? Resolved : Held;
        var signal = q["signal"].ToString();
        if (signal.Length > 0 && !HoldReasons.All.Contains(signal)) signal = "";
        return await page.RenderAsync(PageParameters.For<HoldsPage>()
            .With(p => p.View, view)
            .With(p => p.Signal, signal)
            .With(p => p.Held, view == Held ? await desk.HeldAsync(signal, ct) : [])
            .With(p => p.Resolved, view == Resolved ? await desk.ResolvedAsync(ct) : [])
            .With(p => p.Bans, await desk.BansAsync(ct))
            .With(p => p.Message, message ?? DoneMessage(page))
            .With(p => p.Errors, errors ?? FormErrors.None), status);
    }

    private static string? DoneMessage(OperatorPage page)
    {
        var q = page.Http.Request.Query;
        return q["done"].ToString() switch
        {
            "decided" when int.TryParse(q["n"], out var n) => Texts.Format("Review.Done.Decided", Lang(page), n, int.TryParse(q["skipped"], out var s) ? s : 0),
            "noted" => Texts.Get("Review.Done.Noted", Lang(page)),
            "banned" => Texts.Get("Review.Done.Banned", Lang(page)),
            "unbanned" => Texts.Get("Review.Done.Unbanned", Lang(page)),
            _ => null,
        };
    }

    private static async Task<IResult> DetailAsync(string id, [AsParameters] OperatorPage page, ReviewDesk desk, CancellationToken ct)
    {
        var detail = await desk.DetailAsync(id, ct);
        if (detail is null) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        return await page.RenderAsync(PageParameters.For<HoldPage>()
            .With(p => p.Id, id)
            .With(p => p.Detail, detail)
            .With(p => p.Message, DoneMessage(page)));
    }

    /// <summary>One or many: the checked ids (or the row's own), release or reverse; a reversal needs its reason.</summary>
    private static async Task<IResult> DecideAsync([AsParameters] OperatorPage page, ReviewDesk desk, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var ids = form["ids"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var result = await desk.DecideAsync(ids, form["decision"].ToString(), form["reason"], await ReviewerAsync(page, desk, ct), ct);
        var back = Back(form);
        if (result.Failed) return await ListAsync(page, desk, ct, null, FormErrors.From(result.Error, Lang(page)), 400);
        return Results.Redirect(WithQuery(back, $"done=decided&n={result.Value!.Done}&skipped={result.Value.Skipped.Count}", Lang(page)));
    }

    private static async Task<IResult> NoteAsync(string id, [AsParameters] OperatorPage page, ReviewDesk desk, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await desk.NoteAsync(id, form["note"], await ReviewerAsync(page, desk, ct), ct);
        // An unknown id is not found whatever the form says (a refused note on no referral has no page to show it on).
        var detail = result.Failed ? await desk.DetailAsync(id, ct) : null;
        if (result.Failed && detail is null) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        if (result.Failed)
            return await page.RenderAsync(PageParameters.For<HoldPage>()
                .With(p => p.Id, id)
                .With(p => p.Detail, detail!)
                .With(p => p.NoteErrors, FormErrors.From(result.Error, Lang(page))), 400);
        return Results.Redirect(WithQuery($"/operator/holds/{id}", "done=noted", Lang(page)));
    }

    private static async Task<IResult> BanAsync(string id, bool ban, OperatorPage page, ReviewDesk desk, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var note = form["note"].ToString();
        if (note.Length > ReviewDesk.MaxNote) note = note[..ReviewDesk.MaxNote];
        var state = await desk.BanAsync(id, ban, note, await ReviewerAsync(page, desk, ct), ct);
        if (state is null) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        var back = Back(form);
        return Results.Redirect(WithQuery(back, ban ? "done=banned" : "done=unbanned", Lang(page)));
    }

    /// <summary>Either list as CSV: the held queue with its counts, or the decisions with who made them.</summary>
    private static async Task<IResult> CsvAsync(HttpContext http, ReviewDesk desk, CancellationToken ct)
    {
        var lang = Infrastructure.Localization.Lang.FromQuery(http.Request);
        var csv = new System.Text.StringBuilder();
        if (http.Request.Query["view"] == Resolved)
        {
            csv.Append("referralId,decision,signal,statusNow,decidedBy,note,decidedAtJst,company,link\r\n");
            foreach (var r in await desk.ResolvedAsync(ct))
                csv.AppendJoin(',', Csv.Field(r.Id), Csv.Field(r.Action), Csv.Field(r.Signal ?? ""), Csv.Field(r.Status), Csv.Field(r.ActorName), Csv.Field(r.Note ?? ""),
                    Csv.Field(ConsoleFormat.Jst(r.DecidedAt)), Csv.Field(r.CompanyName), Csv.Field(r.LinkLabel)).Append("\r\n");
            return Csv.Download(http, csv, "holds-resolved.csv");
        }
        csv.Append("referralId,signal,signalText,company,link,linkBanned,registeredAtJst,verifiedAtJst,linkRegistrations24h,linkHeld,sameAddressHour,notes\r\n");
        foreach (var h in await desk.HeldAsync(null, ct))
            csv.AppendJoin(',', Csv.Field(h.Id), Csv.Field(h.Signal ?? ""), Csv.Field(h.Signal is null ? "" : Texts.Get($"Hold.Reason.{h.Signal}", lang)),
                Csv.Field(h.CompanyName), Csv.Field(h.LinkLabel), h.LinkBanned ? "true" : "false", Csv.Field(ConsoleFormat.Jst(h.CreatedAt)),
                Csv.Field(h.VerifiedAt is null ? "" : ConsoleFormat.Jst(h.VerifiedAt.Value)), h.LinkRegistrationsDay, h.LinkHeld, h.SameAddressHour, h.Notes).Append("\r\n");
        return Csv.Download(http, csv, "holds.csv");
    }

    /// <summary>Where a form goes back to: a desk page it names, never anywhere else (no open redirect).</summary>
    private static string Back(IFormCollection form) =>
        form["back"].ToString() is { Length: > 0 } b && b.StartsWith("/operator/holds", StringComparison.Ordinal) && !b.Contains("//") && !b.Contains('\\')
            ? b : "/operator/holds";

    private static string WithQuery(string path, string parameters, string lang) =>
        path + (path.Contains('?') ? "&" : "?") + parameters + Infrastructure.Localization.Lang.Parameter(lang);
}
