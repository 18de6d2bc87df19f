using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

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
        agency.MapGet("/candidates", CandidatesAsync)
            .WithSummary("Candidates with an active consent to this agency (a read of personal data: audited).")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","name":"佐藤 花子","email":"hanako@example.jp","phone":"090-0000-0000","prefecture":"13","skills":["経理"],"stage":"new","registeredAt":"2026-11-20T03:00:00Z"}],"nextCursor":null}""");
        agency.MapGet("/candidates/{id}", CandidateAsync)
            .WithSummary("One consenting candidate's full profile and pipeline history (audited).")
            .WithExamples(response: $$"""{"id":"{{Id}}","profile":{"name":"佐藤 花子","email":"hanako@example.jp","nameKana":"サトウ ハナコ","phone":"090-0000-0000","prefecture":"13","desiredOccupation":"経理","skills":["経理","簿記2級"],"workHistory":[],"careerSummary":null,"jobSearchStatus":null,"excludedCompanies":[],"yearsOfExperience":5,"desiredSalary":5000000,"willingToRelocate":false,"desiredOccupationCodes":["027"]},"stage":"contacted","registeredAt":"2026-11-20T03:00:00Z","firstContactedAt":"2026-11-20T04:00:00Z","history":[{"id":"{{Id2}}","type":"contacted","note":null,"jobId":null,"actorId":"{{Id2}}","createdAt":"2026-11-20T04:00:00Z"}],"introductions":[],"placements":[],"hasResume":false,"relayedBy":["株式会社サンプル商事"]}""");
        agency.MapPost("/candidates/{id}/events", RecordEventAsync)
            .WithSummary("Record a step of the pipeline: contacted, interviewed, introduced, offered, placed or closed.")
            .WithExamples(request: """{"type":"contacted","note":"初回面談を設定","jobId":null}""", response: $$"""{"id":"{{Id2}}","candidateId":"{{Id}}","type":"contacted","note":"初回面談を設定","jobId":null,"createdAt":"2026-11-20T04:00:00Z"}""");
        agency.MapPost("/candidates/{id}/introductions", IntroduceAsync)
            .WithSummary("Introduce the candidate to a partner company's job; the company sees them only after the candidate agrees on /me.")
            .WithExamples(request: $$"""{"jobId":"{{Id2}}"}""", response: $$"""{"id":"{{Id}}","candidateId":"{{Id}}","jobId":"{{Id2}}","status":"awaiting_consent","createdAt":"2026-11-20T04:00:00Z"}""");
        agency.MapPost("/placements", RecordPlacementAsync).WithErrors(AgencyErrors.RedemptionFulfilled, AgencyErrors.RedemptionForAnotherJob)
            .WithSummary("Record a placement (201); the same placement again answers 200 with the same id.")
            .WithExamples(request: $$"""{"candidateId":"{{Id}}","jobId":"{{Id2}}","startDate":"2027-04-01","redemptionId":null}""", response: $$"""{"id":"{{Id2}}","jobId":"{{Id}}","hiringCompanyName":null,"startDate":"2027-04-01","feeWaived":false}""");
        agency.MapGet("/jobs", JobsAsync)
            .WithSummary("Open jobs of the agency's partner companies.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","companyId":"{{Id2}}","companyName":"株式会社サンプル","title":"法人営業","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業"],"employmentType":"full_time","salaryMin":4500000,"salaryMax":6500000,"createdAt":"2026-11-20T03:00:00Z","occupationCode":"035","preferredSkills":[],"remoteAllowed":false,"yearsRequired":null}],"nextCursor":null}""");
        agency.MapGet("/jobs/{id}/matches", MatchesAsync).WithErrors(ProblemHandling.MethodNotAllowed("POST"))
            .WithSummary("This agency's consenting candidates ranked for a job, best first, each with the reasons in the request's language (?limit=1–100, ?lang=ja|en).")
            .WithExamples(response: $$"""{"items":[{"candidateId":"{{Id}}","score":82.5,"reasons":["必須スキル 2/2 に一致（法人営業、提案）","希望職種が同じ職業分類（035）"]}]}""");
        agency.MapGet("/redemptions", RedemptionsAsync)
            .WithSummary("Open free-hire-slot redemptions this agency may fulfil.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id2}}","jobId":"{{Id}}","jobTitle":"法人営業","companyName":"株式会社サンプル","status":"open","acceptedByYou":false,"createdAt":"2026-11-20T03:00:00Z"}],"nextCursor":null}""");
        agency.MapPost("/redemptions/{id}/accept", AcceptRedemptionAsync)
            .WithSummary("Take on an open redemption (the agency will look for the hire).")
            .WithExamples(response: $$"""{"id":"{{Id2}}","jobId":"{{Id}}","jobTitle":"法人営業","companyName":"株式会社サンプル","status":"open","acceptedByYou":true,"createdAt":"2026-11-20T03:00:00Z"}""");
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
