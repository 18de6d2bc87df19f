using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CareerRelay.Bench;
using CareerRelay.Web.Features.Matching;

// dotnet run -c Release --project bench/CareerRelay.Bench                 → P5 (BenchmarkDotNet, both sizes)
// dotnet run -c Release --project bench/CareerRelay.Bench -- memory 100000 → bytes per candidate in the match index
// dotnet run -c Release --project bench/CareerRelay.Bench -- allocations <pid> <seconds> → what a running app allocates, by type
// dotnet run -c Release --project bench/CareerRelay.Bench -- allocation-stacks <pid> <seconds> <file.nettrace> → the same, by the code that allocated
// dotnet run -c Release --project bench/CareerRelay.Bench -- allocation-stacks-of <file.nettrace> <type regex> → that file's whole stacks for those types
if (args is ["allocations", var pid, var seconds])
{
    AllocationSampler.Run(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}
if (args is ["allocation-stacks", var pidOf, var secondsOf, var file])
{
    AllocationSampler.RunWithStacks(int.Parse(pidOf, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(secondsOf, System.Globalization.CultureInfo.InvariantCulture), file);
    return;
}
if (args is ["allocation-stacks-of", var traceFile, var typePattern])
{
    AllocationSampler.StacksOf(traceFile, typePattern);
    return;
}
if (args is ["time-text"])
{
    // Issue 23: a time's text for SQLite, written by hand (FastInsert.FormatTime) against DateTime.TryFormat with the
    // custom format it replaced, in alternating rounds of the same 2,000,000 times (ns per value, and the ratio).
    var random = new Random(23);
    var times = Enumerable.Range(0, 2_000_000).Select(_ => new DateTime(random.NextInt64(DateTime.UnixEpoch.Ticks, new DateTime(2040, 1, 1).Ticks))).ToArray();
    var buffer = new byte[32];
    long sink = 0;
    double Round(Func<DateTime, int> format)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var time in times) sink += format(time);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalNanoseconds / times.Length;
    }
    int ByHand(DateTime time) => CareerRelay.Web.Data.FastInsert.FormatTime(time, buffer);
    int ByFormat(DateTime time)
    {
        time.TryFormat(buffer, out var written, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }
    Round(ByHand); Round(ByFormat); // warm-up (tiered JIT)
    for (var round = 1; round <= 5; round++)
    {
        var (hand, format) = (Round(ByHand), Round(ByFormat));
        Console.WriteLine($"round {round}: by hand {hand:F1} ns, TryFormat {format:F1} ns, ratio {format / hand:F1}");
    }
    GC.KeepAlive(sink);
    return;
}

if (args is ["memory", var size])
{
    var n = int.Parse(size, System.Globalization.CultureInfo.InvariantCulture);
    var random = new Random(20261122);
    var people = Enumerable.Range(0, n).Select(i => GeneratedPeople.Candidate(random, i));
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var index = new MatchIndex();
    foreach (var person in people) index.Upsert(person);
    var after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"{n:N0} candidates: managed heap +{(after - before) / 1024.0 / 1024.0:N1} MiB = {(after - before) / (double)n:N0} bytes per candidate " +
        $"(arrays and strings counted by the index: {index.ApproximateBytes() / (double)n:N0} bytes per candidate)");
    GC.KeepAlive(index);
    return;
}

// One invocation per iteration, so the percentiles are of single rankings; in-process, as the setup holds up to
// a million generated people and an FTS5 table of them.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(40)
        .WithInvocationCount(1).WithUnrollFactor(1))
    .AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkRunner.Run<TopMatchesBenchmark>(config, args);
