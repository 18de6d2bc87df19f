using CareerRelay.Web.Features.Operator;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// The education API: the operator adds schools and providers; a school reads its graduates' outcome figures (and, not a high
/// school, the graduates who agreed to be seen by name); a provider publishes courses, reads requests and records completions.
/// The tenant is the key's, never the body's: another partner's ids are simply not found.
/// </summary>
public static class EducationEndpoints
{
    private const string CourseExample = $$"""{"id":"{{Id}}","title":"Python入門（Excel業務の自動化）","description":"…","skills":["Python","Excel"],"hours":24,"priceYen":59800,"mode":"online","prefecture":null,"benefitEligible":true,"createdAt":"2026-12-01T03:00:00Z","closedAt":null,"requests":7,"completions":2}""";

    internal static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(ApiKeyAuthenticationSetup.OperatorPolicy).WithTags("Operator");
        admin.MapPost("/education-partners", CreatePartnerAsync)
            .WithSummary("Create a school (university, vocational_school, high_school) or a training provider (training_provider); answers its first API key (shown once). Its contact becomes the first admin of its workspace (/school or /provider).")
            .WithExamples(request: """{"name":"みどり大学 キャリアセンター","kind":"university","contactEmail":"career@midori-u.ac.jp"}""", response: $$"""{"id":"{{Id}}","apiKey":"cr_sc_Q2c9…"}""");
        admin.MapGet("/education-partners", async (EducationPartners partners, CancellationToken ct) => TypedResults.Ok(new Page<EducationPartnerItem>(await partners.ListAsync(ct), null)))
            .WithSummary("Every school and training provider.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","name":"みどり大学 キャリアセンター","kind":"university","contactEmail":"career@midori-u.ac.jp","createdAt":"2026-12-01T03:00:00Z"}],"nextCursor":null}""");
        admin.MapGet("/education", async (EducationKpis kpis, CancellationToken ct) => TypedResults.Ok(await kpis.ForNetworkAsync(ct)))
            .WithSummary("The education side of the network: partners, graduates sharing outcomes, open courses, requests, confirmed completions and those followed by a placement within six months.")
            .WithExamples(response: """{"schools":3,"providers":2,"sharingGraduates":41,"openCourses":9,"requests":120,"completions":35,"completionsFollowedByPlacement":12}""");

        var school = app.MapGroup("/api/v1/school").RequireAuthorization(ApiKeyAuthenticationSetup.SchoolPolicy).WithTags("School");
        school.MapKeyRoutes(Tenants.Roles.School); // their own keys: create (read or write), list, rotate, revoke
        school.MapGet("/outcomes", OutcomesAsync).WithErrors(ApiError.Invalid("fiscalYear", "Error.FiscalYear", SchoolOutcomes.FirstGraduationYear, 2032))
            .WithSummary("Outcomes of the graduates who named your school and agreed to share them: registered, supported by an agency, placed, still employed six months after the start. Each figure is null below five people; never who, never where.")
            .WithDescription("fiscalYear: the 卒業年度 (graduation fiscal year) the graduates gave; without it, all of them. fiscalYears lists the years that have graduates.")
            .WithExamples(response: $$"""{"schoolId":"{{Id}}","schoolName":"みどり大学 キャリアセンター","kind":"university","fiscalYear":2025,"registered":23,"supported":18,"placed":9,"employedAtSixMonths":null,"floor":5,"fiscalYears":[2026,2025]}""");
        school.MapGet("/graduates", GraduatesAsync).WithErrors(EducationErrors.NamesNotShown)
            .WithSummary("The graduates who also agreed to be seen by name, with how far they got (never the company). Not for high schools (403). Every read is audited.")
            .WithExamples(response: """{"items":[{"name":"佐藤 花子","graduationYear":2025,"stage":"placed"}],"nextCursor":null}""");

        var provider = app.MapGroup("/api/v1/provider").RequireAuthorization(ApiKeyAuthenticationSetup.ProviderPolicy).WithTags("Provider");
        provider.MapKeyRoutes(Tenants.Roles.Provider);
        provider.MapPost("/courses", CreateCourseAsync)
            .WithSummary("Publish a course. People whose recommended jobs ask for one of its skills, and who turned suggestions on, may see it on their page.")
            .WithDescription("mode: online or in_person (in_person needs the prefecture where it is held). benefitEligible: 教育訓練給付 eligibility as you declare it.")
            .WithExamples(request: """{"title":"Python入門（Excel業務の自動化）","description":"…","skills":["Python","Excel"],"hours":24,"priceYen":59800,"mode":"online","prefecture":null,"benefitEligible":true}""", response: CourseExample);
        provider.MapGet("/courses", async (ProviderWork work, CurrentTenant tenant, CancellationToken ct) => TypedResults.Ok(new Page<CourseItem>(await work.CoursesAsync(tenant.Id, ct), null)))
            .WithSummary("Your courses, newest first, each with its requests and confirmed completions.")
            .WithExamples(response: $$"""{"items":[{{CourseExample}}],"nextCursor":null}""");
        provider.MapPost("/courses/{id}/close", CloseCourseAsync)
            .WithSummary("Close a course: it is no longer suggested and takes no new requests. Closing a closed course changes nothing.")
            .WithExamples(response: CourseExample.Replace("\"closedAt\":null", "\"closedAt\":\"2026-12-05T03:00:00Z\""));
        provider.MapGet("/requests", RequestsAsync)
            .WithSummary("The requests people sent about your courses, newest first: only the fields each person chose to send (the others null). Every read is audited.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id2}}","courseId":"{{Id}}","courseTitle":"Python入門","sent":["name","email"],"name":"佐藤 花子","email":"hanako@example.jp","phone":null,"message":null,"createdAt":"2026-12-02T03:00:00Z","completedOn":null,"completion":"none"}],"nextCursor":null}""");
        provider.MapPost("/requests/{id}/completion", RecordCompletionAsync).WithErrors(EducationErrors.CompletionSettled)
            .WithSummary("Record that the person completed the course (completedOn: not before they asked, not in the future). It counts — as a skill agencies and matching see — only once the person confirms it on their page; they are mailed.")
            .WithExamples(request: """{"completedOn":"2026-12-04"}""", response: $$"""{"id":"{{Id2}}","completion":"waiting"}""");
        provider.MapGet("/kpis", async (EducationKpis kpis, CurrentTenant tenant, CancellationToken ct) => TypedResults.Ok(await kpis.ForProviderAsync(tenant.Id, ct)))
            .WithSummary("Your requests, confirmed completions, and completions followed by a placement within six months — each null below five people.")
            .WithExamples(response: """{"requests":42,"completions":11,"completionsFollowedByPlacement":null,"floor":5}""");
    }

    private static async Task<Results<Created<TenantCreated>, ProblemHttpResult>> CreatePartnerAsync(CreateEducationPartnerRequest body,
        EducationPartners partners, CancellationToken ct)
    {
        var result = await partners.CreateAsync(body, ct);
        if (result.Failed) return result.Error!.ToResult();
        var (partner, key) = result.Value;
        return TypedResults.Created($"/api/v1/admin/education-partners/{partner.Id}", new TenantCreated(partner.Id, key));
    }

    private static async Task<Results<Ok<Outcomes>, ProblemHttpResult>> OutcomesAsync(string? fiscalYear, SchoolOutcomes outcomes, CurrentTenant tenant,
        CancellationToken ct)
    {
        var year = outcomes.ParseFiscalYear(fiscalYear);
        if (year.Failed) return year.Error!.ToResult();
        return await outcomes.ForAsync(tenant.Id, year.Value, ct) is { } figures ? TypedResults.Ok(figures) : ApiError.NotFound("school").ToResult();
    }

    private static async Task<Results<Ok<Page<NamedGraduate>>, ProblemHttpResult>> GraduatesAsync(SchoolOutcomes outcomes, CurrentTenant tenant,
        CancellationToken ct) =>
        await outcomes.NamedAsync(tenant.Id, $"{tenant.Id}/{tenant.KeyId}", ct) is { } named
            ? TypedResults.Ok(new Page<NamedGraduate>(named, null))
            : EducationErrors.NamesNotShown.ToResult();

    private static async Task<Results<Created<CourseItem>, ProblemHttpResult>> CreateCourseAsync(CourseRequestBody body, ProviderWork work,
        CurrentTenant tenant, CancellationToken ct)
    {
        var result = await work.CreateCourseAsync(tenant.Id, body, Infrastructure.Localization.Lang.English, ct);
        if (result.Failed) return result.Error!.ToResult();
        return TypedResults.Created($"/api/v1/provider/courses/{result.Value!.Id}", ProviderWork.Item(result.Value, 0, 0));
    }

    private static async Task<Results<Ok<CourseItem>, ProblemHttpResult>> CloseCourseAsync(string id, ProviderWork work, CurrentTenant tenant,
        CancellationToken ct) =>
        await work.CloseCourseAsync(tenant.Id, id, ct) is { } course ? TypedResults.Ok(course) : ApiError.NotFound("course").ToResult();

    private static async Task<Ok<Page<CourseRequestItem>>> RequestsAsync(ProviderWork work, CurrentTenant tenant, CancellationToken ct) =>
        TypedResults.Ok(new Page<CourseRequestItem>(await work.RequestsAsync(tenant.Id, $"{tenant.Id}/{tenant.KeyId}", ct), null));

    private static async Task<Results<Ok<CompletionRecorded>, ProblemHttpResult>> RecordCompletionAsync(string id, CompletionRequest body, ProviderWork work,
        CurrentTenant tenant, CancellationToken ct)
    {
        var result = await work.RecordCompletionAsync(tenant.Id, id, body.CompletedOn, Infrastructure.Localization.Lang.English, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(new CompletionRecorded(id, result.Value!));
    }
}

public sealed record CompletionRecorded(string Id, string Completion);
