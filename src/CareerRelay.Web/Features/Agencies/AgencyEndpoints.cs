using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Agencies;

/// <summary>An agency sees only the candidates who consented to it and confirmed their email; every read is audited.</summary>
public static class AgencyEndpoints
{
    public static IEndpointRouteBuilder MapAgency(this IEndpointRouteBuilder app)
    {
        var agency = app.MapGroup("/api/v1/agency").RequireAuthorization(ApiKeyAuthenticationSetup.AgencyPolicy).WithTags("Agency");
        agency.MapGet("/candidates", CandidatesAsync);
        return app;
    }

    public sealed record CandidateItem(string Id, string Name, string Email, string? Phone, string? Prefecture, IReadOnlyList<string> Skills,
        string Stage, DateTime RegisteredAt);

    private static async Task<Results<Ok<Page<CandidateItem>>, ProblemHttpResult>> CandidatesAsync(
        string? limit, string? cursor, CareerRelayDb db, CurrentTenant tenant, CandidateVault vault, DbWriteGate gate, TimeProvider clock, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var p = page.Value;
        var agencyId = tenant.Id;

        // Active consent to this agency on a verified registration; one row per candidate, first registration's time.
        var consenting = from c in db.Consents
                         join r in db.Registrations on c.RegistrationId equals r.Id
                         where c.AgencyId == agencyId && c.WithdrawnAt == null && r.Status != RegistrationStatus.PendingVerification
                         group r by c.CandidateId into g
                         select new { CandidateId = g.Key, RegisteredAt = g.Min(r => r.CreatedAt) };
        var rows = await consenting.PageAfter(p, x => x.CandidateId).ToListAsync(ct);

        var profiles = await vault.OpenManyAsync(db, rows.Select(r => r.CandidateId).ToList(), ct);
        var visible = rows.Where(r => profiles.ContainsKey(r.CandidateId)).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        if (visible.Count > 0)
            await gate.RunAsync(db, _ =>
            {
                db.AuditEntries.AddRange(visible.Select(r => new AuditEntry
                {
                    Id = Ids.New(), ActorType = "agency", ActorId = $"{agencyId}/{tenant.KeyId}", Action = "candidates.list",
                    CandidateId = r.CandidateId, CreatedAt = now,
                }));
                return Task.FromResult(0);
            }, ct);

        var result = p.ToPage(rows, r => r.CandidateId, r => r);
        var items = result.Items.Where(r => profiles.ContainsKey(r.CandidateId)).Select(r =>
        {
            var profile = profiles[r.CandidateId];
            // The support pipeline (連絡 → 面談 → …) arrives with the agency workspace; until then every candidate is new.
            return new CandidateItem(r.CandidateId, profile.Name, profile.Email, profile.Phone, profile.Prefecture, profile.Skills, "new", r.RegisteredAt);
        }).ToList();
        return TypedResults.Ok(new Page<CandidateItem>(items, result.NextCursor));
    }
}
