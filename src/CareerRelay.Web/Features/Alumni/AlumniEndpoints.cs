using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.OpenApi;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Alumni;

/// <summary>The alumni API: the company's links, members and re-hires; the public join that the /a page also uses.</summary>
public static class AlumniEndpoints
{
    private const string MemberExample = $$"""{"id":"{{Id}}","linkId":"{{Id2}}","joinedAt":"2026-11-20T03:00:00Z","shared":["name","lastRole","openTo"],"fields":{"name":"佐藤 花子","email":null,"joinedYear":null,"leftYear":null,"lastRole":"経理","openTo":["rehire","referral"]},"referrerMade":false,"rehires":[]}""";
    private const string LinkExample = $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/a/Xk3v9QpL0aZ2","label":"2026年度 退職者","message":null,"paused":false,"members":12,"createdAt":"2026-11-20T03:00:00Z"}""";

    internal static void Map(IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("/alumni-links", CreateLinkAsync)
            .WithSummary("Create an alumni link (アルムナイ): former employees join your alumni network through its page /a/{token}.")
            .WithExamples(request: """{"label":"2026年度 退職者","message":"またご一緒できる日を楽しみにしています。"}""",
                response: $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/a/Xk3v9QpL0aZ2","label":"2026年度 退職者"}""");
        company.MapGet("/alumni-links", LinksAsync)
            .WithSummary("Your alumni links, each with its confirmed members.")
            .WithExamples(response: $$"""{"items":[{{LinkExample}}],"nextCursor":null}""");
        company.MapPost("/alumni-links/{id}/pause", (string id, ManageAlumni alumni, CurrentTenant tenant, CancellationToken ct) => SetPausedAsync(id, true, alumni, tenant, ct))
            .WithSummary("Pause an alumni link: its page says so and takes no one.")
            .WithExamples(response: LinkExample.Replace("\"paused\":false", "\"paused\":true"));
        company.MapPost("/alumni-links/{id}/resume", (string id, ManageAlumni alumni, CurrentTenant tenant, CancellationToken ct) => SetPausedAsync(id, false, alumni, tenant, ct))
            .WithSummary("Resume a paused alumni link.")
            .WithExamples(response: LinkExample);
        company.MapGet("/alumni", MembersAsync)
            .WithSummary("Confirmed members of your alumni network, each with only the fields they chose to share (the others are null). Every read is audited.")
            .WithExamples(response: $$"""{"items":[{{MemberExample}}],"nextCursor":null}""");
        company.MapPost("/alumni/{id}/rehire", RehireAsync)
            .WithSummary("Record that a member came back — re-hired or on contract — on a day (201); the same member, day and kind again answers 200 with it.")
            .WithExamples(request: """{"on":"2026-12-01","kind":"rehire"}""",
                response: $$"""{"id":"{{Id2}}","memberId":"{{Id}}","on":"2026-12-01","kind":"rehire","createdAt":"2026-12-01T03:00:00Z"}""");

        app.MapGroup("/api/v1/public").RequireRateLimiting(PublicEndpoints.RateLimitPolicy).WithTags("Public")
            .MapPost("/alumni", JoinAsync).WithErrors(RegistrationErrors.ConsentRequiredExample, PublicFormGuard.CrossSiteError, RegistrationErrors.LinkPaused)
            .WithSummary("Join a company's alumni network through its link; mails a confirmation link. The company sees nothing until it is confirmed, then only the fields in share.")
            .WithDescription("openTo: any of rehire, contract, referral, career_support. career_support needs consent (the current notice version and at least one of the agencies the company offers), as a relay registration does; joining is never a qualified referral. Always 202 for a valid request, whether or not the person was a member already.")
            .WithExamples(request: """{"token":"Xk3v9QpL0aZ2","name":"佐藤 花子","email":"hanako@example.jp","joinedYear":2018,"leftYear":2024,"lastRole":"経理","openTo":["rehire","referral"],"share":["name","lastRole","openTo"],"lang":"ja"}""",
                response: """{"status":"pending_verification"}""");
    }

    private static async Task<Results<Created<AlumniLinkCreated>, ProblemHttpResult>> CreateLinkAsync(AlumniLinkRequest body, ManageAlumni alumni,
        CurrentTenant tenant, CancellationToken ct)
    {
        var result = await alumni.CreateLinkAsync(tenant.Id, body.Label, body.Message, ct);
        if (result.Failed) return result.Error!.ToResult();
        var link = result.Value!;
        return TypedResults.Created($"/api/v1/company/alumni-links/{link.Id}", new AlumniLinkCreated(link.Id, link.Token, alumni.Url(link), link.Label));
    }

    private static async Task<Results<Ok<Page<AlumniLinkItem>>, ProblemHttpResult>> LinksAsync(string? limit, string? cursor, ManageAlumni alumni,
        CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        return page.Failed ? page.Error!.ToResult() : TypedResults.Ok(await alumni.LinksAsync(tenant.Id, page.Value, ct));
    }

    private static async Task<Results<Ok<AlumniLinkItem>, ProblemHttpResult>> SetPausedAsync(string id, bool paused, ManageAlumni alumni,
        CurrentTenant tenant, CancellationToken ct) =>
        await alumni.SetPausedAsync(tenant.Id, id, paused, ct) is { } item ? TypedResults.Ok(item) : ApiError.NotFound("alumni link").ToResult();

    private static async Task<Results<Ok<Page<AlumniItem>>, ProblemHttpResult>> MembersAsync(string? limit, string? cursor, ManageAlumni alumni,
        CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        return page.Failed ? page.Error!.ToResult() : TypedResults.Ok(await alumni.MembersAsync(tenant.Id, $"{tenant.Id}/{tenant.KeyId}", page.Value, ct));
    }

    private static async Task<Results<Created<RehireItem>, Ok<RehireItem>, ProblemHttpResult>> RehireAsync(string id, RehireRequest body,
        ManageAlumni alumni, CurrentTenant tenant, CancellationToken ct)
    {
        var result = await alumni.RecordRehireAsync(tenant.Id, id, body, ct);
        if (result.Failed) return result.Error!.ToResult();
        var (item, created) = result.Value;
        return created ? TypedResults.Created($"/api/v1/company/alumni/{id}/rehire", item) : TypedResults.Ok(item);
    }

    private static async Task<Results<Accepted<AlumniJoinAccepted>, ProblemHttpResult>> JoinAsync(AlumniJoinRequest body, HttpContext http,
        JoinAlumni join, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var lang = body.Lang is null ? Lang.FromRequest(http.Request) : Lang.Normalize(body.Lang);
        var result = await join.JoinAsync(body, http.Connection.RemoteIpAddress?.ToString(), lang, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Accepted((string?)null, result.Value!);
    }
}
