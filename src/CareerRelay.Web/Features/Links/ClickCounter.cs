using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure;

namespace CareerRelay.Web.Features.Links;

/// <summary>
/// Counts landing-page clicks without a database write on the request path (SPEC §3, §8 P1). Mail
/// scanners and link previews open links before people do, so HEAD, prefetches and known bots are not
/// counted, and one visitor (IP + user agent) counts once per link (or per invitation) per day. Counts gather in memory
/// and <see cref="ClickFlusher"/> adds them to the links (and to each link's day and source in Japan time, and to an
/// experiment's variant) in one short transaction per second.
/// </summary>
public sealed class ClickCounter(TimeProvider clock)
{
    private const int MaxRememberedVisitors = 200_000;
    private static readonly string[] BotMarkers =
    [
        "bot", "crawler", "spider", "preview", "slurp", "facebookexternalhit", "embedly", "whatsapp", "skypeuripreview",
        "microsoft office", "ms-office", "outlook", "safelinks", "proofpoint", "mimecast", "barracuda", "symantec",
        "trendmicro", "forcepoint", "curl/", "wget/", "python-requests", "python-urllib", "go-http-client", "java/",
        "okhttp", "headlesschrome", "phantomjs", "libwww", "httpclient", "scanner", "monitor",
    ];

    /// <summary>What one click adds to: its link on its day, from its source, and the experiment variant of its invitation if any.</summary>
    public readonly record struct Key(string LinkId, DateOnly Day, string Source, string? ExperimentId, string? Variant);

    private readonly ConcurrentDictionary<Key, long> _pending = new();
    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private DateOnly _seenDay;

    public void Record(HttpRequest request, RelayEntry entry, string source)
    {
        if (!IsHumanNavigation(request)) return;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(9)); // JST day
        if (today != _seenDay || _seen.Count > MaxRememberedVisitors)
        {
            _seen.Clear();
            _seenDay = today;
        }
        // An invitation is one person's: two invitations opened from one office network are two people.
        if (!_seen.TryAdd(VisitorKey(request, entry.InvitationId ?? entry.LinkId), 0)) return;
        _pending.AddOrUpdate(new Key(entry.LinkId, today, source, entry.ExperimentId, entry.Variant), 1, (_, n) => n + 1);
    }

    public static bool IsHumanNavigation(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method)) return false;
        var headers = request.Headers;
        if (headers["Purpose"] == "prefetch" || headers["Sec-Purpose"].ToString().Contains("prefetch", StringComparison.Ordinal)
            || headers["X-Moz"] == "prefetch" || headers["X-Purpose"] == "preview") return false;
        var agent = headers.UserAgent.ToString();
        if (string.IsNullOrWhiteSpace(agent)) return false;
        var lower = agent.ToLowerInvariant();
        return !BotMarkers.Any(lower.Contains);
    }

    /// <summary>Takes the counts gathered so far; the flusher writes them.</summary>
    public IReadOnlyDictionary<Key, long> Drain()
    {
        // Remove key by key: a click racing the drain either lands in this batch or stays for the next, never in between.
        var taken = new Dictionary<Key, long>();
        foreach (var key in _pending.Keys)
            if (_pending.TryRemove(key, out var n)) taken[key] = n;
        return taken;
    }

    /// <summary>Puts counts back after a failed write, so a database outage loses no clicks.</summary>
    public void Restore(IReadOnlyDictionary<Key, long> counts)
    {
        foreach (var (key, n) in counts) _pending.AddOrUpdate(key, n, (_, m) => m + n);
    }

    private static string VisitorKey(HttpRequest request, string entryId)
    {
        var raw = $"{entryId}|{request.HttpContext.Connection.RemoteIpAddress}|{request.Headers.UserAgent}";
        // Hashed so the in-memory set holds no IP address in clear.
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(raw)), 0, 18);
    }
}

/// <summary>Writes gathered clicks every second, and once more on shutdown so none are lost.</summary>
public sealed class ClickFlusher(ClickCounter counter, IServiceScopeFactory scopes, DbWriteGate gate, IHostApplicationLifetime lifetime,
    ILogger<ClickFlusher> logger) : DrainingService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Flush as soon as stopping begins, while every service is still there; DrainAsync flushes again for late clicks.
        lifetime.ApplicationStopping.Register(() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult());
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) { }
    }

    protected override Task DrainAsync(CancellationToken cancellationToken) => FlushAsync(CancellationToken.None);

    private static IEnumerable<KeyValuePair<T, long>> Sum<T>(IEnumerable<KeyValuePair<ClickCounter.Key, long>> counts, Func<ClickCounter.Key, T> by)
        where T : notnull =>
        counts.GroupBy(c => by(c.Key)).Select(g => KeyValuePair.Create(g.Key, g.Sum(c => c.Value)));

    public async Task FlushAsync(CancellationToken ct)
    {
        var counts = counter.Drain();
        if (counts.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            await gate.RunAsync(db, async token =>
            {
                foreach (var ((linkId, day), n) in Sum(counts, k => (k.LinkId, k.Day)))
                {
                    await db.Database.ExecuteSqlAsync($"UPDATE relay_links SET clicks = clicks + {n} WHERE id = {linkId}", token);
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO link_click_days (link_id, day, company_id, clicks)
                        SELECT id, {day}, company_id, {n} FROM relay_links WHERE id = {linkId}
                        ON CONFLICT (link_id, day) DO UPDATE SET clicks = link_click_days.clicks + excluded.clicks
                        """, token);
                }
                foreach (var ((linkId, day, source), n) in Sum(counts, k => (k.LinkId, k.Day, k.Source)))
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO link_source_days (link_id, day, source, company_id, clicks)
                        SELECT id, {day}, {source}, company_id, {n} FROM relay_links WHERE id = {linkId}
                        ON CONFLICT (link_id, day, source) DO UPDATE SET clicks = link_source_days.clicks + excluded.clicks
                        """, token);
                foreach (var ((experimentId, variant), n) in Sum(counts.Where(c => c.Key.ExperimentId is not null), k => (k.ExperimentId!, k.Variant!)))
                    await db.Database.ExecuteSqlAsync(
                        $"UPDATE experiment_variants SET clicks = clicks + {n} WHERE experiment_id = {experimentId} AND \"key\" = {variant}", token);
                return 0;
            }, ct);
        }
        catch (OperationCanceledException)
        {
            counter.Restore(counts); // stopping mid-write: the final flush on the way out (DrainAsync) writes them
        }
        catch (Exception ex)
        {
            counter.Restore(counts);
            logger.LogWarning(ex, "Could not write {Links} links' clicks; they are kept for the next flush", counts.Count);
        }
    }
}
