using System.Text;
using System.Text.Json;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Line;

/// <summary>Queues pushes for people who linked LINE and chose to hear there (in the caller's transaction).</summary>
public sealed class LinePushes(IOptions<LineOptions> options)
{
    /// <summary>
    /// Queues <paramref name="text"/> for the person's LINE; false (nothing queued) when LINE is off or the person has not
    /// linked it or chose mail. <paramref name="fallback"/> is the mail sent instead if the push cannot be delivered.
    /// </summary>
    public async Task<bool> QueueAsync(CareerRelayDb db, string candidateId, byte[] dataKey, string kind, string text, MailContent? fallback,
        DateTime now, CancellationToken ct)
    {
        if (!options.Value.Enabled || !await db.LineLinks.AnyAsync(l => l.CandidateId == candidateId && l.Notify, ct)) return false;
        db.LinePushes.Add(new LinePush
        {
            Id = Ids.New(), CandidateId = candidateId, Kind = kind, Status = LinePushStatus.Pending, NextAttemptAt = now, CreatedAt = now,
            RetryKey = Guid.NewGuid().ToString(),
            Payload = PersonalDataCipher.Seal(dataKey, JsonSerializer.SerializeToUtf8Bytes(new LinePushPayload(text, fallback))),
        });
        return true;
    }
}

/// <summary>
/// Sends queued pushes every second. LINE's 429 and 5xx are tried again — after its Retry-After when it gives one, else with
/// a growing wait — up to <c>Line:MaxAttempts</c>; a push refused for good, out of tries, or for a person who unlinked
/// meanwhile goes by mail instead. Every node runs it: a row is claimed for a lease before it is sent.
/// </summary>
public sealed class LinePushWorker(IServiceScopeFactory scopes, Candidates.CandidateVault vault, IOptions<LineOptions> options, TimeProvider clock, ILogger<LinePushWorker> logger)
    : PeriodicJob(TimeSpan.FromSeconds(1), runAtStart: true, logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var gate = scope.ServiceProvider.GetRequiredService<DbWriteGate>();
        var client = scope.ServiceProvider.GetRequiredService<LineClient>();
        var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.LinePushes.Where(p => p.Status == LinePushStatus.Pending && p.NextAttemptAt <= now && (p.LockedUntil == null || p.LockedUntil < now))
            .OrderBy(p => p.NextAttemptAt).Select(p => p.Id).Take(50).ToListAsync(ct);
        var done = 0;
        foreach (var id in due)
        {
            var claimed = await gate.RunAsync(db, t => db.LinePushes.Where(p => p.Id == id && p.Status == LinePushStatus.Pending && (p.LockedUntil == null || p.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.LockedUntil, now + Lease), t), ct);
            if (claimed == 1) done += await SendAsync(db, gate, client, outbox, id, ct);
        }
        // Redelivered events come within minutes; a week of ids is plenty.
        await gate.RunAsync(db, t => db.LineWebhookEvents.Where(e => e.ReceivedAt < now.AddDays(-7)).ExecuteDeleteAsync(t), ct);
        await gate.RunAsync(db, t => db.LineLinkCodes.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(t), ct);
        return done;
    }

    private async Task<int> SendAsync(CareerRelayDb db, DbWriteGate gate, LineClient client, MailOutbox outbox, string id, CancellationToken ct)
    {
        var push = await db.LinePushes.FirstAsync(p => p.Id == id, ct);
        var key = await db.CandidateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.CandidateId == push.CandidateId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (key is null)
        {
            push.Status = LinePushStatus.Dropped;
            await gate.RunAsync(db, t => db.SaveChangesAsync(t), ct);
            return 0;
        }
        var dataKey = vault.Unwrap(key);
        var payload = JsonSerializer.Deserialize<LinePushPayload>(PersonalDataCipher.Open(dataKey, push.Payload))!;
        var link = await db.LineLinks.AsNoTracking().FirstOrDefaultAsync(l => l.CandidateId == push.CandidateId && l.Notify, ct);
        var outcome = link is null ? new LineOutcome(false, false, null, "unlinked")
            : await client.PushAsync(Encoding.UTF8.GetString(PersonalDataCipher.Open(dataKey, link.SealedUserId)), payload.Text, push.RetryKey, ct);
        push.Attempts++;
        push.LockedUntil = null;
        push.LastError = outcome.Error;
        if (outcome.Delivered)
        {
            push.Status = LinePushStatus.Sent;
            push.SentAt = now;
        }
        else if (outcome.Retry && push.Attempts < options.Value.MaxAttempts)
        {
            var wait = outcome.RetryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(5 * Math.Pow(4, push.Attempts - 1));
            push.NextAttemptAt = now + (wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait);
        }
        else
        {
            push.Status = LinePushStatus.FellBack;
            if (payload.Fallback is { } mail) outbox.Enqueue(db, push.CandidateId, dataKey, push.Kind, mail, now);
            logger.LogInformation("LINE push {PushId} ({Kind}) went by mail instead: {Error}", push.Id, push.Kind, outcome.Error);
        }
        await gate.RunAsync(db, t => db.SaveChangesAsync(t), ct);
        return outcome.Delivered ? 1 : 0;
    }
}
