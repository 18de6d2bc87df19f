using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.OpenApi;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Interviews;

/// <summary>面談 scheduling: the agency API, the person's public routes and the reminder job; the pages live with /me and the workspace.</summary>
public static class InterviewsFeature
{
    public static WebApplicationBuilder AddInterviews(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<InterviewScheduling>();
        builder.Services.AddSingleton<InterviewReminders>().AddHostedService(sp => sp.GetRequiredService<InterviewReminders>());
        return builder;
    }

    private const string Example = $$"""{"id":"{{Id}}","candidateId":"{{Id2}}","status":"proposed","mode":"online","place":"Zoom（URL は確定後にお送りします）","slots":[{"id":"{{Id2}}","start":"2026-12-08T10:00:00+09:00","end":"2026-12-08T11:00:00+09:00"}],"chosenSlotId":null,"sequence":0,"createdAt":"2026-12-01T03:00:00Z"}""";

    public static IEndpointRouteBuilder MapInterviews(this IEndpointRouteBuilder app)
    {
        var agency = app.MapGroup("/api/v1/agency").RequireAuthorization(ApiKeyAuthenticationSetup.AgencyPolicy).WithTags("Agency");
        agency.MapPost("/candidates/{id}/interviews", ProposeAsync).WithErrors(Messages.Conversations.Blocked)
            .WithSummary("Propose a 面談: 1–5 times (JST when no offset is given), in the future, on Japanese business days unless anyDay is true; mode online or in_person (a place is then required).")
            .WithExamples(request: """{"slots":[{"start":"2026-12-08T10:00:00+09:00","end":"2026-12-08T11:00:00+09:00"}],"mode":"online","place":"Zoom（URL は確定後にお送りします）"}""", response: Example);
        agency.MapGet("/candidates/{id}/interviews", ListAsync)
            .WithSummary("The agency's interviews with the person, newest first.")
            .WithExamples(response: $$"""{"items":[{{Example}}],"nextCursor":null}""");
        agency.MapPost("/interviews/{id}/reschedule", RescheduleAsync).WithErrors(InterviewScheduling.NotOpen)
            .WithSummary("Propose new times (the chosen one, if any, is released); the person chooses again and the calendar entry is replaced (same UID, higher SEQUENCE).")
            .WithExamples(request: """{"slots":[{"start":"2026-12-09T15:00:00+09:00","end":"2026-12-09T16:00:00+09:00"}]}""", response: Example);
        agency.MapPost("/interviews/{id}/cancel", CancelAsync).WithErrors(InterviewScheduling.NotOpen)
            .WithSummary("Cancel the interview; a chosen time is cancelled in both calendars (METHOD:CANCEL).")
            .WithExamples(response: Example);

        var open = app.MapGroup("/api/v1/public/me/interviews").RequireRateLimiting(PublicEndpoints.RateLimitPolicy).WithTags("Public");
        open.MapPost("/{id}/choose", ChooseAsync).WithErrors(CandidateErrors.BadSignInLink, InterviewScheduling.NotOpen, InterviewScheduling.SlotPast, Messages.Conversations.Closed)
            .WithSummary("The person picks one of the proposed times; both sides receive the calendar invitation.")
            .WithExamples(request: $$"""{"token":"me_4Hc…","slotId":"{{Id2}}"}""", response: Example);
        open.MapPost("/{id}/other-times", OtherTimesAsync).WithErrors(CandidateErrors.BadSignInLink, InterviewScheduling.NotOpen, Messages.Conversations.Closed)
            .WithSummary("None of the times suits the person: the agency is asked for others.")
            .WithExamples(request: """{"token":"me_4Hc…"}""", response: Example);
        return app;
    }

    private static async Task<Results<Created<InterviewItem>, ProblemHttpResult>> ProposeAsync(string id, InterviewRequest body, InterviewScheduling scheduling,
        CareerRelayDb db, CurrentTenant tenant, CancellationToken ct)
    {
        var contact = await db.Agencies.Where(a => a.Id == tenant.Id).Select(a => a.ContactEmail).FirstAsync(ct);
        var result = await scheduling.ProposeAsync(tenant.Id, Messages.MessagesFeature.Actor(tenant), contact, id, body, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created($"/api/v1/agency/candidates/{id}/interviews", result.Value!);
    }

    private static async Task<Results<Ok<Infrastructure.Lists.Page<InterviewItem>>, ProblemHttpResult>> ListAsync(string id, InterviewScheduling scheduling,
        Agencies.AgencyWork work, CurrentTenant tenant, CancellationToken ct) =>
        await work.SeesCandidateAsync(tenant.Id, id, ct)
            ? TypedResults.Ok(new Infrastructure.Lists.Page<InterviewItem>(await scheduling.ForAgencyAsync(tenant.Id, id, ct), null))
            : ApiError.NotFound("candidate").ToResult();

    private static async Task<Results<Ok<InterviewItem>, ProblemHttpResult>> RescheduleAsync(string id, RescheduleRequest body, InterviewScheduling scheduling,
        CurrentTenant tenant, CancellationToken ct)
    {
        var result = await scheduling.RescheduleAsync(tenant.Id, id, body, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }

    private static async Task<Results<Ok<InterviewItem>, ProblemHttpResult>> CancelAsync(string id, InterviewScheduling scheduling, CurrentTenant tenant,
        CancellationToken ct)
    {
        var result = await scheduling.CancelAsync(tenant.Id, id, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }

    private static async Task<Results<Ok<InterviewItem>, ProblemHttpResult>> ChooseAsync(string id, ChooseRequest body, HttpContext http,
        CandidateAccess access, InterviewScheduling scheduling, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var candidateId = await access.ResolveAsync(body.Token, ct);
        if (candidateId is null) return CandidateErrors.BadSignInLink.ToResult();
        var result = await scheduling.ChooseAsync(candidateId, id, body.SlotId, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }

    private static async Task<Results<Ok<InterviewItem>, ProblemHttpResult>> OtherTimesAsync(string id, OtherTimesRequest body, HttpContext http,
        CandidateAccess access, InterviewScheduling scheduling, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var candidateId = await access.ResolveAsync(body.Token, ct);
        if (candidateId is null) return CandidateErrors.BadSignInLink.ToResult();
        var result = await scheduling.AskOtherTimesAsync(candidateId, id, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }
}
