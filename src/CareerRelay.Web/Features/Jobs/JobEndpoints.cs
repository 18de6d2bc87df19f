using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Jobs;

public static class JobEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company/jobs").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("", CreateAsync)
            .WithSummary("Post a job (title, description, JIS prefecture code, skills, employment type, 職業分類 code, salary in yen per year).")
            .WithExamples(request: """{"title":"法人営業","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業","提案"],"employmentType":"full_time","occupationCode":"035","salaryMin":4500000,"salaryMax":6500000,"preferredSkills":["英語"],"remoteAllowed":true,"yearsRequired":2}""", response: $$"""{"id":"{{Id}}","title":"法人営業","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業","提案"],"employmentType":"full_time","occupationCode":"035","salaryMin":4500000,"salaryMax":6500000,"status":"open","createdAt":"2026-11-20T03:00:00Z","preferredSkills":["英語"],"remoteAllowed":true,"yearsRequired":2}""");
        company.MapGet("", ListAsync)
            .WithSummary("The company's jobs.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","title":"法人営業","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業"],"employmentType":"full_time","occupationCode":"035","salaryMin":4500000,"salaryMax":6500000,"status":"open","createdAt":"2026-11-20T03:00:00Z","preferredSkills":[],"remoteAllowed":false,"yearsRequired":null}],"nextCursor":null}""");
        company.MapPut("/{id}", UpdateAsync)
            .WithSummary("Edit a job (same body and rules as posting one).")
            .WithExamples(request: """{"title":"法人営業（リーダー）","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業"],"employmentType":"full_time"}""", response: $$"""{"id":"{{Id}}","title":"法人営業（リーダー）","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業"],"employmentType":"full_time","occupationCode":null,"salaryMin":null,"salaryMax":null,"status":"open","createdAt":"2026-11-20T03:00:00Z","preferredSkills":[],"remoteAllowed":false,"yearsRequired":null}""");
        company.MapPost("/{id}/close", CloseAsync)
            .WithSummary("Close a job.")
            .WithExamples(response: $$"""{"id":"{{Id}}","title":"法人営業","description":"…","prefecture":"13","skills":[],"employmentType":"full_time","occupationCode":null,"salaryMin":null,"salaryMax":null,"status":"closed","createdAt":"2026-11-20T03:00:00Z","preferredSkills":[],"remoteAllowed":false,"yearsRequired":null}""");
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
