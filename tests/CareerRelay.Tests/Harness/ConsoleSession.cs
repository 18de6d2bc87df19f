using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CareerRelay.Tests.Harness;

/// <summary>A browser-like client of the company console: HTTPS, cookies, anti-forgery tokens read from the forms.</summary>
public static partial class ConsoleSession
{
    public static HttpClient Browser(CareerRelayApp app) => app.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
    });

    public static string FormToken(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    public static string SignInPath(string mailBody) => SignInLink().Match(mailBody).Groups[1].Value;

    /// <summary>The sign-in link of the first mail to <paramref name="email"/> after its first <paramref name="earlier"/> that carries one.</summary>
    public static async Task<string> SignInLinkAsync(CareerRelayApp app, string email, int earlier) =>
        SignInPath((await app.Mail.WaitForAsync(email, m => SignInLink().IsMatch(m.Body), earlier)).Body);

    /// <summary>Asks for a link, reads it from the real .eml, confirms it by POST; returns the signed-in client and the raw Set-Cookie.</summary>
    /// <param name="landing">/console for company people, /agency for agency people.</param>
    public static async Task<(HttpClient Browser, string Cookie)> SignInAsync(CareerRelayApp app, string email, string landing = "/console")
    {
        var browser = Browser(app);
        var page = await browser.GetStringAsync("/signin");
        var earlier = app.Mail.All().Count(m => m.To == email);
        var sent = await browser.PostAsync("/signin", Form(page, ("email", email)));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var link = await SignInLinkAsync(app, email, earlier);

        var confirm = await browser.GetStringAsync(link);
        var signedIn = await browser.PostAsync(link, Form(confirm));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(landing, signedIn.Headers.Location!.OriginalString);
        return (browser, signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-cr_console=", StringComparison.Ordinal)));
    }

    /// <summary>The operator, signed in to /operator with the bootstrap operator key.</summary>
    public static async Task<HttpClient> OperatorAsync(CareerRelayApp app)
    {
        var browser = Browser(app);
        var signedIn = await browser.PostAsync("/operator/signin", Form(await browser.GetStringAsync("/operator/signin"), ("key", CareerRelayApp.OperatorKey)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    /// <summary>A registered person signed in to /me with the link mailed to <paramref name="email"/>.</summary>
    public static async Task<HttpClient> CandidateAsync(CareerRelayApp app, ApiClient api, string email)
    {
        var token = await api.MeTokenAsync(email);
        var browser = Browser(app);
        var signedIn = await browser.PostAsync($"/me/{token}", Form(await browser.GetStringAsync($"/me/{token}")));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    /// <summary>An admin invites <paramref name="email"/> as a member, who signs in from the invitation mail.</summary>
    public static async Task<HttpClient> InviteMemberAsync(CareerRelayApp app, HttpClient admin, string email)
    {
        var page = await admin.GetStringAsync("/console/users");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/console/users", Form(page, ("email", email), ("role", "member")))).StatusCode);
        var member = Browser(app);
        var link = SignInPath((await app.Mail.WaitForAsync(email)).Body);
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(link, Form(await member.GetStringAsync(link)))).StatusCode);
        return member;
    }

    /// <summary>Asks for a sign-in link and answers the page that link opens (the link itself too), without confirming it.</summary>
    public static async Task<(HttpClient Browser, string Link, string Page)> RequestLinkAsync(CareerRelayApp app, string email)
    {
        var browser = Browser(app);
        var earlier = app.Mail.All().Count(m => m.To == email);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/signin", Form(await browser.GetStringAsync("/signin"), ("email", email)))).StatusCode);
        var link = await SignInLinkAsync(app, email, earlier);
        return (browser, link, await browser.GetStringAsync(link));
    }

    /// <summary>A form body carrying the anti-forgery token of the page it came from.</summary>
    public static FormUrlEncodedContent Form(string pageHtml, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__af", FormToken(pageHtml))));

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")] private static partial Regex AntiforgeryField();
    [GeneratedRegex(@"https?://[^/\s]+(/signin/[A-Za-z0-9_\-]+)")] private static partial Regex SignInLink();
}
