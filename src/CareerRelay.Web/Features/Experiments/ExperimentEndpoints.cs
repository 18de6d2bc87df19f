using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Experiments;

/// <summary>Rejection-mail experiments through the API: start one on a link, read its figures and statistics, promote a variant or stop.</summary>
public static class ExperimentEndpoints
{
    private const string Example = $$"""{"id":"{{Id}}","linkId":"{{Id2}}","linkLabel":"2027 新卒","name":"温かい文面は効くか","status":"running","winner":null,"minimumInvitations":200,"tooEarly":false,"createdAt":"2026-12-01T03:00:00Z","endedAt":null,"variants":[{"key":"A","tone":"standard","text":null,"invitations":1000,"clicks":410,"registrations":230,"verified":200,"qualified":190,"verifiedRate":0.2,"verifiedRateLow":0.1762,"verifiedRateHigh":0.2261,"z":null,"pValue":null,"verdict":"baseline"},{"key":"B","tone":"warm","text":null,"invitations":1000,"clicks":455,"registrations":270,"verified":240,"qualified":226,"verifiedRate":0.24,"verifiedRateLow":0.2144,"verifiedRateHigh":0.2676,"z":2.159,"pValue":0.0308,"verdict":"better"}]}""";

    internal static void Map(IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company/experiments").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("", CreateAsync)
            .WithErrors(ManageExperiments.Running)
            .WithSummary("Start a rejection-mail experiment (A/B) on a link: 2–4 variants, each a tone of the template or your own text with {{link}} (≤ 2,000 characters).")
            .WithDescription("While it runs, every invitation minted for the link — POST /invitations, CSV import, ATS intake, entrusted mail — gets a variant by a deterministic split on the invitation, and carries it (variant). One running experiment per link (409 experiment_running).")
            .WithExamples(request: $$$"""{"linkId":"{{{Id2}}}","name":"温かい文面は効くか","variants":[{"key":"A","tone":"standard"},{"key":"B","tone":"warm"},{"key":"C","text":"ご応募ありがとうございました。…\n{{link}}"}]}""",
                response: Example);
        company.MapGet("", async (ManageExperiments experiments, CurrentTenant tenant, CancellationToken ct) =>
                TypedResults.Ok(new Page<ExperimentItem>(await experiments.ListAsync(tenant.Id, ct), null)))
            .WithSummary("Your experiments, newest first.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","linkId":"{{Id2}}","linkLabel":"2027 新卒","name":"温かい文面は効くか","status":"running","winner":null,"keys":["A","B"],"createdAt":"2026-12-01T03:00:00Z","endedAt":null}],"nextCursor":null}""");
        company.MapGet("/{id}", async Task<Results<Ok<ExperimentResult>, ProblemHttpResult>> (string id, ManageExperiments experiments, CurrentTenant tenant, CancellationToken ct) =>
                await experiments.ResultAsync(tenant.Id, id, ct) is { } result ? TypedResults.Ok(result) : ApiError.NotFound("experiment").ToResult())
            .WithSummary("Each variant's invitations, clicks, registrations, verified and qualified; the verified rate with its 95 % Wilson interval; z and the two-sided p-value against the first variant; the verdict.")
            .WithDescription("verdict: baseline (the first variant), better, worse or no_difference at α = 0.05 (pooled two-proportion z-test of verified / invitations) — too_early until every variant has Experiments:MinimumInvitations invitations (default 200). Rates are fractions.")
            .WithExamples(response: Example);
        company.MapPost("/{id}/promote", async Task<Results<Ok<ExperimentResult>, ProblemHttpResult>> (string id, PromoteRequest body, ManageExperiments experiments,
                CurrentTenant tenant, CancellationToken ct) => Answer(await experiments.PromoteAsync(tenant.Id, id, body.Key, ct)))
            .WithErrors(ManageExperiments.Ended(ExperimentStatus.Stopped))
            .WithSummary("End the experiment and make the variant's wording the link's rejection-mail template.")
            .WithExamples(request: """{"key":"B"}""", response: Example.Replace("\"status\":\"running\",\"winner\":null", "\"status\":\"promoted\",\"winner\":\"B\""));
        company.MapPost("/{id}/stop", async Task<Results<Ok<ExperimentResult>, ProblemHttpResult>> (string id, ManageExperiments experiments, CurrentTenant tenant,
                CancellationToken ct) => Answer(await experiments.StopAsync(tenant.Id, id, ct)))
            .WithErrors(ManageExperiments.Ended(ExperimentStatus.Promoted))
            .WithSummary("End the experiment without a winner; the link keeps its wording.")
            .WithExamples(response: Example.Replace("\"status\":\"running\"", "\"status\":\"stopped\""));
    }

    private static async Task<Results<Created<ExperimentResult>, ProblemHttpResult>> CreateAsync(ExperimentRequest body, ManageExperiments experiments,
        CurrentTenant tenant, CancellationToken ct)
    {
        var result = await experiments.CreateAsync(tenant.Id, body, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created($"/api/v1/company/experiments/{result.Value!.Id}", result.Value);
    }

    private static Results<Ok<ExperimentResult>, ProblemHttpResult> Answer(Result<ExperimentResult> result) =>
        result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
}
