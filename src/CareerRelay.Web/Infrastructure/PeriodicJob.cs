namespace CareerRelay.Web.Infrastructure;

/// <summary>
/// Background work that runs every <paramref name="period"/> (first at start when <paramref name="runAtStart"/>): one pass
/// failing is logged and retried at the next tick, never stops the loop. Every node runs it; passes are idempotent.
/// </summary>
public abstract class PeriodicJob(TimeSpan period, bool runAtStart, ILogger logger) : BackgroundService
{
    /// <summary>One pass; public so tests and commands can run it on demand.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            if (runAtStart) await PassAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken)) await PassAsync(stoppingToken);
        }
        catch (OperationCanceledException) { }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        try { await RunOnceAsync(ct); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Job} failed; retrying at the next tick", GetType().Name);
        }
    }
}
