using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.OpenApi;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Messages;

/// <summary>Messages between an agency and a person: the agency API, the person's public route; the pages live with /me and the workspace.</summary>
public static class MessagesFeature
{
    public static WebApplicationBuilder AddMessages(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MessageOptions>().BindConfiguration("Messages").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<Conversations>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        var agency = app.MapGroup("/api/v1/agency").RequireAuthorization(ApiKeyAuthenticationSetup.AgencyPolicy).WithTags("Agency");
        agency.MapPost("/candidates/{id}/messages", SendAsync).WithErrors(Conversations.Blocked, Conversations.TooMany)
            .WithSummary("Write to a consenting person (≤ 4,000 characters). They are told by mail or LINE, without the text. 409 when they blocked this agency's messages; 429 beyond the sender's hourly limit.")
            .WithExamples(request: """{"text":"はじめまして。ご登録ありがとうございます。一度お電話でお話しできますか。"}""",
                response: $$"""{"id":"{{Id2}}","sender":"agency","text":"はじめまして。ご登録ありがとうございます。一度お電話でお話しできますか。","createdAt":"2026-11-20T04:00:00Z","readAt":null}""");
        agency.MapGet("/candidates/{id}/messages", ThreadAsync)
            .WithSummary("The thread with the person, oldest first (a read of personal data: audited); the person's messages become read.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id2}}","sender":"person","text":"火曜の午後なら大丈夫です。","createdAt":"2026-11-20T05:00:00Z","readAt":"2026-11-20T05:10:00Z"}],"nextCursor":null}""");

        var open = app.MapGroup("/api/v1/public/me").RequireRateLimiting(PublicEndpoints.RateLimitPolicy).WithTags("Public");
        open.MapPost("/messages", SendFromPersonAsync).WithErrors(CandidateErrors.BadSignInLink, Conversations.Closed, Conversations.TooMany)
            .WithSummary("The person writes to an agency they consented to (≤ 4,000 characters); 409 after they withdrew that consent.")
            .WithExamples(request: $$"""{"token":"me_4Hc…","agencyId":"{{Id}}","text":"火曜の午後なら大丈夫です。"}""",
                response: $$"""{"id":"{{Id2}}","sender":"person","text":"火曜の午後なら大丈夫です。","createdAt":"2026-11-20T05:00:00Z","readAt":null}""");
        return app;
    }

    private static async Task<Results<Created<MessageItem>, ProblemHttpResult>> SendAsync(string id, MessageRequest body, Conversations conversations,
        CurrentTenant tenant, CancellationToken ct)
    {
        var result = await conversations.SendFromAgencyAsync(tenant.Id, Actor(tenant), id, body.Text, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created($"/api/v1/agency/candidates/{id}/messages", result.Value!);
    }

    private static async Task<Results<Ok<Page<MessageItem>>, ProblemHttpResult>> ThreadAsync(string id, string? limit, string? cursor,
        Conversations conversations, CurrentTenant tenant, HttpContext http, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var result = await conversations.ThreadForAgencyAsync(tenant.Id, Actor(tenant), id, page.Value, ct);
        http.Response.Headers.CacheControl = "no-store";
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }

    private static async Task<Results<Created<MessageItem>, ProblemHttpResult>> SendFromPersonAsync(PersonMessageRequest body, HttpContext http,
        CandidateAccess access, Conversations conversations, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var candidateId = await access.ResolveAsync(body.Token, ct);
        if (candidateId is null) return CandidateErrors.BadSignInLink.ToResult();
        var result = await conversations.SendFromPersonAsync(candidateId, body.AgencyId, body.Text, Lang.FromRequest(http.Request), ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created("/me#messages", result.Value!);
    }

    /// <summary>The agency and the key it used, as the audit log and the pipeline record them.</summary>
    internal static string Actor(CurrentTenant tenant) => $"{tenant.Id}/{tenant.KeyId}";
}
