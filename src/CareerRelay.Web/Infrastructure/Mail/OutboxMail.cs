namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>
/// A mail waiting to be sent. Written in the same transaction as the event that causes it, so a
/// registration is never acknowledged without its mail. The payload (recipient, subject, body) is
/// sealed with the candidate's own key, so erasure makes queued mail unreadable too.
/// </summary>
public sealed class OutboxMail
{
    public required string Id { get; init; }
    public string? CandidateId { get; init; }
    /// <summary>What kind of mail, for operations (e.g. <c>verification</c>); never personal data.</summary>
    public required string Kind { get; init; }
    public required byte[] Payload { get; init; }
    /// <summary><c>pending</c>, <c>sent</c>, <c>failed</c> (gave up), <c>dropped</c> (recipient erased).</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>The sealed content of an outbox mail.</summary>
/// <param name="UnsubscribeUrl">Set on non-transactional mail only (recommendations, surveys): becomes the one-click
/// <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post</c> headers (RFC 8058) that 特定電子メール法 and mailbox providers expect.</param>
public sealed record MailContent(string To, string Subject, string Body, string Lang, string? UnsubscribeUrl = null);
