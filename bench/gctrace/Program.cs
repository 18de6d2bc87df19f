using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;

// Every garbage collection in a .nettrace of dotnet-trace's gc-collect profile: when, which generation, the pause, the
// bytes it promoted and what reached them (the stack, or older generations' references: the "cards"), the gen-1 size
// after and the allocation since the one before. Then one summary line. Usage: dotnet run --project bench/gctrace -- FILE [--summary]
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: gctrace FILE.nettrace [--summary]");
    return 2;
}
using var source = new EventPipeEventSource(args[0]);
source.NeedLoadedDotNetRuntimes();
source.Process();
var summaryOnly = args.Contains("--summary");
foreach (var process in source.Processes())
{
    if (process.LoadedDotNetRuntime() is not { } runtime || runtime.GC.GCs.Count == 0) continue;
    var collections = runtime.GC.GCs;
    if (!summaryOnly)
    {
        Console.WriteLine("ms\tgen\tpause ms\tpromoted MB\tvia stack\tvia older\tgen1 MB after\tallocated MB since");
        foreach (var gc in collections)
        {
            double Via(int rootKind) => gc.PerHeapMarkTimes?.Values.Sum(h => h.MarkPromoted.Length > rootKind ? h.MarkPromoted[rootKind] : 0) / 1e6 ?? 0;
            Console.WriteLine($"{gc.StartRelativeMSec:F0}\t{gc.Generation}\t{gc.PauseDurationMSec:F2}\t{gc.PromotedMB:F2}\t{Via(0):F2}\t{Via(3):F2}\t" +
                $"{gc.HeapStats?.GenerationSize1 / 1e6:F1}\t{gc.AllocedSinceLastGCMB:F1}");
        }
    }
    var pauses = collections.Select(g => g.PauseDurationMSec).Order().ToList();
    Console.WriteLine($"{collections.Count} collections, pause {pauses.Sum():F1} ms in all, mean {pauses.Average():F2} ms, longest {pauses[^1]:F2} ms; " +
        $"promoted {collections.Average(g => g.PromotedMB):F2} MB a collection");
}
return 0;
