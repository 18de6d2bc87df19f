using System.Net;
using CareerRelay.Tests.Features.Agencies;
using CareerRelay.Web.Infrastructure.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CareerRelay.Tests.MultiNode;

/// <summary>Two nodes' webhook dispatchers working one queue at once: every event reaches the receiver exactly once.</summary>
public abstract class WebhooksAcrossNodesTests(CareerRelayApp app)
{
    [Fact]
    public async Task TwoNodesDispatchingTogether_DeliverEachEventExactlyOnce()
    {
        const int count = 60;
        var api = app.Api();
        await using var receiver = new WebhookReceiver();
        var company = await api.CreateCompanyAsync();
        var (_, created) = await api.PostAsync("/api/v1/company/webhooks", new { url = receiver.Url, events = new[] { "slot.earned" } }, company.Key);
        var endpoint = created!["id"]!.GetValue<string>();
        for (var i = 0; i < count; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/company/webhooks/{endpoint}/test", null, company.Key)).Status);

        await using var node2 = app.WithWebHostBuilder(_ => { });
        var dispatchers = new[] { app.Service<WebhookDispatcher>(), node2.Services.GetRequiredService<WebhookDispatcher>() };
        await Task.WhenAll(dispatchers.Select(async d =>
        {
            for (var pass = 0; pass < 10; pass++) await d.DispatchDueAsync(CancellationToken.None);
        }));

        var received = receiver.Requests.GroupBy(r => r.Id).ToList();
        Assert.Equal(count, received.Count);
        Assert.All(received, g => Assert.Single(g));
        var (_, log) = await api.GetAsync($"/api/v1/company/webhooks/{endpoint}/deliveries", company.Key);
        Assert.Equal(count, log!["items"]!.AsArray().Count(d => d!["status"]!.GetValue<string>() == "succeeded" && d["attempts"]!.GetValue<int>() == 1));
    }
}

public sealed class WebhooksAcrossNodesTestsOnSqlite(PrivateWebhooksSqliteApp app) : WebhooksAcrossNodesTests(app), IClassFixture<PrivateWebhooksSqliteApp>;
public sealed class WebhooksAcrossNodesTestsOnPostgres(PrivateWebhooksPostgresApp app) : WebhooksAcrossNodesTests(app), IClassFixture<PrivateWebhooksPostgresApp>;
