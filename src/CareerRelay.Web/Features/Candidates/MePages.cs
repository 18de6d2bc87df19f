using System.Text.Json;
using CareerRelay.Web.Features.Candidates.Pages;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>The /me pages: ask for a link, sign in with it, then see and manage one's own data. Post/redirect/get throughout.</summary>
internal static class MePages
{
    // Japanese stays readable in the file (not \uXXXX escapes): it is for the person as much as for a machine.
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary>/me: the person's page when signed in, otherwise the form that mails a sign-in link.</summary>
    public static async Task<IResult> HomeAsync(HttpContext http, ShowCandidateData show, Matching.CandidateJobs jobs, PageRenderer renderer, IAntiforgery antiforgery,
        IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        var signedIn = await http.AuthenticateAsync(CandidateAccess.Scheme);
        // This route is open to everyone, so the session is read here; the page's form tokens must be bound to that person.
        if (signedIn.Succeeded) http.User = signedIn.Principal!;
        var candidateId = signedIn.Succeeded ? CandidateAccess.CandidateId(signedIn.Principal!) : null;
        var view = candidateId is null ? null : await show.HandleAsync(candidateId, ct);
        if (view is null) return await MessageAsync(http, renderer, antiforgery, site, "Me.SignIn", "/me/link", "Me.SignIn.Submit", askEmail: true);
        return await RenderAsync(http, renderer, antiforgery, site, view, null, null, 200,
            await jobs.RecommendAsync(view.CandidateId, view.Profile, Lang.FromQuery(http.Request), ct));
    }

    public static async Task<IResult> RequestLinkAsync(HttpContext http, CandidateAccess access, PageRenderer renderer, IAntiforgery antiforgery,
        IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        await access.RequestLinkAsync(form["email"], Lang.FromQuery(http.Request), ct);
        return await MessageAsync(http, renderer, antiforgery, site, "Me.Sent", null, null);
    }

    /// <summary>GET of the mailed link: a button, nothing else (mail scanners open links; the token stays usable).</summary>
    public static async Task<IResult> TokenPageAsync(string token, HttpContext http, CandidateAccess access, PageRenderer renderer,
        IAntiforgery antiforgery, IOptions<CareerRelayOptions> site, CancellationToken ct) =>
        await access.ResolveAsync(token, ct) is null
            ? await MessageAsync(http, renderer, antiforgery, site, "Me.Invalid", "/me/link", "Me.SignIn.Submit", askEmail: true, status: 401)
            : await MessageAsync(http, renderer, antiforgery, site, "Me.Confirm", $"/me/{token}{Lang.Query(http.Request)}", "Me.Confirm.Button");

    /// <summary>The sign-in button swaps the token for a session cookie; the token keeps working until it expires.</summary>
    public static async Task<IResult> SignInAsync(string token, HttpContext http, CandidateAccess access, PageRenderer renderer,
        IAntiforgery antiforgery, IOptions<CareerRelayOptions> site, TimeProvider clock, CancellationToken ct)
    {
        var candidateId = await access.ResolveAsync(token, ct);
        if (candidateId is null) return await MessageAsync(http, renderer, antiforgery, site, "Me.Invalid", "/me/link", "Me.SignIn.Submit", askEmail: true, status: 401);
        await http.SignInAsync(CandidateAccess.Scheme, CandidateAccess.PrincipalFor(candidateId, clock.GetUtcNow()));
        return Results.Redirect("/me" + Lang.Query(http.Request));
    }

