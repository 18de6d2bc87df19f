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
        console.MapGet("", (HttpContext http, ConsoleUser user, ManageReferrals referrals, PageRenderer r, IAntiforgery af, CancellationToken ct) =>
            RenderAsync(http, user, referrals, r, af, null, null, null, 200, ct));
        console.MapPost("/programmes", CreateProgrammeAsync);
        console.MapPost("/referrers", CreateReferrerAsync);
        console.MapPost("/applications/{id}/stage", MoveAsync);
        console.MapPost("/applications/{id}/notes", NotesAsync);
    }

    /// <summary>Which form of the page a refusal belongs to: its problems are shown beside that form's fields.</summary>
    private enum Form { Programme, Referrer, Notes, Stage }

    private static async Task<IResult> RenderAsync(HttpContext http, ConsoleUser user, ManageReferrals referrals, PageRenderer renderer, IAntiforgery antiforgery,
        ReferrerCreated? created, string? message, (Form Form, ApiError Error, string? ApplicationId)? refused, int status, CancellationToken ct)
    {
        FormErrors For(Form form) => refused is { } r && r.Form == form ? ConsolePages.Errors(http, r.Error) : FormErrors.None;
        return await ConsolePages.RenderAsync<ReferralsPage>(http, user, renderer, antiforgery, PageParameters.For<ReferralsPage>()
            .With(p => p.Programmes, await referrals.ProgrammesAsync(user.CompanyId, ct))
            .With(p => p.Referrers, await referrals.ReferrersAsync(user.CompanyId, ct))
            .With(p => p.ByType, await referrals.FiguresByTypeAsync(user.CompanyId, ct))
            .With(p => p.Applications, await referrals.ApplicationsAsync(user.CompanyId, $"{user.CompanyId}/{user.Id}", null, ct))
            .With(p => p.Created, created)
            .With(p => p.Message, message)
            .With(p => p.ProgrammeErrors, For(Form.Programme))
            .With(p => p.ReferrerErrors, For(Form.Referrer))
            .With(p => p.NotesErrors, For(Form.Notes))
            .With(p => p.NotesFor, refused?.ApplicationId)
            .With(p => p.Problem, refused is { Form: Form.Stage } stage ? ConsolePages.ErrorText(http, stage.Error) : null)
            .With(p => p.Typed, refused is null ? null : (await http.Request.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value.ToString())), status);
    }

    private static async Task<IResult> CreateProgrammeAsync(HttpContext http, ConsoleUser user, ManageReferrals referrals, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        int? Int(string field) => int.TryParse(form[field], out var n) ? n : null;
        var created = await referrals.CreateProgrammeAsync(user.CompanyId, form["name"], form["recognition"], Int("pointsPerReferral"), Int("pointsPerHire"), ct);
        return await RenderAsync(http, user, referrals, renderer, antiforgery, null,
            created.Failed ? null : Texts.Get("Referrals.ProgrammeCreated", Lang.FromQuery(http.Request)),
            created.Failed ? (Form.Programme, created.Error!, null) : null, created.Failed ? 400 : 201, ct);
    }

    private static async Task<IResult> CreateReferrerAsync(HttpContext http, ConsoleUser user, ManageReferrals referrals, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var created = await referrals.CreateReferrerAsync(user.CompanyId, form["programmeId"], form["type"], form["name"], ct);
        if (created.Failed) return await RenderAsync(http, user, referrals, renderer, antiforgery, null, null, (Form.Referrer, created.Error!, null), 400, ct);
        return await RenderAsync(http, user, referrals, renderer, antiforgery, created.Value,
            Texts.Format("Referrals.ReferrerAdded", Lang.FromQuery(http.Request), created.Value!.Name), null, 201, ct);
    }

    private static async Task<IResult> MoveAsync(string id, HttpContext http, ConsoleUser user, ManageReferrals referrals, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var moved = await referrals.MoveAsync(user.CompanyId, id, form["stage"], null, ct);
        if (moved.Failed && moved.Error!.Status == 404) return ConsolePages.NotFound();
        var lang = Lang.FromQuery(http.Request);
        return await RenderAsync(http, user, referrals, renderer, antiforgery, null,
            moved.Failed ? null : Texts.Format("Referrals.Moved", lang, Texts.Get($"ReferralStage.{moved.Value}", lang)),
            moved.Failed ? (Form.Stage, moved.Error!, id) : null, moved.Failed ? moved.Error!.Status : 200, ct);
    }

    private static async Task<IResult> NotesAsync(string id, HttpContext http, ConsoleUser user, ManageReferrals referrals, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var saved = await referrals.SetNotesAsync(user.CompanyId, id, form["notes"], form["thanks"], ct);
        if (saved.Failed && saved.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        return saved.Failed
            ? await RenderAsync(http, user, referrals, renderer, antiforgery, null, null, (Form.Notes, saved.Error!, id), 400, ct)
            : await RenderAsync(http, user, referrals, renderer, antiforgery, null, Texts.Get("Referrals.Saved", Lang.FromQuery(http.Request)), null, 200, ct);
    }
}
