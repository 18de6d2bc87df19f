using CareerRelay.Web.Infrastructure.Webhooks;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Companies;

/// <summary>The company's choice of partner agencies and the loop in numbers (aggregates only — never a candidate).</summary>
public static class CompanyEndpoints
{
    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);

    internal static void Map(IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapWebhookRoutes("company", CompanyEvents.All);
        company.MapKeyRoutes(Roles.Company);
        company.MapGet("/partner-agencies", GetPartnersAsync)
            .WithSummary("The agencies this company relays to (none chosen: every active agency).")
            .WithExamples(response: $$"""{"agencyIds":["{{Id}}"],"agencies":[{"id":"{{Id}}","name":"エージェントA","licenseNumber":"13-ユ-123456","active":true}]}""");
        company.MapPut("/partner-agencies", PutPartnersAsync)
            .WithSummary("Replace the partner agencies; an empty list means every active agency.")
            .WithExamples(request: $$"""{"agencyIds":["{{Id}}"]}""", response: $$"""{"agencyIds":["{{Id}}"],"agencies":[{"id":"{{Id}}","name":"エージェントA","licenseNumber":"13-ユ-123456","active":true}]}""");
        company.MapGet("/summary", SummaryAsync)
            .WithSummary("The loop in numbers: invitations, clicks, registrations, qualified referrals, slots, placements. Aggregates only. ?by=source: the same per ?src= source.")
            .WithDescription("With ?by=source the answer is {\"by\":\"source\",\"items\":[{\"source\":\"job-fair\",\"clicks\":120,\"registrations\":14,\"verified\":12,\"qualifiedReferrals\":11}]}: per source (one of your links' sources, or other) its clicks, the registrations made through it, how many of those confirmed their address and how many became qualified referrals.")
            .WithExamples(response: """{"invitationsSent":120,"clicks":64,"registrations":23,"verified":21,"held":1,"qualifiedReferrals":20,"referralsPerSlot":10,"progressToNextSlot":0,"slotsEarned":2,"slotsRedeemed":1,"slotsAvailable":1,"slotsOwed":0,"placements":3}""");
        company.MapGet("/loop", async (CareerRelayDb db, CurrentTenant tenant, CancellationToken ct) => TypedResults.Ok(await LoopFigures.ForCompanyAsync(db, tenant.Id, ct)))
            .WithSummary("The loop in numbers: referred applications in, hires from them, rejections relayed, relayed people placed elsewhere, re-applications.")
            .WithExamples(response: """{"referralsIn":12,"referralHires":2,"rejectionsRelayed":240,"placedElsewhere":5,"reapplications":3}""");
    }

    private static async Task<Ok<PartnerAgencies>> GetPartnersAsync(CareerRelayDb db, CurrentTenant tenant, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await LoadPartnersAsync(db, tenant.Id, clock, ct));

    private static async Task<PartnerAgencies> LoadPartnersAsync(CareerRelayDb db, string companyId, TimeProvider clock, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var agencies = await (from p in db.CompanyPartnerAgencies.AsNoTracking()
                              join a in db.Agencies on p.AgencyId equals a.Id
                              where p.CompanyId == companyId
                              orderby a.Name
                              select a).ToListAsync(ct);
        return new PartnerAgencies(agencies.Select(a => a.Id).ToList(),
            agencies.Select(a => new PartnerAgency(a.Id, a.Name, a.LicenseNumber, a.IsActiveOn(today))).ToList());
    }

    /// <summary>Replaces the partner set. An empty list means "every active agency".</summary>
    private static async Task<Results<Ok<PartnerAgencies>, ProblemHttpResult>> PutPartnersAsync(
        PartnerAgenciesRequest body, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, RelayEntries entries, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (body.AgencyIds is null) v.Add("agencyIds", "Error.AgencyIds");
        var ids = v.Strings("agencyIds", body.AgencyIds, 200, 64);
        if (!v.IsValid) return v.ToError().ToResult();
        var known = await db.Agencies.Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        var unknown = ids.Except(known).ToList();
        if (unknown.Count > 0) return ApiError.Invalid("agencyIds", "Error.UnknownAgency", string.Join(", ", unknown)).ToResult();

        var companyId = tenant.Id;
        await gate.RunAsync(db, async token =>
        {
            await db.CompanyPartnerAgencies.Where(p => p.CompanyId == companyId).ExecuteDeleteAsync(token);
            db.CompanyPartnerAgencies.AddRange(ids.Select(id => new CompanyPartnerAgency { CompanyId = companyId, AgencyId = id }));
            return 0;
        }, ct);
        entries.Invalidate();
        return TypedResults.Ok(await LoadPartnersAsync(db, companyId, clock, ct));
    }

    // by=source answers JsonHttpResult, which adds nothing to the OpenAPI document: the operation's 200 schema stays the summary's,
    // and the description gives the by-source shape (the document has no way to say "one of two, by a query value" here).
    private static async Task<Results<Ok<CompanySummary>, JsonHttpResult<Links.SourceSummary>, ProblemHttpResult>> SummaryAsync(string? by, CareerRelayDb db,
        CurrentTenant tenant, CompanySummaries summaries, CancellationToken ct)
    {
        if (by is null) return TypedResults.Ok(await summaries.ForCompanyAsync(db, tenant.Id, ct));
        if (by != "source") return ApiError.Invalid("by", "Error.OneOf", "source").ToResult();
        return TypedResults.Json(new Links.SourceSummary(by, Links.SourceFigures.BySource(await Links.SourceFigures.ForCompanyAsync(db, tenant.Id, null, null, ct))),
            JsonOptions);
    }
}