    public static async Task<IResult> SaveProfileAsync(HttpContext http, ShowCandidateData show, UpdateCandidateProfile update, PageRenderer renderer, IAntiforgery antiforgery,
        IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        var id = Id(http);
        var lang = Lang.FromQuery(http.Request);
        var form = await http.Request.ReadFormAsync(ct);
        var history = Enumerable.Range(0, UpdateCandidateProfile.MaxWorkHistory + 2)
            .Where(i => form.ContainsKey($"work{i}.company"))
            .Select(i => new WorkHistoryItem(form[$"work{i}.company"].ToString(), form[$"work{i}.title"], form[$"work{i}.from"], form[$"work{i}.to"], form[$"work{i}.description"]))
            .ToList();
        var edit = new ProfileEdit(form["name"], form["nameKana"], form["phone"], form["prefecture"], form["desiredOccupation"],
            form["skills"].ToString().Split([',', '、', '，', ';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => (string?)s).ToList(),
            history, form["careerSummary"], form["jobSearchStatus"], form["recommendationMails"] == "on",
            [.. form["excludedCompanies"].ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            int.TryParse(form["yearsOfExperience"], out var years) ? years : null,
            int.TryParse(form["desiredSalary"].ToString().Replace(",", ""), out var salary) ? salary : null,
            form["willingToRelocate"] == "on",
            [.. form["desiredOccupationCodes"].OfType<string>().Where(c => c.Length > 0)],
            form["includeRejectingCompanies"] == "on");
        var result = await update.HandleAsync(id, edit, lang, ct);
        if (result.Failed)
        {
            var view = await show.HandleAsync(id, ct);
            return await RenderAsync(http, renderer, antiforgery, site, view!, null, Errors(http, result.Error), 400, typed: form);
        }
        return Redirect(http, "saved");
    }

    public static async Task<IResult> UploadResumeAsync(HttpContext http, ShowCandidateData show, SaveResume resumes, PageRenderer renderer, IAntiforgery antiforgery,
        IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        var id = Id(http);
        var lang = Lang.FromQuery(http.Request);
        var file = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(ct)).Files.GetFile("resume") : null;
        byte[] bytes = [];
        if (file is not null && file.Length <= SaveResume.MaxBytes)
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct);
            bytes = copy.ToArray();
        }
        var result = file is not null && file.Length > SaveResume.MaxBytes
            ? ApiError.InvalidIn(lang, "resume", "Error.ResumeTooLarge")
            : await resumes.HandleAsync(id, file?.FileName, bytes, lang, ct);
        if (result.Failed)
        {
            var view = await show.HandleAsync(id, ct);
            return await RenderAsync(http, renderer, antiforgery, site, view!, null, Errors(http, result.Error), 400);
        }
        return Redirect(http, "resume");
    }

    public static async Task<IResult> DownloadResumeAsync(HttpContext http, SaveResume resumes, CancellationToken ct)
    {
        var resume = await resumes.ReadAsync(Id(http), ct);
        if (resume is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(resume.Value.Content, "application/pdf", resume.Value.FileName);
    }

    public static async Task<IResult> DeleteResumeAsync(HttpContext http, SaveResume resumes, PageRenderer renderer,
        IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        await resumes.DeleteAsync(Id(http), ct);
        return Redirect(http, "resume-deleted");
    }

    public static async Task<IResult> RenewAsync(HttpContext http, RenewConsents renew, PageRenderer renderer,
        IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        await renew.HandleAsync(Id(http), http.Connection.RemoteIpAddress?.ToString(), ct);
        return Redirect(http, "renewed");
    }

    public static async Task<IResult> ReapplyAsync(HttpContext http, ShowCandidateData show, Reapplications reapplications, PageRenderer renderer,
        IAntiforgery antiforgery, IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        var id = Id(http);
        var form = await http.Request.ReadFormAsync(ct);
        var result = await reapplications.ReapplyAsync(id, form["companyId"], [.. form["share"].Select(s => s ?? "")], form["message"], ct);
        if (!result.Failed) return Redirect(http, "reapplied");
        if (result.Error!.Code == ProblemCodes.NotFound) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        return await RenderAsync(http, renderer, antiforgery, site, (await show.HandleAsync(id, ct))!, null, Errors(http, result.Error), 400, typed: form);
    }

    public static async Task<IResult> DecideIntroductionAsync(string id, string answer, HttpContext http, DecideIntroduction decide, PageRenderer renderer, IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        return await decide.HandleAsync(Id(http), id, answer == "agree", ct)
            ? Redirect(http, answer == "agree" ? "introduction-agreed" : "introduction-declined")
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
    }

    public static async Task<IResult> WithdrawAsync(string agencyId, HttpContext http, WithdrawConsent withdraw, PageRenderer renderer, IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        return await withdraw.HandleAsync(Id(http), agencyId, ct)
            ? Redirect(http, "withdrawn")
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
    }

    /// <summary>Choosing an agency (again) needs the tick that agrees to the current notice, as at registration.</summary>
    public static async Task<IResult> GiveConsentAsync(string agencyId, HttpContext http, ShowCandidateData show, GiveConsent give, PageRenderer renderer,
        IAntiforgery antiforgery, IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        var id = Id(http);
        if ((await http.Request.ReadFormAsync(ct))["agree"] != "yes")
            return await RenderAsync(http, renderer, antiforgery, site, (await show.HandleAsync(id, ct))!, null,
                Errors(http, ApiError.Invalid($"agree-{agencyId}", "Error.Agree")), 400);
        return await give.HandleAsync(id, agencyId, http.Connection.RemoteIpAddress?.ToString(), ct)
            ? Redirect(http, "consented")
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
    }

    /// <summary>The same JSON as the export route, as a file to keep.</summary>
    public static async Task<IResult> ExportFileAsync(HttpContext http, ExportCandidateData exportData, TimeProvider clock, CancellationToken ct)
    {
        var export = await exportData.HandleAsync(Id(http), ct);
        if (export is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(JsonSerializer.SerializeToUtf8Bytes(export, ExportJson), "application/json", $"careerrelay-my-data-{clock.GetUtcNow().AddHours(9):yyyyMMdd}.json");
    }

    /// <summary>Erasure asks for an explicit tick: it cannot be undone.</summary>
    public static async Task<IResult> EraseAsync(HttpContext http, ShowCandidateData show, EraseCandidate erase, PageRenderer renderer, IAntiforgery antiforgery,
        IOptions<CareerRelayOptions> site, CancellationToken ct)
    {
        var id = Id(http);
        if ((await http.Request.ReadFormAsync(ct))["confirm"] != "on")
            return await RenderAsync(http, renderer, antiforgery, site, (await show.HandleAsync(id, ct))!, null,
                Errors(http, ApiError.Invalid("confirm", "Me.Erase.ConfirmMissing")), 400);
        await erase.HandleAsync(id, ct);
        await http.SignOutAsync(CandidateAccess.Scheme);
        return await MessageAsync(http, renderer, antiforgery, site, "Me.Erased", null, null);
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(CandidateAccess.Scheme);
        return Results.Redirect("/me" + Lang.Query(http.Request));
    }

    /// <summary>GET shows a button (scanners open links too); the POST — the button, or the mail provider's one-click — turns mail off.</summary>
    public static async Task<IResult> UnsubscribePageAsync(string token, HttpContext http, CandidateMailing mailing, PageRenderer renderer,
        IAntiforgery antiforgery, IOptions<CareerRelayOptions> site) =>
        mailing.CandidateOf(token) is null
            ? new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound)
            : await MessageAsync(http, renderer, antiforgery, site, "Unsubscribe.Confirm", $"/unsubscribe/{token}{Lang.Query(http.Request)}", "Unsubscribe.Button");

    public static async Task<IResult> UnsubscribeAsync(string token, HttpContext http, CandidateMailing mailing, Data.DbWriteGate gate,
        PageRenderer renderer, IAntiforgery antiforgery, IOptions<CareerRelayOptions> site, CancellationToken ct) =>
        await mailing.UnsubscribeAsync(token, gate, ct)
            ? await MessageAsync(http, renderer, antiforgery, site, "Unsubscribe.Done", null, null)
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);

