using System.Net;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>First bind wins across companies; fraud signals hold a referral for the operator instead of counting it.</summary>
public abstract class DedupeAndFraudTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task SamePerson_ThroughASecondCompany_IsSupportedButDoesNotCountAgain()
    {
        var first = await _api.CreateRelayAsync();
        var second = await _api.CreateRelayAsync();
        var local = ApiClient.Unique("Taro.Dup");
        await _api.RegisterAndVerifyAsync(first.Token, $"{local}@example.jp", first.Agency.Id);
        // Same person, written differently: full-width letters and upper case fold to the same address.
        var variant = $"  {local.ToUpperInvariant()}＠ＥＸＡＭＰＬＥ.jp ";
        await _api.RegisterAndVerifyAsync(second.Token, variant, second.Agency.Id);

        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(first.Company.Key), "qualifiedReferrals"));
        var secondSummary = await _api.SummaryAsync(second.Company.Key);
        Assert.Equal(1, ApiClient.Int(secondSummary, "verified"));
        Assert.Equal(0, ApiClient.Int(secondSummary, "qualifiedReferrals"));
        // Still supported: the second company's agency sees the person.
        var (_, candidates) = await _api.GetAsync("/api/v1/agency/candidates", second.Agency.Key);
        Assert.Single(candidates!["items"]!.AsArray());
    }

    [Fact]
    public async Task SamePhone_WrittenDifferently_IsTheSamePerson()
    {
        var first = await _api.CreateRelayAsync();
        var second = await _api.CreateRelayAsync();
        var digits = Random.Shared.Next(10000000, 99999999).ToString();
        await _api.RegisterAndVerifyAsync(first.Token, $"{ApiClient.Unique("a")}@example.jp", first.Agency.Id, phone: $"090-{digits[..4]}-{digits[4..]}");
        await _api.RegisterAndVerifyAsync(second.Token, $"{ApiClient.Unique("b")}@example.jp", second.Agency.Id, phone: $"+81 90 {digits[..4]} {digits[4..]}");
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(second.Company.Key), "qualifiedReferrals"));
    }

    [Fact]
    public async Task SamePerson_AfterTheDedupeWindow_CountsAgain()
    {
        var first = await _api.CreateRelayAsync();
        var second = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("window")}@example.jp";
        await _api.RegisterAndVerifyAsync(first.Token, email, first.Agency.Id);
        app.Clock.Advance(TimeSpan.FromDays(366));
        await _api.RegisterAndVerifyAsync(second.Token, email, second.Agency.Id);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(second.Company.Key), "qualifiedReferrals"));
    }

    [Fact]
    public async Task CandidateOnTheCompanysOwnDomain_IsHeld_ThenReleasedByTheOperatorItCounts()
    {
        var domain = $"{ApiClient.Unique("own")}.example.co.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: $"hr@{domain}");
        var id = await _api.RegisterAndVerifyAsync(relay.Token, $"staff@{domain}", relay.Agency.Id);

        var held = await _api.SummaryAsync(relay.Company.Key);
        Assert.Equal(1, ApiClient.Int(held, "held"));
        Assert.Equal(0, ApiClient.Int(held, "qualifiedReferrals"));
        var (_, holds) = await _api.GetAsync("/api/v1/admin/holds?limit=100", CareerRelayApp.OperatorKey);
        var hold = Assert.Single(holds!["items"]!.AsArray(), h => h!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("company_domain", hold["reason"]!.GetValue<string>());
        Assert.DoesNotContain(domain, holds.ToJsonString());

        var (released, state) = await _api.PostAsync($"/api/v1/admin/referrals/{id}/release", null, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, released);
        Assert.Equal("qualified", state!["status"]!.GetValue<string>());
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "qualifiedReferrals"));
        var (again, problem) = await _api.PostAsync($"/api/v1/admin/referrals/{id}/release", null, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("invalid_state", problem!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task DisposableEmail_IsHeld_AndReversedByTheOperatorNeverCounts()
    {
        var relay = await _api.CreateRelayAsync();
        var id = await _api.RegisterAndVerifyAsync(relay.Token, $"{ApiClient.Unique("tmp")}@mailinator.com", relay.Agency.Id);
        var (reversed, state) = await _api.PostAsync($"/api/v1/admin/referrals/{id}/reverse", new { reason = "disposable address" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, reversed);
        Assert.Equal("reversed", state!["status"]!.GetValue<string>());
        var summary = await _api.SummaryAsync(relay.Company.Key);
        Assert.Equal(0, ApiClient.Int(summary, "held"));
        Assert.Equal(0, ApiClient.Int(summary, "qualifiedReferrals"));
    }
}

/// <summary>Turns the IP-burst signal on with a tiny threshold; shares the database with nobody.</summary>
public class FraudThresholdApp(Provider provider) : CareerRelayApp(provider)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Relay:Fraud:RegistrationsPerIpPerHour"] = "3" };
}
public sealed class SqliteFraudApp() : FraudThresholdApp(Provider.Sqlite);

public sealed class DedupeAndFraudTestsOnSqlite(SqliteApp app) : DedupeAndFraudTests(app), IClassFixture<SqliteApp>;
public sealed class DedupeAndFraudTestsOnPostgres(PostgresApp app) : DedupeAndFraudTests(app), IClassFixture<PostgresApp>;
public sealed class IpBurstTestsOnSqlite(SqliteFraudApp app) : IClassFixture<SqliteFraudApp>
{
    [Fact]
    public async Task ManyRegistrationsFromOneIp_BeyondTheThreshold_AreHeld()
    {
        var api = app.Api();
        var relay = await api.CreateRelayAsync();
        for (var i = 0; i < 4; i++) await api.RegisterAndVerifyAsync(relay.Token, $"{ApiClient.Unique("ip")}@example.jp", relay.Agency.Id);
        var summary = await api.SummaryAsync(relay.Company.Key);
        Assert.Equal(1, ApiClient.Int(summary, "held"));
        Assert.Equal(3, ApiClient.Int(summary, "qualifiedReferrals"));
    }
}

/// <summary>The link-burst and several-companies signals with tiny thresholds.</summary>
public sealed class BurstAndSpreadApp() : CareerRelayApp(Provider.Sqlite)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Relay:Fraud:LinkBurstPerHour"] = "2",
        ["Relay:Fraud:CompaniesPerPerson"] = "2",
    };
}

