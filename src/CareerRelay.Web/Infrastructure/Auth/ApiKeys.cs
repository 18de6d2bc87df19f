using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Infrastructure.Auth;

/// <summary>Issues API keys: the plain key is returned once; only its hash is stored.</summary>
public static class ApiKeys
{
    public static (ApiKey Row, string PlainKey) Issue(string role, string tenantId, string name, DateTime now, string scope = KeyScopes.Write)
    {
        var plain = SecretTokens.New(32, PrefixFor(role));
        return (Stored(role, tenantId, name, plain, now, scope), plain);
    }

    /// <summary>What a role's keys begin with (cr_co_, cr_ag_, cr_op_): recognisable in a config file or a leaked log.</summary>
    public static string PrefixFor(string role) => $"cr_{role[..2]}_";

    public static ApiKey Stored(string role, string tenantId, string name, string plainKey, DateTime now, string scope = KeyScopes.Write) => new()
    {
        Id = Ids.New(),
        Role = role,
        TenantId = tenantId,
        KeyHash = SecretTokens.Hash(plainKey),
        Prefix = plainKey[..Math.Min(10, plainKey.Length)],
        Name = name,
        Scope = scope,
        CreatedAt = now,
    };

    /// <summary>
    /// Makes sure an operator key with exactly this value exists (CareerRelay:Bootstrap:OperatorApiKey). Several nodes
    /// starting at once may all find it missing; the key hash is unique, so one insert wins and the others carry on.
    /// </summary>
    public static async Task EnsureOperatorKeyAsync(CareerRelayDb db, string plainKey, DateTime now, CancellationToken ct)
    {
        var hash = SecretTokens.Hash(plainKey);
        if (await db.ApiKeys.AnyAsync(k => k.KeyHash == hash, ct)) return;
        db.ApiKeys.Add(Stored(Roles.Operator, Roles.Operator, "bootstrap", plainKey, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear(); // another node created it a moment ago
        }
    }
}

/// <summary>
/// A tenant's keys: create (read or write), list, revoke, rotate. Rotation issues a new key with the same name and
/// scope and lets the old one work for a grace period (default 24 h), so an integration switches without downtime.
/// The API (<c>/keys</c>) and the console share it.
/// </summary>
public sealed class KeyManagement(CareerRelayDb db, DbWriteGate gate, IMemoryCache cache, TimeProvider clock)
{
    /// <summary>Rotating a key that is revoked or was already rotated (its successor is the one to rotate).</summary>
    public static ApiError NotRotatable =>
        new(409, ProblemCodes.InvalidState, "Key not rotatable", "This key is revoked or already rotated; rotate its successor instead.");

    public const int MaxGraceHours = 168;

    public sealed record KeyItem(string Id, string Name, string Prefix, string Scope, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt, DateTime? ExpiresAt);
    public sealed record KeyIssued(string Id, string Name, string Prefix, string Scope, string ApiKey, DateTime CreatedAt);

    public static KeyItem ToItem(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Scope, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.ExpiresAt);

    public async Task<List<ApiKey>> ListAsync(string role, string tenantId, CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId && k.Role == role)
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToListAsync(ct);

    public async Task<Result<KeyIssued>> CreateAsync(string role, string tenantId, string? name, string? scope, CancellationToken ct)
    {
        var v = new Validation();
        var trimmed = v.Required("name", name, 100);
        var chosen = v.Optional("scope", scope, 10) ?? KeyScopes.Write;
        if (!KeyScopes.All.Contains(chosen)) v.Add("scope", "Error.OneOf", string.Join(", ", KeyScopes.All));
        if (!v.IsValid) return v.ToError();
        var (row, plain) = ApiKeys.Issue(role, tenantId, trimmed, clock.GetUtcNow().UtcDateTime, chosen);
        await gate.RunAsync(db, _ => { db.ApiKeys.Add(row); return Task.FromResult(0); }, ct);
        return new KeyIssued(row.Id, row.Name, row.Prefix, row.Scope, plain, row.CreatedAt);
    }

    public async Task<ApiKey?> RevokeAsync(string role, string tenantId, string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var key = await gate.RunAsync(db, async t =>
        {
            var found = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.TenantId == tenantId && k.Role == role, t);
            if (found is not null) found.RevokedAt ??= now;
            return found;
        }, ct);
        if (key is not null) ApiKeyAuthenticationHandler.Forget(cache, key.KeyHash);
        return key;
    }