    /// <summary>What a finished action says after its redirect (<c>/me?done=…</c>); anything else in the address says nothing.</summary>
    [TextKeys("Me.Done.{0}")]
    public static readonly string[] DoneMessages =
        ["saved", "resume", "resume-deleted", "renewed", "withdrawn", "consented", "introduction-agreed", "introduction-declined", "reapplied"];

    private static string Id(HttpContext http) => CandidateAccess.CandidateId(http.User) ?? throw new InvalidOperationException("Not signed in.");

    private static IResult Redirect(HttpContext http, string done) =>
        Results.Redirect($"/me?done={done}{(Lang.FromQuery(http.Request) == Lang.English ? "&lang=en" : "")}");

    private static FormErrors Errors(HttpContext http, ApiError? error) => FormErrors.From(error, Lang.FromQuery(http.Request));

    private static async Task<IResult> RenderAsync(HttpContext http, PageRenderer renderer, IAntiforgery antiforgery, IOptions<CareerRelayOptions> site,
        MeView view, string? message, FormErrors? errors, int status,
        IReadOnlyList<Matching.JobRecommendations.Recommendation>? recommendations = null, IFormCollection? typed = null)
    {
        var lang = Lang.FromQuery(http.Request);
        var done = http.Request.Query["done"].ToString();
        var html = await renderer.RenderAsync<MePage>(PageParameters.For<MePage>()
            .With(p => p.Lang, lang)
            .With(p => p.View, view)
            .With(p => p.Operator, site.Value.Operator)
            .With(p => p.AntiforgeryToken, antiforgery.GetAndStoreTokens(http).RequestToken)
            .With(p => p.Message, message ?? (DoneMessages.Contains(done) ? Texts.Get($"Me.Done.{done}", lang) : null))
            .With(p => p.Errors, errors ?? FormErrors.None)
            .With(p => p.Typed, typed)
            .With(p => p.Recommendations, recommendations ?? []));
        http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(html, status);
    }

    /// <summary>Sign-in style pages (ask for a link, link sent, link invalid, erased) in the candidate pages' frame.</summary>
    private static Task<IResult> MessageAsync(HttpContext http, PageRenderer renderer, IAntiforgery antiforgery, IOptions<CareerRelayOptions> site,
        string key, string? formAction, string? buttonKey, bool askEmail = false, int status = 200) =>
        CompanyConsole.SignInPages.RenderAsync(http, renderer, antiforgery, site, key, formAction, buttonKey, askEmail, status: status);
}
