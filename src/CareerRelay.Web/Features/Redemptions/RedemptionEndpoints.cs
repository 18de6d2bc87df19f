using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Redemptions;

/// <summary>Spending a slot on a job (debited at once), and cancelling it (returned by a compensating entry).</summary>
public static class RedemptionEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company/redemptions").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("", OpenAsync).WithErrors(RedemptionErrors.InsufficientSlots)
            .WithSummary("Spend a free hire slot on a job; 409 insufficient_slots without one.")
            .WithExamples(request: $$"""{"jobId":"{{Id}}"}""", response: $$"""{"id":"{{Id2}}","jobId":"{{Id}}","status":"open","createdAt":"2026-11-20T03:00:00Z"}""");
        company.MapGet("", ListAsync)
            .WithSummary("The company's redemptions with their status (open, cancelled, fulfilled).")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id2}}","jobId":"{{Id}}","status":"open","createdAt":"2026-11-20T03:00:00Z"}],"nextCursor":null}""");
        company.MapPost("/{id}/cancel", CancelAsync).WithErrors(RedemptionErrors.FulfilledCannotBeCancelled)
            .WithSummary("Cancel an open redemption: the slot returns to the balance.")
            .WithExamples(response: $$"""{"id":"{{Id2}}","jobId":"{{Id}}","status":"cancelled","createdAt":"2026-11-20T03:00:00Z"}""");
    }

    public static RedemptionItem ToItem(Redemption r) => new(r.Id, r.JobId, r.Status, r.CreatedAt, r.CancelledAt, r.FulfilledAt);

    private static async Task<Results<Created<RedemptionItem>, ProblemHttpResult>> OpenAsync(
        RedemptionRequest body, CurrentTenant tenant, RedemptionActions actions, CancellationToken ct)
    {
        var result = await actions.OpenAsync(tenant.Id, body.JobId, ct);
        return result.Failed ? result.Error!.ToResult()
            : TypedResults.Created($"/api/v1/company/redemptions/{result.Value!.Id}", ToItem(result.Value));
    }

    private static async Task<Results<Ok<RedemptionItem>, ProblemHttpResult>> CancelAsync(
        string id, CurrentTenant tenant, RedemptionActions actions, CancellationToken ct)
    {
        var result = await actions.CancelAsync(tenant.Id, id, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(ToItem(result.Value!));
    }

    private static async Task<Results<Ok<Page<RedemptionItem>>, ProblemHttpResult>> ListAsync(
        string? limit, string? cursor, CareerRelayDb db, CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var p = page.Value;
        var companyId = tenant.Id;
        var rows = await db.Redemptions.AsNoTracking()
            .Where(r => r.CompanyId == companyId).PageAfter(p, r => r.Id).ToListAsync(ct);
        return TypedResults.Ok(p.ToPage(rows, r => r.Id, ToItem));
    }
}
