using System.Net;
using CareerRelay.Web.Features.Links;

namespace CareerRelay.Tests.Features.Links;

/// <summary>The page a rejected candidate lands on, used as a browser without JavaScript would.</summary>
public abstract class LandingPageTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();
    private const string Browser = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";

    [Fact]
    public async Task Landing_CannotBeFramedAndRunsNoScript()
    {
        var (_, _, _, token) = await _api.CreateRelayAsync();
        using var response = await _api.Http.GetAsync($"/r/{token}");
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("form-action 'self'", csp);
    }

    private async Task<(HttpStatusCode Status, string Html)> GetPageAsync(string path, string userAgent = Browser, string method = "GET")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.UserAgent.ParseAdd(userAgent);
        using var response = await _api.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Landing_InJapaneseByDefault_ShowsCompanyDisclosuresAndUntickedConsent()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var (status, html) = await GetPageAsync($"/r/{token}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"ja\">", html);
        Assert.Contains("株式会社テスト", html);
        Assert.Contains("無料", html);
        Assert.Contains("許可番号", html);
        Assert.Contains("https://agency.example/privacy", html);
        Assert.Contains("15歳以上", html);
        Assert.Contains("ハローワーク", html);
        Assert.Contains("届出受理番号", html);
        Assert.Contains($"value=\"{agency.Id}\"", html);
        Assert.DoesNotContain("checked", html);
        Assert.DoesNotContain("<script", html);

        var (_, english) = await GetPageAsync($"/r/{token}?lang=en");
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("Licence no.", english);
        Assert.Contains("Hello Work", english);
    }

    [Fact]
    public async Task Landing_UnknownToken_IsAFriendly404Page()
    {
        var (status, html) = await GetPageAsync("/r/no-such-token");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("ページが見つかりません", html);
    }

    [Fact]
    public async Task LandingForm_SubmittedWithErrors_RedisplaysThemPerField_ThenRegisters()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var bad = await _api.Http.PostAsync($"/r/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "鈴木 一郎", ["email"] = "not-an-email", ["noticeVersion"] = "1", ["lang"] = "ja",
        }));
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("メールアドレスの形式が正しくありません", html);
        Assert.Contains("1社以上選んでください", html);
        Assert.Contains("同意が必要です", html);
        Assert.Contains("value=\"鈴木 一郎\"", html); // what they typed is kept
        // The summary names each field, so two identical messages are never a riddle; each field points at its own message.
        var summary = System.Text.RegularExpressions.Regex.Match(html, "<div class=\"summary\".*?</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("メールアドレス：メールアドレスの形式が正しくありません。", summary);
        Assert.Contains("支援する人材紹介会社を選ぶ：", summary);
        Assert.Contains("href=\"#email\"", summary);
        Assert.Matches("id=\"email\"[^>]*aria-describedby=\"email-error\"", html);

        var empty = await (await _api.Http.PostAsync($"/r/{token}", new FormUrlEncodedContent(new Dictionary<string, string> { ["noticeVersion"] = "1" })))
            .Content.ReadAsStringAsync();
        Assert.Contains("氏名：入力してください。", empty);
        Assert.Contains("メールアドレス：入力してください。", empty);

        var email = $"{ApiClient.Unique("form")}@example.jp";
        var ok = await _api.Http.PostAsync($"/r/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "鈴木 一郎", ["email"] = email, ["noticeVersion"] = "1", ["lang"] = "ja", ["agencyIds"] = agency.Id,
            ["agree"] = "yes", ["skills"] = "営業、Excel", ["prefecture"] = "27",
        }));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal($"/r/{token}/sent", ok.Headers.Location!.OriginalString);
        Assert.Contains("確認メールを送信しました", await _api.Http.GetStringAsync(ok.Headers.Location));
        await app.Mail.WaitForAsync(email);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(company.Key), "registrations"));
    }

    [Fact]
    public async Task LandingForm_PostedFromAnotherSite_IsRefused()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/r/{token}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = "x", ["email"] = "x@example.jp", ["noticeVersion"] = "1", ["agencyIds"] = agency.Id, ["agree"] = "yes",
            }),
        };
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Clicks_CountPeopleOncePerDay_NotBotsHeadOrPrefetch()
    {
        var (company, _, linkId, token) = await _api.CreateRelayAsync();
        await GetPageAsync($"/r/{token}");
        await GetPageAsync($"/r/{token}"); // same visitor again
        await GetPageAsync($"/r/{token}", "Mozilla/5.0 (compatible; Microsoft Office SafeLinks)");
        await GetPageAsync($"/r/{token}", "Slackbot-LinkExpanding 1.0");
        await GetPageAsync($"/r/{token}", method: "HEAD");
        using (var prefetch = new HttpRequestMessage(HttpMethod.Get, $"/r/{token}"))
        {
            prefetch.Headers.UserAgent.ParseAdd(Browser);
            prefetch.Headers.Add("Sec-Purpose", "prefetch");
            await _api.Http.SendAsync(prefetch);
        }
        await GetPageAsync($"/r/{token}", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0 Safari/537.36"); // another person

        await app.Service<ClickFlusher>().FlushAsync(CancellationToken.None);
        var (_, links) = await _api.GetAsync("/api/v1/company/links", company.Key);
        var link = Assert.Single(links!["items"]!.AsArray(), l => l!["id"]!.GetValue<string>() == linkId)!;
        Assert.Equal(2, link["clicks"]!.GetValue<long>());
        Assert.Equal(2, (await _api.SummaryAsync(company.Key))["clicks"]!.GetValue<long>());
    }
}

public sealed class LandingPageTestsOnSqlite(SqliteApp app) : LandingPageTests(app), IClassFixture<SqliteApp>;
public sealed class LandingPageTestsOnPostgres(PostgresApp app) : LandingPageTests(app), IClassFixture<PostgresApp>;

/// <summary>Public routes are limited per IP; the 61st request in a minute is answered 429 with a code.</summary>
public sealed class RateLimitApp() : CareerRelayApp(Provider.Sqlite)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimiting:PublicPermitsPerMinute"] = "3" };
}

public sealed class RateLimitTests(RateLimitApp app) : IClassFixture<RateLimitApp>
{
    [Fact]
    public async Task PublicRoutes_BeyondThePerIpLimit_Answer429RateLimited()
    {
        var api = app.Api();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/public/links/none")).Status);
        var (status, body) = await api.GetAsync("/api/v1/public/links/none");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("rate_limited", body!["code"]!.GetValue<string>());
        // Keyed routes are not the public limit's business.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/admin/holds", CareerRelayApp.OperatorKey)).Status);
    }
}
