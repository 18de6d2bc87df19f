namespace CareerRelay.Web.Features.Registrations;

public static class RegistrationStatus
{
    public const string PendingVerification = "pending_verification";
    /// <summary>Verified, waiting for its qualification condition (Relay:QualifyOn = AgencyContact).</summary>
    public const string Verified = "verified";
    public const string Qualified = "qualified";
    /// <summary>Verified, but the person already counted within the dedupe window: supported, never counted again.</summary>
    public const string Duplicate = "duplicate";
    public const string Held = "held";
    public const string Reversed = "reversed";
}

/// <summary>
/// 登録: a candidate's sign-up through a link or invitation, with consent. Once verified and qualified it
/// is the QualifiedReferral of SPEC §2, and its id is the referral id the operator releases or reverses.
/// </summary>
public sealed class Registration
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string LinkId { get; init; }
    public string? InvitationId { get; init; }
    public required string CandidateId { get; init; }
    public required string EmailHash { get; init; }
    public string? PhoneHash { get; init; }
    public required string Status { get; set; }
    public required string CodeHash { get; init; }
    public DateTime CodeExpiresAt { get; init; }
    public required string IpHash { get; init; }
    /// <summary>The submitted profile, sealed with the candidate's key; applied to the candidate on verification.</summary>
    public required byte[] SubmittedProfile { get; init; }
    /// <summary>The language the candidate registered in (ja or en): later mails follow it.</summary>
    public required string Lang { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? VerifiedAt { get; set; }
    public DateTime? QualifiedAt { get; set; }
    public DateTime? ReversedAt { get; set; }
    public string? HoldReason { get; set; }
    public string? ReverseReason { get; set; }
}

/// <summary>First bind wins: one row per person key (email or phone hash) naming the referral that counted.</summary>
public sealed class PersonBinding
{
    public required string KeyHash { get; init; }
    public required string RegistrationId { get; set; }
    public DateTime BoundAt { get; set; }
}
