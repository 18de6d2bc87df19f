using System.Net;
using System.Security.Cryptography;
using System.Text;
using CareerRelay.Web.Infrastructure.Webhooks;

namespace CareerRelay.Tests.Features.Agencies;

/// <summary>Agency webhooks (Standard Webhooks): ids only, signed, retried, disabled after sustained failure; no delivery to private networks unless allowed.</summary>
public abstract class AgencyWebhookTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    /// <summary>Delivers what is due; the clock is nudged by an odd number of ticks first, as a real clock is never on a whole millisecond.</summary>
    private Task Dispatch()
    {
        app.Clock.Advance(TimeSpan.FromTicks(12_345));
        return app.Service<WebhookDispatcher>().DispatchDueAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ConsentWithdrawalAndErasure_ArriveSigned_WithIdsOnly_AndTheDeliveryLogShowsThem()
    {
        await using var receiver = new WebhookReceiver();
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var (status, created) = await _api.PostAsync("/api/v1/agency/webhooks", new { url = receiver.Url, events = AgencyEvents.All }, agency.Key);
        Assert.Equal(HttpStatusCode.Created, status);
        var secret = created!["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);

        var email = $"{ApiClient.Unique("hook")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id, phone: "090-7777-8888", name: "フック 花子");
        var consented = await receiver.WaitForAsync(r => r.Body.Contains("candidate.consented"), Dispatch);
        var candidateId = System.Text.Json.Nodes.JsonNode.Parse(consented.Body)!["data"]!["candidateId"]!.GetValue<string>();

        // Verified as any Standard Webhooks library would: HMAC-SHA256 over "id.timestamp.body" with the decoded secret.
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{consented.Id}.{consented.Timestamp}.{consented.Body}")));
        Assert.Equal(expected, consented.Signature);
        Assert.StartsWith("msg_", consented.Id);
        Assert.DoesNotContain(email, consented.Body);
        Assert.DoesNotContain("フック", consented.Body);

        var me = await _api.MeTokenAsync(email);
        await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = agency.Id });
        await receiver.WaitForAsync(r => r.Body.Contains("candidate.withdrew") && r.Body.Contains(candidateId), Dispatch);
        await _api.PostAsync("/api/v1/public/me/erase", new { token = me });
        await receiver.WaitForAsync(r => r.Body.Contains("candidate.erased") && r.Body.Contains(candidateId), Dispatch);
        Assert.DoesNotContain(receiver.Requests, r => r.Body.Contains("090-7777-8888"));

        var webhookId = created["id"]!.GetValue<string>();
        var (_, log) = await _api.GetAsync($"/api/v1/agency/webhooks/{webhookId}/deliveries", agency.Key);
        Assert.Contains(log!["items"]!.AsArray(), d => d!["type"]!.GetValue<string>() == "candidate.consented" && d["status"]!.GetValue<string>() == "succeeded"
            && d["lastStatusCode"]!.GetValue<int>() == 200);
        var other = await _api.CreateAgencyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/agency/webhooks/{webhookId}/deliveries", other.Key)).Status);
    }

    [Fact]
    public async Task FailingEndpoint_IsRetriedForMoreThanADay_ThenDisabled_AndTheAgencyIsMailed()
    {
        await using var receiver = new WebhookReceiver { Status = 500 };
        var contact = $"{ApiClient.Unique("ops")}@agency.example";
        var agency = await _api.CreateAgencyAsync(contactEmail: contact);
        var company = await _api.CreateCompanyAsync();
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, company.Key);
        var (_, created) = await _api.PostAsync("/api/v1/agency/webhooks", new { url = receiver.Url, events = new[] { "redemption.opened" } }, agency.Key);

        // A redemption opened by a partner company is the event; the company needs a slot first.
        var token = (await _api.PostAsync("/api/v1/company/links", new { label = "x" }, company.Key)).Body!["token"]!.GetValue<string>();
        await _api.QualifyAsync(token, agency.Id, 10);
        var jobId = await _api.CreateJobAsync(company.Key);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/company/redemptions", new { jobId }, company.Key)).Status);

        var started = app.Clock.GetUtcNow();
        for (var i = 0; i < 12; i++)
        {
            await Dispatch();
            app.Clock.Advance(TimeSpan.FromHours(11));
        }
        var attempts = receiver.Requests.Count(r => r.Body.Contains("redemption.opened"));
        Assert.Equal(8, attempts); // the first try and seven retries, over more than 24 hours
        Assert.Single(receiver.Requests.Select(r => r.Id).Distinct()); // every retry is the same event id
        var (_, hooks) = await _api.GetAsync("/api/v1/agency/webhooks", agency.Key);
        Assert.NotNull(Assert.Single(hooks!["items"]!.AsArray())!["disabledAt"]);
        MailBox.Mail? mail = null;
        for (var i = 0; i < 200 && mail is null; i++, await Task.Delay(50))
            mail = app.Mail.All().FirstOrDefault(m => m.To == contact && m.Subject.Contains("Webhook", StringComparison.Ordinal));
        Assert.NotNull(mail);
        Assert.Contains(receiver.Url, mail.Body);
        Assert.True(app.Clock.GetUtcNow() - started > TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task CompanyEvents_ForReferralsSlotsRedemptionAndPlacement_ArriveWithIdsOnly()
    {
        await using var receiver = new WebhookReceiver();
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var (status, _) = await _api.PostAsync("/api/v1/company/webhooks", new { url = receiver.Url, events = CompanyEvents.All }, company.Key);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync("/api/v1/company/webhooks", new { url = receiver.Url, events = new[] { "candidate.consented" } }, company.Key)).Status);

        var referrals = await _api.QualifyAsync(token, agency.Id, 10);
        await receiver.WaitForAsync(r => r.Body.Contains("slot.earned"), Dispatch);
        Assert.Equal(10, receiver.Requests.Count(r => r.Body.Contains("referral.qualified")));
        var jobId = await _api.CreateJobAsync(company.Key);
        var redemptionId = (await _api.PostAsync("/api/v1/company/redemptions", new { jobId }, company.Key)).Body!["id"]!.GetValue<string>();
        await receiver.WaitForAsync(r => r.Body.Contains("slot.redeemed") && r.Body.Contains(redemptionId), Dispatch);

        var candidateId = (await _api.GetAsync("/api/v1/agency/candidates", agency.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();
        var (placed, _) = await _api.PostAsync("/api/v1/agency/placements", new { candidateId, jobId, startDate = "2027-04-01", redemptionId }, agency.Key);
        Assert.Equal(HttpStatusCode.Created, placed);
        await receiver.WaitForAsync(r => r.Body.Contains("redemption.fulfilled") && r.Body.Contains(redemptionId), Dispatch);
        await receiver.WaitForAsync(r => r.Body.Contains("placement.recorded"), Dispatch);
        Assert.All(receiver.Requests, r => Assert.DoesNotContain("@example.jp", r.Body));
        Assert.Contains(receiver.Requests, r => r.Body.Contains(referrals[0]));
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[fd00:ec2::254]/")]
    [InlineData("https://169.254.10.10/")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("https://[::a9fe:a9fe]/")]
    [InlineData("https://[2002:a9fe:a9fe::]/")]
    public async Task MetadataAndLinkLocalAddresses_AreRefused_WhateverTheSettings(string url)
    {
        var agency = await _api.CreateAgencyAsync();
        var (status, problem) = await _api.PostAsync("/api/v1/agency/webhooks", new { url, events = new[] { "candidate.consented" } }, agency.Key);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
    }
}

public sealed class PrivateWebhooksSqliteApp() : CareerRelayApp(Provider.Sqlite)
{
    // The tests drive delivery themselves (and move the clock by hours); the background loop would race them.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:BackgroundDispatch"] = "false",
    };
}

