using System.Net;
using System.Text.RegularExpressions;
using CareerRelay.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CareerRelay.Tests.Features.CompanyConsole;

/// <summary>The company console over HTTPS with cookies, as a browser uses it: emailed sign-in link, anti-forgery, dashboard.</summary>
public abstract partial class ConsoleSignInTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
    });

    private static string FormToken(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    private async Task<HttpClient> SignInAsync(string email)
    {
        var browser = Browser();
        var page = await browser.GetStringAsync("/signin");
        var earlier = app.Mail.All().Count(m => m.To == email);
        var sent = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["__af"] = FormToken(page) }));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var mail = await app.Mail.WaitForAsync(email, earlier + 1);
        var link = SignInLink().Match(mail.Body).Groups[1].Value;

        var confirm = await browser.GetStringAsync(link);
        Assert.Contains("サインインする", confirm);
        var signedIn = await browser.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = FormToken(confirm) }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/console", signedIn.Headers.Location!.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-cr_console=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        return browser;
    }

    [Fact]
    public async Task Admin_SignsInByEmailedLink_AndTheDashboardShowsExactlyTheApiSummary()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        await _api.RegisterAndVerifyAsync(relay.Token, $"{ApiClient.Unique("c")}@example.jp", relay.Agency.Id);
        await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("c")}@example.jp", relay.Agency.Id);

        var browser = await SignInAsync(contact);
        var html = await browser.GetStringAsync("/console");
        var summary = await _api.SummaryAsync(relay.Company.Key);
        foreach (var field in new[] { "invitationsSent", "clicks", "registrations", "verified", "qualifiedReferrals", "placements", "slotsEarned", "slotsRedeemed", "slotsAvailable", "slotsOwed", "held" })
        {
            var shown = Regex.Match(html, $"data-field=\"{field}\"><span class=\"figure\">([0-9,]+)</span>").Groups[1].Value.Replace(",", "");
            Assert.True(summary[field]!.ToString() == shown, $"{field}: console shows '{shown}', API says {summary[field]}");
        }
        Assert.Contains("あと9人で無料採用枠を1つ獲得", html);
        Assert.Contains($"data-link-id=\"{relay.LinkId}\"", html);
    }

    [Fact]
    public async Task Console_WithoutSignIn_RedirectsToSignIn()
    {
        var response = await Browser().GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/signin", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Forms_PostedWithoutTheAntiforgeryToken_AreRefused()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        await _api.CreateCompanyAsync(contactEmail: contact);
        var earlier = app.Mail.All().Count(m => m.To == contact);
        var response = await Browser().PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = contact }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Task.Delay(300);
        Assert.Equal(earlier, app.Mail.All().Count(m => m.To == contact)); // no link was sent
    }

    [Fact]
    public async Task SignInLink_UsedTwice_IsRefusedTheSecondTime_AndUnknownAddressesLookTheSame()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        await _api.CreateCompanyAsync(contactEmail: contact);
        await SignInAsync(contact);
        var mail = (await app.Mail.WaitForAsync(contact)).Body;
        var link = SignInLink().Match(mail).Groups[1].Value;
        var other = Browser();
        var confirm = await other.GetStringAsync(link);
        var again = await other.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = FormToken(confirm) }));
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);

        var page = await other.GetStringAsync("/signin");
        var unknown = await other.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "nobody@nowhere.example", ["__af"] = FormToken(page) }));
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("メールを確認してください", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Dashboard_ShowsOnlyTheSignedInCompanysLinks()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        var mine = await _api.CreateRelayAsync(contactEmail: contact);
        var theirs = await _api.CreateRelayAsync();
        var html = await (await SignInAsync(contact)).GetStringAsync("/console");
        Assert.Contains(mine.LinkId, html);
        Assert.DoesNotContain(theirs.LinkId, html);
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")] private static partial Regex AntiforgeryField();
    [GeneratedRegex(@"https?://[^/\s]+(/signin/[A-Za-z0-9_\-]+)")] private static partial Regex SignInLink();
}

public sealed class ConsoleSignInTestsOnSqlite(SqliteApp app) : ConsoleSignInTests(app), IClassFixture<SqliteApp>;
public sealed class ConsoleSignInTestsOnPostgres(PostgresApp app) : ConsoleSignInTests(app), IClassFixture<PostgresApp>;