public sealed class BurstAndSpreadTests(BurstAndSpreadApp app) : IClassFixture<BurstAndSpreadApp>
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task ALink_BeyondItsHourlyQualifiedReferrals_HoldsTheNext_AndAnHourLaterCountsAgain()
    {
        var relay = await _api.CreateRelayAsync();
        for (var i = 0; i < 3; i++) await _api.RegisterAndVerifyAsync(relay.Token, $"{ApiClient.Unique("burst")}@example.jp", relay.Agency.Id);
        var summary = await _api.SummaryAsync(relay.Company.Key);
        Assert.Equal(2, ApiClient.Int(summary, "qualifiedReferrals"));
        Assert.Equal(1, ApiClient.Int(summary, "held"));

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await _api.RegisterAndVerifyAsync(relay.Token, $"{ApiClient.Unique("burst")}@example.jp", relay.Agency.Id);
        Assert.Equal(3, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "qualifiedReferrals"));
    }

    [Fact]
    public async Task APerson_ArrivingThroughASecondCompanyBeforeCounting_IsHeld()
    {
        var first = await _api.CreateRelayAsync();
        var second = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("spread")}@example.jp";
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(first.Token, email, first.Agency.Id)).Status); // never confirmed
        await app.Mail.WaitForAsync(email);
        var id = await _api.RegisterAndVerifyAsync(second.Token, email, second.Agency.Id);

        var (_, holds) = await _api.GetAsync("/api/v1/admin/holds?limit=100", CareerRelayApp.OperatorKey);
        var hold = Assert.Single(holds!["items"]!.AsArray(), h => h!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("multiple_companies", hold["reason"]!.GetValue<string>());
    }
}
