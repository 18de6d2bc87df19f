using System.Net;
using CareerRelay.Tests.Features.Agencies;
using CareerRelay.Tests.Harness.Node;
using CareerRelay.Web.Infrastructure.Webhooks;

namespace CareerRelay.Tests.Features.Companies;

/// <summary>Company webhooks checked by an independent Standard Webhooks library; test-send, redelivery and re-enabling.</summary>
public abstract class CompanyWebhookTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private Task Dispatch()
    {
        app.Clock.Advance(TimeSpan.FromTicks(12_345));
        return app.Service<WebhookDispatcher>().DispatchDueAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ReferralQualified_VerifiesWithTheStandardWebhooksPackage_AndCarriesNoPersonalData()
    {
        await using var receiver = new WebhookReceiver();
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var (_, created) = await _api.PostAsync("/api/v1/company/webhooks", new { url = receiver.Url, events = CompanyEvents.All }, company.Key);
        var secret = created!["secret"]!.GetValue<string>();

        var email = $"{ApiClient.Unique("sw")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id, name: "検証 一郎");
        var received = await receiver.WaitForAsync(r => r.Body.Contains("referral.qualified"), Dispatch);

        var payload = await StandardWebhooks.VerifyAsync(secret, received, app.Clock.GetUtcNow());
        Assert.Equal("referral.qualified", payload["type"]!.GetValue<string>());
        Assert.DoesNotContain(email, received.Body);
        Assert.DoesNotContain("検証", received.Body);

        // The same library refuses a body that was changed on the way.
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StandardWebhooks.VerifyAsync(secret, received with { Body = received.Body.Replace("referral", "Referral") }, app.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task TestSend_AndRedelivery_ArriveSigned_WithTheSameIdOnRedelivery_AndAreLogged()
    {
        await using var receiver = new WebhookReceiver();
        var company = await _api.CreateCompanyAsync();
        var (_, created) = await _api.PostAsync("/api/v1/company/webhooks", new { url = receiver.Url, events = new[] { "slot.earned" } }, company.Key);
        var id = created!["id"]!.GetValue<string>();
        var secret = created["secret"]!.GetValue<string>();

        var (queued, delivery) = await _api.PostAsync($"/api/v1/company/webhooks/{id}/test", null, company.Key);
        Assert.Equal(HttpStatusCode.Accepted, queued);
        var test = await receiver.WaitForAsync(r => r.Body.Contains("webhook.test"), Dispatch);
        Assert.Equal("webhook.test", (await StandardWebhooks.VerifyAsync(secret, test, app.Clock.GetUtcNow()))["type"]!.GetValue<string>());

        var deliveryId = delivery!["id"]!.GetValue<string>();
        var (again, _) = await _api.PostAsync($"/api/v1/company/webhooks/{id}/deliveries/{deliveryId}/redeliver", null, company.Key);
        Assert.Equal(HttpStatusCode.Accepted, again);
        await Poll.UntilAsync(async () => { await Dispatch(); return receiver.Requests.Count(r => r.Id == test.Id) == 2; });

        var (_, log) = await _api.GetAsync($"/api/v1/company/webhooks/{id}/deliveries", company.Key);
        Assert.Equal(2, log!["items"]!.AsArray().Count(d => d!["eventId"]!.GetValue<string>() == test.Id && d["lastStatusCode"]!.GetValue<int>() == 200));

        var other = await _api.CreateCompanyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/company/webhooks/{id}/test", null, other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/company/webhooks/{id}/deliveries/{deliveryId}/redeliver", null, other.Key)).Status);
    }

    [Fact]
    public async Task ADisabledEndpoint_CanBeEnabledAgain_AndThenReceives()
    {
        await using var receiver = new WebhookReceiver();
        var company = await _api.CreateCompanyAsync();
        var (_, created) = await _api.PostAsync("/api/v1/company/webhooks", new { url = receiver.Url, events = new[] { "slot.earned" } }, company.Key);
        var id = created!["id"]!.GetValue<string>();
        await app.WithDbAsync(db => db.WebhookEndpoints.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.DisabledAt, DateTime.UtcNow)));

        var (status, enabled) = await _api.PostAsync($"/api/v1/company/webhooks/{id}/enable", null, company.Key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(enabled!["disabledAt"]?.GetValue<DateTime?>());
        await _api.PostAsync($"/api/v1/company/webhooks/{id}/test", null, company.Key);
        await receiver.WaitForAsync(r => r.Body.Contains("webhook.test"), Dispatch);
    }
}

public sealed class CompanyWebhookTestsOnSqlite(PrivateWebhooksSqliteApp app) : CompanyWebhookTests(app), IClassFixture<PrivateWebhooksSqliteApp>;
public sealed class CompanyWebhookTestsOnPostgres(PrivateWebhooksPostgresApp app) : CompanyWebhookTests(app), IClassFixture<PrivateWebhooksPostgresApp>;
