using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Jobs;

public static class JobEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company/jobs").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("", CreateAsync);
        company.MapGet("", ListAsync);
        company.MapPut("/{id}", UpdateAsync);
        company.MapPost("/{id}/close", CloseAsync);
    }

    public static JobItem ToItem(Job j) => new(j.Id, j.Title, j.Description, j.Prefecture, j.Skills, j.EmploymentType, j.OccupationCode,
        j.SalaryMin, j.SalaryMax, j.Status, j.CreatedAt, j.PreferredSkills, j.RemoteAllowed, j.YearsRequired);

    private static async Task<Results<Created<JobItem>, ProblemHttpResult>> CreateAsync(
        JobRequest body, CurrentTenant tenant, JobActions actions, CancellationToken ct)
    {
        var result = await actions.CreateAsync(tenant.Id, body, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created($"/api/v1/company/jobs/{result.Value!.Id}", ToItem(result.Value));
    }

    private static async Task<Results<Ok<Page<JobItem>>, ProblemHttpResult>> ListAsync(
        string? limit, string? cursor, CareerRelayDb db, CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var p = page.Value;
        var companyId = tenant.Id;
        var rows = await db.Jobs.AsNoTracking()
            .Where(j => j.CompanyId == companyId).PageAfter(p, j => j.Id).ToListAsync(ct);
        return TypedResults.Ok(p.ToPage(rows, j => j.Id, ToItem));
    }

    /// <summary>Edits every field of an open or closed job (same body and rules as creating one).</summary>
    private static async Task<Results<Ok<JobItem>, ProblemHttpResult>> UpdateAsync(
        string id, JobRequest body, CurrentTenant tenant, JobActions actions, CancellationToken ct)
    {
        var result = await actions.UpdateAsync(tenant.Id, id, body, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(ToItem(result.Value!));
    }

    private static async Task<Results<Ok<JobItem>, ProblemHttpResult>> CloseAsync(
        string id, CurrentTenant tenant, JobActions actions, CancellationToken ct) =>
        await actions.CloseAsync(tenant.Id, id, ct) is { } job ? TypedResults.Ok(ToItem(job)) : ApiError.NotFound("job").ToResult();
}
