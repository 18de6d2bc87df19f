using System.Net;
using System.Text.RegularExpressions;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.CompanyConsole;

/// <summary>The company console over HTTPS with cookies, as a browser uses it: emailed sign-in link, anti-forgery, dashboard.</summary>
public abstract class ConsoleSignInTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Admin_SignsInByEmailedLink_AndTheDashboardShowsExactlyTheApiSummary()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        await _api.RegisterAndVerifyAsync(relay.Token, $"{ApiClient.Unique("c")}@example.jp", relay.Agency.Id);
        await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("c")}@example.jp", relay.Agency.Id);

        var (browser, cookie) = await SignInAsync(app, contact);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
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
        var response = await Browser(app).GetAsync("/console/links");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/signin", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Forms_PostedWithoutTheAntiforgeryToken_AreRefused()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        await _api.CreateRelayAsync(contactEmail: contact);
        var earlier = app.Mail.All().Count(m => m.To == contact);
        var response = await Browser(app).PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = contact }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Task.Delay(300);
        Assert.Equal(earlier, app.Mail.All().Count(m => m.To == contact)); // no link was sent

        // Signed in, a forged post (no token) still changes nothing.
        var (browser, _) = await SignInAsync(app, contact);
        var forged = await browser.PostAsync("/console/links", new FormUrlEncodedContent(new Dictionary<string, string> { ["label"] = "forged" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("フォームの有効期限が切れました", await forged.Content.ReadAsStringAsync());
        Assert.DoesNotContain("forged", await browser.GetStringAsync("/console/links"));
    }

    [Fact]
    public async Task SignInLink_UsedTwice_IsRefusedTheSecondTime_AndUnknownAddressesLookTheSame()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        await _api.CreateCompanyAsync(contactEmail: contact);
        await SignInAsync(app, contact);
        var link = SignInPath((await app.Mail.WaitForAsync(contact)).Body);
        var other = Browser(app);
        var again = await other.PostAsync(link, Form(await other.GetStringAsync(link)));
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);

        var page = await other.GetStringAsync("/signin");
        var unknown = await other.PostAsync("/signin", Form(page, ("email", "nobody@nowhere.example")));
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("メールを確認してください", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Links_CreatedPausedAndInvitedFromTheConsole_AreTheCompanysAndOnlyItsOwn()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        var mine = await _api.CreateRelayAsync(contactEmail: contact);
        var theirs = await _api.CreateRelayAsync();
        var (browser, _) = await SignInAsync(app, contact);

        var page = await browser.GetStringAsync("/console/links");
        Assert.Contains(mine.LinkId, page);
        Assert.DoesNotContain(theirs.LinkId, page);
        var created = await browser.PostAsync("/console/links", Form(page, ("label", "2027 秋採用")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("専用リンクを作成しました", await browser.GetStringAsync(created.Headers.Location!.OriginalString)); // said, not silently done
        // A name longer than the table can hold is refused beside its field, in Japanese; nothing is created.
        var tooLong = await browser.PostAsync("/console/links", Form(page, ("label", new string('長', 101))));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Matches("<p class=\"field-error\" id=\"[^\"]+\">100文字以内で入力してください。</p>", await tooLong.Content.ReadAsStringAsync());
        var (_, links) = await _api.GetAsync("/api/v1/company/links", mine.Company.Key);
        Assert.Contains(links!["items"]!.AsArray(), l => l!["label"]!.GetValue<string>() == "2027 秋採用");
        Assert.Equal(2, links["items"]!.AsArray().Count);

        page = await browser.GetStringAsync("/console/links");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/console/links/{mine.LinkId}/pause", Form(page))).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await _api.RegisterAsync(mine.Token, $"{ApiClient.Unique("x")}@example.jp", mine.Agency.Id)).Status);
        // Another company's link id is simply not found.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync($"/console/links/{theirs.LinkId}/pause", Form(page))).StatusCode);

        var csv = await browser.PostAsync("/console/invitations", Form(page, ("linkId", mine.LinkId), ("externalRefs", "APP-100\n=HYPERLINK(1)\n"), ("count", "")));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("externalRef,url", lines[0]);
        Assert.StartsWith("APP-100,https://localhost/r/inv_", lines[1]);
        Assert.StartsWith("'=HYPERLINK(1),", lines[2]); // no formula injection into the HR person's spreadsheet
        Assert.Equal(2, ApiClient.Int(await _api.SummaryAsync(mine.Company.Key), "invitationsSent"));
    }
}

public abstract class ConsoleLedgerTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task LedgerPage_ShowsEveryEntryWithItsReasonAndTheBalance_AndExportsTheSameAsCsv()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        await _api.QualifyAsync(relay.Token, relay.Agency.Id, 10);
        var (_, redemption) = await _api.PostAsync("/api/v1/company/redemptions", new { jobId = await _api.CreateJobAsync(relay.Company.Key) }, relay.Company.Key);
        await _api.PostAsync($"/api/v1/company/redemptions/{redemption!["id"]}/cancel", null, relay.Company.Key);

        var (browser, _) = await SignInAsync(app, contact);
        var html = await browser.GetStringAsync("/console/ledger");
        Assert.Contains("data-field=\"balance\">1</span>", html);
        Assert.Contains("紹介カウント到達で獲得", html);
        Assert.Contains("求人で利用", html);
        Assert.Contains("利用の取消で返却", html);
        Assert.Contains(redemption["id"]!.GetValue<string>(), html);

        var csv = System.Text.Encoding.UTF8.GetString((await browser.GetByteArrayAsync("/console/ledger.csv?lang=en"))[3..]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,createdAtJst,type,reason,amount,reference", lines[0]);
        Assert.Equal(["slot.earned", "slot.redeemed", "slot.returned"], lines[1..].Select(l => l.Split(',')[2]));
        Assert.Contains("Spent on a job", lines[2]);
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(app).GetAsync("/console/ledger.csv")).StatusCode);
    }
}

