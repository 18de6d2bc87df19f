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
    /// <summary><c>pending</c>, <c>sent</c>, <c>failed</c> (gave up), <c>dropped</c> (recipient erased), <c>bounced</c> (the
    /// receiving server refused the address for good), <c>cancelled</c> (withdrawn before sending).</summary>
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
/// <param name="FromName">The display name on the From line when we send for a company (委託); the address stays ours.</param>
/// <param name="ReplyTo">Where a reply goes when we send for a company: the company, not us.</param>
/// <param name="Calendar">An iCalendar invitation or cancellation (a 面談) the mail carries beside its text.</param>
public sealed record MailContent(string To, string Subject, string Body, string Lang, string? UnsubscribeUrl = null,
    string? FromName = null, string? ReplyTo = null, MailCalendar? Calendar = null);

/// <summary>An iCalendar object (RFC 5545) and its iTIP method (<c>REQUEST</c>, <c>CANCEL</c>; RFC 5546), as mail carries it (RFC 6047).</summary>
public sealed record MailCalendar(string Method, string Ics);

/// <summary>
/// An address mail cannot reach: the receiving server refused it for good (a 5xx to the recipient). Found by the same keyed
/// hash as <c>candidates.email_hash</c>, never the address. Mail the recipient did not ask for this moment is not sent to it
/// (status <c>suppressed</c>); mail they asked for (a sign-in link, a confirmation) is still tried, and signing in with a
/// mailed link lifts the entry — the mailbox works again.
/// </summary>
public sealed class MailSuppression
{
    public required string AddressHash { get; init; }
    public int StatusCode { get; set; }
    public DateTime CreatedAt { get; set; }
}
