using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>The app on a real Kestrel port with a real SQLite file, driven by Debian's Chromium through Playwright.</summary>
public sealed class BrowserApp : WebApplicationFactory<Program>
{
    public const string OperatorKey = "cr_op_browser-test-operator-key-000000";
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "careerrelay-browser", Guid.NewGuid().ToString("N"));

    public BrowserApp() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CareerRelay:DataDirectory", Directory);
        builder.UseSetting("CareerRelay:Demo:Seed", "false");
        builder.UseSetting("CareerRelay:Bootstrap:OperatorApiKey", OperatorKey);
        builder.UseSetting("RateLimiting:PublicPermitsPerMinute", "0");
        // The crawl's world has a webhook to a local port nobody listens on: its deliveries fail and their log shows it.
        builder.UseSetting("Webhooks:AllowPrivateNetworks", "true");
        // LINE on, so /me shows how to link it; nobody links here, and its API address is a local port nobody listens on.
        builder.UseSetting("Line:ChannelSecret", "browser-test-channel-secret");
        builder.UseSetting("Line:ChannelAccessToken", "browser-test-access-token");
        builder.UseSetting("Line:ApiBaseUrl", "http://127.0.0.1:9");
        builder.UseSetting("Line:BasicId", "@careerrelay");
    }

    public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "localhost");
}

public sealed class RelayInChromiumTests : IClassFixture<BrowserApp>
{
    private readonly BrowserApp _app;
    public RelayInChromiumTests(BrowserApp app)
    {
        _app = app;
        _app.StartServer();
    }

    [Fact]
    public async Task Candidate_OpensRelayLinkConsentsRegistersAndConfirmsFromTheMail_SeesSuccess()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        var (companyKey, agencyId, token) = await SetUpRelayAsync(http);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "ja-JP" });
        // The integration tests may share the two cores with this browser; give slow steps room rather than flake.
        page.SetDefaultTimeout(90_000);

        await page.GotoAsync($"{_app.BaseUrl}/r/{token}");
        Assert.Contains("ブラウザ商事", await page.TitleAsync());
        var consent = page.Locator($"input[name=agencyIds][value='{agencyId}']");
        Assert.False(await consent.IsCheckedAsync()); // never pre-ticked
        // On a phone the disclosures stay readable: each value gets most of the width, not a sliver beside its label.
        var licence = await page.Locator(".agency dd").First.BoundingBoxAsync();
        Assert.True(licence!.Width > 250, $"The licence number is squeezed to {licence.Width}px on a 390px screen.");

        // Submitting without consent shows the errors on the page.
        await page.FillAsync("#name", "高橋 美咲");
        await page.FillAsync("#email", "misaki.takahashi@example.jp");
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("1社以上選んでください", await page.ContentAsync());
        Assert.Equal("高橋 美咲", await page.InputValueAsync("#name"));

        await page.Locator($"input[name=agencyIds][value='{agencyId}']").CheckAsync();
        await page.Locator("input[name=agree]").CheckAsync();
        await page.SelectOptionAsync("#prefecture", "14");
        await page.ClickAsync("button[type=submit]");
        await page.ArriveAtAsync(new Regex("/sent"));
        Assert.Contains("確認メールを送信しました", await page.InnerTextAsync("h1"));

        var verifyUrl = await WaitForVerifyUrlAsync("misaki.takahashi@example.jp");
        await page.GotoAsync(verifyUrl);
        Assert.Contains("メールアドレスの確認", await page.InnerTextAsync("h1"));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("text=登録が完了しました");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_app.Directory, "verified.png"), FullPage = true });

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", companyKey);
        var summary = await http.GetFromJsonAsync<JsonObject>("/api/v1/company/summary");
        Assert.Equal(1, summary!["qualifiedReferrals"]!.GetValue<int>());
        Assert.True(summary["clicks"]!.GetValue<long>() >= 0);
    }

    /// <summary>Debian's Chromium, headless, with the flags this closed network needs.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CAREERRELAY_CHROMIUM") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    /// <summary>An API call with a key, as setup does it: it must succeed; answers the JSON object.</summary>
    public static async Task<JsonObject> SendWithKeyAsync(HttpClient http, HttpMethod method, string path, object? body, string key)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<(string CompanyKey, string AgencyId, string Token)> SetUpRelayAsync(HttpClient http, string contactEmail = "hr@browser-shoji.example")
    {
        Task<JsonObject> PostAsync(string path, object body, string key) => SendWithKeyAsync(http, HttpMethod.Post, path, body, key);
        var company = await PostAsync("/api/v1/admin/companies", new { name = "ブラウザ商事株式会社", contactEmail }, BrowserApp.OperatorKey);
        var agency = await PostAsync("/api/v1/admin/agencies", new
        {
            name = "ひかりキャリア", licenseNumber = "13-ユ-123456", contactEmail = "a@hikari.example", occupations = new[] { "営業" },
            fees = "求職者は無料", complaintContact = "03-1111-2222", privacyPolicyUrl = "https://hikari.example/privacy",
        }, BrowserApp.OperatorKey);
        var link = await PostAsync("/api/v1/company/links", new { label = "秋採用" }, company["apiKey"]!.GetValue<string>());
        return (company["apiKey"]!.GetValue<string>(), agency["id"]!.GetValue<string>(), link["token"]!.GetValue<string>());
    }

    private Task<string> WaitForVerifyUrlAsync(string to) => WaitForLinkAsync(_app, to, "/verify/");

    /// <summary>Reads a link from the real .eml file the app wrote.</summary>
    /// <summary>Registers and confirms <paramref name="count"/> people through the public API and their real mails.</summary>
    internal static async Task QualifyAsync(BrowserApp app, HttpClient http, string token, string agencyId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var email = $"candidate{i}.{Guid.NewGuid():N}@example.jp";
            var registered = await http.PostAsJsonAsync("/api/v1/public/registrations", new
            {
                token, name = "山田 太郎", email, nameKana = "ヤマダ タロウ", prefecture = "13", desiredOccupation = "営業", skills = new[] { "法人営業" },
                consent = new { noticeVersion = 1, agencyIds = new[] { agencyId } },
            });
            Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            var code = (await WaitForLinkAsync(app, email, "/verify/")).Split('/')[^1].Split('?')[0];
            var verified = await http.PostAsJsonAsync("/api/v1/public/verifications", new { code });
            Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The body of a mail as its reader sees it (the app writes 8bit; older files were base64).</summary>
    public static string MailText(string raw)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = raw[(split + 4)..];
        return raw[..split].Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "")))
            : body;
    }

    /// <summary>Reads a link from the real .eml files the app wrote; with <paramref name="since"/>, only from mail written since then.</summary>
    public static async Task<string> WaitForLinkAsync(BrowserApp app, string to, string pathPart, DateTime? since = null)
    {
        var dir = Path.Combine(app.Directory, "mail");
        for (var i = 0; i < 200; i++)
        {
            var files = System.IO.Directory.Exists(dir) ? new DirectoryInfo(dir).GetFiles("*.eml") : [];
            foreach (var file in files.Where(f => since is null || f.LastWriteTimeUtc >= since).OrderByDescending(f => f.LastWriteTimeUtc))
            {
                var raw = await File.ReadAllTextAsync(file.FullName);
                if (!raw.Contains($"To: {to}")) continue;
                var found = Regex.Match(MailText(raw), $@"https?://\S+{Regex.Escape(pathPart)}\S+").Value;
                if (found.Length > 0) return found;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No mail to {to} with {pathPart}.");
    }
}
