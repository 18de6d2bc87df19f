using CareerRelay.Web.Infrastructure;

namespace CareerRelay.Tests.Infrastructure;

/// <summary>The SQLite registration writer's thread: its loop never continues on the shared thread pool.</summary>
public sealed class DedicatedThreadTests
{
    [Fact]
    public async Task EveryContinuationOfTheLoop_RunsOnItsOwnThread_AndItsFailureReachesTheCaller()
    {
        var threads = new List<int>();
        var gate = new SemaphoreSlim(0);
        var loop = DedicatedThread.Run("test loop", async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                threads.Add(Environment.CurrentManagedThreadId);
                await gate.WaitAsync(); // released from a thread-pool thread below
                await Task.Delay(1);
            }
            threads.Add(Environment.CurrentManagedThreadId);
            throw new InvalidOperationException("the loop failed");
        });
        for (var i = 0; i < 5; i++) await Task.Run(() => gate.Release());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("the loop failed", error.Message);
        Assert.Equal(6, threads.Count);
        Assert.Single(threads.Distinct());
        Assert.NotEqual(Environment.CurrentManagedThreadId, threads[0]);
    }
}
