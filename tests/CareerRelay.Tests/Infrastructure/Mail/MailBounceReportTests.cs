using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Tests.Infrastructure.Mail;

public class BounceReportApp(Provider provider) : CareerRelayApp(provider)
{
    public const string Secret = "bounce-webhook-secret-0123456789";
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Mail:Bounces:WebhookSecret"] = Secret };
}

public sealed class BounceReportSqliteApp() : BounceReportApp(Provider.Sqlite);
public sealed class BounceReportPostgresApp() : BounceReportApp(Provider.Postgres);

/// <summary>
/// A bounce that arrives after the send (a mail provider's event webhook, or a script reading the bounce mailbox) suppresses
/// the address like a 550 during the send: the agency sees it, mail nobody asked for stops; temporary bounces change nothing;
/// a wrong secret or a malformed report changes nothing either.
/// </summary>
public abstract class MailBounceReportTests(BounceReportApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task APermanentBounceReportedLater_SuppressesTheAddress_AndTheAgencySeesIt()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("later")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var candidateId = (await _api.GetAsync("/api/v1/agency/candidates?limit=100", agency.Key)).Body!["items"]!.AsArray()
            .Single(c => c!["email"]!.GetValue<string>() == email)!["id"]!.GetValue<string>();
        Assert.Null((await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agency.Key)).Body!["mailRefusedSince"]);

        // As a provider posts it: Basic auth with the secret as password, the address as the provider saw it (any case).
        var (status, body) = await ReportAsync(Basic("provider", BounceReportApp.Secret), $$"""
            [{"recipient": "{{email.ToUpperInvariant()}}", "type": "bounce", "status": "5.1.1"},
             {"recipient": "someone-else@example.jp", "type": "bounce", "status": "4.2.2"},
             {"email": "complained@example.jp", "type": "complaint"}]
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body!["received"]!.GetValue<int>());
        Assert.Equal(1, body["suppressed"]!.GetValue<int>());
        Assert.Equal(2, body["ignored"]!.GetValue<int>());

        Assert.NotNull((await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agency.Key)).Body!["mailRefusedSince"]);
        var hash = app.Service<CareerRelay.Web.Infrastructure.Security.LookupHasher>().Person("email:" + email);
        var entry = await app.WithDbAsync(db => db.MailSuppressions.SingleAsync(x => x.AddressHash == hash));
        Assert.Equal(550, entry.StatusCode);

        // Mail the person did not ask for is no longer sent: the agency's message notice is suppressed, not mailed.
        var mailed = app.Mail.All().Count(m => m.To == email);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "ご連絡です" }, agency.Key)).Status);
        await Poll.UntilAsync(() => app.WithDbAsync(db => db.OutboxMails.AnyAsync(m => m.CandidateId == candidateId && m.Status == OutboxStatus.Suppressed)));
        Assert.Equal(mailed, app.Mail.All().Count(m => m.To == email));

        // Reported again (providers retry): still one entry.
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(Bearer(BounceReportApp.Secret), $$"""{"recipient": "{{email}}", "status": "550"}""")).Status);
        Assert.Equal(1, await app.WithDbAsync(db => db.MailSuppressions.CountAsync(x => x.AddressHash == hash)));
        Assert.DoesNotContain(app.Logs, l => l.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-the-secret")]
    [InlineData("Basic bm90LWJhc2U2NCE=")] // "not-base64!" has no colon: no password at all
    public async Task AWrongOrMissingSecret_Is401_AndChangesNothing(string? authorization)
    {
        var before = await app.WithDbAsync(db => db.MailSuppressions.CountAsync());
        var (status, body) = await ReportAsync(authorization, """{"recipient": "nobody@example.jp", "type": "bounce", "status": "5.1.1"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body!["code"]!.GetValue<string>());
        Assert.Equal(before, await app.WithDbAsync(db => db.MailSuppressions.CountAsync()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("[1, 2]")]
    [InlineData("""{"recipient": "no-at-sign", "status": "5.1.1"}""")]
    [InlineData("""{"recipient": ["a@example.jp"], "status": "5.1.1"}""")]
    public async Task AMalformedReport_Is400_AndChangesNothing(string report)
    {
        var before = await app.WithDbAsync(db => db.MailSuppressions.CountAsync());
        var (status, body) = await ReportAsync(Bearer(BounceReportApp.Secret), report);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_failed", body!["code"]!.GetValue<string>());
        Assert.Equal(before, await app.WithDbAsync(db => db.MailSuppressions.CountAsync()));
    }

    [Fact]
    public async Task MoreThanAThousandEvents_Is400()
    {
        var report = "[" + string.Join(",", Enumerable.Range(0, MailBounces.MaxEvents + 1).Select(i => $$"""{"recipient": "x{{i}}@example.jp", "status": "550"}""")) + "]";
        Assert.Equal(HttpStatusCode.BadRequest, (await ReportAsync(Bearer(BounceReportApp.Secret), report)).Status);
    }

    private static string Bearer(string secret) => "Bearer " + secret;
    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private async Task<(HttpStatusCode Status, JsonNode? Body)> ReportAsync(string? authorization, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mail/bounces") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (authorization is not null) request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        using var response = await _api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true ? JsonNode.Parse(text) : null);
    }
}

public sealed class MailBounceReportTestsOnSqlite(BounceReportSqliteApp app) : MailBounceReportTests(app), IClassFixture<BounceReportSqliteApp>;
public sealed class MailBounceReportTestsOnPostgres(BounceReportPostgresApp app) : MailBounceReportTests(app), IClassFixture<BounceReportPostgresApp>;
