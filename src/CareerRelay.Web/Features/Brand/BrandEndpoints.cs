using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Brand;

/// <summary>The company's public profile through the API (a read-write key: the same as the console's admins).</summary>
public static class BrandEndpoints
{
    private const string Example = """{"slug":"sample-shoji","public":true,"message":"選考にご応募いただいたすべての方に、次の一歩を。","showInDirectory":true,"url":"https://relay.example/c/sample-shoji","badgeUrl":"https://relay.example/c/sample-shoji/badge.svg","updatedAt":"2026-12-05T03:00:00Z"}""";

    internal static void Map(IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapGet("/profile", async (SetCompanyProfile profiles, CurrentTenant tenant, CancellationToken ct) =>
                await profiles.GetAsync(tenant.Id, ct) is { } item ? (Results<Ok<ProfileItem>, ProblemHttpResult>)TypedResults.Ok(item) : ApiError.NotFound("profile").ToResult())
            .WithSummary("Your public profile (採用ブランディング): the page /c/{slug}, its badge and whether the directory lists you; 404 until you set one.")
            .WithExamples(response: Example);
        company.MapPut("/profile", SetAsync)
            .WithErrors(BrandErrors.SlugTaken)
            .WithSummary("Set your public profile: slug (3–40 of a–z, 0–9, hyphen; unique), public, message (≤ 1,000 characters), showInDirectory.")
            .WithDescription("The page shows your message, the relay in numbers (people supported, placed at other companies, satisfaction — each only from five people), your partner agencies and your alumni link. A read-write key is needed.")
            .WithExamples(request: """{"slug":"sample-shoji","public":true,"message":"選考にご応募いただいたすべての方に、次の一歩を。","showInDirectory":true}""", response: Example);
    }

    private static async Task<Results<Ok<ProfileItem>, ProblemHttpResult>> SetAsync(ProfileRequest body, SetCompanyProfile profiles, CurrentTenant tenant,
        CancellationToken ct)
    {
        var saved = await profiles.HandleAsync(tenant.Id, body, ct);
        return saved.Failed ? saved.Error!.ToResult() : TypedResults.Ok(saved.Value!);
    }
}
