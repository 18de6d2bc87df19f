using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// Keeps this node's <see cref="MatchIndex"/> in step with the database: a person changed or erased here is
/// forgotten at once (<see cref="Forget"/>) and read again when next ranked (<see cref="EnsureAsync"/>); the
/// <see cref="MatchIndexFollower"/> fills the index at start and follows what other nodes change.
/// </summary>
public sealed class MatchIndexer
{
    private readonly CandidateVault vault;
    private readonly MatchIndex index;
    private readonly Infrastructure.Telemetry.RelayMetrics metrics;

    public MatchIndexer(CandidateVault vault, MatchIndex index, Infrastructure.Telemetry.RelayMetrics metrics)
    {
        (this.vault, this.index, this.metrics) = (vault, index, metrics);
        metrics.Observe("careerrelay.match.index.size", "{candidate}", "People held in this node's match index.", () => index.Count);
    }

    public MatchIndex Index => index;

    /// <summary><see cref="MatchIndex.Rank"/>, timed (careerrelay.match.ranking_duration).</summary>
    public List<Match> Rank(Jobs.Job job, IReadOnlyCollection<string>? among, DateTime now, string lang, int limit)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var ranked = index.Rank(job, among, now, lang, limit);
        metrics.Ranking(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return ranked;
    }

    /// <summary>Reads into the index the people of this list that it does not hold yet (1,000 profiles per query).</summary>
    public async Task EnsureAsync(CareerRelayDb db, IReadOnlyCollection<string> candidateIds, CancellationToken ct)
    {
        var missing = candidateIds.Where(id => !index.Contains(id)).ToList();
        foreach (var chunk in missing.Chunk(1000))
            foreach (var (id, profile) in await vault.OpenManyAsync(db, chunk, ct))
                index.Upsert(CandidateFeatures.From(id, profile));
    }

    /// <summary>Reads these people again (changed elsewhere); those without a profile any more are removed.</summary>
    public async Task RefreshAsync(CareerRelayDb db, IReadOnlyCollection<string> candidateIds, CancellationToken ct)
    {
        foreach (var chunk in candidateIds.Chunk(1000))
        {
            var opened = await vault.OpenManyAsync(db, chunk, ct);
            foreach (var id in chunk)
                if (opened.TryGetValue(id, out var profile)) index.Upsert(CandidateFeatures.From(id, profile));
                else index.Remove(id);
        }
    }

    /// <summary>Drops a person (changed or erased on this node); the next ranking reads them again if they still exist.</summary>
    public void Forget(string candidateId) => index.Remove(candidateId);
}

/// <summary>
/// Fills the index from the database when the node starts, then follows profile changes made by any node
/// (<c>candidates.updated_at</c>, every 5 s) and erasures (once a minute), so several nodes rank alike.
/// </summary>
public sealed class MatchIndexFollower(IServiceScopeFactory scopes, MatchIndexer indexer, TimeProvider clock, ILogger<MatchIndexFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = clock.GetUtcNow().UtcDateTime;
        try
        {
            await LoadEveryoneAsync(stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
            var ticks = 0;
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
                    // The latest change first, then the rankable people changed up to it: a change committed between the two
                    // reads is left for the next tick instead of being passed over.
                    var latest = await db.Candidates.Where(c => c.UpdatedAt >= since).MaxAsync(c => (DateTime?)c.UpdatedAt, stoppingToken);
                    if (latest is { } until)
                    {
                        var changed = await ChangedSince(db, since, until).ToListAsync(stoppingToken);
                        if (changed.Count > 0) await indexer.RefreshAsync(db, changed, stoppingToken);
                        since = until;
                    }
                    // Erasures leave no row to follow: once a minute, drop indexed people who no longer exist.
                    if (++ticks % 12 == 0) await ForgetErasedAsync(db, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Following candidate changes failed; retrying");
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// The rankable people changed from <paramref name="since"/> to <paramref name="until"/> (">=": a change written in the
    /// same instant as the last one seen, on another node, is not missed). A range of <c>ix_candidates_updated_at</c>, and for
    /// each person in it a look-up of their registrations. Before, every node read the whole candidates table, and the list
    /// of every confirmed person from the whole registrations table, every 5 s; then every person changed, so each node read
    /// every new sign-up back — a cost of every registration on every node (issue 23). Only confirmed people are ever in an
    /// index (who is confirmed stays so), so the others need not be read to be forgotten.
    /// </summary>
    internal static IQueryable<string> ChangedSince(CareerRelayDb db, DateTime since, DateTime until) =>
        db.Candidates.AsNoTracking().Where(c => c.UpdatedAt >= since && c.UpdatedAt <= until).Where(Rankable(db)).Select(c => c.Id);

    /// <summary>A page of the start-up fill: the next 1,000 rankable people after <paramref name="after"/> in id order.</summary>
    internal static IQueryable<string> PageAfter(CareerRelayDb db, string after) =>
        db.Candidates.AsNoTracking().Where(c => string.Compare(c.Id, after) > 0).Where(Rankable(db)).OrderBy(c => c.Id).Select(c => c.Id).Take(1000);

    /// <summary>
    /// The one rule for who is read ahead, for the fill and the follower alike: only people who confirmed a registration can
    /// be ranked (an agency sees consenting, confirmed people), so a surge of unconfirmed sign-ups is not decrypted into every
    /// node's memory (issue 9: this follower's bursts were part of the registrations' p99); a person confirmed later is read
    /// when first ranked. Looked up per person through <c>ix_registrations_candidate_id</c> — the list of every confirmed
    /// person, built from the whole registrations table for each page of the fill, made a node's start quadratic (issue 23).
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<Candidate, bool>> Rankable(CareerRelayDb db) =>
        c => db.Registrations.Any(r => r.CandidateId == c.Id && r.Status != Registrations.RegistrationStatus.PendingVerification);

    /// <summary>Reads every rankable profile into the index, 1,000 candidates at a time in id order.</summary>
    private async Task LoadEveryoneAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        string after = "";
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
                var page = await PageAfter(db, after).ToListAsync(ct);
                if (page.Count == 0) break;
                await indexer.EnsureAsync(db, page, ct);
                after = page[^1];
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Rankings still read missing people on demand; try the rest again shortly.
                logger.LogWarning(ex, "Filling the match index failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(5), clock, ct);
            }
        }
        logger.LogInformation("Match index filled: {Count} candidates in {Elapsed}", indexer.Index.Count, clock.GetElapsedTime(started));
    }

    private async Task ForgetErasedAsync(CareerRelayDb db, CancellationToken ct)
    {
        foreach (var chunk in indexer.Index.Ids().Chunk(1000))
        {
            var present = (await db.Candidates.Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            foreach (var id in chunk.Where(id => !present.Contains(id))) indexer.Forget(id);
        }
    }
}
