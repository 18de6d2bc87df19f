using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CareerRelay.Tests.Features.Agencies;
using CareerRelay.Web.Infrastructure.Webhooks;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Ats;

/// <summary>The console's ATS integration: connect Greenhouse, set how mail is sent, import a CSV with a preview, webhooks with their log; keys with scopes.</summary>
public abstract partial class ConsoleIntegrationsTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private async Task<(HttpClient Browser, ApiClient.Tenant Company)> AdminAsync()
    {
        var admin = $"{ApiClient.Unique("hr")}@integrations.example.jp";
        var (company, _, _, _) = await _api.CreateRelayAsync(contactEmail: admin);
        return ((await SignInAsync(app, admin)).Browser, company);
    }

    [Fact]
    public async Task Admin_ConnectsGreenhouse_SetsTheSendingRules_AndSeesTheMailItSent()
    {
        var (browser, _) = await AdminAsync();
        var page = await browser.GetStringAsync("/console/integrations");
        Assert.Contains("ATS連携", page);

        var created = await browser.PostAsync("/console/integrations/connections", Form(page, ("system", "greenhouse")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var html = await created.Content.ReadAsStringAsync();
        var url = FieldValue(html, "connectionUrl");
        var secret = FieldValue(html, "connectionSecret");
        Assert.Contains("/api/v1/company/ats/greenhouse/", url);
        Assert.DoesNotContain(secret, await browser.GetStringAsync("/console/integrations")); // shown once

        var settingsPage = await browser.GetStringAsync("/console/integrations?lang=en");
        var saved = await browser.PostAsync("/console/integrations/settings?lang=en", Form(settingsPage, ("tone", "warm"), ("linkId", ""), ("sendTime", "now"), ("senderName", "採用チーム")));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Settings saved.", await saved.Content.ReadAsStringAsync());

        var email = $"{ApiClient.Unique("console-gh")}@example.jp";
        var body = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Ats", "Fixtures", "greenhouse-reject-candidate.json")).Replace("REPLACED@example.jp", email);
        var signature = "sha256 " + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
        var (status, _) = await _api.SendAsync(HttpMethod.Post, new Uri(url).AbsolutePath, body, null,
            new Dictionary<string, string> { ["Signature"] = signature, ["Greenhouse-Event-ID"] = "console-1" });
        Assert.Equal(HttpStatusCode.OK, status);
        var mail = await app.Mail.WaitForAsync(email);
        Assert.Equal("採用チーム <no-reply@careerrelay.example>", MailBox.Header(mail, "From"));

        await Poll.UntilAsync(async () => (await browser.GetStringAsync("/console/integrations")).Contains("data-mail-status=\"sent\""));
        Assert.Contains("265277", await browser.GetStringAsync("/console/integrations"));
    }

    [Fact]
    public async Task CsvImport_PreviewsFirst_WritesNothingUntilConfirmed_ThenInvitesTheValidRows()
    {
        var (browser, company) = await AdminAsync();
        var page = await browser.GetStringAsync("/console/imports");
        var form = new MultipartFormDataContent
        {
            { new StringContent(FormToken(page)), "__af" },
            { new StringContent("auto"), "encoding" },
            { new StringContent("ja"), "lang" },
            { new StringContent("default"), "sendTime" },
        };
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Features", "Ats", "Fixtures", "rejected-shift_jis.csv")));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "不合格者.csv");

        var preview = await browser.PostAsync("/console/imports", form);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Contains("取り込む前の確認", html);
        Assert.Equal(2, Regex.Count(html, "data-row-status=\"invite\""));
        Assert.Equal(1, Regex.Count(html, "data-row-status=\"error\""));
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));

        var confirm = ConfirmAction().Match(html).Groups[1].Value;
        var done = await browser.PostAsync(confirm, Form(html));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("取り込みました", await done.Content.ReadAsStringAsync());
        Assert.Equal(2, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));
        await app.Mail.WaitForAsync("ichiro.sjis@example.jp");

        // The kept upload is gone: the same button again imports nothing twice.
        var again = await browser.PostAsync(confirm, Form(html));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.ImportUploads.CountAsync(u => u.CompanyId == company.Id)));
    }

    [Fact]
    public async Task Webhooks_RegisteredInTheConsole_TestSendShowsTheResponseCode_AndRedeliveryWorks()
    {
        await using var receiver = new WebhookReceiver();
        var (browser, _) = await AdminAsync();
        var page = await browser.GetStringAsync("/console/webhooks");
        var registered = await browser.PostAsync("/console/webhooks",
            Form(page, ("url", receiver.Url), ("events", "slot.earned"), ("events", "referral.qualified")));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var html = await registered.Content.ReadAsStringAsync();
        Assert.StartsWith("whsec_", FieldValue(html, "webhookSecret"));
        var id = WebhookId().Match(html).Groups[1].Value;

        var tested = await browser.PostAsync($"/console/webhooks/{id}/test", Form(html));
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        await receiver.WaitForAsync(r => r.Body.Contains("webhook.test"), () =>
        {
            app.Clock.Advance(TimeSpan.FromTicks(12_345));
            return app.Service<WebhookDispatcher>().DispatchDueAsync(CancellationToken.None);
        });
        var log = await browser.GetStringAsync($"/console/webhooks/{id}");
        Assert.Matches("data-status=\"succeeded\">.*?data-field=\"code\">200<", log.ReplaceLineEndings(""));

        var deliveryId = DeliveryId().Match(log).Groups[1].Value;
        var redelivered = await browser.PostAsync($"/console/webhooks/{id}/deliveries/{deliveryId}/redeliver", Form(log));
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(2, Regex.Count(await redelivered.Content.ReadAsStringAsync(), "data-delivery-id="));
    }

    [Fact]
    public async Task Members_SeeTheImport_ButNotWebhooksOrConnections()
    {
        var (admin, _) = await AdminAsync();
        var member = await InviteMemberAsync(app, admin, $"{ApiClient.Unique("member")}@integrations.example.jp");
        var page = await member.GetStringAsync("/console/integrations");
        Assert.DoesNotContain("/console/webhooks", page);
        Assert.DoesNotContain("/console/integrations/connections\"", page);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/console/imports")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await member.GetAsync("/console/webhooks")).StatusCode);
        var forged = await member.PostAsync("/console/integrations/connections", Form(page, ("system", "lever")));
        Assert.NotEqual(HttpStatusCode.Created, forged.StatusCode);
    }

    [Fact]
    public async Task ReadOnlyKey_CreatedInTheConsole_AndRotated()
    {
        var (browser, _) = await AdminAsync();
        var page = await browser.GetStringAsync("/console/keys");
        var created = await browser.PostAsync("/console/keys", Form(page, ("name", "BI"), ("scope", "read")));
        var html = await created.Content.ReadAsStringAsync();
        var key = FieldValue(html, "newKey");
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/summary", key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PostAsync("/api/v1/company/links", new { label = "x" }, key)).Status);
        Assert.Contains("読み取りのみ", html);

        var keyId = Regex.Match(html, "data-key-id=\"([^\"]+)\" data-status=\"active\">\\s*<td class=\"text\">BI</td>").Groups[1].Value;
        var rotated = await browser.PostAsync($"/console/keys/{keyId}/rotate", Form(html));
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var successor = FieldValue(await rotated.Content.ReadAsStringAsync(), "newKey");
        Assert.NotEqual(key, successor);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/summary", key)).Status); // still, for 24 hours
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PostAsync("/api/v1/company/links", new { label = "x" }, successor)).Status); // same scope
    }

    private static string FieldValue(string html, string field) =>
        Regex.Match(html, $"value=\"([^\"]*)\" data-field=\"{field}\"").Groups[1].Value is { Length: > 0 } v ? WebUtility.HtmlDecode(v)
            : WebUtility.HtmlDecode(Regex.Match(html, $"data-field=\"{field}\"[^>]*value=\"([^\"]*)\"").Groups[1].Value);

    [GeneratedRegex("action=\"(/console/imports/[^\"?]+)")] private static partial Regex ConfirmAction();
    [GeneratedRegex("data-webhook-id=\"([^\"]+)\"")] private static partial Regex WebhookId();
    [GeneratedRegex("data-delivery-id=\"([^\"]+)\"")] private static partial Regex DeliveryId();
}

public sealed class ConsoleIntegrationsTestsOnSqlite(PrivateWebhooksSqliteApp app) : ConsoleIntegrationsTests(app), IClassFixture<PrivateWebhooksSqliteApp>;
public sealed class ConsoleIntegrationsTestsOnPostgres(PrivateWebhooksPostgresApp app) : ConsoleIntegrationsTests(app), IClassFixture<PrivateWebhooksPostgresApp>;
