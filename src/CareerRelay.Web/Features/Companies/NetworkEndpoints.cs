using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Companies;

/// <summary>A company's place in the network: partner contribution and consortia, as API routes and the /console/network page.</summary>
public static class NetworkEndpoints
{

    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/company").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company network");
        api.MapGet("/partner-contribution", async (CurrentTenant tenant, PartnerContribution contribution, CancellationToken ct) =>
            TypedResults.Ok(await contribution.ForCompanyAsync(tenant.Id, ct)));
        api.MapGet("/consortia", async (CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
            TypedResults.Ok(new Page<Consortia.ConsortiumItem>(await consortia.ForCompanyAsync(tenant.Id, ct), null)));
        api.MapPost("/consortia", async Task<Results<Created<Consortia.ConsortiumCreated>, ProblemHttpResult>> (ConsortiumRequest body, CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
        {
            var created = await consortia.CreateAsync(tenant.Id, body.Name, ct);
            return created.Failed ? created.Error!.ToResult() : TypedResults.Created($"/api/v1/company/consortia/{created.Value!.Id}", created.Value);
        });
        api.MapPost("/consortia/join", async Task<Results<Ok<Consortia.ConsortiumItem>, ProblemHttpResult>> (JoinRequest body, CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
        {
            var joined = await consortia.JoinAsync(tenant.Id, body.InviteCode, ct);
            return joined.Failed ? joined.Error!.ToResult() : TypedResults.Ok(joined.Value!);
        });
        api.MapGet("/consortia/{id}/summary", async Task<Results<Ok<Consortia.ConsortiumSummary>, ProblemHttpResult>> (string id, CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
            await consortia.SummaryAsync(tenant.Id, id, ct) is { } summary ? TypedResults.Ok(summary) : ApiError.NotFound("consortium").ToResult());
        api.MapPost("/consortia/{id}/leave", async Task<Results<NoContent, ProblemHttpResult>> (string id, CurrentTenant tenant, Consortia consortia, CancellationToken ct) =>
            await consortia.LeaveAsync(tenant.Id, id, ct) ? TypedResults.NoContent() : ApiError.NotFound("consortium").ToResult());

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
