using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Jobs;

public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company/jobs").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("", CreateAsync);
        company.MapGet("", ListAsync);
        company.MapPost("/{id}/close", CloseAsync);
        return app;
    }

    public sealed record JobRequest(string? Title, string? Description, string? Prefecture, List<string?>? Skills, string? EmploymentType,
        string? OccupationCode, int? SalaryMin, int? SalaryMax);
    public sealed record JobItem(string Id, string Title, string Description, string Prefecture, IReadOnlyList<string> Skills,
        string EmploymentType, string? OccupationCode, int? SalaryMin, int? SalaryMax, string Status, DateTime CreatedAt);

    public static JobItem ToItem(Job j) => new(j.Id, j.Title, j.Description, j.Prefecture, j.Skills, j.EmploymentType, j.OccupationCode,
        j.SalaryMin, j.SalaryMax, j.Status, j.CreatedAt);

    private static async Task<Results<Created<JobItem>, ProblemHttpResult>> CreateAsync(
        JobRequest body, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var title = v.Required("title", body.Title, 200);
        var description = v.Optional("description", body.Description, 20_000, multiline: true) ?? "";
        if (description.Length == 0) v.Add("description", "This field is required.");
        var prefecture = v.Required("prefecture", body.Prefecture, 2);
        if (prefecture.Length > 0 && !Prefectures.IsValid(prefecture)) v.Add("prefecture", "Must be a JIS X 0401 code from \"01\" to \"47\".");
        if (body.Skills is null) v.Add("skills", "Give an array of strings (may be empty).");
        var skills = v.Strings("skills", body.Skills, 50, 100);
        var employmentType = v.Required("employmentType", body.EmploymentType, 20);
        if (employmentType.Length > 0 && !EmploymentTypes.All.Contains(employmentType))
            v.Add("employmentType", $"Must be one of {string.Join(", ", EmploymentTypes.All)}.");
        var occupation = v.Optional("occupationCode", body.OccupationCode, 20);
        if (body.SalaryMin is < 0) v.Add("salaryMin", "Must be zero or more yen per year.");
        if (body.SalaryMax is < 0) v.Add("salaryMax", "Must be zero or more yen per year.");
        if (body.SalaryMin is int min && body.SalaryMax is int max && min > max) v.Add("salaryMax", "Must not be below salaryMin.");
        if (!v.IsValid) return v.ToError().ToResult();

        var now = clock.GetUtcNow().UtcDateTime;
        var job = new Job
        {
            Id = Ids.New(), CompanyId = tenant.Id, Title = title, Description = description, Prefecture = prefecture, Skills = skills,
            EmploymentType = employmentType, OccupationCode = occupation, SalaryMin = body.SalaryMin, SalaryMax = body.SalaryMax,
            Status = "open", CreatedAt = now, UpdatedAt = now,
        };
        await gate.RunAsync(db, _ => { db.Jobs.Add(job); return Task.FromResult(0); }, ct);
        return TypedResults.Created($"/api/v1/company/jobs/{job.Id}", ToItem(job));
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

    private static async Task<Results<Ok<JobItem>, ProblemHttpResult>> CloseAsync(
        string id, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, TimeProvider clock, CancellationToken ct)
    {
        var companyId = tenant.Id;
        var job = await gate.RunAsync(db, async token =>
        {
            var found = await db.Jobs.FirstOrDefaultAsync(j => j.Id == id && j.CompanyId == companyId, token);
            if (found is not null) { found.Status = "closed"; found.UpdatedAt = clock.GetUtcNow().UtcDateTime; }
            return found;
        }, ct);
        return job is null ? ApiError.NotFound("job").ToResult() : TypedResults.Ok(ToItem(job));
    }
}