    /// <summary>A new key like the old one; the old one stops at now + grace (0: at once). A revoked or already rotated key cannot be rotated.</summary>
    public async Task<Result<KeyIssued>> RotateAsync(string role, string tenantId, string id, int? graceHours, CancellationToken ct)
    {
        var grace = graceHours ?? 24;
        if (grace is < 0 or > MaxGraceHours) return ApiError.Invalid("graceHours", "Error.Range", 0, MaxGraceHours);
        var now = clock.GetUtcNow().UtcDateTime;
        var outcome = await gate.RunAsync(db, async t =>
        {
            var old = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.TenantId == tenantId && k.Role == role, t);
            if (old is null) return ((ApiKey?, ApiKey?, string?)?)null;
            if (old.RevokedAt is not null || old.ExpiresAt is not null) return (old, null, null);
            old.ExpiresAt = now.AddHours(grace);
            var (fresh, plain) = ApiKeys.Issue(role, tenantId, old.Name, now, old.Scope);
            db.ApiKeys.Add(fresh);
            return (old, fresh, plain);
        }, ct);
        if (outcome is null) return ApiError.NotFound("key");
        var (previous, issued, plainKey) = outcome.Value;
        if (issued is null)
            return NotRotatable;
        ApiKeyAuthenticationHandler.Forget(cache, previous!.KeyHash);
        return new KeyIssued(issued.Id, issued.Name, issued.Prefix, issued.Scope, plainKey!, issued.CreatedAt);
    }
}

/// <summary>The <c>/keys</c> routes every tenant API has, for the tenant of the calling key.</summary>
public static class KeyRoutes
{
    public sealed record KeyRequest(string? Name, string? Scope);
    public sealed record RotateRequest(int? GraceHours);

    public static RouteGroupBuilder MapKeyRoutes(this RouteGroupBuilder group, string role)
    {
        var prefix = ApiKeys.PrefixFor(role); // what this side's keys begin with, for the examples
        group.MapGet("/keys", async (KeyManagement keys, CurrentTenant tenant, CancellationToken ct) =>
            TypedResults.Ok(new Page<KeyManagement.KeyItem>([.. (await keys.ListAsync(role, tenant.Id, ct)).Select(KeyManagement.ToItem)], null)))
            .WithSummary("The tenant's API keys: name, visible prefix, scope, last use, revocation and rotation; never the key.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","name":"HRMOS 連携","prefix":"{{prefix}}6bA1","scope":"write","createdAt":"2026-11-20T03:00:00Z","lastUsedAt":"2026-11-21T02:59:00Z","revokedAt":null,"expiresAt":null}],"nextCursor":null}""");
        group.MapPost("/keys", async Task<Results<Created<KeyManagement.KeyIssued>, ProblemHttpResult>> (KeyRequest body, KeyManagement keys, CurrentTenant tenant, CancellationToken ct) =>
        {
            var created = await keys.CreateAsync(role, tenant.Id, body.Name, body.Scope, ct);
            return created.Failed ? created.Error!.ToResult() : TypedResults.Created($"keys/{created.Value!.Id}", created.Value);
        })
            .WithSummary("Create an API key, read (GET only) or write; answered once.")
            .WithExamples(request: """{"name":"BI ダッシュボード","scope":"read"}""",
                response: $$"""{"id":"{{Id}}","name":"BI ダッシュボード","prefix":"{{prefix}}Zq1","scope":"read","apiKey":"{{prefix}}Zq1x…","createdAt":"2026-11-21T03:00:00Z"}""");
        group.MapPost("/keys/{id}/revoke", async Task<Results<Ok<KeyManagement.KeyItem>, ProblemHttpResult>> (string id, KeyManagement keys, CurrentTenant tenant, CancellationToken ct) =>
            await keys.RevokeAsync(role, tenant.Id, id, ct) is { } key ? TypedResults.Ok(KeyManagement.ToItem(key)) : ApiError.NotFound("key").ToResult())
            .WithSummary("Revoke a key: it stops working at once.")
            .WithExamples(response: $$"""{"id":"{{Id}}","name":"HRMOS 連携","prefix":"{{prefix}}6bA1","scope":"write","createdAt":"2026-11-20T03:00:00Z","lastUsedAt":null,"revokedAt":"2026-11-21T03:00:00Z","expiresAt":null}""");
        group.MapPost("/keys/{id}/rotate", async Task<Results<Created<KeyManagement.KeyIssued>, ProblemHttpResult>> (string id, RotateRequest? body, KeyManagement keys, CurrentTenant tenant, CancellationToken ct) =>
        {
            var rotated = await keys.RotateAsync(role, tenant.Id, id, body?.GraceHours, ct);
            return rotated.Failed ? rotated.Error!.ToResult() : TypedResults.Created($"keys/{rotated.Value!.Id}", rotated.Value);
        })
            .WithSummary("Rotate a key: a successor with the same name and scope (answered once); the old key works for graceHours more (default 24, 0–168).")
            .WithExamples(request: """{"graceHours":24}""",
                response: $$"""{"id":"{{Id2}}","name":"HRMOS 連携","prefix":"{{prefix}}Pw7","scope":"write","apiKey":"{{prefix}}Pw7c…","createdAt":"2026-11-21T03:00:00Z"}""")
            .WithErrors(KeyManagement.NotRotatable);
        return group;
    }
}
