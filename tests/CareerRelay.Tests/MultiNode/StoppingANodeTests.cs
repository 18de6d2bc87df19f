using System.Net;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Links;
using Microsoft.Extensions.DependencyInjection;

namespace CareerRelay.Tests.MultiNode;

/// <summary>
/// A node being stopped writes down what only its memory holds. The host may be stopped twice at once (a deploy's
/// StopAsync and app.Run's own answer to ApplicationStopping — the test host does exactly that): the node is stopped only
/// when that writing is done, whichever call returns.
/// </summary>
public sealed class StoppingANodeTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task ANodeStoppedTwiceAtOnce_IsStoppedOnlyOnceItsClicksAreWritten()
    {
        // Found as a flaky CI run: the second stop found nothing left to write and returned while the first was still
        // writing, so the node looked stopped with a sent mail still pending under its lease.
        var api = app.Api();
        var (company, _, linkId, token) = await api.CreateRelayAsync();
        var node2 = app.WithWebHostBuilder(_ => { });
        using var http2 = node2.CreateClient();

        // SQLite's one writer is busy with a long transaction on node 2: the click stays in node 2's memory meanwhile.
        var free = new TaskCompletionSource();
        await using var scope = node2.Services.CreateAsyncScope();
        var busy = node2.Services.GetRequiredService<DbWriteGate>()
            .RunAsync(scope.ServiceProvider.GetRequiredService<CareerRelayDb>(), async _ => { await free.Task; return 0; }, CancellationToken.None);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{token}"))
        {
            request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1");
            using var landed = await http2.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        }

        var flusher = node2.Services.GetRequiredService<ClickFlusher>();
        var first = flusher.StopAsync(CancellationToken.None);
        var second = flusher.StopAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.False(first.IsCompleted || second.IsCompleted, "A stop returned while the node's clicks were still waiting to be written.");

        free.SetResult();
        await busy;
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(20));
        var (_, links) = await api.GetAsync("/api/v1/company/links", company.Key);
        Assert.Equal(1, links!["items"]!.AsArray().Single(l => l!["id"]!.GetValue<string>() == linkId)!["clicks"]!.GetValue<long>());
        await node2.DisposeAsync();
    }
}