public abstract class ConsoleJobsTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task HrPerson_PostsAJob_SpendsASlotOnIt_AndCancels_AndTheLedgerFollows()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        var (browser, _) = await SignInAsync(app, contact);

        var page = await browser.GetStringAsync("/console/jobs");
        var posted = await browser.PostAsync("/console/jobs", Form(page, ("title", "法人営業"), ("description", "SaaSの法人営業"),
            ("prefecture", "27"), ("employmentType", "full_time"), ("skills", "法人営業、Excel"), ("salaryMin", "4000000"), ("salaryMax", "6000000")));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var (_, jobs) = await _api.GetAsync("/api/v1/company/jobs", relay.Company.Key);
        var job = Assert.Single(jobs!["items"]!.AsArray())!;
        Assert.Equal(["法人営業", "Excel"], job["skills"]!.AsArray().Select(x => x!.GetValue<string>()));
        var jobId = job["id"]!.GetValue<string>();

        // Spending asks first, on a page that says what it does; with no slot yet, that page says so and offers no button.
        page = await browser.GetStringAsync("/console/jobs");
        Assert.Contains($"/console/redemptions/new?jobId={jobId}", page);
        var confirm = await browser.GetStringAsync($"/console/redemptions/new?jobId={jobId}");
        Assert.Contains("利用できる無料採用枠がありません", confirm);
        Assert.DoesNotContain("この求人に無料採用枠を使う</button>", confirm);
        // A forged or stale post is refused, and the address then shows the page that explains why (post/redirect/get).
        var refused = await browser.PostAsync("/console/redemptions", Form(page, ("jobId", jobId)));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal($"/console/redemptions/new?jobId={jobId}&problem=insufficient_slots", refused.Headers.Location!.OriginalString);
        Assert.Contains("利用できる無料採用枠がありません", await browser.GetStringAsync(refused.Headers.Location.OriginalString));
        Assert.Equal(0, await app.WithDbAsync(db => db.Redemptions.CountAsync(r => r.JobId == jobId)));

        await _api.QualifyAsync(relay.Token, relay.Agency.Id, 10);
        page = await browser.GetStringAsync("/console/jobs");
        Assert.Contains("利用可能な無料採用枠: 1", page);
        confirm = await browser.GetStringAsync($"/console/redemptions/new?jobId={jobId}");
        Assert.Contains("この求人に無料採用枠を使う</button>", confirm);
        var spent = await browser.PostAsync("/console/redemptions", Form(confirm, ("jobId", jobId)));
        Assert.Equal(HttpStatusCode.Redirect, spent.StatusCode);
        Assert.Contains("無料採用枠を使いました", await browser.GetStringAsync(spent.Headers.Location!.OriginalString));
        var (_, redemptions) = await _api.GetAsync("/api/v1/company/redemptions", relay.Company.Key);
        var redemption = Assert.Single(redemptions!["items"]!.AsArray())!;
        Assert.Equal("open", redemption["status"]!.GetValue<string>());
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "slotsAvailable"));

        page = await browser.GetStringAsync("/console/jobs");
        Assert.Contains("利用中（紹介待ち）", page);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/console/redemptions/{redemption["id"]}/cancel", Form(page))).StatusCode);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "slotsAvailable"));
        Assert.Contains("data-status=\"cancelled\"", await browser.GetStringAsync("/console/jobs"));

        page = await browser.GetStringAsync("/console/jobs");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/console/jobs/{jobId}/close", Form(page))).StatusCode);
        Assert.Contains("募集終了", await browser.GetStringAsync("/console/jobs"));
    }
}

