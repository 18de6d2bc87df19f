namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// 候補者. Personal data lives only in <see cref="Profile"/>, sealed with the candidate's own data key
/// (<see cref="CandidateKey"/>); everything else in the database refers to the pseudonymous id.
/// </summary>
public sealed class Candidate
{
    public required string Id { get; init; }
    /// <summary>HMAC of the normalised email: finds the person again without storing the address in clear.</summary>
    public required string EmailHash { get; init; }
    public string? PhoneHash { get; set; }
    public required byte[] Profile { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The candidate's data key, wrapped. Deleting this row crypto-shreds every copy of their data.</summary>
public sealed class CandidateKey
{
    public required string CandidateId { get; init; }
    public required byte[] WrappedKey { get; init; }
}

/// <summary>The decrypted profile. Never logged, never in a URL, never in a company response.</summary>
public sealed record CandidateProfile(
    string Name,
    string Email,
    string? NameKana,
    string? Phone,
    string? Prefecture,
    string? DesiredOccupation,
    IReadOnlyList<string> Skills);
