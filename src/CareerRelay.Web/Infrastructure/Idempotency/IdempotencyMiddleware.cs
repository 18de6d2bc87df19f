using System.Security.Claims;
using System.Security.Cryptography;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Infrastructure.Idempotency;

/// <summary>
/// SPEC §6: any POST may carry <c>Idempotency-Key</c>. The same key with the same body replays the first
/// answer; the same key with another body answers 422 <c>idempotency_key_reused</c>. A placeholder row is
/// inserted before the request runs, so of two concurrent retries only one executes; the other answers
/// 409 <c>idempotency_key_in_progress</c> and may retry. Server errors are not kept, so they can be retried.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private const int MaxBody = 1024 * 1024;

    public Task InvokeAsync(HttpContext http)
    {
        string? key = http.Request.Headers[Header];
        // Most requests carry no key: they pass without touching the request's services (a database context per
        // request was a tenth of /healthz/live's cost, issue 23).
        return !HttpMethods.IsPost(http.Request.Method) || string.IsNullOrEmpty(key) || !http.Request.Path.StartsWithSegments("/api")
            ? next(http)
            : ReplayOrRunAsync(http, key, http.RequestServices.GetRequiredService<CareerRelayDb>(),
                http.RequestServices.GetRequiredService<KeyRing>(), http.RequestServices.GetRequiredService<TimeProvider>());
    }

    private async Task ReplayOrRunAsync(HttpContext http, string key, CareerRelayDb db, KeyRing keys, TimeProvider clock)
    {
        if (key.Length > 200 || key.Any(char.IsControl))
        {
            await ProblemHandling.WriteAsync(http, ApiError.Invalid(Header, "Error.IdempotencyKey"));
            return;
        }

        var scope = ScopeOf(http.User);
        var requestHash = await HashRequestAsync(http.Request);
        var now = clock.GetUtcNow().UtcDateTime;
        var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, http.RequestAborted);
        if (existing is not null && existing.CreatedAt < now - Retention)
        {
            await db.IdempotencyRecords.Where(r => r.Scope == scope && r.Key == key && r.CreatedAt == existing.CreatedAt).ExecuteDeleteAsync(http.RequestAborted);
            existing = null;
        }
        if (existing is null && !await TryReserveAsync(db, scope, key, requestHash, now, http.RequestAborted))
            existing = await db.IdempotencyRecords.AsNoTracking().FirstAsync(r => r.Scope == scope && r.Key == key, http.RequestAborted);

        if (existing is not null)
        {
            if (existing.RequestHash != requestHash)
                await ProblemHandling.WriteAsync(http, new ApiError(422, ProblemCodes.IdempotencyKeyReused, "Idempotency key reused",
                    "This Idempotency-Key was used with a different request."));
            else if (existing.StatusCode == 0)
                await ProblemHandling.WriteAsync(http, new ApiError(409, ProblemCodes.IdempotencyKeyInProgress, "Request in progress",
                    "The first request with this Idempotency-Key is still running; retry shortly."));
            else
            {
                http.Response.StatusCode = existing.StatusCode;
                http.Response.Headers["Idempotent-Replayed"] = "true";
                if (existing.ContentType is not null) http.Response.ContentType = existing.ContentType;
                if (existing.Response is { Length: > 0 } sealedBody) await http.Response.Body.WriteAsync(PersonalDataCipher.Open(keys.SystemDataKey, sealedBody));
            }
            return;
        }

        // First time: run the request, keep a copy of the answer, then store it (or release the key on a 5xx).
        var original = http.Response.Body;
        await using var copy = new MemoryStream();
        http.Response.Body = copy;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
            copy.Position = 0;
            await copy.CopyToAsync(original, CancellationToken.None);
            var status = http.Response.StatusCode;
            var record = db.IdempotencyRecords.Where(r => r.Scope == scope && r.Key == key);
            if (status >= 500)
                await record.ExecuteDeleteAsync(CancellationToken.None);
            else
            {
                var sealedBody = PersonalDataCipher.Seal(keys.SystemDataKey, copy.ToArray());
                var contentType = http.Response.ContentType;
                await record.ExecuteUpdateAsync(s => s.SetProperty(r => r.StatusCode, status)
                    .SetProperty(r => r.ContentType, contentType).SetProperty(r => r.Response, sealedBody), CancellationToken.None);
            }
        }
    }

    private static string ScopeOf(ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim) is { } tenant ? $"{user.FindFirstValue(ClaimTypes.Role)}:{tenant}" : "public";

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxBody);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0) sha.AppendData(buffer, 0, read);
        }
        finally { request.Body.Position = 0; }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task<bool> TryReserveAsync(CareerRelayDb db, string scope, string key, string requestHash, DateTime now, CancellationToken ct)
    {
        db.IdempotencyRecords.Add(new IdempotencyRecord { Scope = scope, Key = key, RequestHash = requestHash, CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
