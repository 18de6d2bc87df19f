using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Security;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>Queues mail inside the caller's transaction; <see cref="MailOutboxWorker"/> sends it.</summary>
public sealed class MailOutbox(KeyRing keys)
{
    /// <summary>How long a node's claim on a mail lasts before another node may send it (the node may have died).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    /// <summary>Beyond this many mails waiting in memory, new mail is left to the table's poll instead.</summary>
    private const int HandOverLimit = 10_000;

    private readonly ConcurrentQueue<HandedOverMail> _handedOver = new();
    private int _wake;

    public void Enqueue(CareerRelayDb db, string? candidateId, byte[]? candidateDataKey, string kind, MailContent content, DateTime now) =>
        db.OutboxMails.Add(Create(candidateId, candidateDataKey, kind, Seal(candidateId is null ? keys.SystemDataKey : candidateDataKey!, content), now));

    /// <summary>Seals mail content with the candidate's key (or the system key); CPU work callers may do before a write transaction.</summary>
    public static byte[] Seal(byte[] key, MailContent content) =>
        PersonalDataCipher.SealAsJson(key, content, SealedMailJson.Default.MailContent);

    /// <summary>An outbox row for an already sealed payload; the caller writes it in its own transaction.</summary>
    public OutboxMail Create(string? candidateId, byte[]? candidateDataKey, string kind, byte[] sealedPayload, DateTime now)
    {
        if (candidateId is not null) ArgumentNullException.ThrowIfNull(candidateDataKey);
        Interlocked.Exchange(ref _wake, 1);
        return new OutboxMail
        {
            Id = Ids.New(), CandidateId = candidateId, Kind = kind, Payload = sealedPayload,
            Status = OutboxStatus.Pending, NextAttemptAt = now, CreatedAt = now,
        };
    }

    /// <summary>
    /// An outbox row this node means to send itself, straight from memory, once the caller's transaction commits
    /// (<see cref="HandOver"/>): the row is written already claimed by this node for one <see cref="Lease"/>, so no other
    /// node takes it, and this node need not claim, read and open it again. If the node dies first, the lease runs out
    /// and any node sends it from the table. Under a backlog the row is written unclaimed and the poll sends it.
    /// Sent from memory, it is not checked against erasure the way a mail read back from the table is: a person erased
    /// within the seconds between the commit and the send still receives this one verification mail (the row itself
    /// is deleted with the person, and nothing else is sent).
    /// </summary>
    public (OutboxMail Row, HandedOverMail? HandOver) CreateToHandOver(
        string? candidateId, byte[]? candidateDataKey, string kind, byte[] sealedPayload, MailContent content, DateTime now)
    {
        var row = Create(candidateId, candidateDataKey, kind, sealedPayload, now);
        if (_handedOver.Count >= HandOverLimit) return (row, null);
        row.LockedUntil = now + Lease;
        return (row, new HandedOverMail(row.Id, kind, content, row.LockedUntil.Value));
    }

    /// <summary>After the commit that wrote the rows of <see cref="CreateToHandOver"/>: the worker sends them next.</summary>
    public void HandOver(IEnumerable<HandedOverMail> mails)
    {
        foreach (var mail in mails)
        {
            _held[mail.Id] = 0;
            _handedOver.Enqueue(mail);
        }
        Interlocked.Exchange(ref _wake, 1);
    }

    // ---- What this node holds: handed over, being sent, or sent and not yet recorded ----

    private readonly ConcurrentDictionary<string, byte> _held = new();

    /// <summary>
    /// Mail this node is sending, or sent and has not yet recorded: its own poll never claims it again, even when the row's lease
    /// ran out meanwhile (the business clock moved on, or a registration batch holding its "sent" mark has not committed yet) —
    /// else the person gets it twice. Released once the outcome is in the table (or the mail is left to the poll).
    /// </summary>
    public void Hold(IEnumerable<string> ids)
    {
        foreach (var id in ids) _held[id] = 0;
    }

    public void Release(IEnumerable<string> ids)
    {
        foreach (var id in ids) _held.TryRemove(id, out _);
    }

    public bool Holds(string id) => _held.ContainsKey(id);

    /// <summary>A snapshot of what this node holds, for its poll to leave alone.</summary>
    public string[] Held() => [.. _held.Keys];

    public bool TryTakeHandedOver([NotNullWhen(true)] out HandedOverMail? mail) => _handedOver.TryDequeue(out mail);

    // ---- "Sent", recorded with the next registration batch ----

    /// <summary>
    /// Under <see cref="_sentLock"/>; swapped out whole by <see cref="TakeSent"/>. Not a ConcurrentQueue: looking at its
    /// oldest mark (TryPeek) pins the queue's segment — its items are kept and a new segment begun — and each such dead
    /// segment linked to the next kept everything queued after it alive through every gen-0 collection (issue 23's GC trace).
    /// </summary>
    private List<(string Id, DateTime SentAt, long QueuedAt)> _sentMarks = [];
    private readonly Lock _sentLock = new();

