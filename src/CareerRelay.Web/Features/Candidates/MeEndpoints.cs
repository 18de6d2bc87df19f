using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// The candidate's own side (SPEC §6 "me", §7): the JSON routes that take the emailed token, and the /me page
/// that the token's sign-in button opens with a session cookie. Every form carries an anti-forgery token.
/// </summary>
public static class MeEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/public/me").RequireRateLimiting(PublicEndpoints.RateLimitPolicy).WithTags("Public");
        api.MapPost("/link", RequestLinkAsync).WithErrors(ProblemHandling.NotJson)
            .WithSummary("Mail a sign-in link for the candidate's own page; always 202, whether or not the address is known.")
            .WithExamples(request: """{"email":"hanako@example.jp"}""", response: """{"status":"accepted"}""");
        api.MapPost("/export", ExportAsync).WithErrors(CandidateErrors.BadSignInLink)
            .WithSummary("Everything held about the candidate: profile, registrations, consents, provision records, who read it.")
            .WithExamples(request: """{"token":"me_4Hc…"}""", response: $$"""{"exportedAt":"2026-11-21T03:00:00Z","candidate":{"id":"{{Id}}","profile":{"name":"佐藤 花子","email":"hanako@example.jp","skills":["経理"]},"recommendationMails":false,"createdAt":"2026-11-20T03:00:00Z","updatedAt":"2026-11-20T03:00:00Z"},"resume":null,"registrations":[],"consents":[],"provisionRecords":[],"accessLog":[]}""");
        api.MapPost("/consents/withdraw", WithdrawAsync).WithErrors(CandidateErrors.BadSignInLink)
            .WithSummary("Withdraw consent to one agency.")
            .WithExamples(request: $$"""{"token":"me_4Hc…","agencyId":"{{Id}}"}""", response: $$"""{"agencyId":"{{Id}}","status":"withdrawn"}""");
        api.MapPost("/erase", EraseAsync).WithErrors(CandidateErrors.BadSignInLink)
            .WithSummary("Erase the candidate: personal data becomes unreadable everywhere (crypto-shredding); counts and the ledger stay.")
            .WithExamples(request: """{"token":"me_4Hc…"}""", response: """{"status":"erased"}""");

        var open = app.MapFormPages("/me", SignInPages.FormExpiredAsync).RequireRateLimiting(PublicEndpoints.RateLimitPolicy);
        open.MapGet("", MePages.HomeAsync);
        open.MapPost("/link", MePages.RequestLinkAsync);
        open.MapGet("/{token}", MePages.TokenPageAsync);
        open.MapPost("/{token}", MePages.SignInAsync);

        // One-click unsubscribe (RFC 8058): mail providers POST without a session or an Origin; harmless and idempotent.
        var unsubscribe = app.MapGroup("/unsubscribe").RequireRateLimiting(PublicEndpoints.RateLimitPolicy).ExcludeFromDescription().DisableAntiforgery();
        unsubscribe.MapGet("/{token}", MePages.UnsubscribePageAsync);
        unsubscribe.MapPost("/{token}", MePages.UnsubscribeAsync);

        var me = app.MapFormPages("/me", SignInPages.FormExpiredAsync).RequireAuthorization(CandidateAccess.Policy);
        me.MapPost("/profile", MePages.SaveProfileAsync);
        // The one route that takes more than the app-wide 1 MB: a résumé of up to 5 MB plus the form around it.
        me.MapPost("/resume", MePages.UploadResumeAsync).WithMetadata(new RequestSizeLimitAttribute(SaveResume.MaxBytes + 64 * 1024));
        me.MapGet("/resume", MePages.DownloadResumeAsync);
        me.MapPost("/resume/delete", MePages.DeleteResumeAsync);
        me.MapPost("/consents/renew", MePages.RenewAsync);
        me.MapPost("/reapplications", MePages.ReapplyAsync);
        me.MapPost("/introductions/{id}/{answer:regex(^(agree|decline)$)}", MePages.DecideIntroductionAsync);
        me.MapPost("/consents/{agencyId}/withdraw", MePages.WithdrawAsync);
        me.MapPost("/consents/{agencyId}/give", MePages.GiveConsentAsync);
        me.MapPost("/alumni/{id}/leave", MePages.LeaveAlumniAsync);
        me.MapPost("/messages/{agencyId}", MePages.SendMessageAsync);
        me.MapPost("/messages/{agencyId}/{change:regex(^(block|unblock)$)}", MePages.BlockAsync);
        me.MapPost("/interviews/{id}/choose", MePages.ChooseInterviewAsync);
        me.MapPost("/interviews/{id}/other-times", MePages.OtherTimesAsync);
        me.MapGet("/interviews/{id}/calendar.ics", MePages.InterviewCalendarAsync);
        me.MapPost("/line/code", MePages.LineCodeAsync);
        me.MapPost("/line/unlink", MePages.LineUnlinkAsync);
        me.MapPost("/line/notify", MePages.LineNotifyAsync);
        me.MapGet("/export.json", MePages.ExportFileAsync);
        me.MapPost("/erase", MePages.EraseAsync);
        // Signing out with a stale form just goes back to /me; the session stays until it ends.
        me.MapPost("/signout", (Delegate)MePages.SignOutAsync).OnFormRefused(http => Task.FromResult(Results.Redirect("/me" + Lang.Query(http.Request))));
    }

    /// <summary>202 whatever the address: the answer never tells whether someone is registered.</summary>
    private static async Task<Results<Accepted<LinkAccepted>, ProblemHttpResult>> RequestLinkAsync(LinkRequest body, HttpContext http,
        CandidateAccess access, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        await access.RequestLinkAsync(body.Email, Lang.FromRequest(http.Request), ct);
        return TypedResults.Accepted((string?)null, new LinkAccepted("accepted"));
    }

    private static async Task<Results<Ok<CandidateExport>, ProblemHttpResult>> ExportAsync(TokenRequest body, HttpContext http,
        CandidateAccess access, ExportCandidateData exportData, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var candidateId = await access.ResolveAsync(body.Token, ct);
        if (candidateId is null) return CandidateErrors.BadSignInLink.ToResult();
        http.Response.Headers.CacheControl = "no-store";
        return await exportData.HandleAsync(candidateId, ct) is { } export ? TypedResults.Ok(export) : CandidateErrors.BadSignInLink.ToResult();
    }

    private static async Task<Results<Ok<WithdrawResult>, ProblemHttpResult>> WithdrawAsync(WithdrawRequest body, HttpContext http,
        CandidateAccess access, WithdrawConsent withdraw, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var candidateId = await access.ResolveAsync(body.Token, ct);
        if (candidateId is null) return CandidateErrors.BadSignInLink.ToResult();
        return await withdraw.HandleAsync(candidateId, body.AgencyId, ct)
            ? TypedResults.Ok(new WithdrawResult(body.AgencyId!, "withdrawn"))
            : ApiError.NotFound("consent").ToResult();
    }

    private static async Task<Results<Ok<EraseResult>, ProblemHttpResult>> EraseAsync(TokenRequest body, HttpContext http,
        CandidateAccess access, EraseCandidate erase, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var candidateId = await access.ResolveAsync(body.Token, ct);
        if (candidateId is null || !await erase.HandleAsync(candidateId, ct)) return CandidateErrors.BadSignInLink.ToResult();
        return TypedResults.Ok(new EraseResult("erased"));
    }


}
