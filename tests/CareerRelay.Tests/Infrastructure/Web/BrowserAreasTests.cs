using System.Net;
using System.Text.RegularExpressions;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Infrastructure.Web;

/// <summary>
/// Every browser form is checked by its area before its handler runs (<see cref="BrowserAreas"/>): read from the routing table,
/// so a form route mapped tomorrow outside an area fails here, and exercised — each posted by the very person it is for, signed
/// in, without the token (or from another site, for the public pages) is refused with the area's page and writes nothing.
/// </summary>
public abstract class BrowserAreasTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    /// <summary>RFC 8058 one-click unsubscribes (job mails; an alumni network's job mails): mail providers POST them without a session or an Origin; harmless and idempotent.
    /// And LINE's webhook: not a browser's, it is checked by its body's signature instead (LineChannelTests); the mail bounce reports by their shared secret (MailBounceReportTests).</summary>
    private static readonly string[] Unchecked = ["/unsubscribe/{token}", "/a/unsubscribe/{token}", "/line/webhook", "/mail/bounces"];

    [Fact]
    public void EveryBrowserRouteThatChangesSomething_IsCheckedByItsArea()
    {
        var bare = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/api/", StringComparison.Ordinal) && !raw.Contains("{**", StringComparison.Ordinal))
            .Where(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Any(m => m is not ("GET" or "HEAD")))
            .Where(e => !e.Metadata.OfType<FormCheck>().Any())
            .Select(e => e.RoutePattern.RawText!)
            .Where(p => !Unchecked.Contains(p))
            .ToList();
        Assert.True(bare.Count == 0, "Browser routes that change something without their area's check:\n" + string.Join("\n", bare));
    }

    [Theory]
    [InlineData("/me/link", "/me")]
    [InlineData("/signin", "/signin")]
    [InlineData("/me/link?lang=en", "/me?lang=en")]
    public async Task AStaleSignInForm_SaysSo_WithAWayBackToTheStart_AndNoLinkThatFails(string form, string start)
    {
        // Found in Chromium: after the "form expired" answer to /me/link, the page's only link ("English") led to
        // GET /me/link?lang=en, read as a sign-in token: "This link no longer works". A person needs a way to start again.
        var browser = Browser(app);
        using var refused = await browser.PostAsync(form, new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "someone@example.jp" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        var lang = form.Contains("lang=en", StringComparison.Ordinal) ? Lang.English : Lang.Japanese;
        Assert.Contains(Texts.Get("SignIn.Forgery.Body", lang), html, StringComparison.Ordinal);
        var links = Regex.Matches(html, "<a [^>]*href=\"([^\"]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))
            .Where(h => !h.StartsWith("mailto:", StringComparison.Ordinal) && !h.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.Contains(start, links);
        foreach (var link in links)
        {
            using var followed = await Browser(app).GetAsync(new Uri(new Uri("https://localhost" + form), link));
            Assert.True((int)followed.StatusCode < 400, $"{link} on the refusal of {form} answers {(int)followed.StatusCode}");
        }
    }

    [Fact]
    public async Task EveryBrowserForm_PostedWithoutItsToken_OrFromAnotherSite_IsRefusedWithAPage_AndWritesNothing()
    {
        var hrEmail = $"{ApiClient.Unique("afhr")}@af-co.example.jp";
        var staffEmail = $"{ApiClient.Unique("afstaff")}@af-agency.example.jp";
        var company = await _api.CreateCompanyAsync(contactEmail: hrEmail);
        var agency = await _api.CreateAgencyAsync(contactEmail: staffEmail);
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, company.Key);
        var token = (await _api.PostAsync("/api/v1/company/links", new { label = "af" }, company.Key)).Body!["token"]!.GetValue<string>();
        var person = $"{ApiClient.Unique("afperson")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, person, agency.Id);
        // Signed in as a browser is, so the sign-in requirement passes and only the missing token can refuse the form.
        var sessions = new Dictionary<string, HttpClient>
        {
            ["/console"] = (await SignInAsync(app, hrEmail)).Browser,
            ["/agency"] = (await SignInAsync(app, staffEmail, "/agency")).Browser,
            ["/me"] = await CandidateAsync(app, _api, person),
            ["/operator"] = await OperatorAsync(app),
        };
        // Schools and training providers, each its own workspace (Features/Education).
        foreach (var (kind, area) in new[] { ("university", "/school"), ("training_provider", "/provider") })
        {
            var contact = $"{ApiClient.Unique("af" + kind)}@af-edu.example.jp";
            Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/admin/education-partners", new { name = "af", kind, contactEmail = contact }, CareerRelayApp.OperatorKey)).Status);
            sessions[area] = (await SignInAsync(app, contact, area)).Browser;
        }
        sessions["/admin"] = sessions["/operator"];
        sessions["/signout"] = sessions["/console"];

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.OfType<FormCheck>().Any())
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m == "POST")
                .Select(_ => (Pattern: "/" + e.RoutePattern.RawText!.Trim('/'), Check: e.Metadata.OfType<FormCheck>().Last())))
            .Distinct()
            // Sign-outs last: each must leave its session signed in, which the next requests rely on.
            .OrderBy(r => r.Pattern.EndsWith("/signout", StringComparison.Ordinal)).ToList();
        Assert.True(endpoints.Count > 40, $"Only {endpoints.Count} checked form routes found.");
        var before = await BusinessRows.CountAsync(app);
        var failures = new List<string>();
        foreach (var (pattern, check) in endpoints)
        {
            // A constrained parameter takes its first allowed value ("remove", "agree"), any other an id that does not exist.
            var path = Regex.Replace(Regex.Replace(pattern.Replace("{token}", token, StringComparison.Ordinal), @"\{\w+:regex\(\^\(([\w-]+)\|[^}]*\}", "$1"),
                @"\{[^}]+\}", "0199aaaaaaaa7000800000000000000a");
            var browser = sessions.FirstOrDefault(s => pattern == s.Key || pattern.StartsWith(s.Key + "/", StringComparison.Ordinal)).Value;
            if (browser is null || pattern.StartsWith("/me/{", StringComparison.Ordinal) || pattern is "/me/link" || pattern.EndsWith("/signin", StringComparison.Ordinal)
                || pattern.StartsWith("/signin", StringComparison.Ordinal))
                browser = Browser(app);
            // A form a person could send: every field the app's forms use, and nothing to mark it as from this site's page.
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["name"] = "山田 太郎", ["email"] = "someone@example.jp", ["label"] = "x", ["title"] = "x", ["key"] = "x", ["code"] = "123456",
                    ["consent"] = "on", ["agencyIds"] = agency.Id, ["score"] = "5", ["type"] = "contacted", ["jobId"] = "x", ["role"] = "member",
                }),
            };
            if (check == FormCheck.SameSiteOrigin)
            {
                request.Headers.Add("Origin", "https://evil.example");
                request.Headers.Add("Sec-Fetch-Site", "cross-site");
            }
            using var response = await browser.SendAsync(request);
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            var expected = pattern.EndsWith("/signout", StringComparison.Ordinal) ? 302 : check == FormCheck.SameSiteOrigin ? 403 : 400;
            // The area's refusal, not the handler's own 400 for a field it did not like.
            var says = expected == 302 ? [] : check == FormCheck.SameSiteOrigin ? [Texts.Get("CrossSite.Body", Lang.Japanese)]
                : new[] { Texts.Get("Console.FormExpired.Body", Lang.Japanese), Texts.Get("SignIn.Forgery.Body", Lang.Japanese) };
            var html = await response.Content.ReadAsStringAsync();
            if (status != expected || (expected != 302 && (type != "text/html" || !says.Any(html.Contains))))
                failures.Add($"{pattern} ({check}) → {status} {type}, expected {expected} and the area's page saying so");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {endpoints.Count} forms were not refused by their area:\n" + string.Join("\n", failures));
        Assert.Equal(before, await BusinessRows.CountAsync(app));
        // A sign-out without its token went back to the sign-in page and left the person signed in.
        Assert.Equal(HttpStatusCode.OK, (await sessions["/console"].GetAsync("/console")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sessions["/me"].GetAsync("/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sessions["/operator"].GetAsync("/operator")).StatusCode);
    }
}

public sealed class BrowserAreasTestsOnSqlite(SqliteApp app) : BrowserAreasTests(app), IClassFixture<SqliteApp>;
public sealed class BrowserAreasTestsOnPostgres(PostgresApp app) : BrowserAreasTests(app), IClassFixture<PostgresApp>;
