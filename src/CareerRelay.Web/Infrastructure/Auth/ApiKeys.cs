using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Infrastructure.Auth;

/// <summary>Issues API keys: the plain key is returned once; only its hash is stored.</summary>
public static class ApiKeys
{
    public static (ApiKey Row, string PlainKey) Issue(string role, string tenantId, string name, DateTime now)
    {
        var plain = SecretTokens.New(32, $"cr_{role[..2]}_");
        return (Stored(role, tenantId, name, plain, now), plain);
    }

    public static ApiKey Stored(string role, string tenantId, string name, string plainKey, DateTime now) => new()
    {
        Id = Ids.New(),
        Role = role,
        TenantId = tenantId,
        KeyHash = SecretTokens.Hash(plainKey),
        Prefix = plainKey[..Math.Min(10, plainKey.Length)],
        Name = name,
        CreatedAt = now,
    };

    /// <summary>Makes sure an operator key with exactly this value exists (CareerRelay:Bootstrap:OperatorApiKey).</summary>
    public static async Task EnsureOperatorKeyAsync(CareerRelayDb db, string plainKey, DateTime now, CancellationToken ct)
    {
        var hash = SecretTokens.Hash(plainKey);
        if (await db.ApiKeys.AnyAsync(k => k.KeyHash == hash, ct)) return;
        db.ApiKeys.Add(Stored(Roles.Operator, Roles.Operator, "bootstrap", plainKey, now));
        await db.SaveChangesAsync(ct);
    }
}
