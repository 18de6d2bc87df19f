using System.Diagnostics.Metrics;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Webhooks;

namespace CareerRelay.Web.Infrastructure.Telemetry;

/// <summary>
/// What is waiting, read from the shared tables (so every node reports the same figure; graph the max): the age of the
/// oldest unsent mail and of the oldest undelivered webhook, and how many webhook endpoints are disabled. Read at most
/// every 10 s, whatever the scrape rate; a database that does not answer reports nothing rather than failing the scrape.
/// </summary>
public sealed class QueueGauges(IServiceScopeFactory scopes, TimeProvider clock, ILogger<QueueGauges> logger)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private (long At, double MailAge, double WebhookAge, double Disabled)? _last;

    public void Register(RelayMetrics metrics)
    {
        metrics.Observe("careerrelay.mail.outbox.age", "s", "Age of the oldest mail not yet sent (0 when none waits).", () => Read(r => r.MailAge));
        metrics.Observe("careerrelay.webhook.queue.age", "s", "Age of the oldest webhook delivery not yet made (0 when none waits).", () => Read(r => r.WebhookAge));
        metrics.Observe("careerrelay.webhook.endpoints.disabled", "{endpoint}", "Webhook endpoints disabled after sustained failure.", () => Read(r => r.Disabled));
    }

    private IEnumerable<Measurement<double>> Read(Func<(long At, double MailAge, double WebhookAge, double Disabled), double> pick)
    {
        lock (_lock)
        {
            if (_last is not { } last || clock.GetElapsedTime(last.At) > Fresh)
            {
                try { _last = last = QueryAsync().GetAwaiter().GetResult(); }
                catch (Exception ex)
                {
                    logger.LogWarning("Queue gauges unavailable ({Error})", ex.GetType().Name);
                    return [];
                }
            }
            return [new Measurement<double>(pick(last))];
        }
    }

    private async Task<(long, double, double, double)> QueryAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var oldestMail = await db.OutboxMails.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending)
            .MinAsync(m => (DateTime?)m.CreatedAt, timeout.Token);
        var oldestWebhook = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Pending)
            .MinAsync(d => (DateTime?)d.CreatedAt, timeout.Token);
        var disabled = await db.WebhookEndpoints.AsNoTracking().CountAsync(e => e.DisabledAt != null, timeout.Token);
        return (clock.GetTimestamp(), Age(oldestMail), Age(oldestWebhook), disabled);

        double Age(DateTime? oldest) => oldest is { } t ? Math.Max(0, (now - t).TotalSeconds) : 0;
    }
}
