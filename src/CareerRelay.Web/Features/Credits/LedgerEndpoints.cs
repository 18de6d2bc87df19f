using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Credits;

public static class LedgerEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/company/ledger", LedgerAsync)
            .RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company")
            .WithSummary("The slot balance and every ledger entry (append-only).")
            .WithExamples(response: $$"""{"balance":1,"entries":[{"id":"{{Id}}","type":"slot_earned","amount":1,"createdAt":"2026-11-20T03:00:00Z","reference":"referrals:10"}]}""");
    }

    /// <summary>The balance and the entries in the order they were written (oldest first; page with the cursor).</summary>
    private static async Task<Results<Ok<Ledger>, ProblemHttpResult>> LedgerAsync(
        string? limit, string? cursor, CareerRelayDb db, CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var p = page.Value;
        var companyId = tenant.Id;
        var balance = await db.CompanyAccounts.Where(a => a.CompanyId == companyId).Select(a => a.Balance).FirstOrDefaultAsync(ct);
        var rows = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.CompanyId == companyId).PageAfter(p, e => e.Id)
            .Select(e => new EntryItem(e.Id, e.Type, e.Amount, e.CreatedAt, e.Reference)).ToListAsync(ct);
        var items = p.ToPage(rows, e => e.Id, e => e);
        return TypedResults.Ok(new Ledger(balance, items.Items, items.NextCursor));
    }
}
