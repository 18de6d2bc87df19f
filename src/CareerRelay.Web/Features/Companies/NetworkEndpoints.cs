using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Companies;

/// <summary>A company's place in the network: partner contribution and consortia, as API routes and the /console/network page.</summary>
public static class NetworkEndpoints
{

    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/company").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company network");
        api.MapGet("/partner-contribution", async (CurrentTenant tenant, PartnerContribution contribution, CancellationToken ct) =>
            TypedResults.Ok(await contribution.ForCompanyAsync(tenant.Id, ct)))
            .WithSummary("パートナー貢献度: per agency (registrations relayed, placements, satisfaction) and per partner organisation or school (referred in, relayed, placements, satisfaction). Satisfaction only from five answers.")
            .WithExamples(response: $$$"""{"agencies":[{"agencyId":"{{{Id}}}","name":"エージェントA","registrationsRelayed":42,"placements":6,"satisfaction":{"answers":12,"average":8.4}}],"organisations":[{"referrerId":"{{{Id2}}}","name":"○○大学 キャリアセンター","type":"school","referralsIn":9,"registrationsRelayed":3,"placements":2,"satisfaction":{"answers":2,"average":null}}]}""");
        api.MapGet("/consortia", async (CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
            TypedResults.Ok(new Page<Consortia.ConsortiumItem>(await consortia.ForCompanyAsync(tenant.Id, ct), null)))
            .WithSummary("The consortia this company belongs to, with their members.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","name":"関西 IT 採用アライアンス","members":["株式会社A","株式会社B","株式会社C"],"createdAt":"2026-11-20T03:00:00Z"}],"nextCursor":null}""");
        api.MapPost("/consortia", async Task<Results<Created<Consortia.ConsortiumCreated>, ProblemHttpResult>> (ConsortiumRequest body, CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
        {
            var created = await consortia.CreateAsync(tenant.Id, body.Name, ct);
            return created.Failed ? created.Error!.ToResult() : TypedResults.Created($"/api/v1/company/consortia/{created.Value!.Id}", created.Value);
        })
            .WithSummary("Create a consortium; this company joins it and gets the invite code (shown once) to give to the others.")
            .WithExamples(request: """{"name":"関西 IT 採用アライアンス"}""", response: $$"""{"id":"{{Id}}","name":"関西 IT 採用アライアンス","inviteCode":"CR-7KQM-2XRP-9WFD-H3TN"}""");
        api.MapPost("/consortia/join", async Task<Results<Ok<Consortia.ConsortiumItem>, ProblemHttpResult>> (JoinRequest body, CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
        {
            var joined = await consortia.JoinAsync(tenant.Id, body.InviteCode, ct);
            return joined.Failed ? joined.Error!.ToResult() : TypedResults.Ok(joined.Value!);
        })
            .WithSummary("Join a consortium with its invite code (again: no change).")
            .WithExamples(request: """{"inviteCode":"CR-7KQM-2XRP-9WFD-H3TN"}""", response: $$"""{"id":"{{Id}}","name":"関西 IT 採用アライアンス","members":["株式会社A","株式会社B"],"createdAt":"2026-11-20T03:00:00Z"}""");
        api.MapGet("/consortia/{id}/summary", async Task<Results<Ok<Consortia.ConsortiumSummary>, ProblemHttpResult>> (string id, CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
            await consortia.SummaryAsync(tenant.Id, id, ct) is { } summary ? TypedResults.Ok(summary) : ApiError.NotFound("consortium").ToResult())
            .WithSummary("The members' pooled, anonymised funnel and the flows between them (rejected at one member, placed at another). Counts below 5 are null; never a person.")
            .WithExamples(response: $$"""{"id":"{{Id}}","name":"関西 IT 採用アライアンス","members":["株式会社A","株式会社B"],"funnel":{"invitations":1200,"registrations":310,"qualifiedReferrals":280,"placements":14},"flows":[{"from":"株式会社A","to":"株式会社B","placements":6},{"from":"株式会社B","to":"株式会社A","placements":null}]}""");
        api.MapPost("/consortia/{id}/leave", async Task<Results<NoContent, ProblemHttpResult>> (string id, CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
            await consortia.LeaveAsync(tenant.Id, id, ct) ? TypedResults.NoContent() : ApiError.NotFound("consortium").ToResult())
            .WithSummary("Leave a consortium: its members no longer see this company's figures.");

        var console = app.MapConsolePages("/console/network", ConsoleAuth.Policy);
        console.MapGet("", ([AsParameters] ConsolePage page, PartnerContribution contribution, Consortia consortia, CancellationToken ct) =>
            RenderAsync(page, contribution, consortia, null, null, FormErrors.None, FormErrors.None, 200, ct));
        console.MapPost("/consortia", async ([AsParameters] ConsolePage page, PartnerContribution contribution, Consortia consortia, CancellationToken ct) =>
        {
            var created = await consortia.CreateAsync(page.User.CompanyId, (await page.Http.Request.ReadFormAsync(ct))["name"], ct);
            return await RenderAsync(page, contribution, consortia, created.Failed ? null : created.Value,
                created.Failed ? null : Texts.Format("Network.Created", Lang.FromQuery(page.Http.Request), created.Value!.Name),
                ConsolePages.Errors(page.Http, created.Error), FormErrors.None, created.Failed ? 400 : 201, ct);
        });
        console.MapPost("/consortia/join", async ([AsParameters] ConsolePage page, PartnerContribution contribution, Consortia consortia, CancellationToken ct) =>
        {
            var joined = await consortia.JoinAsync(page.User.CompanyId, (await page.Http.Request.ReadFormAsync(ct))["inviteCode"], ct);
            var lang = Lang.FromQuery(page.Http.Request);
            // A code that is malformed and one that matches nothing read the same: nothing tells which codes exist.
            return await RenderAsync(page, contribution, consortia, null,
                joined.Failed ? null : Texts.Format("Network.Joined", lang, joined.Value!.Name), FormErrors.None,
                joined.Failed ? ConsolePages.Errors(page.Http, ApiError.Invalid("inviteCode", "Network.JoinFailed")) : FormErrors.None,
                joined.Failed ? joined.Error!.Status : 200, ct);
        });
        console.MapPost("/consortia/{id}/leave", async (string id, [AsParameters] ConsolePage page, PartnerContribution contribution, Consortia consortia, CancellationToken ct) =>
        {
            if (!await consortia.LeaveAsync(page.User.CompanyId, id, ct)) return ConsolePages.NotFound();
            return await RenderAsync(page, contribution, consortia, null, Texts.Get("Network.Left", Lang.FromQuery(page.Http.Request)), FormErrors.None, FormErrors.None, 200, ct);
        });
    }

    private static async Task<IResult> RenderAsync(ConsolePage page, PartnerContribution contribution, Consortia consortia, Consortia.ConsortiumCreated? created, string? message, FormErrors createErrors, FormErrors joinErrors, int status, CancellationToken ct)
    {
        var mine = await consortia.ForCompanyAsync(page.User.CompanyId, ct);
        var summaries = new List<Consortia.ConsortiumSummary>();
        foreach (var c in mine) summaries.Add((await consortia.SummaryAsync(page.User.CompanyId, c.Id, ct))!);
        return await page.RenderAsync(PageParameters.For<Pages.NetworkPage>()
            .With(p => p.Contribution, await contribution.ForCompanyAsync(page.User.CompanyId, ct))
            .With(p => p.Consortia, summaries)
            .With(p => p.Created, created)
            .With(p => p.Message, message)
            .With(p => p.CreateErrors, createErrors)
            .With(p => p.JoinErrors, joinErrors), status);
    }
}
