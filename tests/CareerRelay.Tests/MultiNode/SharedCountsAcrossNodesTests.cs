using System.Net;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CareerRelay.Tests.MultiNode;

/// <summary>
/// Counts that several nodes keep together: the public rate limit per address and minute, and landing-page clicks.
/// Both are gathered in each node's memory (no database write while the visitor waits) and merged through PostgreSQL.
/// </summary>
public sealed class SharedCountsAcrossNodesTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private const string Browser = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";

    [Fact]
    public async Task TheRateLimit_IsOneBudgetAcrossNodes_NotOnePerNode()
    {
        var (_, _, _, token) = await app.Api().CreateRelayAsync();
        await using var node1 = LimitedNode(10);
        await using var node2 = LimitedNode(10);
        using var http1 = node1.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var http2 = node2.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var i = 0; i < 6; i++) Assert.Equal(HttpStatusCode.OK, await LandAsync(http1, token));
        await SyncAsync(node1);
        Assert.Equal(HttpStatusCode.OK, await LandAsync(http2, token)); // node 2 has not heard from node 1 about this address yet
        await SyncAsync(node2);                                           // …now it has: 7 of 10 used
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await LandAsync(http2, token));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LandAsync(http2, token));

        // And back: node 1 learns what node 2 used.
        await SyncAsync(node2);
        await SyncAsync(node1);
        Assert.Equal(HttpStatusCode.TooManyRequests, await LandAsync(http1, token));

        // The next minute starts a new budget on both.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, await LandAsync(http1, token));
        Assert.Equal(HttpStatusCode.OK, await LandAsync(http2, token));

        // Only hashed buckets are stored, never the address.
        var buckets = await app.WithDbAsync(db => db.RateLimitWindows.Select(w => w.Bucket).ToListAsync());
        Assert.NotEmpty(buckets);
        Assert.DoesNotContain(buckets, b => b.Contains("unknown", StringComparison.Ordinal) || b.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clicks_OnTwoNodes_AddUpWithoutLoss()
    {
        var api = app.Api();
        var (company, _, linkId, token) = await api.CreateRelayAsync();
        await using var node2 = app.WithWebHostBuilder(_ => { });
        using var http2 = node2.CreateClient();
        // 40 different people, alternating nodes, several at once.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => LandAsync(i % 2 == 0 ? api.Http : http2, token, $"{Browser} person/{i}")));

        await Task.WhenAll(app.Service<ClickFlusher>().FlushAsync(CancellationToken.None), node2.Services.GetRequiredService<ClickFlusher>().FlushAsync(CancellationToken.None));
        var (_, links) = await api.GetAsync("/api/v1/company/links", company.Key);
        Assert.Equal(40, links!["items"]!.AsArray().Single(l => l!["id"]!.GetValue<string>() == linkId)!["clicks"]!.GetValue<long>());
        Assert.Equal(40, (await api.SummaryAsync(company.Key))["clicks"]!.GetValue<long>());
    }

    private WebApplicationFactory<Program> LimitedNode(int permitsPerMinute) =>
        app.WithWebHostBuilder(b => b.UseSetting("RateLimiting:PublicPermitsPerMinute", permitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static Task SyncAsync(WebApplicationFactory<Program> node) => node.Services.GetRequiredService<RateLimitSync>().SyncAsync(CancellationToken.None);

    private static async Task<HttpStatusCode> LandAsync(HttpClient http, string token, string userAgent = Browser)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{token}");
        request.Headers.UserAgent.ParseAdd(userAgent);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
