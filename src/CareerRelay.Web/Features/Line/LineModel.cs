namespace CareerRelay.Web.Features.Line;

/// <summary>
/// The platform's one LINE official account (<c>Line:*</c>). Off until the channel secret and access token are set; then
/// /me offers linking, <c>POST /line/webhook</c> answers LINE, and notices to linked people go by push.
/// </summary>
public sealed class LineOptions
{
    public string? ChannelId { get; set; }
    /// <summary>Signs the webhook's bodies (X-Line-Signature).</summary>
    public string? ChannelSecret { get; set; }
    /// <summary>The long-lived channel access token our calls carry (Authorization: Bearer).</summary>
    public string? ChannelAccessToken { get; set; }
    /// <summary>The Messaging API's base URL; a local server in the tests.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.line.me";
    /// <summary>The account's basic ID (<c>@123abcde</c>): the add-friend link and QR code on /me.</summary>
    public string? BasicId { get; set; }
    /// <summary>Tries per push before the notice goes by mail instead.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 20)] public int MaxAttempts { get; set; } = 5;

    public bool Enabled => !string.IsNullOrEmpty(ChannelSecret) && !string.IsNullOrEmpty(ChannelAccessToken);

    public string AddFriendUrl => $"https://line.me/R/ti/p/{Uri.EscapeDataString(BasicId ?? "")}";
}

/// <summary>
/// A person's LINE account, bound through a link code they sent to the bot. The LINE user id is found by a keyed hash and
/// kept sealed with the person's key (with the display name LINE gives), so erasure shreds it.
/// </summary>
public sealed class LineLink
{
    public required string CandidateId { get; init; }
    public required string UserIdHash { get; set; }
    public required byte[] SealedUserId { get; set; }
    public byte[]? SealedDisplayName { get; set; }
    /// <summary>Notices go to LINE (the person may keep the link and still choose mail).</summary>
    public bool Notify { get; set; } = true;
    public DateTime LinkedAt { get; set; }
}

/// <summary>A one-time link code (8 letters and digits, 30 minutes): found by its hash, shown to the person from the sealed copy.</summary>
public sealed class LineLinkCode
{
    public required string CodeHash { get; init; }
    public required string CandidateId { get; init; }
    public required byte[] SealedCode { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A webhook event already handled (LINE redelivers; <c>webhookEventId</c> makes the second one a no-op). Kept a week.</summary>
public sealed class LineWebhookEvent
{
    public required string EventId { get; init; }
    public DateTime ReceivedAt { get; init; }
}

public static class LinePushStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    /// <summary>LINE refused it for good or kept failing: the notice went by mail instead.</summary>
    public const string FellBack = "fell_back";
    /// <summary>The person unlinked or was erased before it went.</summary>
    public const string Dropped = "dropped";
}

/// <summary>A push waiting to go: the text (and the mail to send instead if it cannot) sealed with the person's key.</summary>
public sealed class LinePush
{
    public required string Id { get; init; }
    public required string CandidateId { get; init; }
    public required string Kind { get; init; }
    public required byte[] Payload { get; init; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    /// <summary>X-Line-Retry-Key: the same push retried is delivered once.</summary>
    public required string RetryKey { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>What a push carries, sealed.</summary>
public sealed record LinePushPayload(string Text, Infrastructure.Mail.MailContent? Fallback);
