using System.Collections.Concurrent;

namespace CareerRelay.Web.Infrastructure;

/// <summary>
/// Runs an async loop on a thread of its own: every continuation of the loop comes back to that thread, woken directly,
/// instead of waiting in the thread pool's queue behind request work. For a serial bottleneck (SQLite's one
/// registration writer) that queue wait was part of every batch under load (docs/benchmarks.md, issue 9).
/// </summary>
public sealed class DedicatedThread : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _work = new();

    private DedicatedThread() { }

    public static Task Run(string name, Func<Task> loop)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = new DedicatedThread();
        var thread = new Thread(() =>
        {
            SetSynchronizationContext(context);
            var task = loop();
            task.ContinueWith(_ => context._work.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in context._work.GetConsumingEnumerable()) callback(state);
            if (task.Exception is { } error) finished.SetException(error.InnerExceptions);
            else if (task.IsCanceled) finished.SetCanceled();
            else finished.SetResult();
        })
        {
            IsBackground = true, Name = name,
        };
        thread.Start();
        return finished.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        // A continuation arriving after the loop ended has no thread left here: the pool runs it.
        try { _work.Add((d, state)); }
        catch (InvalidOperationException) { ThreadPool.QueueUserWorkItem(s => d(s), state, preferLocal: false); }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    public override SynchronizationContext CreateCopy() => this;
}
