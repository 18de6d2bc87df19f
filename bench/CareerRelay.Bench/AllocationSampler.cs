using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace CareerRelay.Bench;

/// <summary>
/// Attaches to a running .NET process over EventPipe and listens to the runtime's allocation samples (one
/// <c>GCAllocationTick</c> about every 100 KB a thread allocates, naming the type that crossed the line): over a long
/// enough window the sampled amounts per type are a fair picture of where the bytes go. Prints the top types, the
/// number of garbage collections by generation and the time the process spent paused in them.
/// </summary>
public static class AllocationSampler
{
    public static void Run(int pid, int seconds)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[]
        {
            new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC),
        };
        using var session = client.StartEventPipeSession(providers, requestRundown: false);
        var byType = new Dictionary<string, long>();
        var gcs = new int[3];
        var pauseStart = 0.0;
        var paused = 0.0;
        using var source = new EventPipeEventSource(session.EventStream);
        source.Clr.GCAllocationTick += e =>
        {
            var type = e.TypeName ?? "?";
            byType[type] = byType.GetValueOrDefault(type) + e.AllocationAmount64;
        };
        source.Clr.GCStart += e => { if (e.Depth is >= 0 and <= 2) gcs[e.Depth]++; };
        source.Clr.GCSuspendEEStart += e => pauseStart = e.TimeStampRelativeMSec;
        source.Clr.GCRestartEEStop += e => { if (pauseStart > 0) paused += e.TimeStampRelativeMSec - pauseStart; pauseStart = 0; };
        var stopper = Task.Delay(TimeSpan.FromSeconds(seconds)).ContinueWith(_ => session.Stop());
        source.Process();
        stopper.Wait();

        var total = byType.Values.Sum();
        Console.WriteLine($"sampled allocations: {total / 1024.0 / 1024.0:N1} MiB in {seconds} s; GCs gen0 {gcs[0]}, gen1 {gcs[1]}, gen2 {gcs[2]}; paused {paused:N0} ms");
        foreach (var (type, bytes) in byType.OrderByDescending(t => t.Value).Take(30))
            Console.WriteLine($"{bytes * 100.0 / total,6:N1} %  {bytes / 1024.0 / 1024.0,8:N1} MiB  {type}");
    }
}
