using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Redemptions;

/// <summary>Spending a slot on a job (debited at once), and cancelling it (returned by a compensating entry).</summary>
public static class RedemptionEndpoints
{
    public static IEndpointRouteBuilder MapRedemptions(this IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company/redemptions").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("", OpenAsync);
        company.MapGet("", ListAsync);
        company.MapPost("/{id}/cancel", CancelAsync);
        return app;
    }

    public sealed record RedemptionRequest(string? JobId);
    public sealed record RedemptionItem(string Id, string JobId, string Status, DateTime CreatedAt, DateTime? CancelledAt, DateTime? FulfilledAt);

    private static RedemptionItem ToItem(Redemption r) => new(r.Id, r.JobId, r.Status, r.CreatedAt, r.CancelledAt, r.FulfilledAt);

    private static async Task<Results<Created<RedemptionItem>, ProblemHttpResult>> OpenAsync(
        RedemptionRequest body, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, SlotLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var jobId = v.Required("jobId", body.JobId, 64);
        if (!v.IsValid) return v.ToError().ToResult();
        var companyId = tenant.Id;
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId && j.CompanyId == companyId).Select(j => new { j.Status }).FirstOrDefaultAsync(ct);
        if (job is null) return ApiError.NotFound("job").ToResult();
        if (job.Status != "open") return new ApiError(409, ProblemCodes.InvalidState, "Job closed", "Slots can only be spent on open jobs.").ToResult();

        var redemption = new Redemption { Id = Ids.New(), CompanyId = companyId, JobId = jobId, Status = RedemptionStatus.Open, CreatedAt = clock.GetUtcNow().UtcDateTime };
        var debited = await gate.RunAsync(db, async token =>
        {
            if (!await ledger.TryRedeemAsync(db, companyId, redemption.Id, token)) return false;
            db.Redemptions.Add(redemption);
            return true;
        }, ct);
        if (!debited)
            return new ApiError(409, ProblemCodes.InsufficientSlots, "Insufficient slots", "No free hire slot is available to spend.").ToResult();
        return TypedResults.Created($"/api/v1/company/redemptions/{redemption.Id}", ToItem(redemption));
    }

    private static async Task<Results<Ok<RedemptionItem>, ProblemHttpResult>> CancelAsync(
        string id, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, SlotLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var companyId = tenant.Id;
        var now = clock.GetUtcNow().UtcDateTime;
        var result = await gate.RunAsync<Result<Redemption>>(db, async token =>
        {
            // Conditional update: of a cancel racing a fulfilment (or another cancel), one wins and the slot returns at most once.
            var cancelled = await db.Redemptions.Where(r => r.Id == id && r.CompanyId == companyId && r.Status == RedemptionStatus.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RedemptionStatus.Cancelled).SetProperty(r => r.CancelledAt, now), token);
            var current = await db.Redemptions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.CompanyId == companyId, token);
            if (current is null) return ApiError.NotFound("redemption");
            if (current.Status == RedemptionStatus.Fulfilled)
                return new ApiError(409, ProblemCodes.RedemptionFulfilled, "Redemption fulfilled", "A fulfilled redemption cannot be cancelled.");
            if (cancelled == 1) await ledger.ReturnRedemptionAsync(db, companyId, id, token);
            return current;
        }, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(ToItem(result.Value!));
    }

    private static async Task<Results<Ok<Page<RedemptionItem>>, ProblemHttpResult>> ListAsync(
        string? limit, string? cursor, CareerRelayDb db, CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var p = page.Value;
        var companyId = tenant.Id;
        var rows = await db.Redemptions.AsNoTracking()
            .Where(r => r.CompanyId == companyId).PageAfter(p, r => r.Id).ToListAsync(ct);
        return TypedResults.Ok(p.ToPage(rows, r => r.Id, ToItem));
    }
}
