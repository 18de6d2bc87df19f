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
    public static async Task<IResult> HomeAsync([AsParameters] PublicFramePage page, ShowCandidateData show, Matching.CandidateJobs jobs,
        CancellationToken ct)
    {
        var signedIn = await page.Http.AuthenticateAsync(CandidateAccess.Scheme);
        // This route is open to everyone, so the session is read here; the page's form tokens must be bound to that person.
        if (signedIn.Succeeded) page.Http.User = signedIn.Principal!;
        var candidateId = signedIn.Succeeded ? CandidateAccess.CandidateId(signedIn.Principal!) : null;
        var view = candidateId is null ? null : await show.HandleAsync(candidateId, ct);
        if (view is null) return await MessageAsync(page, "Me.SignIn", "/me/link", "Me.SignIn.Submit", askEmail: true);
        return await RenderAsync(page, view, null, null, 200, await jobs.RecommendAsync(view.CandidateId, view.Profile, Lang.FromQuery(page.Http.Request), ct));
    }

    public static async Task<IResult> RequestLinkAsync([AsParameters] PublicFramePage page, CandidateAccess access, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        await access.RequestLinkAsync(form["email"], Lang.FromQuery(page.Http.Request), ct);
        return await MessageAsync(page, "Me.Sent", null, null);
    }

    /// <summary>GET of the mailed link: a button, nothing else (mail scanners open links; the token stays usable).</summary>
    public static async Task<IResult> TokenPageAsync(string token, [AsParameters] PublicFramePage page, CandidateAccess access, CancellationToken ct) =>
        await access.ResolveAsync(token, ct) is null
            ? await MessageAsync(page, "Me.Invalid", "/me/link", "Me.SignIn.Submit", askEmail: true, status: 401)
            : await MessageAsync(page, "Me.Confirm", $"/me/{token}{Lang.Query(page.Http.Request)}", "Me.Confirm.Button");

    /// <summary>The sign-in button swaps the token for a session cookie; the token keeps working until it expires.</summary>
    public static async Task<IResult> SignInAsync(string token, [AsParameters] PublicFramePage page, CandidateAccess access,
        TimeProvider clock, CancellationToken ct)
    {
        var candidateId = await access.ResolveAsync(token, ct);
        if (candidateId is null) return await MessageAsync(page, "Me.Invalid", "/me/link", "Me.SignIn.Submit", askEmail: true, status: 401);
        await access.MailReachedAsync(candidateId, ct); // they opened a mailed link: their mailbox works
        await page.Http.SignInAsync(CandidateAccess.Scheme, CandidateAccess.PrincipalFor(candidateId, clock.GetUtcNow()));
        return Results.Redirect("/me" + Lang.Query(page.Http.Request));
    }

    public static async Task<IResult> SaveProfileAsync([AsParameters] PublicFramePage page, ShowCandidateData show,
        UpdateCandidateProfile update, CancellationToken ct)
    {
        var id = Id(page.Http);
        var lang = Lang.FromQuery(page.Http.Request);
        var form = await page.Http.Request.ReadFormAsync(ct);
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
            form["includeRejectingCompanies"] == "on", form["shareStage"] == "on");
        var result = await update.HandleAsync(id, edit, lang, ct);
        if (result.Failed)
        {
            var view = await show.HandleAsync(id, ct);
            return await RenderAsync(page, view!, null, Errors(page.Http, result.Error), 400, typed: form);
        }
        return Redirect(page.Http, "saved");
    }

    public static async Task<IResult> UploadResumeAsync([AsParameters] PublicFramePage page, ShowCandidateData show, SaveResume resumes,
        CancellationToken ct)
    {
        var id = Id(page.Http);
        var lang = Lang.FromQuery(page.Http.Request);
        var file = page.Http.Request.HasFormContentType ? (await page.Http.Request.ReadFormAsync(ct)).Files.GetFile("resume") : null;
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
            return await RenderAsync(page, view!, null, Errors(page.Http, result.Error), 400);
        }
        return Redirect(page.Http, "resume");
    }

    public static async Task<IResult> DownloadResumeAsync(HttpContext http, SaveResume resumes, CancellationToken ct)
    {
        var resume = await resumes.ReadAsync(Id(http), ct);
        if (resume is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(resume.Value.Content, "application/pdf", resume.Value.FileName);
    }

    public static async Task<IResult> DeleteResumeAsync([AsParameters] PublicFramePage page, SaveResume resumes, CancellationToken ct)
    {
        await resumes.DeleteAsync(Id(page.Http), ct);
        return Redirect(page.Http, "resume-deleted");
    }

    public static async Task<IResult> RenewAsync([AsParameters] PublicFramePage page, RenewConsents renew, CancellationToken ct)
    {
        await renew.HandleAsync(Id(page.Http), page.Http.Connection.RemoteIpAddress?.ToString(), ct);
        return Redirect(page.Http, "renewed");
    }

    public static async Task<IResult> ReapplyAsync([AsParameters] PublicFramePage page, ShowCandidateData show,
        Reapplications reapplications, CancellationToken ct)
    {
        var id = Id(page.Http);
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await reapplications.ReapplyAsync(id, form["companyId"], [.. form["share"].Select(s => s ?? "")], form["message"], ct);
        if (!result.Failed) return Redirect(page.Http, "reapplied");
        if (result.Error!.Code == ProblemCodes.NotFound) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        return await RenderAsync(page, (await show.HandleAsync(id, ct))!, null, Errors(page.Http, result.Error), 400, typed: form);
    }

    public static async Task<IResult> DecideIntroductionAsync(string id, string answer, [AsParameters] PublicFramePage page,
        DecideIntroduction decide, CancellationToken ct)
    {
        return await decide.HandleAsync(Id(page.Http), id, answer == "agree", ct)
            ? Redirect(page.Http, answer == "agree" ? "introduction-agreed" : "introduction-declined")
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
    }

    public static async Task<IResult> WithdrawAsync(string agencyId, [AsParameters] PublicFramePage page, WithdrawConsent withdraw,
        CancellationToken ct)
    {
        return await withdraw.HandleAsync(Id(page.Http), agencyId, ct)
            ? Redirect(page.Http, "withdrawn")
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
    }

    public static async Task<IResult> LeaveAlumniAsync(string id, [AsParameters] PublicFramePage page, Alumni.LeaveAlumni leave, CancellationToken ct) =>
        await leave.HandleAsync(Id(page.Http), id, ct)
            ? Redirect(page.Http, "alumni-left")
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);

    /// <summary>Choosing an agency (again) needs the tick that agrees to the current notice, as at registration.</summary>
    public static async Task<IResult> GiveConsentAsync(string agencyId, [AsParameters] PublicFramePage page, ShowCandidateData show,
        GiveConsent give, CancellationToken ct)
    {
        var id = Id(page.Http);
        if ((await page.Http.Request.ReadFormAsync(ct))["agree"] != "yes")
            return await RenderAsync(page, (await show.HandleAsync(id, ct))!, null, Errors(page.Http, ApiError.Invalid($"agree-{agencyId}", "Error.Agree")), 400);
        return await give.HandleAsync(id, agencyId, page.Http.Connection.RemoteIpAddress?.ToString(), ct)
            ? Redirect(page.Http, "consented")
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
    public static async Task<IResult> EraseAsync([AsParameters] PublicFramePage page, ShowCandidateData show, EraseCandidate erase,
        CancellationToken ct)
    {
        var id = Id(page.Http);
        if ((await page.Http.Request.ReadFormAsync(ct))["confirm"] != "on")
            return await RenderAsync(page, (await show.HandleAsync(id, ct))!, null, Errors(page.Http, ApiError.Invalid("confirm", "Me.Erase.ConfirmMissing")), 400);
        await erase.HandleAsync(id, ct);
        await page.Http.SignOutAsync(CandidateAccess.Scheme);
        return await MessageAsync(page, "Me.Erased", null, null);
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(CandidateAccess.Scheme);
        return Results.Redirect("/me" + Lang.Query(http.Request));
    }

    /// <summary>GET shows a button (scanners open links too); the POST — the button, or the mail provider's one-click — turns mail off.</summary>
    public static async Task<IResult> UnsubscribePageAsync(string token, [AsParameters] PublicFramePage page, CandidateMailing mailing) =>
        mailing.CandidateOf(token) is null
            ? new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound)
            : await MessageAsync(page, "Unsubscribe.Confirm", $"/unsubscribe/{token}{Lang.Query(page.Http.Request)}", "Unsubscribe.Button");

    public static async Task<IResult> UnsubscribeAsync(string token, [AsParameters] PublicFramePage page, CandidateMailing mailing,
        Data.DbWriteGate gate, CancellationToken ct) =>
        await mailing.UnsubscribeAsync(token, gate, ct)
            ? await MessageAsync(page, "Unsubscribe.Done", null, null)
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);

    /// <summary>The person answers an agency; a refused answer (empty, too long, too many, closed) is shown again beside its thread.</summary>
    public static async Task<IResult> SendMessageAsync(string agencyId, [AsParameters] PublicFramePage page, ShowCandidateData show,
        Messages.Conversations conversations, CancellationToken ct)
    {
        var id = Id(page.Http);
        var lang = Lang.FromQuery(page.Http.Request);
        var text = (await page.Http.Request.ReadFormAsync(ct))["text"].ToString();
        var result = await conversations.SendFromPersonAsync(id, agencyId, text, lang, ct);
        if (!result.Failed) return Redirect(page.Http, "message-sent", "messages");
        if (result.Error!.Code == ProblemCodes.NotFound) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        var error = result.Error with { Fields = result.Error.Fields?.ToDictionary(f => f.Key == "text" ? $"text-{agencyId}" : f.Key, f => f.Value) };
        return await RenderAsync(page, (await show.HandleAsync(id, ct))!, null, Errors(page.Http, error), error.Status, failedMessage: (agencyId, text));
    }

    public static async Task<IResult> BlockAsync(string agencyId, string change, [AsParameters] PublicFramePage page, Messages.Conversations conversations,
        CancellationToken ct) =>
        await conversations.BlockAsync(Id(page.Http), agencyId, change == "block", ct)
            ? Redirect(page.Http, change == "block" ? "blocked" : "unblocked", "messages")
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);

    public static async Task<IResult> ChooseInterviewAsync(string id, [AsParameters] PublicFramePage page, ShowCandidateData show,
        Interviews.InterviewScheduling scheduling, CancellationToken ct)
    {
        var candidateId = Id(page.Http);
        var result = await scheduling.ChooseAsync(candidateId, id, (await page.Http.Request.ReadFormAsync(ct))["slotId"], ct);
        if (!result.Failed) return Redirect(page.Http, "interview-chosen", "interviews");
        if (result.Error!.Code == ProblemCodes.NotFound) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        var error = result.Error with { Fields = result.Error.Fields?.ToDictionary(f => f.Key == "slotId" ? $"slot-{id}" : f.Key, f => f.Value) };
        return await RenderAsync(page, (await show.HandleAsync(candidateId, ct))!, null, Errors(page.Http, error), error.Status);
    }

    public static async Task<IResult> OtherTimesAsync(string id, [AsParameters] PublicFramePage page, ShowCandidateData show,
        Interviews.InterviewScheduling scheduling, CancellationToken ct)
    {
        var candidateId = Id(page.Http);
        var result = await scheduling.AskOtherTimesAsync(candidateId, id, ct);
        if (!result.Failed) return Redirect(page.Http, "other-times", "interviews");
        if (result.Error!.Code == ProblemCodes.NotFound) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        return await RenderAsync(page, (await show.HandleAsync(candidateId, ct))!, null, Errors(page.Http, result.Error), result.Error.Status);
    }

    /// <summary>A confirmed 面談 as a calendar file (the same event as the mailed invitation), for a phone's calendar.</summary>
    public static async Task<IResult> InterviewCalendarAsync(string id, HttpContext http, Interviews.InterviewScheduling scheduling, CancellationToken ct)
    {
        var ics = await scheduling.CalendarFileAsync(Id(http), id, Lang.FromQuery(http.Request), ct);
        if (ics is null) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", "interview.ics");
    }

    public static async Task<IResult> LineCodeAsync([AsParameters] PublicFramePage page, Line.LineLinking line, CandidateVault vault, Data.CareerRelayDb db,
        CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, Id(page.Http), ct);
        if (opened is null) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        await line.NewCodeAsync(opened.Candidate.Id, opened.DataKey, ct);
        return Redirect(page.Http, "line-code", "line");
    }

    public static async Task<IResult> LineUnlinkAsync([AsParameters] PublicFramePage page, Line.LineLinking line, CancellationToken ct)
    {
        await line.UnlinkAsync(Id(page.Http), ct);
        return Redirect(page.Http, "line-unlinked", "line");
    }

    public static async Task<IResult> LineNotifyAsync([AsParameters] PublicFramePage page, Line.LineLinking line, CancellationToken ct)
    {
        await line.SetNotifyAsync(Id(page.Http), (await page.Http.Request.ReadFormAsync(ct))["notify"] == "on", ct);
        return Redirect(page.Http, "line-saved", "line");
    }

    /// <summary>What /me shows of agencies' messages and interviews and of LINE; a GET marks the agencies' messages read.</summary>
    private static async Task<MeContactData> ContactAsync(HttpContext http, string candidateId, bool markRead, (string AgencyId, string Text)? failed)
    {
        var services = http.RequestServices;
        var ct = http.RequestAborted;
        var opened = await services.GetRequiredService<CandidateVault>().OpenAsync(services.GetRequiredService<Data.CareerRelayDb>(), candidateId, ct);
        if (opened is null) return new MeContactData([], [], new Line.LineLinking.View(false, false, null, false, null, null, ""), "", null, null);
        var line = await services.GetRequiredService<Line.LineLinking>().ViewAsync(candidateId, opened.DataKey, ct);
        return new MeContactData(
            await services.GetRequiredService<Interviews.InterviewScheduling>().ForPersonAsync(candidateId, ct),
            await services.GetRequiredService<Messages.Conversations>().ThreadsForPersonAsync(candidateId, opened.DataKey, markRead, ct),
            line, line.Enabled && !line.Linked ? QrSvg.For(line.AddFriendUrl) : "", failed?.AgencyId, failed?.Text);
    }

    /// <summary>What a finished action says after its redirect (<c>/me?done=…</c>); anything else in the address says nothing.</summary>
    [TextKeys("Me.Done.{0}")]
    public static readonly string[] DoneMessages =
        ["saved", "resume", "resume-deleted", "renewed", "withdrawn", "consented", "introduction-agreed", "introduction-declined", "reapplied", "alumni-left",
         "message-sent", "blocked", "unblocked", "interview-chosen", "other-times", "line-code", "line-unlinked", "line-saved",
         "school-saved", "suggestions-on", "suggestions-off", "course-requested", "completion-confirmed", "completion-declined"];

    /// <summary>/me again with a refused form's messages beside its fields (for the forms other features add to the page).</summary>
    internal static async Task<IResult> RefusedAsync(PublicFramePage page, ShowCandidateData show, ApiError error, IFormCollection? typed = null) =>
        await show.HandleAsync(Id(page.Http), page.Http.RequestAborted) is { } view
            ? await RenderAsync(page, view, null, Errors(page.Http, error), error.Status, typed: typed)
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);

    /// <summary>After a form of /me: back to the page, saying what happened (one of <see cref="DoneMessages"/>), at its section.</summary>
    internal static IResult Done(HttpContext http, string done, string? section = null) => Redirect(http, done, section);

    internal static string Id(HttpContext http) => CandidateAccess.CandidateId(http.User) ?? throw new InvalidOperationException("Not signed in.");

    private static IResult Redirect(HttpContext http, string done, string? section = null) =>
        Results.Redirect($"/me?done={done}{Lang.Parameter(Lang.FromQuery(http.Request))}{(section is null ? "" : "#" + section)}");

    private static FormErrors Errors(HttpContext http, ApiError? error) => FormErrors.From(error, Lang.FromQuery(http.Request));

    private static async Task<IResult> RenderAsync(PublicFramePage page, MeView view, string? message, FormErrors? errors, int status,
        IReadOnlyList<Matching.JobRecommendations.Recommendation>? recommendations = null, IFormCollection? typed = null,
        (string AgencyId, string Text)? failedMessage = null)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var done = page.Http.Request.Query["done"].ToString();
        var contact = await ContactAsync(page.Http, view.CandidateId, HttpMethods.IsGet(page.Http.Request.Method), failedMessage);
        // A form refused further down the page is shown with the recommendations (and the course suggestions drawn from them) still there.
        recommendations ??= await page.Http.RequestServices.GetRequiredService<Matching.CandidateJobs>().RecommendAsync(view.CandidateId, view.Profile, lang, page.Http.RequestAborted);
        var education = await page.Http.RequestServices.GetRequiredService<Education.MyEducation>()
            .ViewAsync(view.CandidateId, view.Profile, view.CourseSuggestions, recommendations, lang, page.Http.RequestAborted);
        var html = await page.Renderer.RenderAsync<MePage>(PageParameters.For<MePage>()
            .With(p => p.Lang, lang)
            .With(p => p.View, view)
            .With(p => p.Operator, page.Site.Value.Operator)
            .With(p => p.AntiforgeryToken, page.Antiforgery.GetAndStoreTokens(page.Http).RequestToken)
            .With(p => p.Message, message ?? (DoneMessages.Contains(done) ? Texts.Get($"Me.Done.{done}", lang) : null))
            .With(p => p.Errors, errors ?? FormErrors.None)
            .With(p => p.Typed, typed)
            .With(p => p.Recommendations, recommendations ?? [])
            .With(p => p.Contact, contact)
            .With(p => p.Education, education));
        page.Http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(html, status);
    }

    /// <summary>Sign-in style pages (ask for a link, link sent, link invalid, erased) in the candidate pages' frame.</summary>
    private static Task<IResult> MessageAsync(PublicFramePage page, string key, string? formAction, string? buttonKey, bool askEmail = false,
        int status = 200) =>
        CompanyConsole.SignInPages.RenderAsync(page, key, formAction, buttonKey, askEmail, status: status);
}

/// <summary>What /me shows of the conversation with agencies (<see cref="Pages.MeContact"/>).</summary>
public sealed record MeContactData(IReadOnlyList<(Interviews.InterviewItem Interview, string AgencyName)> Interviews,
    IReadOnlyList<Messages.Conversations.PersonThread> Threads, Line.LineLinking.View Line, string LineQrSvg, string? FailedAgency, string? TypedText);
