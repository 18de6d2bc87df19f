namespace CareerRelay.Tests.Harness;

/// <summary>Waits for what background work (mail outbox, index followers) makes true, up to 30 s.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string failure = "The condition did not become true in 30 s.")
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail(failure);
    }
}
