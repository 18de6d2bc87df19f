using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Agencies;

/// <summary>
/// The agency API (SPEC §6): only candidates who consented to this agency and confirmed their email; every
/// read of personal data is audited; support steps, introductions, placements, jobs and the redemption inbox.
/// </summary>
public static class AgencyEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var agency = app.MapGroup("/api/v1/agency").RequireAuthorization(ApiKeyAuthenticationSetup.AgencyPolicy).WithTags("Agency");
        agency.MapGet("/candidates", CandidatesAsync);
        agency.MapGet("/candidates/{id}", CandidateAsync);
        agency.MapPost("/candidates/{id}/events", RecordEventAsync);
        agency.MapPost("/candidates/{id}/introductions", IntroduceAsync);
        agency.MapPost("/placements", RecordPlacementAsync).WithErrors(AgencyErrors.RedemptionFulfilled, AgencyErrors.RedemptionForAnotherJob);
        agency.MapGet("/jobs", JobsAsync);
        agency.MapGet("/jobs/{id}/matches", MatchesAsync).WithErrors(ProblemHandling.MethodNotAllowed("POST"));
        agency.MapGet("/redemptions", RedemptionsAsync);
        agency.MapPost("/redemptions/{id}/accept", AcceptRedemptionAsync);
        agency.MapWebhookRoutes("agency", Infrastructure.Webhooks.AgencyEvents.All);
        agency.MapKeyRoutes(Features.Tenants.Roles.Agency);
    }

    private static async Task<Results<Ok<Page<CandidateItem>>, ProblemHttpResult>> CandidatesAsync(
        string? limit, string? cursor, string? stage, AgencyCandidates candidates, CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        if (stage is not null && !PipelineStages.Board.Contains(stage)) return ApiError.Invalid("stage", "Error.OneOf", string.Join(", ", PipelineStages.Board)).ToResult();
        var result = await candidates.ListAsync(tenant.Id, Actor(tenant), new AgencyCandidates.Filter(Stage: stage), page.Value, ct);
        return TypedResults.Ok(new Page<CandidateItem>([.. result.Items.Select(c => new CandidateItem(c.Id, c.Profile.Name, c.Profile.Email,
            c.Profile.Phone, c.Profile.Prefecture, c.Profile.Skills, c.Stage, c.RegisteredAt))], result.NextCursor));
    }

    private static async Task<Results<Ok<AgencyCandidates.Detail>, ProblemHttpResult>> CandidateAsync(
        string id, AgencyCandidates candidates, CurrentTenant tenant, CancellationToken ct) =>
        await candidates.DetailAsync(tenant.Id, Actor(tenant), id, ct) is { } detail ? TypedResults.Ok(detail) : ApiError.NotFound("candidate").ToResult();

    private static async Task<Results<Created<EventItem>, ProblemHttpResult>> RecordEventAsync(
        string id, EventRequest body, AgencyWork work, CurrentTenant tenant, CancellationToken ct)
    {
        var result = await work.RecordEventAsync(tenant.Id, Actor(tenant), id, body, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created($"/api/v1/agency/candidates/{id}", result.Value!);
    }

    private static async Task<Results<Created<IntroductionItem>, ProblemHttpResult>> IntroduceAsync(
        string id, IntroductionRequest body, AgencyWork work, CurrentTenant tenant, CancellationToken ct)
    {
        var result = await work.IntroduceAsync(tenant.Id, id, body.JobId, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created($"/api/v1/agency/candidates/{id}", result.Value!);
    }

    /// <summary>201 for a new placement; 200 with the same id when it was already recorded.</summary>
    private static async Task<IResult> RecordPlacementAsync(PlacementRequest body, AgencyWork work, CurrentTenant tenant, CancellationToken ct)
    {
        var result = await work.RecordPlacementAsync(tenant.Id, Actor(tenant), body, ct);
        if (result.Failed) return result.Error!.ToResult();
        var (placement, created) = result.Value;
        return created ? TypedResults.Created($"/api/v1/agency/placements/{placement.Id}", placement) : TypedResults.Ok(placement);
    }

    private static async Task<Results<Ok<Page<AgencyJobItem>>, ProblemHttpResult>> JobsAsync(
        string? limit, string? cursor, AgencyWork work, CareerRelayDb db, CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var rows = await work.VisibleJobs(tenant.Id).Join(db.Companies, j => j.CompanyId, c => c.Id, (j, c) => new { j, c.Name })
            .PageAfter(page.Value, x => x.j.Id).ToListAsync(ct);
        return TypedResults.Ok(page.Value.ToPage(rows, x => x.j.Id, x => AgencyJobItem.From(x.j, x.Name)));
    }

    /// <summary>
    /// This agency's consenting candidates ranked for one visible job, best first, each with its reasons in the
    /// request's language (<c>?lang=</c> or Accept-Language). Candidate ids and scores only: no personal data.
    /// </summary>
    private static async Task<Results<Ok<Page<MatchItem>>, ProblemHttpResult>> MatchesAsync(string id, string? limit, HttpRequest request,
        AgencyWork work, CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit ?? "20", null);
        if (page.Failed) return page.Error!.ToResult();
        var job = await work.VisibleJobs(tenant.Id).AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return ApiError.NotFound("job").ToResult();
        var ranked = await work.RankForJobAsync(tenant.Id, job, Infrastructure.Localization.Lang.FromRequest(request), page.Value.Limit, ct);
        return TypedResults.Ok(new Page<MatchItem>([.. ranked.Select(m => new MatchItem(m.CandidateId, m.Score, m.Reasons))], null));
    }

    private static async Task<Ok<Page<InboxItem>>> RedemptionsAsync(AgencyWork work, CurrentTenant tenant, CancellationToken ct) =>
        TypedResults.Ok(new Page<InboxItem>(await work.RedemptionInboxAsync(tenant.Id, ct), null));

    private static async Task<Results<Ok<InboxItem>, ProblemHttpResult>> AcceptRedemptionAsync(
        string id, AgencyWork work, CurrentTenant tenant, CancellationToken ct)
    {
        var result = await work.AcceptRedemptionAsync(tenant.Id, id, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }

    /// <summary>Who acted, as recorded in the audit log and the pipeline: the agency and the key it used.</summary>
    private static string Actor(CurrentTenant tenant) => $"{tenant.Id}/{tenant.KeyId}";
}
