using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Etlx;
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

    /// <summary>
    /// The same samples with their call stacks (a .nettrace file with the JIT's method names, read back with TraceLog):
    /// each sample is put on the innermost frame of ours (CareerRelay) and on the innermost frame outside the base
    /// library, so a string allocated by a framework helper is charged to the code that asked for it.
    /// </summary>
    public static void RunWithStacks(int pid, int seconds, string file)
    {
        var client = new DiagnosticsClient(pid);
        const long keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader
            | ClrTraceEventParser.Keywords.JittedMethodILToNativeMap);
        var providers = new[] { new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, keywords) };
        using (var session = client.StartEventPipeSession(providers, requestRundown: true))
        {
            using var output = File.Create(file);
            var copy = session.EventStream.CopyToAsync(output);
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            session.Stop();
            copy.Wait();
        }
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(file));
        var ours = new Dictionary<string, long>();
        var caller = new Dictionary<string, long>();
        long total = 0;
        foreach (var e in log.Events)
        {
            if (e is not GCAllocationTickTraceData tick) continue;
            total += tick.AllocationAmount64;
            string? firstOurs = null, firstOutside = null;
            for (var frame = tick.CallStack(); frame is not null; frame = frame.Caller)
            {
                var name = frame.CodeAddress.FullMethodName;
                if (string.IsNullOrEmpty(name)) continue;
                var module = frame.CodeAddress.ModuleName ?? "";
                if (firstOutside is null && module is not ("System.Private.CoreLib" or "System.Runtime" or "System.Linq" or "System.Collections"
                        or "System.Memory" or "System.Text.Encodings.Web" or "System.Private.Uri" or "System.Collections.Concurrent"))
                    firstOutside = $"{tick.TypeName} ← {Short(name)}";
                if (module.StartsWith("CareerRelay", StringComparison.Ordinal)) { firstOurs = $"{tick.TypeName} ← {Short(name)}"; break; }
            }
            Add(ours, firstOurs ?? "(no frame of ours)", tick.AllocationAmount64);
            Add(caller, firstOutside ?? "(base library only)", tick.AllocationAmount64);
        }
        Console.WriteLine($"sampled allocations with stacks: {total / 1024.0 / 1024.0:N1} MiB in {seconds} s");
        Console.WriteLine("by the innermost frame of ours:");
        foreach (var (key, bytes) in ours.OrderByDescending(t => t.Value).Take(45))
            Console.WriteLine($"{bytes * 100.0 / total,6:N1} %  {bytes / 1024.0 / 1024.0,8:N1} MiB  {key}");
        Console.WriteLine("by the innermost frame outside the base library:");
        foreach (var (key, bytes) in caller.OrderByDescending(t => t.Value).Take(45))
            Console.WriteLine($"{bytes * 100.0 / total,6:N1} %  {bytes / 1024.0 / 1024.0,8:N1} MiB  {key}");

        static void Add(Dictionary<string, long> into, string key, long bytes) => into[key] = into.GetValueOrDefault(key) + bytes;
        static string Short(string method) => method.Length > 160 ? method[..160] : method;
    }

    /// <summary>
    /// Reads a file <see cref="RunWithStacks"/> wrote and prints, for the types whose name matches, the ten call stacks
    /// (innermost twelve frames) that allocated the most: where "System.String ← our method" came from inside it.
    /// </summary>
    public static void StacksOf(string file, string typePattern)
    {
        var types = new System.Text.RegularExpressions.Regex(typePattern);
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(file));
        var stacks = new Dictionary<string, long>();
        long total = 0;
        foreach (var e in log.Events)
        {
            if (e is not GCAllocationTickTraceData tick || !types.IsMatch(tick.TypeName ?? "")) continue;
            total += tick.AllocationAmount64;
            var frames = new List<string>();
            for (var frame = tick.CallStack(); frame is not null && frames.Count < 12; frame = frame.Caller)
                if (!string.IsNullOrEmpty(frame.CodeAddress.FullMethodName)) frames.Add(frame.CodeAddress.FullMethodName.Length > 150 ? frame.CodeAddress.FullMethodName[..150] : frame.CodeAddress.FullMethodName);
            var key = $"{tick.TypeName}\n      " + string.Join("\n      ", frames);
            stacks[key] = stacks.GetValueOrDefault(key) + tick.AllocationAmount64;
        }
        Console.WriteLine($"{total / 1024.0 / 1024.0:N1} MiB sampled for types matching {typePattern}");
        foreach (var (key, bytes) in stacks.OrderByDescending(t => t.Value).Take(10))
            Console.WriteLine($"{bytes / 1024.0 / 1024.0,8:N1} MiB  {key}");
    }
}
