namespace CareerRelay.Web.Features.Registrations;

[Infrastructure.Localization.TextKeys("Review.Status.{0}")]
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
    /// <summary>Where the person came from (<c>?src=</c>, one of the link's sources or <c>other</c>), carried from the click by the page.</summary>
    public string Source { get; init; } = Links.LinkSources.Other;
    public required string CandidateId { get; init; }
    public required string EmailHash { get; init; }
    public string? PhoneHash { get; init; }
    /// <summary>One of <see cref="RegistrationStatus"/>, changed only by the steps below; a concurrency token (see CareerRelayDb).</summary>
    public string Status { get; private set; } = RegistrationStatus.PendingVerification;
    public required string CodeHash { get; init; }
    public DateTime CodeExpiresAt { get; init; }
    public required string IpHash { get; init; }
    /// <summary>The submitted profile, sealed with the candidate's key; applied to the candidate on verification.</summary>
    public required byte[] SubmittedProfile { get; init; }
    /// <summary>The language the candidate registered in (ja or en): later mails follow it.</summary>
    public required string Lang { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? VerifiedAt { get; private set; }
    public DateTime? QualifiedAt { get; private set; }
    public DateTime? ReversedAt { get; private set; }
    public string? HoldReason { get; private set; }
    public string? ReverseReason { get; private set; }
    /// <summary>When a person on LINE was reminded to confirm (once; see Features/Line/LineConfirmReminders).</summary>
    public DateTime? ConfirmRemindedAt { get; set; }

    // A registration's life, in one place. Each step checks it is allowed from the current status (a wrong one is a bug
    // in the caller, which checks first and answers the person) and returns what it means for the company's counters;
    // RegistrationCounters.ApplyAsync saves the row and moves those counters, in the caller's write transaction.

    /// <summary>The person confirmed the address (double opt-in).</summary>
    public CounterChange Verify(DateTime now)
    {
        Require(RegistrationStatus.PendingVerification);
        Status = RegistrationStatus.Verified;
        VerifiedAt = now;
        return new CounterChange(Verified: 1);
    }

    /// <summary>A fraud signal fired at verification: supported, not counted until the operator releases it.</summary>
    public CounterChange Hold(string reason)
    {
        Require(RegistrationStatus.Verified);
        Status = RegistrationStatus.Held;
        HoldReason = reason;
        return new CounterChange(Held: 1);
    }

    /// <summary>The person already counted through another referral within the dedupe window: supported, never counted again.</summary>
    public CounterChange MarkDuplicate()
    {
        Require(RegistrationStatus.Verified, RegistrationStatus.Held);
        var change = LeaveHold();
        Status = RegistrationStatus.Duplicate;
        return change;
    }

    /// <summary>Counts toward the company's slots (the person's binding was won by this referral).</summary>
    public CounterChange Qualify(DateTime now)
    {
        Require(RegistrationStatus.Verified, RegistrationStatus.Held);
        var change = LeaveHold();
        Status = RegistrationStatus.Qualified;
        QualifiedAt = now;
        return change with { Qualified = 1 };
    }

    /// <summary>The operator releases a hold: it qualifies, unless the person bound through another referral meanwhile.</summary>
    public CounterChange Release(bool boundFirst, DateTime now)
    {
        Require(RegistrationStatus.Held);
        return boundFirst ? Qualify(now) : MarkDuplicate();
    }

    /// <summary>The operator takes a referral back; if it counted, the count (and perhaps a slot) goes with it.</summary>
    public CounterChange Reverse(string reason, DateTime now)
    {
        Require(RegistrationStatus.Qualified, RegistrationStatus.Held, RegistrationStatus.Verified);
        var change = LeaveHold() with { Qualified = Status == RegistrationStatus.Qualified ? -1 : 0 };
        Status = RegistrationStatus.Reversed;
        ReversedAt = now;
        ReverseReason = reason;
        return change;
    }

    private CounterChange LeaveHold()
    {
        var wasHeld = Status == RegistrationStatus.Held;
        HoldReason = null;
        return new CounterChange(Held: wasHeld ? -1 : 0);
    }

    private void Require(params string[] from)
    {
        if (!from.Contains(Status)) throw new InvalidOperationException($"A {Status} registration cannot make this step.");
    }
}

/// <summary>
/// What one step of a registration's life means for its company's counters: verified and held (the summary's rollup) and
/// qualified (+1 counts toward a slot, −1 takes one back, through the slot ledger).
/// </summary>
public readonly record struct CounterChange(int Verified = 0, int Held = 0, int Qualified = 0)
{
    public static CounterChange operator +(CounterChange a, CounterChange b) =>
        new(a.Verified + b.Verified, a.Held + b.Held, a.Qualified + b.Qualified);
}

/// <summary>First bind wins: one row per person key (email or phone hash) naming the referral that counted.</summary>
public sealed class PersonBinding
{
    public required string KeyHash { get; init; }
    public required string RegistrationId { get; set; }
    public DateTime BoundAt { get; set; }
}

// What the routes in PublicEndpoints take and answer.

public sealed record AgencyDisclosure(string Id, string Name, string LicenseNumber, IReadOnlyList<string> Occupations,
    string Fees, string ComplaintContact, string PrivacyPolicyUrl);

public sealed record LinkInfo(CompanyName Company, NoticeInfo Notice, IReadOnlyList<AgencyDisclosure> Agencies, bool Paused);

public sealed record CompanyName(string Name);

public sealed record NoticeInfo(int Version, string Text);

public sealed record VerificationRequest(string? Code);