public sealed class PrivateWebhooksPostgresApp() : CareerRelayApp(Provider.Postgres)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:BackgroundDispatch"] = "false",
    };
}

public sealed class AgencyWebhookTestsOnSqlite(PrivateWebhooksSqliteApp app) : AgencyWebhookTests(app), IClassFixture<PrivateWebhooksSqliteApp>;
public sealed class AgencyWebhookTestsOnPostgres(PrivateWebhooksPostgresApp app) : AgencyWebhookTests(app), IClassFixture<PrivateWebhooksPostgresApp>;

/// <summary>By default (no AllowPrivateNetworks) loopback and private addresses are refused too, and plain http.</summary>
public sealed class DefaultWebhookAddressTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://192.168.0.10/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[::127.0.0.1]/hook")]
    [InlineData("https://[::ffff:0:7f00:1]/hook")]
    [InlineData("https://[64:ff9b::7f00:1]/hook")]
    [InlineData("https://[64:ff9b::a00:1]/hook")]
    [InlineData("ftp://example.com/hook")]
    public async Task LoopbackPrivateAndNonHttpsAddresses_AreRefused(string url)
    {
        var api = app.Api();
        var agency = await api.CreateAgencyAsync();
        var (status, _) = await api.PostAsync("/api/v1/agency/webhooks", new { url, events = new[] { "candidate.consented" } }, agency.Key);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
