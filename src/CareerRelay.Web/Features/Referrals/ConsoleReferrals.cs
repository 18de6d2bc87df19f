using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Referrals.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Features.Referrals;

/// <summary>/console/referrals: programmes, referrers with their trust figures, and incoming referred applications ordered by that trust.</summary>
internal static class ConsoleReferrals
{
    public static IEndpointRouteBuilder MapConsoleReferrals(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/console/referrals").RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription().DisableAntiforgery();
        console.MapGet("", (HttpContext http, ConsoleUser user, ReferralPrograms referrals, PageRenderer r, IAntiforgery af, CancellationToken ct) =>
            RenderAsync(http, user, referrals, r, af, null, null, null, 200, ct));
        console.MapPost("/programmes", CreateProgrammeAsync);
        console.MapPost("/referrers", CreateReferrerAsync);
        console.MapPost("/applications/{id}/stage", MoveAsync);
        console.MapPost("/applications/{id}/notes", NotesAsync);
        return app;
    }

    private static async Task<IResult> RenderAsync(HttpContext http, ConsoleUser user, ReferralPrograms referrals, PageRenderer renderer, IAntiforgery antiforgery,
        ReferralPrograms.ReferrerCreated? created, string? message, string? error, int status, CancellationToken ct) =>
        await ConsolePages.RenderAsync<ReferralsPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["Programmes"] = await referrals.ProgrammesAsync(user.CompanyId, ct),
            ["Referrers"] = await referrals.ReferrersAsync(user.CompanyId, ct),
            ["ByType"] = await referrals.FiguresByTypeAsync(user.CompanyId, ct),
            ["Applications"] = await referrals.ApplicationsAsync(user.CompanyId, $"{user.CompanyId}/{user.Id}", null, ct),
            ["Created"] = created,
            ["Message"] = message,
            ["Error"] = error,
        }, status);

    private static async Task<IResult> CreateProgrammeAsync(HttpContext http, ConsoleUser user, ReferralPrograms referrals, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        var form = await http.Request.ReadFormAsync(ct);
        int? Int(string field) => int.TryParse(form[field], out var n) ? n : null;
        var created = await referrals.CreateProgrammeAsync(user.CompanyId, form["name"], form["recognition"], Int("pointsPerReferral"), Int("pointsPerHire"), ct);
        return await RenderAsync(http, user, referrals, renderer, antiforgery, null,
            created.Failed ? null : Texts.Get("Referrals.ProgrammeCreated", Lang.FromQuery(http.Request)),
            created.Failed ? ConsolePages.ErrorText(http, created.Error!) : null, created.Failed ? 400 : 201, ct);
    }

    private static async Task<IResult> CreateReferrerAsync(HttpContext http, ConsoleUser user, ReferralPrograms referrals, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        var form = await http.Request.ReadFormAsync(ct);
        var created = await referrals.CreateReferrerAsync(user.CompanyId, form["programmeId"], form["type"], form["name"], ct);
        if (created.Failed) return await RenderAsync(http, user, referrals, renderer, antiforgery, null, null, ConsolePages.ErrorText(http, created.Error!), 400, ct);
        return await RenderAsync(http, user, referrals, renderer, antiforgery, created.Value, null, null, 201, ct);
    }

    private static async Task<IResult> MoveAsync(string id, HttpContext http, ConsoleUser user, ReferralPrograms referrals, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        var form = await http.Request.ReadFormAsync(ct);
        var moved = await referrals.MoveAsync(user.CompanyId, id, form["stage"], null, ct);
        if (moved.Failed && moved.Error!.Status == 404) return ConsolePages.NotFound();
        var lang = Lang.FromQuery(http.Request);
        return await RenderAsync(http, user, referrals, renderer, antiforgery, null,
            moved.Failed ? null : Texts.Format("Referrals.Moved", lang, Texts.Get($"ReferralStage.{moved.Value}", lang)),
            moved.Failed ? ConsolePages.ErrorText(http, moved.Error!) : null, moved.Failed ? moved.Error!.Status : 200, ct);
    }

    private static async Task<IResult> NotesAsync(string id, HttpContext http, ConsoleUser user, ReferralPrograms referrals, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        var form = await http.Request.ReadFormAsync(ct);
        if (!await referrals.SetNotesAsync(user.CompanyId, id, form["notes"], form["thanks"], ct)) return ConsolePages.NotFound();
        return await RenderAsync(http, user, referrals, renderer, antiforgery, null, Texts.Get("Referrals.Saved", Lang.FromQuery(http.Request)), null, 200, ct);
    }
}
