using System.Net;
using System.Net.Sockets;
using System.Text;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Webhooks;

/// <summary>
/// Delivers queued webhook events: each claimed with a lease (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>), POSTed with the Standard
/// Webhooks headers, retried with exponential backoff for more than a day (5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
/// 10 h). When every retry of a delivery has failed the endpoint is disabled and its tenant is mailed. The
/// connection re-checks the resolved address, so a name that later points at a private address is refused.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, IOptions<WebhookOptions> options, Telemetry.RelayMetrics metrics, TimeProvider clock, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.FirstOrDefault(a => WebhookOutbox.RefusalFor(a, options.Value.AllowPrivateNetworks) is null)
                ?? throw new HttpRequestException("The webhook address resolves only to addresses that may not receive webhooks.");
            var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(allowed, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { Timeout = TimeSpan.FromSeconds(10) };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundDispatch) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await DispatchDueAsync(stoppingToken); }
                catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogWarning(ex, "Webhook dispatch failed; retrying"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Sends what is due now; returns how many attempts were made.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var gate = scope.ServiceProvider.GetRequiredService<DbWriteGate>();
        var webhooks = scope.ServiceProvider.GetRequiredService<WebhookOutbox>();
        var now = clock.GetUtcNow().UtcDateTime;
        // Whole milliseconds: the lease is compared for equality later, so keep it exact whatever the column precision.
        var leaseUntil = new DateTime((now + Lease).Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        var claimed = await ClaimAsync(db, gate, now, leaseUntil, ct);
        var attempts = 0;
        foreach (var id in claimed)
        {
            var delivery = await db.WebhookDeliveries.AsNoTracking().FirstAsync(d => d.Id == id, ct);
            var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstAsync(e => e.Id == delivery.EndpointId, ct);
            attempts++;
            var (ok, code, error) = endpoint.DisabledAt is not null ? (false, (int?)null, "Endpoint disabled.") : await SendAsync(webhooks, endpoint, delivery, ct);
            await RecordAsync(db, gate, endpoint, delivery, leaseUntil, ok, code, error, ct);
            metrics.Webhook(ok ? "delivered" : endpoint.DisabledAt is not null ? "endpoint_disabled"
                : delivery.Attempts + 1 > Backoff.Length ? "failed" : "retrying");
        }
        return attempts;
    }

    /// <summary>
    /// Leases up to 50 due deliveries to this node. PostgreSQL: one statement that skips rows another node is claiming
    /// this instant (<c>FOR UPDATE SKIP LOCKED</c>), so nodes take different deliveries instead of racing for the same
    /// ones. SQLite (one node): a conditional update per delivery.
    /// </summary>
    private static async Task<List<string>> ClaimAsync(CareerRelayDb db, DbWriteGate gate, DateTime now, DateTime leaseUntil, CancellationToken ct)
    {
        if (!gate.IsSqlite)
            return await gate.RunAsync(db, t => db.Database.SqlQuery<string>($"""
                UPDATE webhook_deliveries SET next_attempt_at = {leaseUntil}
                WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = {DeliveryStatus.Pending} AND next_attempt_at <= {now}
                             ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED)
                RETURNING id AS "Value"
                """).ToListAsync(t), ct);
        var due = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt).Take(50).Select(d => d.Id).ToListAsync(ct);
        var claimed = new List<string>();
        foreach (var id in due)
            if (await gate.RunAsync(db, t => db.WebhookDeliveries.Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, leaseUntil), t), ct) == 1)
                claimed.Add(id);
        return claimed;
    }

    private async Task<(bool Ok, int? Code, string? Error)> SendAsync(WebhookOutbox webhooks, WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken ct)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", delivery.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookOutbox.Sign(webhooks.SecretOf(endpoint), delivery.EventId, timestamp, delivery.Payload));
        request.Headers.UserAgent.ParseAdd("CareerRelay-Webhooks/1");
        try
        {
            using var response = await _http.SendAsync(request, ct);
            var code = (int)response.StatusCode;
            return (code is >= 200 and < 300, code, code is >= 200 and < 300 ? null : $"HTTP {code}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or SocketException)
        {
            return (false, null, ex.Message.Length > 300 ? ex.Message[..300] : ex.Message);
        }
    }

    /// <summary>Records the outcome only while our lease holds: a dispatcher whose lease ran out leaves the row to the one that took it over.</summary>
    private async Task RecordAsync(CareerRelayDb db, DbWriteGate gate, WebhookEndpoint endpoint, WebhookDelivery delivery, DateTime leaseUntil,
        bool ok, int? code, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var attempt = delivery.Attempts + 1;
        var exhausted = !ok && attempt > Backoff.Length;
        await gate.RunAsync(db, async t =>
        {
            var recorded = await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.NextAttemptAt == leaseUntil && d.Status == DeliveryStatus.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Attempts, attempt)
                .SetProperty(d => d.LastStatusCode, code)
                .SetProperty(d => d.LastError, error)
                .SetProperty(d => d.Status, ok ? DeliveryStatus.Succeeded : exhausted ? DeliveryStatus.Failed : DeliveryStatus.Pending)
                .SetProperty(d => d.DeliveredAt, ok ? now : null)
                .SetProperty(d => d.NextAttemptAt, ok || exhausted ? now : now + Backoff[Math.Min(attempt, Backoff.Length) - 1]), t);
            if (recorded == 1 && exhausted && endpoint.DisabledAt is null)
            {
                // Sustained failure: stop sending and tell the tenant.
                var disabled = await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id && e.DisabledAt == null).ExecuteUpdateAsync(s => s.SetProperty(e => e.DisabledAt, now), t);
                var contact = endpoint.TenantType == "agency"
                    ? await db.Agencies.Where(a => a.Id == endpoint.TenantId).Select(a => a.ContactEmail).FirstOrDefaultAsync(t)
                    : await db.Companies.Where(c => c.Id == endpoint.TenantId).Select(c => c.ContactEmail).FirstOrDefaultAsync(t);
                if (disabled == 1 && contact is not null)
                    scopes.CreateScope().ServiceProvider.GetRequiredService<MailOutbox>().Enqueue(db, null, null, "webhook-disabled",
                        new MailContent(contact, Texts.Get("Mail.WebhookDisabled.Subject", Lang.Japanese),
                            Texts.Format("Mail.WebhookDisabled.Body", Lang.Japanese, endpoint.Url, error ?? ""), Lang.Japanese), now);
            }
            return 0;
        }, ct);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
