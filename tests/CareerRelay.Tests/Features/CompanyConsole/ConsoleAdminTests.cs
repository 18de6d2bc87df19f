using System.Net;
using System.Text.RegularExpressions;
using CareerRelay.Web.Infrastructure.Security;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.CompanyConsole;

/// <summary>API keys and user management: admins only, tenant from the session, effects visible at once.</summary>
public abstract partial class ConsoleAdminTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task ApiKey_CreatedByAnAdmin_IsShownOnce_WorksForTheApi_ShowsItsLastUse_AndStopsAtOnceWhenRevoked()
    {
        var admin = $"{ApiClient.Unique("admin")}@keys-co.example.jp";
        await _api.CreateRelayAsync(contactEmail: admin);
        var (browser, _) = await SignInAsync(app, admin);

        var page = await browser.GetStringAsync("/console/keys");
        var created = await browser.PostAsync("/console/keys", Form(page, ("name", "HRMOS 連携")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("no-store", created.Headers.CacheControl!.ToString());
        var html = await created.Content.ReadAsStringAsync();
        var key = NewKey().Match(html).Groups[1].Value;
        Assert.StartsWith("cr_co_", key);
        Assert.DoesNotContain(key, await browser.GetStringAsync("/console/keys")); // shown once

        var row = NamedRow().Match(await browser.GetStringAsync("/console/keys"));
        Assert.Equal("未使用", row.Groups[3].Value);
        Assert.Equal(key[..10], row.Groups[2].Value); // the visible prefix tells keys apart

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/summary", key)).Status);
        var listed = await browser.GetStringAsync("/console/keys");
        row = NamedRow().Match(listed);
        var keyId = row.Groups[1].Value;
        Assert.Equal("2026-11-21 10:00", row.Groups[3].Value); // the test clock's time, in Japan time

        var revoked = await browser.PostAsync($"/console/keys/{keyId}/revoke", Form(listed));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Contains("data-status=\"revoked\"", await revoked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/v1/company/summary", key)).Status);
    }

    [Fact]
    public async Task ApiKeys_AreForAdminsOnly_AndAnotherCompanysKeyCannotBeRevoked()
    {
        var admin = $"{ApiClient.Unique("admin")}@keys-co.example.jp";
        var company = (await _api.CreateRelayAsync(contactEmail: admin)).Company;
        var (adminBrowser, _) = await SignInAsync(app, admin);
        var member = await InviteMemberAsync(app, adminBrowser, $"{ApiClient.Unique("member")}@keys-co.example.jp");

        var dashboard = await member.GetStringAsync("/console");
        Assert.DoesNotContain("/console/keys", dashboard);
        Assert.Equal(HttpStatusCode.Redirect, (await member.GetAsync("/console/keys")).StatusCode);
        var forged = await member.PostAsync("/console/keys", Form(dashboard, ("name", "sneaky")));
        Assert.NotEqual(HttpStatusCode.Created, forged.StatusCode);
        Assert.DoesNotContain("sneaky", await adminBrowser.GetStringAsync("/console/keys"));

        // The company's own initial key (from the operator) is listed; another company's admin cannot touch it.
        var ownKeyId = KeyRow().Match(await adminBrowser.GetStringAsync("/console/keys")).Groups[1].Value;
        var otherAdmin = $"{ApiClient.Unique("admin")}@other-co.example.jp";
        await _api.CreateRelayAsync(contactEmail: otherAdmin);
        var (other, _) = await SignInAsync(app, otherAdmin);
        var otherPage = await other.GetStringAsync("/console/keys");
        Assert.DoesNotContain(ownKeyId, otherPage);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/console/keys/{ownKeyId}/revoke", Form(otherPage))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/summary", company.Key)).Status);
    }

    [Fact]
    public async Task RemovedMember_IsSignedOutAtTheirNextRequest_AndAnAdminCannotRemoveThemself()
    {
        var admin = $"{ApiClient.Unique("admin")}@users-co.example.jp";
        var memberEmail = $"{ApiClient.Unique("member")}@users-co.example.jp";
        await _api.CreateRelayAsync(contactEmail: admin);
        var (adminBrowser, _) = await SignInAsync(app, admin);
        var member = await InviteMemberAsync(app, adminBrowser, memberEmail);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/console")).StatusCode);

        var page = await adminBrowser.GetStringAsync("/console/users");
        var memberId = Regex.Match(page, $"data-user-id=\"([^\"]+)\"><td class=\"text\">{Regex.Escape(memberEmail)}").Groups[1].Value;
        var adminId = Regex.Match(page, $"data-user-id=\"([^\"]+)\"><td class=\"text\">{Regex.Escape(admin)}").Groups[1].Value;
        var self = await adminBrowser.PostAsync($"/console/users/{adminId}/remove", Form(page));
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);

        var removed = await adminBrowser.PostAsync($"/console/users/{memberId}/remove", Form(page));
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.DoesNotContain(memberEmail, await adminBrowser.GetStringAsync("/console/users"));
        var after = await member.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/signin", after.Headers.Location!.ToString());

        // Their address no longer gets sign-in links either.
        var before = app.Mail.All().Count(m => m.To == memberEmail);
        var browser = Browser(app);
        await browser.PostAsync("/signin", Form(await browser.GetStringAsync("/signin"), ("email", memberEmail)));
        await Task.Delay(300);
        Assert.Equal(before, app.Mail.All().Count(m => m.To == memberEmail));
    }

    private static Regex NewKey() => new("id=\"key-value\" readonly value=\"([^\"]+)\"");
    [GeneratedRegex("data-key-id=\"([^\"]+)\" data-status=\"active\"")] private static partial Regex KeyRow();
    [GeneratedRegex("data-key-id=\"([^\"]+)\" data-status=\"active\">\\s*<td class=\"text\">HRMOS 連携</td><td><code>([^<…]+)…</code>.*?data-field=\"lastUsed\">([^<]+)<", RegexOptions.Singleline)]
    private static partial Regex NamedRow();
}

