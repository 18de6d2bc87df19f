using System.Globalization;
using System.Security.Cryptography;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Ats;

/// <summary>ATS connections: created with a secret shown once, listed, revoked; and the checks every native webhook passes first.</summary>
public sealed class AtsConnections(CareerRelayDb db, DbWriteGate gate, KeyRing keys, PublicUrls urls, TimeProvider clock)
{
    public sealed record Received(string CompanyId, byte[] Secret);
    public const int MaxBody = 1024 * 1024;

    /// <param name="ownSecret">The ATS's own secret when it makes one (Lever's signature token); else we generate one.</param>
    public async Task<Result<ConnectionCreated>> CreateAsync(string companyId, string? system, string? ownSecret, CancellationToken ct)
    {
        var v = new Validation();
        var chosen = v.Required("system", system, 20).ToLowerInvariant();
        if (chosen.Length > 0 && !AtsSystems.All.Contains(chosen)) v.Add("system", "Error.OneOf", string.Join(", ", AtsSystems.All));
        var own = ValidSecret(v, ownSecret, required: false);
        if (!v.IsValid) return v.ToError();
        var secret = own ?? SecretTokens.New(32);
        var connection = new AtsConnection
        {
            Id = Ids.New(), CompanyId = companyId, System = chosen, CreatedAt = clock.GetUtcNow().UtcDateTime,
            Secret = PersonalDataCipher.Seal(keys.SystemDataKey, System.Text.Encoding.UTF8.GetBytes(secret)),
        };
        await gate.RunAsync(db, _ => { db.AtsConnections.Add(connection); return Task.FromResult(0); }, ct);
        return new ConnectionCreated(connection.Id, chosen, secret, UrlOf(connection));
    }

    /// <summary>
    /// Replaces the secret with the ATS's own: Lever generates the signature token of each webhook itself, so the company
    /// creates the connection, registers its URL in Lever, then pastes Lever's token here.
    /// </summary>
    public async Task<Result<ConnectionItem>> SetSecretAsync(string companyId, string id, string? secret, CancellationToken ct)
    {
        var v = new Validation();
        var value = ValidSecret(v, secret, required: true)!;
        if (!v.IsValid) return v.ToError();
        var sealedSecret = PersonalDataCipher.Seal(keys.SystemDataKey, System.Text.Encoding.UTF8.GetBytes(value));
        var updated = await gate.RunAsync(db, t => db.AtsConnections.Where(c => c.Id == id && c.CompanyId == companyId && c.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Secret, sealedSecret), t), ct);
        if (updated == 0) return ApiError.NotFound("connection");
        return ToItem(await db.AtsConnections.AsNoTracking().FirstAsync(c => c.Id == id, ct));
    }

    private static string? ValidSecret(Validation v, string? secret, bool required)
    {
        if (!required && secret is null) return null;
        var value = v.Required("secret", secret, 200);
        if (value.Length is > 0 and < 16) v.Add("secret", "Error.TooShort", 16);
        return value;
    }

    public async Task<IReadOnlyList<ConnectionItem>> ListAsync(string companyId, CancellationToken ct) =>
        (await db.AtsConnections.AsNoTracking().Where(c => c.CompanyId == companyId).OrderBy(c => c.Id).ToListAsync(ct)).Select(ToItem).ToList();

    public async Task<ConnectionItem?> RevokeAsync(string companyId, string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await gate.RunAsync(db, async t =>
        {
            var c = await db.AtsConnections.FirstOrDefaultAsync(c => c.Id == id && c.CompanyId == companyId, t);
            if (c is not null) c.RevokedAt ??= now;
            return c;
        }, ct);
        return found is null ? null : ToItem(found);
    }

    /// <summary>The connection (404 when unknown, revoked or of another system) and the raw body, read whole for the signature.</summary>
    public async Task<(Received? Connection, byte[]? Body, ApiError? Problem)> ReceiveAsync(string id, string system, HttpRequest request, CancellationToken ct)
    {
        var row = id.Length <= 64
            ? await db.AtsConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.System == system && c.RevokedAt == null, ct) : null;
        if (row is null) return (null, null, ApiError.NotFound("connection"));
        var body = await RequestBodies.ReadAsync(request, MaxBody, ct);
        if (body is null) return (null, null, AtsErrors.WebhookTooLarge(MaxBody));
        return (new Received(row.CompanyId, PersonalDataCipher.Open(keys.SystemDataKey, row.Secret)), body, null);
    }

    private string UrlOf(AtsConnection c) => urls.To($"/api/v1/company/ats/{c.System}/{c.Id}");

    private ConnectionItem ToItem(AtsConnection c) => new(c.Id, c.System, UrlOf(c), c.CreatedAt, c.RevokedAt);
}
