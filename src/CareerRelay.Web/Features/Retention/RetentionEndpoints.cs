using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Retention;

/// <summary>The agency API for what happens after a placement: its follow-ups (定着確認) and the agency's legal figures.</summary>
public static class RetentionEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/company").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company")
            .MapGet("/retention", CompanyRetentionAsync)
            .WithSummary("6-month 定着率 and 採用リードタイム: of your own hires through agencies, of the people you relayed who were hired elsewhere (shown from five people), and of your referral hires.")
            .WithDescription("A rate counts placements whose six months have passed and whose outcome is known; `unknown` are the others. Figures about other companies' hires are null below five people (docs/figures.md).")
            .WithExamples(response: """{"hires":{"retention":{"known":4,"stayed":3,"unknown":1,"rate":75.0},"leadTime":{"people":5,"medianDays":38.5}},"relayedElsewhere":{"retention":{"known":3,"stayed":null,"unknown":0,"rate":null},"leadTime":{"people":3,"medianDays":null}},"referralHires":{"retention":{"known":2,"stayed":2,"unknown":0,"rate":100.0},"leadTime":{"people":2,"medianDays":21.0}}}""");
        var agency = app.MapGroup("/api/v1/agency").RequireAuthorization(ApiKeyAuthenticationSetup.AgencyPolicy).WithTags("Agency");
        agency.MapGet("/placements/{id}", PlacementAsync)
            .WithSummary("One of this agency's placements: its follow-ups due (1, 3, 6 months after the start), the person's own answers and what was recorded.")
            .WithExamples(response: $$"""{"id":"{{Id}}","candidateId":"{{Id2}}","jobId":null,"hiringCompanyName":"株式会社サンプル","startDate":"2026-04-01","employmentType":"indefinite","redemptionId":null,"feeWaived":false,"createdAt":"2026-03-20T03:00:00Z","status":"employed","checks":[{"month":1,"dueOn":"2026-05-01","done":true,"personAnswer":"employed","personAnsweredAt":"2026-05-02T01:00:00Z"},{"month":3,"dueOn":"2026-07-01","done":false,"personAnswer":null,"personAnsweredAt":null},{"month":6,"dueOn":"2026-10-01","done":false,"personAnswer":null,"personAnsweredAt":null}],"followUps":[{"id":"{{Id}}","checkMonth":1,"status":"employed","leftOn":null,"reason":null,"recordedAt":"2026-05-03T02:00:00Z"}],"slotReturned":false}""");
        agency.MapPost("/placements/{id}/follow-ups", RecordAsync)
            .WithSummary("Record a follow-up (201); the same as the newest one again answers 200 with it. leftOn and reason only with \"left\".")
            .WithDescription("""
                A free hire (a placement that fulfilled a redemption) that left within Relay:SlotGuaranteeDays (default 90) of its start,
                for any reason but dismissal, gives the hiring company its slot back (ledger entry slot.returned_early_leave, webhook
                slot.returned) — once, however many follow-ups say so. A later follow-up saying "employed" takes it back with a
                compensating entry (slot.early_leave_reversed, webhook slot.return_reversed).
                """)
            .WithExamples(request: """{"status":"left","leftOn":"2026-05-20","reason":"voluntary"}""",
                response: $$"""{"id":"{{Id}}","checkMonth":1,"status":"left","leftOn":"2026-05-20","reason":"voluntary","recordedAt":"2026-06-01T02:00:00Z"}""");
        agency.MapGet("/refund-rule", RefundRuleAsync)
            .WithSummary("The agency's refund rule (返金規定), part of its fee table: the share of the fee a leave within so many months of the start refunds.")
            .WithExamples(response: """{"tiers":[{"withinMonths":1,"percent":80},{"withinMonths":3,"percent":50}]}""");
        agency.MapPut("/refund-rule", SetRefundRuleAsync)
            .WithSummary("Replace the refund rule: up to 6 steps, months rising (1–36), shares not rising (0–100 %); an empty list states none.")
            .WithDescription("Shown beside the fee table on every landing page, and applied to recorded early leaves in the workspace and on the hiring company's page. CareerRelay computes the figure; it never moves money.")
            .WithExamples(request: """{"tiers":[{"withinMonths":1,"percent":80},{"withinMonths":3,"percent":50}]}""",
                response: """{"tiers":[{"withinMonths":1,"percent":80},{"withinMonths":3,"percent":50}]}""");
        agency.MapGet("/disclosures", DisclosureAsync)
            .WithSummary("The figures 職業安定法施行規則 24条の8 asks the agency to publish, for a fiscal year (April–March, by start date; ?fiscalYear=, default the current one).")
            .WithExamples(response: """{"fiscalYear":2026,"from":"2026-04-01","to":"2027-03-31","placements":12,"indefinite":9,"indefiniteLeftWithinSixMonths":1,"indefiniteUnknown":0}""");
    }

    private static async Task<Ok<CompanyRetention>> CompanyRetentionAsync(RetentionKpis kpis, CurrentTenant tenant, CancellationToken ct) =>
        TypedResults.Ok(await kpis.ForCompanyAsync(tenant.Id, ct));

    private static async Task<Ok<RefundRuleItem>> RefundRuleAsync(CareerRelayDb db, CurrentTenant tenant, CancellationToken ct) =>
        TypedResults.Ok(new RefundRuleItem(RefundRule.Parse(await db.Agencies.Where(a => a.Id == tenant.Id).Select(a => a.RefundRule).FirstOrDefaultAsync(ct))));

    private static async Task<Results<Ok<RefundRuleItem>, ProblemHttpResult>> SetRefundRuleAsync(RefundRuleRequest body, SetRefundRule set,
        CurrentTenant tenant, CancellationToken ct)
    {
        var result = await set.HandleAsync(tenant.Id, body, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(new RefundRuleItem(result.Value!));
    }

    private static async Task<Results<Ok<PlacementDetail>, ProblemHttpResult>> PlacementAsync(string id, ShowPlacement show, CurrentTenant tenant,
        CancellationToken ct) =>
        await show.ForAgencyAsync(tenant.Id, id, ct) is { } detail ? TypedResults.Ok(detail) : ApiError.NotFound("placement").ToResult();

    /// <summary>201 for a new follow-up; 200 with the newest one when it says the same.</summary>
    private static async Task<IResult> RecordAsync(string id, FollowUpRequest body, RecordFollowUp record, CurrentTenant tenant, CancellationToken ct)
    {
        var result = await record.HandleAsync(tenant.Id, $"{tenant.Id}/{tenant.KeyId}", id, body, ct);
        if (result.Failed) return result.Error!.ToResult();
        var (item, created) = result.Value;
        return created ? TypedResults.Created($"/api/v1/agency/placements/{id}", item) : TypedResults.Ok(item);
    }

    private static async Task<Results<Ok<Disclosure>, ProblemHttpResult>> DisclosureAsync(string? fiscalYear, AgencyDisclosures disclosures,
        CurrentTenant tenant, CancellationToken ct)
    {
        var year = disclosures.ParseFiscalYear(fiscalYear);
        return year.Failed ? year.Error!.ToResult() : TypedResults.Ok(await disclosures.ForAsync(tenant.Id, year.Value, ct));
    }
}
