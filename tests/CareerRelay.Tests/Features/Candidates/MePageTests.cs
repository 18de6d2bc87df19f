using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>The /me page as a browser uses it: the mailed link's button, a session cookie, forms with anti-forgery tokens.</summary>
public abstract class MePageTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    internal static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private async Task<(HttpClient Browser, string Email, string AgencyId)> SignedInAsync()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("mepage")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id, phone: "080-1234-5678", name: "田中 次郎");
        return (await SignInAsync(email), email, agency.Id);
    }

    private async Task<HttpClient> SignInAsync(string email)
    {
        var me = await _api.MeTokenAsync(email);
        var browser = Browser(app);
        var page = await browser.GetStringAsync($"/me/{me}");
        var signedIn = await browser.PostAsync($"/me/{me}", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-cr_me=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        return browser;
    }

    [Fact]
    public async Task AccessRecord_SaysOnceADayHowOftenAnAgencyReadThePerson_AndTheDownloadListsEveryRead()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("mepage")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        for (var i = 0; i < 3; i++) await _api.GetAsync("/api/v1/agency/candidates", agency.Key);
        var browser = await SignInAsync(email);

        // An agency that opens its list three times in a day is one line with "×3", not three lines the person must count.
        var page = await browser.GetStringAsync("/me");
        var lines = System.Text.RegularExpressions.Regex.Matches(page, "<li data-access-day=\"2026-11-21\">(.*?)</li>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).Where(l => l.Contains("候補者の一覧を表示", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains("2026-11-21", line);
        Assert.Contains("×3回", line);

        var export = System.Text.Json.Nodes.JsonNode.Parse(await browser.GetStringAsync("/me/export.json"))!;
        Assert.Equal(3, export["accessLog"]!.AsArray().Count(a => a!["action"]!.GetValue<string>() == "candidates.list"));
    }

    [Fact]
    public async Task Person_CorrectsTheirDetailsAndWorkHistory_AndTheExportShowsTheChange()
    {
        var (browser, email, _) = await SignedInAsync();
        var page = await browser.GetStringAsync("/me");
        Assert.Contains("田中 次郎", page);
        Assert.Contains(email, page);

        var saved = await browser.PostAsync("/me/profile", Form(page, ("name", "田中 次郎"), ("nameKana", "タナカ ジロウ"), ("phone", "080-8765-4321"),
            ("prefecture", "27"), ("desiredOccupation", "経理"), ("skills", "簿記2級、Excel"), ("jobSearchStatus", "active"),
            ("careerSummary", "製造業で経理を5年。\n月次決算を担当。"), ("work0.company", "大阪精機株式会社"), ("work0.title", "経理"),
            ("work0.from", "2020-04"), ("work0.to", ""), ("work0.description", "月次・年次決算"), ("work1.company", ""), ("recommendationMails", "on")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        page = await browser.GetStringAsync(saved.Headers.Location!.OriginalString);
        Assert.Contains("登録内容を保存しました", page);

        var export = System.Text.Json.Nodes.JsonNode.Parse(await browser.GetStringAsync("/me/export.json"))!;
        var profile = export["candidate"]!["profile"]!;
        Assert.Equal("080-8765-4321", profile["phone"]!.GetValue<string>());
        Assert.Equal("27", profile["prefecture"]!.GetValue<string>());
        Assert.Equal(["簿記2級", "Excel"], profile["skills"]!.AsArray().Select(s => s!.GetValue<string>()));
        var job = Assert.Single(profile["workHistory"]!.AsArray())!;
        Assert.Equal("大阪精機株式会社", job["company"]!.GetValue<string>());
        Assert.Null(job["to"]);
        Assert.True(export["candidate"]!["recommendationMails"]!.GetValue<bool>());
        Assert.Equal(email, profile["email"]!.GetValue<string>()); // the email is not changed by the form

        // A mistake is explained on the page and changes nothing.
        var refused = await browser.PostAsync("/me/profile", Form(page, ("name", ""), ("work0.company", "x"), ("work0.from", "2024-13")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("入力内容を確認してください", html);
        Assert.Contains("2024-04", html); // the month format is explained
        Assert.Contains("田中 次郎", await browser.GetStringAsync("/me"));
    }

    [Fact]
    public async Task Resume_AcceptsAPlainPdf_RefusesOtherFilesAndActiveContent_AndDownloadsWhatWasUploaded()
    {
        var (browser, _, _) = await SignedInAsync();
        var page = await browser.GetStringAsync("/me");

        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(browser, page, Pdf, "職務経歴書.pdf")).StatusCode);
        page = await browser.GetStringAsync("/me");
        Assert.Contains("職務経歴書.pdf", page);
        var download = await browser.GetAsync("/me/resume");
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());

        var notPdf = await UploadAsync(browser, page, Encoding.UTF8.GetBytes("MZ this is an executable"), "resume.pdf");
        Assert.Equal(HttpStatusCode.BadRequest, notPdf.StatusCode);
        Assert.Contains("PDFファイルを選択してください", await notPdf.Content.ReadAsStringAsync());
        var active = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n");
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(browser, page, active, "evil.pdf")).StatusCode);
        var tooLarge = new byte[6 * 1024 * 1024];
        Pdf.CopyTo(tooLarge, 0);
        var large = await UploadAsync(browser, page, tooLarge, "big.pdf");
        Assert.True(large.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{large.StatusCode}");
        Assert.Equal(Pdf, await browser.GetByteArrayAsync("/me/resume")); // the good file is still there

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/me/resume/delete", Form(page))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/me/resume")).StatusCode);
    }

    [Fact]
    public async Task NewNoticeVersion_AsksForConsentAgain_AndTheRenewalIsRecordedWithTheVersion()
    {
        var (browser, _, agencyId) = await SignedInAsync();
        Assert.DoesNotContain("個人情報の取扱いが更新されました", await browser.GetStringAsync("/me"));
        var (status, published) = await _api.PutAsync("/api/v1/admin/notice", new { textJa = "第2版の本文（テスト）", textEn = "Version 2 (test)" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.Created, status);
        var version = published!["version"]!.GetValue<int>();

        var page = await browser.GetStringAsync("/me");
        Assert.Contains("個人情報の取扱いが更新されました", page);
        Assert.Contains("第2版の本文（テスト）", page);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/me/consents/renew", Form(page))).StatusCode);
        page = await browser.GetStringAsync("/me");
        Assert.DoesNotContain("個人情報の取扱いが更新されました", page);
        var export = System.Text.Json.Nodes.JsonNode.Parse(await browser.GetStringAsync("/me/export.json"))!;
        Assert.Contains(export["consents"]!.AsArray(), c => c!["noticeVersion"]!.GetValue<int>() == version && c["agency"]!["id"]!.GetValue<string>() == agencyId);
    }

    [Fact]
    public async Task WithdrawAndErase_FromThePage_EndTheSession_AndErasureNeedsTheTick()
    {
        var (browser, email, agencyId) = await SignedInAsync();
        var page = await browser.GetStringAsync("/me");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/me/consents/{agencyId}/withdraw", Form(page))).StatusCode);
        page = await browser.GetStringAsync("/me");
        Assert.Contains("data-status=\"withdrawn\"", page);

        var forged = await browser.PostAsync("/me/erase", new FormUrlEncodedContent(new Dictionary<string, string> { ["confirm"] = "on" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode); // no anti-forgery token: nothing happens
        var unticked = await browser.PostAsync("/me/erase", Form(page));
        Assert.Equal(HttpStatusCode.BadRequest, unticked.StatusCode);
        Assert.Contains("確認のチェックを入れてください", await unticked.Content.ReadAsStringAsync());

        var erased = await browser.PostAsync("/me/erase", Form(page, ("confirm", "on")));
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains("データを削除しました", await erased.Content.ReadAsStringAsync());
        Assert.Contains("サインイン用リンクを送る", await browser.GetStringAsync("/me")); // signed out
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/me/export.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/public/me/link", new { email })).Status);
    }

    [Fact]
    public async Task Person_WhoWithdrewFromTheirOnlyAgency_CanChooseItAgain_AfterReadingItsDetails_AndTheAgencySeesThemAgain()
    {
        var (browser, email, agencyId) = await SignedInAsync();
        var agencyKey = await app.WithDbAsync(db => db.Agencies.Where(a => a.Id == agencyId).Select(a => a.Name).FirstAsync());
        var page = await browser.GetStringAsync("/me");
        Assert.DoesNotContain($"data-available-agency-id=\"{agencyId}\"", page); // consenting: nothing to choose
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/me/consents/{agencyId}/withdraw", Form(page))).StatusCode);

        page = await browser.GetStringAsync("/me");
        var offer = System.Text.RegularExpressions.Regex.Match(page, $"<div class=\"agency\" data-available-agency-id=\"{agencyId}\">.*?</form>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains(agencyKey, offer);
        Assert.Contains("13-ユ-", offer); // the licence number and the other disclosures, as before the first consent
        Assert.DoesNotContain("checked", offer); // never pre-ticked

        var unticked = await browser.PostAsync($"/me/consents/{agencyId}/give", Form(page));
        Assert.Equal(HttpStatusCode.BadRequest, unticked.StatusCode);
        Assert.Contains($"id=\"agree-{agencyId}-error\"", await unticked.Content.ReadAsStringAsync());
        var provisionsBefore = await app.WithDbAsync(db => db.ProvisionRecords.CountAsync(p => p.RecipientId == agencyId));

        var given = await browser.PostAsync($"/me/consents/{agencyId}/give", Form(page, ("agree", "yes")));
        Assert.Equal(HttpStatusCode.Redirect, given.StatusCode);
        page = await browser.GetStringAsync(given.Headers.Location!.OriginalString);
        Assert.Contains("担当者から、あらためてご連絡します", page);
        Assert.Contains($"data-agency-id=\"{agencyId}\" data-status=\"active\"", page);
        Assert.Equal(provisionsBefore + 1, await app.WithDbAsync(db => db.ProvisionRecords.CountAsync(p => p.RecipientId == agencyId)));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync($"/me/consents/0199aaaaaaaa7000800000000000000a/give", Form(page, ("agree", "yes")))).StatusCode);
    }

    [Fact]
    public async Task Recommendations_LeaveOutTheCompanyThatRejectedThePerson_UnlessTheyAsk_AndShowSalaryAndWhatTheJobIs()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("recommended")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var other = await _api.CreateCompanyAsync(name: "株式会社つぎの職場");
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, other.Key);
        var elsewhere = await _api.CreateJobAsync(other.Key);
        var own = await _api.CreateJobAsync(company.Key);
        var browser = await CandidateAsync(app, _api, email);

        var page = await browser.GetStringAsync("/me");
        Assert.Contains($"data-job-id=\"{elsewhere}\"", page);
        Assert.DoesNotContain($"data-job-id=\"{own}\"", page); // not the company that has just rejected them
        var card = System.Text.RegularExpressions.Regex.Match(page, $"<article class=\"agency job\" data-job-id=\"{elsewhere}\">.*?</article>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("年収 400万〜600万円", card);
        Assert.Contains("SaaSの法人営業", card); // what the job is
        Assert.Contains("正社員", card);

        var saved = await browser.PostAsync("/me/profile", Form(page, ("name", "山田 太郎"), ("includeRejectingCompanies", "on")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains($"data-job-id=\"{own}\"", await browser.GetStringAsync("/me")); // asked to see it: shown
    }

    [Fact]
    public async Task Pages_CarryTheOperatorsLegalDetails_AndStrictSecurityHeaders()
    {
        var (browser, _, _) = await SignedInAsync();
        var (_, _, _, token) = await _api.CreateRelayAsync();
        foreach (var path in new[] { "/me", $"/r/{token}", "/signin", "/console", "/me/signout-not-a-page" })
        {
            var response = await browser.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }
        var me = await browser.GetStringAsync("/me");
        Assert.Contains("特定募集情報等提供事業", me);
        Assert.Contains("苦情", me);
        var signedOut = Browser(app);
        Assert.Contains("特定募集情報等提供事業", await signedOut.GetStringAsync("/me"));
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient browser, string page, byte[] bytes, string name)
    {
        var content = new MultipartFormDataContent { { new StringContent(FormToken(page)), "__af" } };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "resume", name);
        return browser.PostAsync("/me/resume", content);
    }
}

public sealed class MePageTestsOnSqlite(SqliteApp app) : MePageTests(app), IClassFixture<SqliteApp>;
public sealed class MePageTestsOnPostgres(PostgresApp app) : MePageTests(app), IClassFixture<PostgresApp>;
