using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Security;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>Queues mail inside the caller's transaction; <see cref="MailOutboxWorker"/> sends it.</summary>
public sealed class MailOutbox(KeyRing keys)
{
    private int _wake;

    public void Enqueue(CareerRelayDb db, string? candidateId, byte[]? candidateDataKey, string kind, MailContent content, DateTime now) =>
        db.OutboxMails.Add(Create(candidateId, candidateDataKey, kind, Seal(candidateId is null ? keys.SystemDataKey : candidateDataKey!, content), now));

    /// <summary>Seals mail content with the candidate's key (or the system key); CPU work callers may do before a write transaction.</summary>
    public static byte[] Seal(byte[] key, MailContent content) =>
        PersonalDataCipher.Seal(key, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(content));

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

    /// <summary>True once after something was queued on this node: the worker looks again at once instead of waiting for its poll.</summary>
    public bool TakeWakeUp() => Interlocked.Exchange(ref _wake, 0) == 1;
}

public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Dropped = "dropped";
    public const string Bounced = "bounced";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// Sends queued mail. Each mail is claimed with a conditional update (a lease), so several nodes never
/// send the same one at once; failures retry with exponential backoff and give up after a day.
/// </summary>
public sealed class MailOutboxWorker(
    IServiceScopeFactory scopes, DbWriteGate gate, MailOutbox outbox, IMailSender sender, KeyRing keys,
    TimeProvider clock, ILogger<MailOutboxWorker> logger) : BackgroundService
{
    private const int BatchSize = 50, MaxAttempts = 12;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idlePolls = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await SendDueAsync(stoppingToken);
                idlePolls = sent > 0 ? 0 : idlePolls + 1;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                logger.LogError(ex, "Mail outbox pass failed; retrying shortly");
            }
            // Poll quickly while mail flows, every 2 s when idle; a local enqueue cuts the wait short.
            var wait = idlePolls == 0 ? 50 : 2000;
            for (var waited = 0; waited < wait && !outbox.TakeWakeUp(); waited += 50)
                await Task.Delay(50, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var leaseEnd = now + Lease;

        // Claim a batch with a lease; of several nodes, each row goes to one. PostgreSQL: one statement that skips rows
        // another node is claiming this instant (FOR UPDATE SKIP LOCKED), so concurrent nodes take different batches.
        var claimed = await gate.RunAsync(db, async token =>
        {
            if (!gate.IsSqlite)
                return await db.Database.SqlQuery<string>($"""
                    UPDATE outbox_mails SET locked_until = {leaseEnd}
                    WHERE id IN (SELECT id FROM outbox_mails
                                 WHERE status = 'pending' AND next_attempt_at <= {now} AND (locked_until IS NULL OR locked_until < {now})
                                 ORDER BY next_attempt_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                    RETURNING id AS "Value"
                    """).ToListAsync(token);
            var due = await db.OutboxMails.AsNoTracking()
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
                .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(BatchSize).ToListAsync(token);
            if (due.Count == 0) return [];
            await db.OutboxMails.Where(m => due.Contains(m.Id) && (m.LockedUntil == null || m.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseEnd), token);
            return await db.OutboxMails.AsNoTracking().Where(m => due.Contains(m.Id) && m.LockedUntil == leaseEnd).Select(m => m.Id).ToListAsync(token);
        }, ct);
        if (claimed.Count == 0) return 0;

        var mails = await db.OutboxMails.AsNoTracking().Where(m => claimed.Contains(m.Id)).ToListAsync(ct);
        var candidateIds = mails.Where(m => m.CandidateId != null).Select(m => m.CandidateId!).Distinct().ToList();
        var wrappedKeys = await db.CandidateKeys.AsNoTracking().Where(k => candidateIds.Contains(k.CandidateId))
            .ToDictionaryAsync(k => k.CandidateId, k => k.WrappedKey, ct);
        var cipher = new PersonalDataCipher(keys);

        var outcomes = new List<(string Id, string Status, int Attempts, DateTime Next, string? Error)>();
        foreach (var mail in mails)
        {
            byte[]? key = mail.CandidateId is null ? keys.SystemDataKey
                : wrappedKeys.TryGetValue(mail.CandidateId, out var wrapped) ? cipher.UnwrapKey(wrapped) : null;
            if (key is null)
            {
                outcomes.Add((mail.Id, OutboxStatus.Dropped, mail.Attempts, now, "recipient erased"));
                continue;
            }
            try
            {
                var content = System.Text.Json.JsonSerializer.Deserialize<MailContent>(PersonalDataCipher.Open(key, mail.Payload))!;
                await sender.SendAsync(content, ct);
                outcomes.Add((mail.Id, OutboxStatus.Sent, mail.Attempts + 1, now, null));
            }
            catch (Exception ex) when (IsPermanentRefusal(ex))
            {
                // The receiving server refused the address for good (5xx): retrying cannot help; record the bounce.
                outcomes.Add((mail.Id, OutboxStatus.Bounced, mail.Attempts + 1, now, "bounced: SMTP " + (int)((SmtpFailedRecipientException)ex).StatusCode));
                logger.LogWarning("{Kind} mail {MailId} bounced (SMTP {Status})", mail.Kind, mail.Id, (int)((SmtpFailedRecipientException)ex).StatusCode);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var attempts = mail.Attempts + 1;
                var status = attempts >= MaxAttempts ? OutboxStatus.Failed : OutboxStatus.Pending;
                var backoff = TimeSpan.FromSeconds(Math.Min(3600, 15 * Math.Pow(2, attempts - 1)));
                // The exception type only: SMTP messages can echo the recipient address.
                outcomes.Add((mail.Id, status, attempts, now + backoff, ex.GetType().Name));
                logger.LogWarning("Sending {Kind} mail {MailId} failed ({Error}); attempt {Attempts}", mail.Kind, mail.Id, ex.GetType().Name, attempts);
            }
        }

        var sentIds = outcomes.Where(o => o.Status == OutboxStatus.Sent).Select(o => o.Id).ToList();
        await gate.RunAsync(db, async token =>
        {
            // The common case in one statement; failures and drops carry their own attempt counts and times.
            if (sentIds.Count > 0)
                await db.OutboxMails.Where(m => sentIds.Contains(m.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.Attempts, m => m.Attempts + 1)
                    .SetProperty(m => m.LockedUntil, (DateTime?)null).SetProperty(m => m.SentAt, now).SetProperty(m => m.LastError, (string?)null), token);
            foreach (var o in outcomes.Where(o => o.Status != OutboxStatus.Sent))
                await db.OutboxMails.Where(m => m.Id == o.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, o.Status)
                    .SetProperty(m => m.Attempts, o.Attempts)
                    .SetProperty(m => m.NextAttemptAt, o.Next)
                    .SetProperty(m => m.LockedUntil, (DateTime?)null)
                    .SetProperty(m => m.LastError, o.Error), token);
            return 0;
        }, ct);
        return outcomes.Count(o => o.Status == OutboxStatus.Sent);
    }

    /// <summary>A 5xx answer to the recipient (550 no such mailbox, 553 bad address…), not a busy or broken server.</summary>
    private static bool IsPermanentRefusal(Exception ex) =>
        ex is SmtpFailedRecipientException { StatusCode: var code } && (int)code is >= 500 and < 600;
}
