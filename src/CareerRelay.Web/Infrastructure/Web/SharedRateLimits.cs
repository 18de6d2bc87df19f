using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>One minute's public requests from one address (hashed), summed over every node.</summary>
public sealed class RateLimitWindow
{
    /// <summary>Unix minute the window starts at.</summary>
    public long WindowStart { get; init; }
    /// <summary>Keyed hash of the client address: no address is stored.</summary>
    public required string Bucket { get; init; }
    public int Hits { get; set; }
}

/// <summary>
/// Fixed one-minute windows per client address, shared by every node without a database round trip per request
/// (the landing page must not wait on the database, SPEC §8 P1). Each node decides from what it knows: the cluster's
/// total at its last sync plus its own requests since. <see cref="RateLimitSync"/> adds the node's new hits to
/// <c>rate_limit_windows</c> every second and reads the totals back. So the limit holds across nodes to within one
/// sync: a burst spread over N nodes inside the same second can pass at most N times what was left of the limit.
/// </summary>
public sealed class SharedRateCounter(TimeProvider clock, KeyRing keys)
{
    private sealed class Window
    {
        public long Start;
        public int Cluster;   // the total every node had recorded at the last sync (ours included)
        public int Unsynced;  // our hits since then
        public long LastUsedTicks;
    }

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public long CurrentMinute => clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    /// <summary>The bucket for an address: an HMAC with the address key, so neither memory dumps nor the table hold addresses.</summary>
    public string BucketFor(string address) =>
        Convert.ToBase64String(HMACSHA256.HashData(keys.IpKey, Encoding.UTF8.GetBytes("rate-limit:" + address)), 0, 18);

    /// <summary>Counts one request and answers whether it is within <paramref name="limit"/> for this minute.</summary>
    public bool TryTake(string bucket, int limit)
    {
        var minute = CurrentMinute;
        var window = _windows.GetOrAdd(bucket, _ => new Window { Start = minute });
        lock (window)
        {
            if (window.Start != minute) (window.Start, window.Cluster, window.Unsynced) = (minute, 0, 0);
            window.LastUsedTicks = clock.GetTimestamp();
            if (window.Cluster + window.Unsynced >= limit) return false;
            window.Unsynced++;
            return true;
        }
    }

    public TimeSpan IdleFor(string bucket) =>
        _windows.TryGetValue(bucket, out var w) ? clock.GetElapsedTime(Volatile.Read(ref w.LastUsedTicks)) : TimeSpan.MaxValue;

    /// <summary>Takes this minute's unsynced hits (counting them as the cluster's until the totals come back).</summary>
    internal List<(string Bucket, int Hits)> Drain(long minute)
    {
        var drained = new List<(string, int)>();
        foreach (var (bucket, window) in _windows)
            lock (window)
            {
                if (window.Start != minute || window.Unsynced == 0) continue;
                drained.Add((bucket, window.Unsynced));
                window.Cluster += window.Unsynced;
                window.Unsynced = 0;
            }
        return drained;
    }

    /// <summary>A sync that failed gives its hits back, to be written next time.</summary>
    internal void Restore(long minute, IEnumerable<(string Bucket, int Hits)> drained)
    {
        foreach (var (bucket, hits) in drained)
            if (_windows.TryGetValue(bucket, out var window))
                lock (window)
                    if (window.Start == minute) (window.Cluster, window.Unsynced) = (window.Cluster - hits, window.Unsynced + hits);
    }

    internal List<string> BucketsIn(long minute) => _windows.Where(w => Volatile.Read(ref w.Value.Start) == minute).Select(w => w.Key).ToList();

    /// <summary>The cluster's totals as read back from the database.</summary>
    internal void Learn(long minute, IEnumerable<(string Bucket, int Hits)> totals)
    {
        foreach (var (bucket, hits) in totals)
            if (_windows.TryGetValue(bucket, out var window))
                lock (window)
                    if (window.Start == minute) window.Cluster = Math.Max(window.Cluster, hits);
    }

    /// <summary>Forgets windows that ended, so memory stays bounded by the addresses seen in the last minute or two.</summary>
    internal int Trim(long minute)
    {
        var removed = 0;
        foreach (var (bucket, window) in _windows)
            if (Volatile.Read(ref window.Start) < minute - 1 && _windows.TryRemove(bucket, out _)) removed++;
        return removed;
    }
}

/// <summary>The ASP.NET Core limiter for one address, backed by the shared counter.</summary>
public sealed class SharedWindowLimiter(SharedRateCounter counter, string bucket, int permitsPerMinute) : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true), Refused = new Lease(false);

    // The framework drops limiters idle for a while; the counter keeps the window, so nothing is lost.
    public override TimeSpan? IdleDuration => counter.IdleFor(bucket);

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        permitCount == 0 || counter.TryTake(bucket, permitsPerMinute) ? Granted : Refused;

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>
/// Every second on PostgreSQL: adds this node's new hits to <c>rate_limit_windows</c> in one statement and reads back the
/// totals of the windows it holds; once a minute deletes ended windows. On SQLite (one node) it only trims memory.
/// A database that cannot be reached leaves the node limiting on its own counts until it can.
/// </summary>
public sealed class RateLimitSync(SharedRateCounter counter, IServiceScopeFactory scopes, DbWriteGate gate, ILogger<RateLimitSync> logger)
    : BackgroundService
{
    private long _purgedBefore;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await SyncAsync(stoppingToken);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One sync; public so tests can make two nodes meet at a known moment.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        var minute = counter.CurrentMinute;
        counter.Trim(minute);
        if (gate.IsSqlite) return;
        var drained = counter.Drain(minute);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            if (drained.Count > 0)
            {
                // Sorted, so two nodes writing the same buckets take their row locks in the same order.
                var ordered = drained.OrderBy(d => d.Bucket, StringComparer.Ordinal).ToArray();
                var buckets = ordered.Select(d => d.Bucket).ToArray();
                var hits = ordered.Select(d => d.Hits).ToArray();
                await gate.RunAsync(db, t => db.Database.ExecuteSqlAsync($"""
                    INSERT INTO rate_limit_windows (window_start, bucket, hits)
                    SELECT {minute}, b, h FROM unnest({buckets}, {hits}) AS u(b, h)
                    ON CONFLICT (window_start, bucket) DO UPDATE SET hits = rate_limit_windows.hits + excluded.hits
                    """, t), ct);
            }
            var held = counter.BucketsIn(minute);
            if (held.Count > 0)
            {
                var totals = await db.RateLimitWindows.AsNoTracking().Where(w => w.WindowStart == minute && held.Contains(w.Bucket))
                    .Select(w => new { w.Bucket, w.Hits }).ToListAsync(ct);
                counter.Learn(minute, totals.Select(t => (t.Bucket, t.Hits)));
            }
            if (_purgedBefore < minute - 1)
            {
                await db.RateLimitWindows.Where(w => w.WindowStart < minute - 1).ExecuteDeleteAsync(ct);
                _purgedBefore = minute - 1;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            counter.Restore(minute, drained);
            logger.LogWarning(ex, "Could not share rate-limit counts; this node limits on its own counts meanwhile");
        }
    }
}