public abstract class ConsoleUsersTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Admin_InvitesAMember_WhoSignsInFromTheMailButCannotManageUsers()
    {
        var admin = $"{ApiClient.Unique("admin")}@console-co.example.jp";
        var member = $"{ApiClient.Unique("member")}@console-co.example.jp";
        await _api.CreateRelayAsync(contactEmail: admin);
        var (adminBrowser, _) = await SignInAsync(app, admin);

        var page = await adminBrowser.GetStringAsync("/console/users");
        Assert.Contains(admin, page);
        var invited = await adminBrowser.PostAsync("/console/users", Form(page, ("email", member), ("role", "member")));
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Contains($"{member} に招待メールを送りました", await invited.Content.ReadAsStringAsync());

        var mail = await app.Mail.WaitForAsync(member);
        Assert.Contains("招待", mail.Subject);
        var memberBrowser = Browser(app);
        var link = SignInPath(mail.Body);
        var signedIn = await memberBrowser.PostAsync(link, Form(await memberBrowser.GetStringAsync(link)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var dashboard = await memberBrowser.GetStringAsync("/console");
        Assert.DoesNotContain("/console/users", dashboard);
        var denied = await memberBrowser.GetAsync("/console/users");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        var landing = await memberBrowser.GetAsync(denied.Headers.Location!);
        Assert.Equal("/console", landing.Headers.Location!.OriginalString); // back to their own dashboard
        var forged = await memberBrowser.PostAsync("/console/users", Form(dashboard, ("email", "intruder@example.jp"), ("role", "admin")));
        Assert.NotEqual(HttpStatusCode.OK, forged.StatusCode);
        Assert.DoesNotContain("intruder@example.jp", await adminBrowser.GetStringAsync("/console/users"));
    }

    [Fact]
    public async Task Invite_OfAnAddressAnotherCompanyUses_IsRefused_AndUsersStayWithinTheirCompany()
    {
        var first = $"{ApiClient.Unique("admin")}@console-co.example.jp";
        var second = $"{ApiClient.Unique("admin")}@other-co.example.jp";
        await _api.CreateRelayAsync(contactEmail: first);
        await _api.CreateRelayAsync(contactEmail: second);
        var (browser, _) = await SignInAsync(app, first);
        var page = await browser.GetStringAsync("/console/users");
        Assert.DoesNotContain(second, page);
        var taken = await browser.PostAsync("/console/users", Form(page, ("email", second), ("role", "member")));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("すでに使われています", await taken.Content.ReadAsStringAsync());
    }
}

public sealed class ConsoleUsersTestsOnSqlite(SqliteApp app) : ConsoleUsersTests(app), IClassFixture<SqliteApp>;
public sealed class ConsoleUsersTestsOnPostgres(PostgresApp app) : ConsoleUsersTests(app), IClassFixture<PostgresApp>;

public abstract class ConsoleTemplatesTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Templates_InEachToneAndAtsSyntax_CarryTheLinkAndTheRightVariable_AndMatchTheApi()
    {
        var contact = $"{ApiClient.Unique("hr")}@console-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        var (browser, _) = await SignInAsync(app, contact);

        var html = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/console/templates?link={relay.LinkId}&tone=warm&syntax=mustache&mail=ja"));
        Assert.Contains($"https://localhost/r/{relay.Token}", html);
        Assert.Contains("{{CANDIDATE_NAME}} 様", html);
        Assert.Contains("山田 太郎 様", html); // the preview, as the candidate will see it
        Assert.Contains("心より感謝申し上げます", html);

        var percent = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/console/templates?link={relay.LinkId}&tone=graduate&syntax=percent&mail=en"));
        Assert.Contains("Dear %CANDFULLNAME%,", percent);
        Assert.Contains("graduate programme", percent);

        var (status, api) = await _api.GetAsync($"/api/v1/company/links/{relay.LinkId}/email-template?lang=ja&tone=warm&syntax=mustache", relay.Company.Key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(api!["body"]!.GetValue<string>().Replace("\n", "\r\n").Split("\r\n")[2], html);
        var (bad, problem) = await _api.GetAsync($"/api/v1/company/links/{relay.LinkId}/email-template?tone=angry", relay.Company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
    }
}

public sealed class ConsoleTemplatesTestsOnSqlite(SqliteApp app) : ConsoleTemplatesTests(app), IClassFixture<SqliteApp>;

public sealed class ConsoleJobsTestsOnSqlite(SqliteApp app) : ConsoleJobsTests(app), IClassFixture<SqliteApp>;
public sealed class ConsoleJobsTestsOnPostgres(PostgresApp app) : ConsoleJobsTests(app), IClassFixture<PostgresApp>;

public sealed class ConsoleLedgerTestsOnSqlite(SqliteApp app) : ConsoleLedgerTests(app), IClassFixture<SqliteApp>;
public sealed class ConsoleLedgerTestsOnPostgres(PostgresApp app) : ConsoleLedgerTests(app), IClassFixture<PostgresApp>;

public sealed class ConsoleSignInTestsOnSqlite(SqliteApp app) : ConsoleSignInTests(app), IClassFixture<SqliteApp>;
public sealed class ConsoleSignInTestsOnPostgres(PostgresApp app) : ConsoleSignInTests(app), IClassFixture<PostgresApp>;
