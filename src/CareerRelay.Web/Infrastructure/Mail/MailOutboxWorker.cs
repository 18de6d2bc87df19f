using System.Net.Mail;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>
/// Sends queued mail: first what this node's own writers handed over after their commits (<see cref="MailOutbox.HandOver"/>),
/// then whatever the table holds that is due and unclaimed (other kinds, retries, a dead node's mail). Each mail taken
/// from the table is claimed with a conditional update (a lease), so several nodes never send the same one at once;
/// failures retry with exponential backoff and give up after a day.
/// </summary>
public sealed class MailOutboxWorker(
    IServiceScopeFactory scopes, DbWriteGate gate, MailOutbox outbox, IMailSender sender, KeyRing keys,
    Telemetry.RelayMetrics metrics, TimeProvider clock, ILogger<MailOutboxWorker> logger) : DrainingService
{
    private const int BatchSize = 50, HandOverBatch = 200, MaxAttempts = 12;
    /// <summary>A handed-over mail this close to its lease's end is left to the poll, which sends it once the lease is over.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);
    /// <summary>While handed-over mail flows, the table is still polled this often for everything else.</summary>
    private static readonly TimeSpan PollWhileBusy = TimeSpan.FromSeconds(1);

    /// <param name="RefusedAddress">The keyed hash of an address the server refused for good: it goes on the suppression list.</param>
    private readonly record struct Outcome(string Id, string Kind, string Status, int Attempts, DateTime Next, string? Error, string? RefusedAddress = null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idlePolls = 0;
        var lastPoll = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RecordWaitingSentAsync(MailOutbox.SentMarkWait, CancellationToken.None);
                var sent = await SendHandedOverAsync(stoppingToken);
                if (sent == 0 || clock.GetElapsedTime(lastPoll) >= PollWhileBusy)
                {
                    sent += await SendDueAsync(stoppingToken);
                    lastPoll = clock.GetTimestamp();
                }
                idlePolls = sent > 0 ? 0 : idlePolls + 1;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                logger.LogError(ex, "Mail outbox pass failed; retrying shortly");
            }
            // Poll quickly while mail flows, every 2 s when idle; a local enqueue or hand-over cuts the wait short.
            var wait = idlePolls == 0 ? 50 : 2000;
            for (var waited = 0; waited < wait && !outbox.TakeWakeUp(); waited += 50)
                await Task.Delay(50, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    protected override async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RecordWaitingSentAsync(waited: null, cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Sent mail not recorded on shutdown is sent again when this node's lease ends ({Error})", ex.GetType().Name);
        }
        // Handed over but not sent: give up this node's lease, so the next node to poll sends them now rather than later.
        var unsent = new List<string>();
        while (outbox.TryTakeHandedOver(out var mail)) unsent.Add(mail.Id);
        outbox.Release(unsent);
        if (unsent.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            await gate.RunAsync(db, token => db.OutboxMails.Where(m => unsent.Contains(m.Id) && m.Status == OutboxStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, (DateTime?)null), token), cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning("{Count} handed-over mails keep this node's lease until it runs out ({Error})", unsent.Count, ex.GetType().Name);
        }
    }

    /// <summary>Sends mail this node's writers handed over after committing it, from memory: no claim, no read-back, no unsealing.</summary>
    public async Task<int> SendHandedOverAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var batch = new List<HandedOverMail>(HandOverBatch);
        while (batch.Count < HandOverBatch && outbox.TryTakeHandedOver(out var mail))
            if (mail.LeaseEnd - now > LeaseMargin) batch.Add(mail);
            else outbox.Release([mail.Id]); // left to the poll, which sends it once the lease is over
        if (batch.Count == 0) return 0;

        var outcomes = new List<Outcome>(batch.Count);
        try
        {
            foreach (var mail in batch) outcomes.Add(await SendOneAsync(mail.Id, mail.Kind, attempts: 0, () => mail.Content, now, ct));
        }
        finally
        {
            // Stopping mid-batch: what went out is recorded as sent; the rest goes back, for DrainAsync to release.
            if (outcomes.Count < batch.Count) outbox.HandOver(batch.Skip(outcomes.Count));
            if (outcomes.All(o => o.Status == OutboxStatus.Sent))
            {
                // The common case: recorded by the next registration batch (MailOutbox.QueueSent).
                outbox.QueueSent(outcomes.Select(o => o.Id), now);
                foreach (var o in outcomes) metrics.Mail(o.Status, o.Kind);
            }
            else
            {
                await using var scope = scopes.CreateAsyncScope();
                await RecordAsync(scope.ServiceProvider.GetRequiredService<CareerRelayDb>(), outcomes, now, CancellationToken.None);
                outbox.Release(outcomes.Select(o => o.Id));
            }
        }
        return outcomes.Count(o => o.Status == OutboxStatus.Sent);
    }

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var leaseEnd = now + MailOutbox.Lease;

        // Claim a batch with a lease; of several nodes, each row goes to one. PostgreSQL: one statement that skips rows
        // another node is claiming this instant (FOR UPDATE SKIP LOCKED), so concurrent nodes take different batches.
        // This node's sent mail still waiting for a registration batch is recorded first, in the same transaction —
        // else a row whose lease ran out meanwhile (a clock moved on) would be claimed and sent twice.
        var waitingSent = outbox.TakeSent();
        // What this node is still sending, or sent and has not recorded, is left alone — not sent again, nor its lease renewed.
        var held = outbox.Held();
        List<string> claimed;
        try
        {
            claimed = await gate.RunAsync(db, async token =>
            {
                if (waitingSent.Count > 0) await MailOutbox.RecordSentAsync(db, waitingSent, token);
                if (!gate.IsSqlite)
                    return await db.Database.SqlQuery<string>($"""
                        UPDATE outbox_mails SET locked_until = {leaseEnd}
                        WHERE id IN (SELECT id FROM outbox_mails
                                     WHERE status = 'pending' AND next_attempt_at <= {now} AND (locked_until IS NULL OR locked_until < {now})
                                       AND NOT (id = ANY({held}))
                                     ORDER BY next_attempt_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                        RETURNING id AS "Value"
                        """).ToListAsync(token);
                var due = await db.OutboxMails.AsNoTracking()
                    .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
                    .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(BatchSize).ToListAsync(token);
                due.RemoveAll(new HashSet<string>(held).Contains);
                if (due.Count == 0) return [];
                await db.OutboxMails.Where(m => due.Contains(m.Id) && (m.LockedUntil == null || m.LockedUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseEnd), token);
                return await db.OutboxMails.AsNoTracking().Where(m => due.Contains(m.Id) && m.LockedUntil == leaseEnd).Select(m => m.Id).ToListAsync(token);
            }, ct);
        }
        catch
        {
            outbox.ReturnSent(waitingSent);
            throw;
        }
        outbox.Release(waitingSent.Select(m => m.Id));
        // Held since the snapshot above (handed over, or taken by a sender, this instant): not this poll's to send — nor its
        // lease to keep. Kept, it made the row wait a whole lease if the holder let go of it unsent (a mail released near
        // its lease's end, "left to the poll"); given back, the row is as it was before this poll.
        var heldMeanwhile = claimed.FindAll(outbox.Holds);
        if (heldMeanwhile.Count > 0)
        {
            claimed.RemoveAll(heldMeanwhile.Contains);
            await gate.RunAsync(db, token => db.OutboxMails.Where(m => heldMeanwhile.Contains(m.Id) && m.LockedUntil == leaseEnd)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, (DateTime?)null), token), ct);
        }
        if (claimed.Count == 0) return 0;
        outbox.Hold(claimed);
        try
        {
            return await SendClaimedAsync(db, claimed, now, ct);
        }
        finally
        {
            outbox.Release(claimed);
        }
    }

    private async Task<int> SendClaimedAsync(CareerRelayDb db, List<string> claimed, DateTime now, CancellationToken ct)
    {

        var mails = await db.OutboxMails.AsNoTracking().Where(m => claimed.Contains(m.Id)).ToListAsync(ct);
        var candidateIds = mails.Where(m => m.CandidateId != null).Select(m => m.CandidateId!).Distinct().ToList();
        var wrappedKeys = await db.CandidateKeys.AsNoTracking().Where(k => candidateIds.Contains(k.CandidateId))
            .ToDictionaryAsync(k => k.CandidateId, k => k.WrappedKey, ct);
        var cipher = new PersonalDataCipher(keys);

        var outcomes = new List<Outcome>();
        var opened = new List<(OutboxMail Mail, MailContent Content, string AddressHash)>();
        foreach (var mail in mails)
        {
            byte[]? key = mail.CandidateId is null ? keys.SystemDataKey
                : wrappedKeys.TryGetValue(mail.CandidateId, out var wrapped) ? cipher.UnwrapKey(wrapped) : null;
            if (key is null)
            {
                outcomes.Add(new Outcome(mail.Id, mail.Kind, OutboxStatus.Dropped, mail.Attempts, now, "recipient erased"));
                continue;
            }
            var content = System.Text.Json.JsonSerializer.Deserialize<MailContent>(PersonalDataCipher.Open(key, mail.Payload))!;
            opened.Add((mail, content, AddressHash(content.To)));
        }
        // Addresses known to refuse mail: only what the recipient asked for is tried (it may work again).
        var hashes = opened.Select(o => o.AddressHash).Distinct().ToList();
        var suppressed = (await db.MailSuppressions.AsNoTracking().Where(x => hashes.Contains(x.AddressHash)).Select(x => x.AddressHash).ToListAsync(ct)).ToHashSet();
        foreach (var (mail, content, hash) in opened)
            outcomes.Add(suppressed.Contains(hash) && !RequestedMail.Kinds.Contains(mail.Kind)
                ? new Outcome(mail.Id, mail.Kind, OutboxStatus.Suppressed, mail.Attempts, now, "suppressed: the address refused mail before")
                : await SendOneAsync(mail.Id, mail.Kind, mail.Attempts, () => content, now, ct));
        await RecordAsync(db, outcomes, now, ct);
        return outcomes.Count(o => o.Status == OutboxStatus.Sent);
    }

    /// <summary>A ValueTask: the pickup folder's send finishes without waiting, and a Task per mail was its only garbage of ours.</summary>
    private async ValueTask<Outcome> SendOneAsync(string id, string kind, int attempts, Func<MailContent> content, DateTime now, CancellationToken ct)
    {
        try
        {
            await sender.SendAsync(content(), ct);
            return new Outcome(id, kind, OutboxStatus.Sent, attempts + 1, now, null);
        }
        catch (MailRefusedException ex)
        {
            // The receiving server refused the address for good (5xx): retrying cannot help; record the bounce and stop
            // mailing the address.
            logger.LogWarning("{Kind} mail {MailId} bounced (SMTP {Status})", kind, id, ex.StatusCode);
            return new Outcome(id, kind, OutboxStatus.Bounced, attempts + 1, now, "bounced: SMTP " + ex.StatusCode, AddressHash(content().To));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            attempts++;
            var backoff = TimeSpan.FromSeconds(Math.Min(3600, 15 * Math.Pow(2, attempts - 1)));
            // The exception type only: SMTP messages can echo the recipient address.
            logger.LogWarning("Sending {Kind} mail {MailId} failed ({Error}); attempt {Attempts}", kind, id, ex.GetType().Name, attempts);
            return new Outcome(id, kind, attempts >= MaxAttempts ? OutboxStatus.Failed : OutboxStatus.Pending, attempts, now + backoff, ex.GetType().Name);
        }
    }

    /// <summary>Sent mail no registration batch recorded in time (or, on shutdown, all of it): recorded in a transaction of its own.</summary>
    private async Task RecordWaitingSentAsync(TimeSpan? waited, CancellationToken ct)
    {
        var marks = outbox.TakeSent(waited);
        if (marks.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            await gate.RunAsync(db, async token => { await MailOutbox.RecordSentAsync(db, marks, token); return 0; }, ct);
        }
        catch
        {
            outbox.ReturnSent(marks);
            throw;
        }
        outbox.Release(marks.Select(m => m.Id));
    }

    private async Task RecordAsync(CareerRelayDb db, List<Outcome> outcomes, DateTime now, CancellationToken ct)
    {
        if (outcomes.Count == 0) return;
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
        // A failure that will be tried again is "deferred"; "failed" has given up.
        foreach (var o in outcomes)
            metrics.Mail(o.Status == OutboxStatus.Pending ? "deferred" : o.Status, o.Kind);
        foreach (var refused in outcomes.Where(o => o.RefusedAddress is not null).DistinctBy(o => o.RefusedAddress))
            await MailBounces.SuppressAsync(db, gate, refused.RefusedAddress!,
                int.TryParse(refused.Error?.Split(' ')[^1], out var code) ? code : 550, now, ct);
    }

    /// <summary>The address's keyed hash, the same as <c>candidates.email_hash</c>.</summary>
    private string AddressHash(string address) => MailBounces.AddressHash(keys, address);
}
