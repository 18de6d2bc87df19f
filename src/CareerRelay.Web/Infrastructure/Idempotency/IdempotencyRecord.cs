namespace CareerRelay.Web.Infrastructure.Idempotency;

/// <summary>
/// The first answer to a POST that carried an <c>Idempotency-Key</c>, kept so a retry replays it.
/// The answer is sealed (it may hold a freshly issued API key); only a hash of the request is kept.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The caller: the API key's tenant and role, or "public" for unauthenticated routes.</summary>
    public required string Scope { get; init; }
    public required string Key { get; init; }
    public required string RequestHash { get; init; }
    /// <summary>0 while the first request is still running.</summary>
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public byte[]? Response { get; set; }
    public DateTime CreatedAt { get; init; }
}
