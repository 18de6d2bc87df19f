namespace CareerRelay.Web.Infrastructure;

/// <summary>
/// A background service that writes down, on the way out, what only it holds in memory (sent mail not yet recorded, clicks
/// not yet counted). The host may be stopped twice at once — a caller's <c>StopAsync</c> and <c>app.Run</c>'s own answer to
/// ApplicationStopping (the test host does exactly that) — so the last work runs once and every caller waits for it: a
/// second caller that found nothing left used to return while the first was still writing, and the node's stop looked
/// finished with a sent mail still pending under its lease (a flaky CI run, 2026-12-05).
/// </summary>
public abstract class DrainingService : BackgroundService
{
    private readonly Lock _gate = new();
    private Task? _stopping;

    public sealed override Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _stopping ??= StopOnceAsync(cancellationToken);
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await DrainAsync(cancellationToken);
    }

    /// <summary>Runs once, after <c>ExecuteAsync</c> has ended: record what is still in memory.</summary>
    protected abstract Task DrainAsync(CancellationToken cancellationToken);
}