/// <summary>Two-step verification with an authenticator app, end to end: enrol, sign in with a code, wrong codes, reset.</summary>
public abstract class ConsoleTwoFactorTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task TwoFactor_OnceConfirmed_AsksForTheCode_RefusesWrongOrReplayedCodes_AndAnAdminCanResetIt()
    {
        var email = $"{ApiClient.Unique("admin")}@totp-co.example.jp";
        await _api.CreateRelayAsync(contactEmail: email);
        var (browser, _) = await SignInAsync(app, email);

        var security = await browser.GetStringAsync("/console/security");
        Assert.Contains("data-state=\"off\"", security);
        var enrolling = await (await browser.PostAsync("/console/security/totp", Form(security))).Content.ReadAsStringAsync();
        Assert.Contains("<svg", enrolling); // the QR code, inline
        var secret = Base32Decode(Regex.Match(enrolling, "data-field=\"totpKey\">([A-Z2-7 ]+)<").Groups[1].Value);
        Assert.Equal(20, secret.Length);

        // A wrong code does not switch it on; the right one does.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/console/security/totp/confirm", Form(enrolling, ("code", "000000")))).StatusCode);
        var confirmed = await browser.PostAsync("/console/security/totp/confirm", Form(enrolling, ("code", CodeNow(secret))));
        Assert.Contains("data-state=\"on\"", await confirmed.Content.ReadAsStringAsync());

        // The next sign-in link asks for a code. The code just used to confirm is not accepted again (replay).
        var (second, link, page) = await RequestLinkAsync(app, email);
        Assert.Contains("autocomplete=\"one-time-code\"", page);
        Assert.Equal(HttpStatusCode.BadRequest, (await second.PostAsync(link, Form(page))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await second.PostAsync(link, Form(page, ("code", CodeNow(secret))))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/console")).StatusCode); // still not signed in

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var signedIn = await second.PostAsync(link, Form(page, ("code", $" {CodeNow(secret)[..3]} {CodeNow(secret)[3..]} "))); // spaces as people type them
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/console")).StatusCode);

        // Five wrong codes spend a link, even if the sixth would be right.
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var (third, link3, page3) = await RequestLinkAsync(app, email);
        for (var i = 0; i < 5; i++) await third.PostAsync(link3, Form(page3, ("code", "123456")));
        Assert.Equal(HttpStatusCode.Gone, (await third.PostAsync(link3, Form(page3, ("code", CodeNow(secret))))).StatusCode);

        // A lost phone: another admin resets it, and the emailed link alone works again.
        var colleague = $"{ApiClient.Unique("admin2")}@totp-co.example.jp";
        var users = await second.GetStringAsync("/console/users");
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsync("/console/users", Form(users, ("email", colleague), ("role", "admin")))).StatusCode);
        var other = Browser(app);
        var invite = SignInPath((await app.Mail.WaitForAsync(colleague)).Body);
        await other.PostAsync(invite, Form(await other.GetStringAsync(invite)));
        users = await other.GetStringAsync("/console/users");
        var id = Regex.Match(users, $"data-user-id=\"([^\"]+)\"><td class=\"text\">{Regex.Escape(email)}").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsync($"/console/users/{id}/reset-two-factor", Form(users))).StatusCode);
        await SignInAsync(app, email);
    }

    private string CodeNow(byte[] secret) => Totp.Code(secret, Totp.StepAt(app.Clock.GetUtcNow()));

    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.Replace(" ", ""))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8) { bytes.Add((byte)(buffer >> (bits - 8))); bits -= 8; }
        }
        return [.. bytes];
    }
}

public sealed class ConsoleAdminTestsOnSqlite(SqliteApp app) : ConsoleAdminTests(app), IClassFixture<SqliteApp>;
public sealed class ConsoleAdminTestsOnPostgres(PostgresApp app) : ConsoleAdminTests(app), IClassFixture<PostgresApp>;
public sealed class ConsoleTwoFactorTestsOnSqlite(SqliteApp app) : ConsoleTwoFactorTests(app), IClassFixture<SqliteApp>;
public sealed class ConsoleTwoFactorTestsOnPostgres(PostgresApp app) : ConsoleTwoFactorTests(app), IClassFixture<PostgresApp>;
