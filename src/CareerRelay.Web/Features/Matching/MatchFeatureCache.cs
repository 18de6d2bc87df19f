using System.Collections.Concurrent;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// The matching features of candidates, kept in memory so a ranking does not decrypt every profile again.
/// Filled on first use per candidate, dropped when this node changes or erases a profile, and — for changes
/// made on other nodes — dropped by <see cref="MatchFeatureFollower"/>, which follows <c>candidates.updated_at</c>.
/// Holds no name or contact: only what a score may use (see <see cref="CandidateFeatures"/>).
/// </summary>
public sealed class MatchFeatureCache(CandidateVault vault)
{
    private readonly ConcurrentDictionary<string, CandidateFeatures> _features = new(StringComparer.Ordinal);

    public int Count => _features.Count;

    /// <summary>The features of these candidates; the ones not cached yet are opened in one query and cached.</summary>
    public async Task<IReadOnlyList<CandidateFeatures>> GetAsync(CareerRelayDb db, IReadOnlyCollection<string> candidateIds, CancellationToken ct)
    {
        var found = new List<CandidateFeatures>(candidateIds.Count);
        var missing = new List<string>();
        foreach (var id in candidateIds)
            if (_features.TryGetValue(id, out var f)) found.Add(f); else missing.Add(id);
        foreach (var chunk in missing.Chunk(1000))
            foreach (var (id, profile) in await vault.OpenManyAsync(db, chunk, ct))
                found.Add(_features[id] = CandidateFeatures.From(id, profile));
        return found;
    }

    public IReadOnlyList<string> CachedIds() => [.. _features.Keys];

    /// <summary>Forgets a candidate (changed or erased); the next ranking reads them again.</summary>
    public void Forget(string candidateId) => _features.TryRemove(candidateId, out _);
}

/// <summary>Follows profile changes made by any node (candidates.updated_at) and erasures, and drops their cached features.</summary>
public sealed class MatchFeatureFollower(IServiceScopeFactory scopes, MatchFeatureCache cache, TimeProvider clock, ILogger<MatchFeatureFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = clock.GetUtcNow().UtcDateTime;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
                    var changed = await db.Candidates.AsNoTracking().Where(c => c.UpdatedAt > since)
                        .Select(c => new { c.Id, c.UpdatedAt }).ToListAsync(stoppingToken);
                    foreach (var c in changed) cache.Forget(c.Id);
                    if (changed.Count > 0) since = changed.Max(c => c.UpdatedAt);
                    // Erasures leave no row to follow: once a minute, drop cached candidates that no longer exist.
                    if (++ticks % 12 == 0 && cache.Count > 0) await ForgetErasedAsync(db, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Following candidate changes failed; retrying");
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task ForgetErasedAsync(CareerRelayDb db, CancellationToken ct)
    {
        var cached = cache.CachedIds();
        foreach (var chunk in cached.Chunk(1000))
        {
            var present = (await db.Candidates.Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            foreach (var id in chunk.Where(id => !present.Contains(id))) cache.Forget(id);
        }
    }
}
