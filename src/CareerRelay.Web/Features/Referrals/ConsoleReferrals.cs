using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Referrals.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Features.Referrals;

/// <summary>/console/referrals: programmes, referrers with their trust figures, and incoming referred applications ordered by that trust.</summary>
internal static class ConsoleReferrals
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var console = app.MapConsolePages("/console/referrals", ConsoleAuth.Policy);
        console.MapGet("", ([AsParameters] ConsolePage page, ManageReferrals referrals, CancellationToken ct) =>
            RenderAsync(page, referrals, null, null, null, 200, ct));
        console.MapPost("/programmes", CreateProgrammeAsync);
        console.MapPost("/referrers", CreateReferrerAsync);
        console.MapPost("/applications/{id}/stage", MoveAsync);
        console.MapPost("/applications/{id}/notes", NotesAsync);
        console.MapPost("/applications/{id}/left", LeftAsync);
        console.MapGet("/referrers/{id}/qr.{format:regex(^(svg|png)$)}", async (string id, string format, HttpContext http, ConsoleUser user,
            Data.CareerRelayDb db, ManageReferrals referrals, CancellationToken ct) =>
            await db.Referrers.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.CompanyId == user.CompanyId, ct) is { } referrer
                ? QrSvg.Download(http, referrals.LinkUrl(referrer), format, $"referral-link-{id}")
                : ConsolePages.NotFound());
    }

    /// <summary>Which form of the page a refusal belongs to: its problems are shown beside that form's fields.</summary>
    private enum Form { Programme, Referrer, Notes, Stage, Left }

    private static async Task<IResult> RenderAsync(ConsolePage page, ManageReferrals referrals, ReferrerCreated? created, string? message,
        (Form Form, ApiError Error, string? ApplicationId)? refused, int status, CancellationToken ct)
    {
        FormErrors For(Form form) => refused is { } r && r.Form == form ? ConsolePages.Errors(page.Http, r.Error) : FormErrors.None;
        return await page.RenderAsync(PageParameters.For<ReferralsPage>()
            .With(p => p.Programmes, await referrals.ProgrammesAsync(page.User.CompanyId, ct))
            .With(p => p.Referrers, await referrals.ReferrersAsync(page.User.CompanyId, ct))
            .With(p => p.ByType, await referrals.FiguresByTypeAsync(page.User.CompanyId, ct))
            .With(p => p.Applications, await referrals.ApplicationsAsync(page.User.CompanyId, $"{page.User.CompanyId}/{page.User.Id}", null, ct))
            .With(p => p.Created, created)
            .With(p => p.Message, message)
            .With(p => p.ProgrammeErrors, For(Form.Programme))
            .With(p => p.ReferrerErrors, For(Form.Referrer))
            .With(p => p.NotesErrors, For(Form.Notes))
            .With(p => p.LeftErrors, For(Form.Left))
            .With(p => p.NotesFor, refused?.ApplicationId)
            .With(p => p.Problem, refused is { Form: Form.Stage } stage ? ConsolePages.ErrorText(page.Http, stage.Error) : null)
            .With(p => p.Typed, refused is null ? null : (await page.Http.Request.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value.ToString())), status);
    }

    private static async Task<IResult> CreateProgrammeAsync([AsParameters] ConsolePage page, ManageReferrals referrals, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        int? Int(string field) => int.TryParse(form[field], out var n) ? n : null;
        var created = await referrals.CreateProgrammeAsync(page.User.CompanyId, form["name"], form["recognition"], Int("pointsPerReferral"), Int("pointsPerHire"), ct);
        return await RenderAsync(page, referrals, null, created.Failed ? null : Texts.Get("Referrals.ProgrammeCreated", Lang.FromQuery(page.Http.Request)), created.Failed ? (Form.Programme, created.Error!, null) : null, created.Failed ? 400 : 201, ct);
    }

    private static async Task<IResult> CreateReferrerAsync([AsParameters] ConsolePage page, ManageReferrals referrals, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var created = await referrals.CreateReferrerAsync(page.User.CompanyId, form["programmeId"], form["type"], form["name"], ct);
        if (created.Failed) return await RenderAsync(page, referrals, null, null, (Form.Referrer, created.Error!, null), 400, ct);
        return await RenderAsync(page, referrals, created.Value, Texts.Format("Referrals.ReferrerAdded", Lang.FromQuery(page.Http.Request), created.Value!.Name), null, 201, ct);
    }

    private static async Task<IResult> LeftAsync(string id, [AsParameters] ConsolePage page, ManageReferrals referrals, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var left = await referrals.RecordLeftAsync(page.User.CompanyId, id, form["leftOn"], ct);
        if (left.Failed && left.Error!.Status == 404) return ConsolePages.NotFound();
        var lang = Lang.FromQuery(page.Http.Request);
        return await RenderAsync(page, referrals, null, left.Failed ? null : Texts.Get(left.Value is null ? "Referrals.LeftCleared" : "Referrals.LeftRecorded", lang),
            left.Failed ? (Form.Left, left.Error!, id) : null, left.Failed ? 400 : 200, ct);
    }

    private static async Task<IResult> MoveAsync(string id, [AsParameters] ConsolePage page, ManageReferrals referrals, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var moved = await referrals.MoveAsync(page.User.CompanyId, id, form["stage"], null, ct);
        if (moved.Failed && moved.Error!.Status == 404) return ConsolePages.NotFound();
        var lang = Lang.FromQuery(page.Http.Request);
        return await RenderAsync(page, referrals, null, moved.Failed ? null : Texts.Format("Referrals.Moved", lang, Texts.Get($"ReferralStage.{moved.Value}", lang)), moved.Failed ? (Form.Stage, moved.Error!, id) : null, moved.Failed ? moved.Error!.Status : 200, ct);
    }

    private static async Task<IResult> NotesAsync(string id, [AsParameters] ConsolePage page, ManageReferrals referrals, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var saved = await referrals.SetNotesAsync(page.User.CompanyId, id, form["notes"], form["thanks"], ct);
        if (saved.Failed && saved.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        return saved.Failed
            ? await RenderAsync(page, referrals, null, null, (Form.Notes, saved.Error!, id), 400, ct)
            : await RenderAsync(page, referrals, null, Texts.Get("Referrals.Saved", Lang.FromQuery(page.Http.Request)), null, 200, ct);
    }
}
