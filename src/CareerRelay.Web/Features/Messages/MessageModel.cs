using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Messages;

/// <summary>Who wrote a message: the agency (a user or an API key) or the person.</summary>
[TextKeys("Agency.Messages.From.{0}")]
public static class MessageSenders
{
    public const string Agency = "agency";
    public const string Person = "person";
}

/// <summary>
/// One message of the thread between an agency and a person (one thread per pair). The text is sealed with the person's
/// key, so erasure shreds it; the rejecting and the hiring company never see any of it.
/// </summary>
public sealed class Message
{
    public required string Id { get; init; }
    public required string AgencyId { get; init; }
    public required string CandidateId { get; init; }
    /// <summary>One of <see cref="MessageSenders"/>.</summary>
    public required string Sender { get; init; }
    /// <summary>The agency user (<c>{agency}/user:{id}</c>) or key (<c>{agency}/{keyId}</c>); the person's pseudonymous id.</summary>
    public required string SenderId { get; init; }
    public required byte[] Body { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>When the other side first read it (the agency's reads are audited).</summary>
    public DateTime? ReadAt { get; set; }
}

/// <summary>The person stopped this agency's messages (they may lift it again on /me).</summary>
public sealed class MessageBlock
{
    public required string CandidateId { get; init; }
    public required string AgencyId { get; init; }
    public DateTime BlockedAt { get; init; }
}

/// <summary>Where a thread stands for a writer: open, closed (no active consent) or blocked by the person.</summary>
[TextKeys("Messages.State.{0}")]
public static class ThreadStates
{
    public const string Open = "open";
    public const string Closed = "closed";
    public const string Blocked = "blocked";
}

// What the message routes take and answer.

public sealed record MessageRequest(string? Text);

public sealed record PersonMessageRequest(string? Token, string? AgencyId, string? Text);

/// <param name="Sender"><c>agency</c> or <c>person</c>.</param>
public sealed record MessageItem(string Id, string Sender, string Text, DateTime CreatedAt, DateTime? ReadAt);
