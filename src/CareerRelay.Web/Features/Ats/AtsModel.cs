using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.Ats;

/// <summary>The ATS systems whose native webhooks we accept (SPEC §6 <c>/ats/connections</c>).</summary>
public static class AtsSystems
{
    public const string Greenhouse = "greenhouse";
    public const string Lever = "lever";
    public static readonly string[] All = [Greenhouse, Lever];
}

/// <summary>A company's connection to its ATS: a URL that takes that system's native webhook, checked with this secret.</summary>
public sealed class AtsConnection
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string System { get; init; }
    /// <summary>The shared secret, sealed with the system key (we must compute the HMAC, so it cannot be a hash).</summary>
    public required byte[] Secret { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// One rejection event as received (from the API, a connection or an import row), keyed by the company and the
/// sender's event id, with the answer we gave: the same event again replays it and changes nothing.
/// </summary>
public sealed class AtsEvent
{
    public required string CompanyId { get; init; }
    public required string EventId { get; init; }
    public required string Type { get; init; }
    /// <summary>The ATS's application id: pseudonymous, ties an unreject to the rejection it undoes.</summary>
    public required string ApplicationId { get; init; }
    /// <summary>The answer (<c>{invitationUrl, mail}</c>), sealed: the invitation URL is a bearer token.</summary>
    public required byte[] Answer { get; init; }
    /// <summary>Set when this event minted an invitation; a repeated rejection of the same application reuses it.</summary>
    public bool Invited { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// 委託: a rejection mail we send for the company. The address and name live only in the sealed outbox mail,
/// never in the candidate pool; the outbox row is deleted <c>Mail:EntrustedRetentionDays</c> after sending.
/// </summary>
public sealed class EntrustedMail
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string ApplicationId { get; init; }
    /// <summary><c>api</c>, <c>greenhouse</c>, <c>lever</c> or <c>import</c>.</summary>
    public required string Source { get; init; }
    public required string OutboxMailId { get; init; }
    public required string Lang { get; init; }
    public DateTime SendAt { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>An unreject arrived before sending.</summary>
    public DateTime? CancelledAt { get; set; }
    /// <summary>When the address was deleted; <see cref="Outcome"/> keeps how the send ended.</summary>
    public DateTime? PurgedAt { get; set; }
    public string? Outcome { get; set; }
}

/// <summary>How a company wants its entrusted rejection mail: which tone, under which link, when, from what name.</summary>
public sealed class EntrustedSettings
{
    public required string CompanyId { get; init; }
    public string Tone { get; set; } = "standard";
    /// <summary>The link whose invitations the mails carry; null: the company's oldest link that is not paused.</summary>
    public string? LinkId { get; set; }
    /// <summary><c>now</c> or <c>next_weekday_10</c> (the next Japanese business day at 10:00 JST).</summary>
    public string SendTime { get; set; } = EntrustedSendTimes.Now;
    /// <summary>The display name on the From line; null: the company's name.</summary>
    public string? SenderName { get; set; }
    /// <summary>Someone who reached the final round (or declined an offer) gets the warm tone whatever <see cref="Tone"/> says.</summary>
    public bool ToneFollowsStage { get; set; } = true;
}

/// <summary>What happens to one row of an imported CSV (the preview shows it before anything is written).</summary>
[TextKeys("ImportStatus.{0}")]
public static class ImportRowStatus
{
    public const string Invite = "invite";
    public const string NoInvitation = "no_invitation";
    public const string Skipped = "skipped";
    public const string Error = "error";
    public const string AlreadyImported = "already_imported";
}

/// <summary>Where an entrusted rejection mail came from.</summary>
[TextKeys("MailSource.{0}")]
public static class MailChannels
{
    public const string Api = "api";
    public const string Greenhouse = "greenhouse";
    public const string Lever = "lever";
    public const string Import = "import";
    public const string Referral = "referral";
}

/// <summary>An entrusted mail's state in the company's words.</summary>
[TextKeys("MailStatus.{0}")]
public static class EntrustedMailStatus
{
    public const string Scheduled = "scheduled";
    public const string Sent = "sent";
    public const string Bounced = "bounced";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    /// <summary>The address was deleted after the retention period; the outcome is no longer known to the outbox.</summary>
    public const string Purged = "purged";
}

[TextKeys("SendTime.{0}")]
public static class EntrustedSendTimes
{
    public const string Now = "now";
    public const string NextWeekday10 = "next_weekday_10";
    public static readonly string[] All = [Now, NextWeekday10];
}

/// <summary>
/// A CSV file uploaded in the console, kept (sealed) between its preview and the "import" button, so the person does not
/// choose the file twice and every node can finish the import. Deleted when imported, or an hour after upload.
/// </summary>
public sealed class ImportUpload
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required byte[] File { get; init; }
    public string? Encoding { get; init; }
    public required string Lang { get; init; }
    /// <summary><c>default</c> (the company's setting), <c>now</c> or <c>next_weekday_10</c>.</summary>
    public required string SendTime { get; init; }
    public DateTime CreatedAt { get; init; }
}

// What the routes in AtsEndpoints take and answer.

public sealed record CandidateRef(string? Name, string? Email);

public sealed record AtsEventRequest(string? EventId, string? Type, string? ApplicationId, string? Outcome, string? Source, string? JobTitle,
    string? OccurredAt, string? SendAt, string? Lang, CandidateRef? Candidate, string? Stage = null);

public sealed record ConnectionRequest(string? System, string? Secret = null);

public sealed record ConnectionUpdate(string? Secret);

public sealed record ConnectionCreated(string Id, string System, string Secret, string Url);

public sealed record ConnectionItem(string Id, string System, string Url, DateTime CreatedAt, DateTime? RevokedAt);

public sealed record EntrustedMailItem(string Id, string ApplicationId, string Source, string Status, string Lang, DateTime SendAt, DateTime CreatedAt);

public sealed record SettingsBody(string? Tone, string? LinkId, string? SendTime, string? SenderName, bool? ToneFollowsStage = null);

public sealed record SettingsItem(string Tone, string? LinkId, string SendTime, string? SenderName, bool ToneFollowsStage);

public sealed record ImportRowItem(int Line, string? ApplicationId, string? JobTitle, string Status, IReadOnlyList<string> Messages, string? InvitationUrl, string? Mail);

public sealed record ImportResult(bool DryRun, string Encoding, IReadOnlyDictionary<string, string> Columns, int Rows, int Invitations, int Mails,
    int NoInvitation, int Skipped, int Errors, int AlreadyImported, IReadOnlyList<ImportRowItem> Items);