    /// <summary>How long a handed-over mail may wait, sent, for a registration batch to record it before the worker does.</summary>
    public static readonly TimeSpan SentMarkWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Handed-over mail that went out, to be marked sent inside the next registration writer's transaction rather than
    /// in a transaction of its own: on SQLite every write waits for the one writer, and under load the mail worker's own
    /// "sent" transactions took the writer's turn a dozen times a second and wrote the outbox's pages a second time
    /// (issue 23's profile); on PostgreSQL they were a tenth of the node's CPU (a transaction, its round trips and
    /// EF's statement per handed-over batch). If no batch comes within <see cref="SentMarkWait"/> (real time, not the business clock), the
    /// worker records them itself. Should the node die first, the row is still pending under this node's lease and is
    /// sent again when the lease ends — the same at-least-once as a death between the send and its record, with a window
    /// of a second instead of milliseconds. The worker's own poll records the waiting marks before it claims anything
    /// (<see cref="MailOutboxWorker.SendDueAsync"/>), so a living node never sends its own mail twice.
    /// </summary>
    public void QueueSent(IEnumerable<string> ids, DateTime sentAt)
    {
        var queuedAt = Environment.TickCount64;
        lock (_sentLock)
            foreach (var id in ids) _sentMarks.Add((id, sentAt, queuedAt));
    }

    /// <summary>The queued marks: all of them, or none unless the oldest has waited <paramref name="waited"/>.</summary>
    public List<(string Id, DateTime SentAt, long QueuedAt)> TakeSent(TimeSpan? waited = null)
    {
        lock (_sentLock)
        {
            if (_sentMarks.Count == 0 || waited is { } wait && Environment.TickCount64 - _sentMarks[0].QueuedAt < wait.TotalMilliseconds) return [];
            var taken = _sentMarks;
            _sentMarks = new(taken.Count); // about as many next time: growing from empty cost twice that in garbage
            return taken;
        }
    }

    /// <summary>Marks taken for a transaction that did not commit go back, to be recorded by the next one.</summary>
    public void ReturnSent(IEnumerable<(string Id, DateTime SentAt, long QueuedAt)> marks)
    {
        lock (_sentLock) _sentMarks.InsertRange(0, marks); // still the oldest: they go first
    }

    /// <summary>
    /// Writes <paramref name="marks"/> in the caller's transaction. Rides in the registration writer's transaction, so it
    /// is written as the writer's other statements are: on SQLite one prepared UPDATE per mail through SQLite's C API, on
    /// PostgreSQL one statement per send time with the ids as an array. EF's <c>ExecuteUpdate</c> with a list parameter
    /// built its SQL and parameters anew for every batch (2 % of a registration's bytes, on the one SQLite writer).
    /// </summary>
    public static async Task RecordSentAsync(CareerRelayDb db, IReadOnlyList<(string Id, DateTime SentAt, long QueuedAt)> marks, CancellationToken ct)
    {
        if (marks.Count == 0) return;
        switch (db.Database.GetDbConnection())
        {
            case Microsoft.Data.Sqlite.SqliteConnection sqlite:
                FastInsert.Execute(sqlite, $"UPDATE outbox_mails {SentSet} WHERE id = $2 AND status = 'pending'", marks.Count, i => (marks[i].SentAt, marks[i].Id));
                break;
            case Npgsql.NpgsqlConnection postgres:
                await using (var batch = new Npgsql.NpgsqlBatch(postgres))
                {
                    foreach (var command in SentMarksOnPostgres(marks)) batch.BatchCommands.Add(command);
                    await batch.ExecuteNonQueryAsync(ct);
                }
                break;
            default:
                throw new NotSupportedException("Sent marks are written on SQLite or PostgreSQL.");
        }
    }

    /// <summary>
    /// <see cref="RecordSentAsync"/>'s statements on PostgreSQL — one per send time, the ids as an array — for a caller that
    /// sends them in a batch of its own (the registration writer: its rows, counters and these in one round trip).
    /// </summary>
    public static IEnumerable<Npgsql.NpgsqlBatchCommand> SentMarksOnPostgres(IReadOnlyList<(string Id, DateTime SentAt, long QueuedAt)> marks) =>
        marks.GroupBy(m => m.SentAt).Select(group => new Npgsql.NpgsqlBatchCommand($"UPDATE outbox_mails {SentSet} WHERE id = ANY($2) AND status = 'pending'")
        {
            Parameters =
            {
                new Npgsql.NpgsqlParameter<DateTime> { TypedValue = DateTime.SpecifyKind(group.Key, DateTimeKind.Utc) },
                new Npgsql.NpgsqlParameter<string[]> { TypedValue = [.. group.Select(m => m.Id)] },
            },
        });

    private const string SentSet = "SET status = 'sent', attempts = attempts + 1, locked_until = NULL, sent_at = $1, last_error = NULL";

    /// <summary>True once after something was queued on this node: the worker looks again at once instead of waiting for its poll.</summary>
    public bool TakeWakeUp() => Interlocked.Exchange(ref _wake, 0) == 1;
}

/// <summary>The mail's JSON shape from the source generator: sealed for every mail, written without reflection.</summary>
// Empty fields are left out (most mail has no calendar, no reply-to): the deserialiser gives them their defaults.
[System.Text.Json.Serialization.JsonSourceGenerationOptions(DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(MailContent))]
internal sealed partial class SealedMailJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>A committed mail this node holds the lease on and sends from memory (<see cref="MailOutbox.CreateToHandOver"/>).</summary>
public sealed record HandedOverMail(string Id, string Kind, MailContent Content, DateTime LeaseEnd);

public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Dropped = "dropped";
    public const string Bounced = "bounced";
    public const string Cancelled = "cancelled";
    /// <summary>Not sent: the address is on the suppression list (<see cref="MailSuppression"/>).</summary>
    public const string Suppressed = "suppressed";
}

/// <summary>Mail the recipient asked for this moment: tried even to a suppressed address (it may work again).</summary>
public static class RequestedMail
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>
    {
        "verification", "referral-verification", "alumni-verification", "candidate-sign-in", "console-sign-in", "console-invitation",
    };
}
