using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CareerRelay.BrowserTests;

/// <summary>
/// A realistic world for the crawl, built the way its people build it — the API for what integrations do, the pages' own forms
/// (with their anti-forgery tokens and cookies) for what people do, real mail for every link: a company with links (one with a
/// long name), jobs, slots earned and spent, referrals, an import and a webhook; a second company; an agency with candidates in
/// every stage of its pipeline, introductions pending, agreed and declined, and placements; a person with a full profile, work
/// history and a résumé.
/// </summary>
public sealed partial class World
{
    public const string CompanyContact = "jinji@crawl-shoji.example";
    public const string AgencyContact = "staff@crawl-career.example";
    public const string PersonEmail = "hanako.crawl@example.jp";
    public const string SchoolContact = "career@crawl-u.example";
    public const string ProviderContact = "info@crawl-reskill.example";

    public required string CompanyKey { get; init; }
    public required string AgencyKey { get; init; }
    public required string AgencyId { get; init; }
    public required string Token { get; init; }
    public required string ReferralToken { get; init; }
    public required string ReferrerStatusUrl { get; init; }
    public required string PersonId { get; init; }
    public required string AlumniToken { get; init; }
    public const string Slug = "crawl-shoji";

    public static async Task<World> BuildAsync(BrowserApp app)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        async Task<JsonNode> SendAsync(HttpMethod method, string path, object? body, string key)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
        }
        Task<JsonNode> PostAsync(string path, object body, string key) => SendAsync(HttpMethod.Post, path, body, key);

        // Tenants: the company that rejects, another that hires, the agency between them.
        var company = await PostAsync("/api/v1/admin/companies", new { name = "クロール商事株式会社", contactEmail = CompanyContact }, BrowserApp.OperatorKey);
        var other = await PostAsync("/api/v1/admin/companies", new { name = "つぎの職場株式会社", contactEmail = "hr@tsugi.example" }, BrowserApp.OperatorKey);
        var agency = await PostAsync("/api/v1/admin/agencies", new
        {
            name = "みらいキャリア株式会社", licenseNumber = "13-ユ-314159", contactEmail = AgencyContact, occupations = new[] { "営業", "事務", "ITエンジニア" },
            fees = "求職者からは一切いただきません", complaintContact = "苦情窓口 03-1234-5678（平日10時〜17時）", privacyPolicyUrl = "https://mirai-career.example/privacy",
        }, BrowserApp.OperatorKey);
        var (companyKey, otherKey, agencyKey) = (Key(company), Key(other), Key(agency));
        var agencyId = agency["id"]!.GetValue<string>();
        foreach (var key in new[] { companyKey, otherKey })
            await SendAsync(HttpMethod.Put, "/api/v1/company/partner-agencies", new { agencyIds = new[] { agencyId } }, key);

        var token = (await PostAsync("/api/v1/company/links", new { label = "2026年 秋の中途採用" }, companyKey))["token"]!.GetValue<string>();
        await PostAsync("/api/v1/company/links", new { label = new string('長', 40) + "名前のリンク（" + new string('x', 40) + "）" }, companyKey);
        await PostAsync("/api/v1/company/invitations", new { linkId = (await SendAsync(HttpMethod.Get, "/api/v1/company/links", null, companyKey))["items"]![0]!["id"]!.GetValue<string>(), count = 3 }, companyKey);
        string Job(JsonNode job) => job["id"]!.GetValue<string>();
        var ownJob = Job(await PostAsync("/api/v1/company/jobs", new
        {
            title = "法人営業（SaaS）", description = "中小企業向けクラウド会計の新規開拓。\n入社後3か月は先輩に同行します。", prefecture = "13",
            skills = new[] { "法人営業", "Excel" }, preferredSkills = new[] { "SaaS" }, employmentType = "full_time", salaryMin = 4_500_000, salaryMax = 6_500_000,
            occupationCode = "07",
        }, companyKey));
        var otherJob = Job(await PostAsync("/api/v1/company/jobs", new
        {
            title = "インサイドセールス", description = "問い合わせへの提案と商談設定。リモート可。", prefecture = "14", skills = new[] { "営業" },
            employmentType = "full_time", salaryMin = 4_000_000, salaryMax = 5_500_000, remoteAllowed = true,
        }, otherKey));
        var otherJob2 = Job(await PostAsync("/api/v1/company/jobs", new
        {
            title = "経理アシスタント", description = "月次決算の補助。", prefecture = "13", skills = new[] { "経理", "Excel" }, employmentType = "contract",
        }, otherKey));

        // The person with everything registers first (the agency's lists show the earliest first), then twenty more: two slots;
        // one spent on a job and taken on by the agency, one left.
        await RegisterAndVerifyAsync(app, http, token, agencyId, PersonEmail, "高橋 花子");
        var people = new List<string>();
        for (var i = 0; i < 20; i++) people.Add(await RegisterAndVerifyAsync(app, http, token, agencyId, $"person{i}.crawl@example.jp", $"候補 {i}番"));
        var redemption = await PostAsync("/api/v1/company/redemptions", new { jobId = ownJob }, companyKey);
        await PostAsync($"/api/v1/agency/redemptions/{redemption["id"]!.GetValue<string>()}/accept", new { }, agencyKey);

        // The person with everything: profile, work history, résumé, introductions pending / agreed / declined.
        var ids = (await SendAsync(HttpMethod.Get, "/api/v1/agency/candidates?limit=100", null, agencyKey))["items"]!.AsArray()
            .Select(c => (Id: c!["id"]!.GetValue<string>(), Email: c["email"]!.GetValue<string>())).ToList();
        var personId = ids.Single(c => c.Email == PersonEmail).Id;
        var me = await FormSession.SignInAsync(app, "/me", PersonEmail);
        var mePage = await me.GetAsync("/me");
        await me.PostAsync("/me/profile", mePage, ("name", "高橋 花子"), ("nameKana", "タカハシ ハナコ"), ("phone", "090-1234-5678"), ("prefecture", "13"),
            ("desiredOccupation", "法人営業"), ("skills", "法人営業、Excel、SaaS"), ("jobSearchStatus", "active"), ("yearsOfExperience", "6"), ("desiredSalary", "5000000"),
            ("careerSummary", "IT商社で中小企業向けの法人営業を6年。新規開拓と既存顧客の深耕を担当し、2024年度は達成率120%。"),
            ("work0.company", "東京ITトレーディング株式会社"), ("work0.title", "法人営業"), ("work0.from", "2019-04"), ("work0.to", ""),
            ("work0.description", "中小企業向けクラウドサービスの提案営業。"), ("work1.company", "株式会社みなと電機"), ("work1.title", "営業事務"),
            ("work1.from", "2016-04"), ("work1.to", "2019-03"), ("recommendationMails", "on"));
        using (var resume = new MultipartFormDataContent())
        {
            resume.Add(new StringContent(FormSession.Token(mePage)), "__af");
            resume.Add(new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")), "resume", "職務経歴書_高橋花子.pdf");
            Assert.Equal(HttpStatusCode.Redirect, (await me.Http.PostAsync("/me/resume", resume)).StatusCode);
        }
        var introductions = new List<string>();
        foreach (var job in new[] { otherJob, otherJob2, ownJob })
            introductions.Add((await PostAsync($"/api/v1/agency/candidates/{personId}/introductions", new { jobId = job }, agencyKey))["id"]!.GetValue<string>());
        mePage = await me.GetAsync("/me");
        await me.PostAsync($"/me/introductions/{introductions[0]}/agree", mePage);
        await me.PostAsync($"/me/introductions/{introductions[1]}/decline", await me.GetAsync("/me"));
        await PostAsync($"/api/v1/agency/candidates/{personId}/events", new { type = "interviewed", note = "オンラインで初回面談。転職時期は来春を希望。" }, agencyKey);

        // Issue 21: the agency wrote, the person answered on /me, and two 面談 times wait for the person's choice.
        await PostAsync($"/api/v1/agency/candidates/{personId}/messages", new { text = "高橋さま、みらいキャリアの佐藤です。\nご紹介した求人について、一度オンラインでお話しできればと思います。" }, agencyKey);
        await me.PostAsync($"/me/messages/{agencyId}", await me.GetAsync("/me"), ("text", "佐藤さま、ありがとうございます。平日の夕方でしたら大丈夫です。"));
        string Jst(DateTime utc) => new DateTimeOffset(utc).ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mmzzz");
        var firstTime = Web.Infrastructure.Localization.JapanCalendar.NextBusinessDayAt(DateTime.UtcNow.AddDays(2), new TimeOnly(17, 0));
        var secondTime = Web.Infrastructure.Localization.JapanCalendar.NextBusinessDayAt(firstTime.AddDays(1), new TimeOnly(18, 0));
        await PostAsync($"/api/v1/agency/candidates/{personId}/interviews", new
        {
            slots = new[] { new { start = Jst(firstTime), end = Jst(firstTime.AddHours(1)) }, new { start = Jst(secondTime), end = Jst(secondTime.AddMinutes(45)) } },
            mode = "online", place = "Zoom（URLは日時の確定後にお送りします）",
        }, agencyKey);

        // The agency's pipeline: a candidate in every stage, and placements (one fulfilling the company's redemption).
        var others = ids.Where(c => c.Id != personId).Select(c => c.Id).ToList();
        string[][] paths = [[], ["contacted"], ["contacted", "interviewed"], ["contacted", "interviewed", "introduced"],
            ["contacted", "interviewed", "introduced", "offered"], ["contacted", "closed"]];
        for (var i = 0; i < paths.Length; i++)
            foreach (var step in paths[i])
                await PostAsync($"/api/v1/agency/candidates/{others[i]}/events", new { type = step, note = step == "closed" ? "ご本人の希望で支援終了" : null }, agencyKey);
        await PostAsync("/api/v1/agency/placements", new { candidateId = others[6], jobId = ownJob, startDate = "2027-01-05", redemptionId = redemption["id"]!.GetValue<string>() }, agencyKey);
        await PostAsync("/api/v1/agency/placements", new { candidateId = others[7], hiringCompanyName = "株式会社よそ", startDate = "2027-02-01" }, agencyKey);

        // An import of rejected applicants, and a webhook whose deliveries fail (nobody listens on that port).
        using (var csv = new ByteArrayContent(Encoding.UTF8.GetBytes("応募ID,氏名,メールアドレス,応募職種,選考結果,不合格日\r\nC-1,佐藤 一郎,ichiro.import@example.jp,営業,不合格,2026/11/20\r\nC-2,鈴木 二郎,,経理,辞退,2026/11/20\r\n")))
        {
            csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/company/ats/imports") { Content = csv };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", companyKey);
            Assert.True((await http.SendAsync(request)).IsSuccessStatusCode);
        }
        await PostAsync("/api/v1/company/webhooks", new { url = "http://127.0.0.1:9/careerrelay", events = new[] { "slot.earned", "referral.qualified" } }, companyKey);
        await PostAsync("/api/v1/company/ats/connections", new { system = "greenhouse" }, companyKey);

        // Referrals, made in the console as HR does: a programme, a referrer, a referred person who applies and confirms.
        var hr = await FormSession.SignInAsync(app, "/signin", CompanyContact);
        var referrals = await hr.GetAsync("/console/referrals");
        referrals = await hr.PostAsync("/console/referrals/programmes", referrals, ("name", "社員紹介プログラム"), ("recognition", "points"),
            ("pointsPerReferral", "1"), ("pointsPerHire", "10"));
        var programme = ProgrammeId().Match(referrals).Groups[1].Value;
        var created = await hr.PostAsync("/console/referrals/referrers", referrals, ("programmeId", programme), ("type", "alumni"), ("name", "元営業部 佐々木"));
        var referralUrl = FieldValue(created, "referralLink");
        var statusUrl = FieldValue(created, "statusLink");
        var referralToken = referralUrl[(referralUrl.LastIndexOf('/') + 1)..];
        var referred = new FormSession(app);
        var apply = await referred.Http.PostAsync($"/ref/{referralToken}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["jobId"] = ownJob, ["name"] = "紹介 美咲", ["email"] = "misaki.crawl@example.jp", ["skills"] = "法人営業", ["agree"] = "yes",
        }));
        Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        var confirm = await RelayInChromiumTests.WaitForLinkAsync(app, "misaki.crawl@example.jp", "/ref/confirm/");
        Assert.Equal(HttpStatusCode.OK, (await referred.Http.PostAsync(new Uri(confirm).PathAndQuery, new FormUrlEncodedContent([]))).StatusCode);

        // Alumni: a link with the company's own words; the person with everything joined it (sharing most), and one more shares nothing.
        var alumniToken = (await PostAsync("/api/v1/company/alumni-links", new
        {
            label = "2025年度 退職者", message = "クロール商事で一緒に働いてくださった皆さんへ。\nまたいつでも声をかけてください。",
        }, companyKey))["token"]!.GetValue<string>();
        foreach (var (email, name, share) in new[] { (PersonEmail, "高橋 花子", new[] { "name", "joinedYear", "leftYear", "lastRole", "openTo" }), ("ob.crawl@example.jp", "匿名 希望", Array.Empty<string>()) })
        {
            var joined = await http.PostAsJsonAsync("/api/v1/public/alumni", new
            {
                token = alumniToken, name, email, joinedYear = 2016, leftYear = 2019, lastRole = "営業事務", openTo = new[] { "rehire", "referral" }, share, lang = "ja",
            });
            Assert.True(joined.IsSuccessStatusCode, await joined.Content.ReadAsStringAsync());
            var confirmAlumni = await RelayInChromiumTests.WaitForLinkAsync(app, email, "/a/confirm/");
            Assert.Equal(HttpStatusCode.OK, (await referred.Http.PostAsync(new Uri(confirmAlumni).PathAndQuery, new FormUrlEncodedContent([]))).StatusCode);
        }

        // Issue 24: a university and a training provider. The person with everything shares outcomes and name with the school,
        // turned course suggestions on, asked about a course (address and a message); the provider recorded the completion.
        var school = await PostAsync("/api/v1/admin/education-partners", new { name = "クロール大学 キャリアセンター", kind = "university", contactEmail = SchoolContact }, BrowserApp.OperatorKey);
        var provider = await PostAsync("/api/v1/admin/education-partners", new { name = "クロール・リスキル", kind = "training_provider", contactEmail = ProviderContact }, BrowserApp.OperatorKey);
        var courseId = (await PostAsync("/api/v1/provider/courses", new
        {
            title = "はじめての経理（日商簿記3級対応）", description = "仕訳から月次決算まで。オンラインで週2回、全30時間。", skills = new[] { "経理", "簿記3級" },
            hours = 30, priceYen = 49_800, mode = "online", benefitEligible = true,
        }, Key(provider)))["id"]!.GetValue<string>();
        await PostAsync("/api/v1/provider/courses", new
        {
            title = "法人営業の提案力強化（対面・東京）", description = "ロールプレイ中心の2日間講座。", skills = new[] { "提案営業" }, hours = 12, priceYen = 0, mode = "in_person", prefecture = "13",
        }, Key(provider));
        await me.PostAsync("/me/school", await me.GetAsync("/me"), ("schoolId", school["id"]!.GetValue<string>()), ("graduationYear", "2018"), ("shareOutcomes", "on"), ("shareName", "on"));
        await me.PostAsync("/me/courses/suggestions", await me.GetAsync("/me"), ("on", "on"));
        await me.PostAsync($"/me/courses/{courseId}/request", await me.GetAsync("/me"), ("courseId", courseId), ("send", "name"), ("send", "email"), ("send", "message"),
            ("message", "平日夜のクラスはありますか。"));
        var courseRequest = (await SendAsync(HttpMethod.Get, "/api/v1/provider/requests", null, Key(provider)))["items"]![0]!["id"]!.GetValue<string>();
        await PostAsync($"/api/v1/provider/requests/{courseRequest}/completion", new { completedOn = DateTime.UtcNow.AddHours(9).ToString("yyyy-MM-dd") }, Key(provider));

        // Its public face: a page, a message, listed in the directory.
        await SendAsync(HttpMethod.Put, "/api/v1/company/profile", new
        {
            slug = Slug, @public = true, showInDirectory = true,
            message = "クロール商事は、選考でご縁がなかった方にも次の一歩を用意しています。提携エージェントによる転職支援は無料です。",
        }, companyKey);

        // Issue 20: the first link names its sources; a mail test runs on it with invitations minted since; someone came from the
        // fair (not yet confirmed); a disposable address was held for the operator's review desk.
        var firstLinkId = (await SendAsync(HttpMethod.Get, "/api/v1/company/links", null, companyKey))["items"]![0]!["id"]!.GetValue<string>();
        await SendAsync(HttpMethod.Patch, $"/api/v1/company/links/{firstLinkId}", new { sources = new[] { "job-fair", "school" } }, companyKey);
        await PostAsync("/api/v1/company/experiments", new
        {
            linkId = firstLinkId, name = "あたたかい文面は効くか",
            variants = new object[] { new { key = "A", tone = "standard" }, new { key = "B", tone = "warm" }, new { key = "C", text = "ご応募ありがとうございました。\n次の一歩を、無料の転職支援でお手伝いします：\n{{link}}" } },
        }, companyKey);
        await PostAsync("/api/v1/company/invitations", new { linkId = firstLinkId, count = 30 }, companyKey);
        var fair = await http.PostAsJsonAsync("/api/v1/public/registrations", new
        {
            token, name = "説明会 太郎", email = "fair.crawl@example.jp", source = "job-fair", consent = new { noticeVersion = 1, agencyIds = new[] { agencyId } },
        });
        Assert.True(fair.IsSuccessStatusCode, await fair.Content.ReadAsStringAsync());
        await RegisterAndVerifyAsync(app, http, token, agencyId, "burner.crawl@mailinator.com", "捨て 太郎");

        return new World
        {
            CompanyKey = companyKey, AgencyKey = agencyKey, AgencyId = agencyId, Token = token, ReferralToken = referralToken,
            ReferrerStatusUrl = new Uri(statusUrl).PathAndQuery, PersonId = personId, AlumniToken = alumniToken,
        };
    }

    private static string Key(JsonNode tenant) => tenant["apiKey"]!.GetValue<string>();

    private static string FieldValue(string html, string field) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"value=\"([^\"]*)\" data-field=\"{field}\"").Groups[1].Value);

    private static async Task<string> RegisterAndVerifyAsync(BrowserApp app, HttpClient http, string token, string agencyId, string email, string name)
    {
        var registered = await http.PostAsJsonAsync("/api/v1/public/registrations", new
        {
            token, name, email, nameKana = "コウホ", prefecture = "13", desiredOccupation = "営業", skills = new[] { "法人営業" },
            consent = new { noticeVersion = 1, agencyIds = new[] { agencyId } },
        });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var code = (await RelayInChromiumTests.WaitForLinkAsync(app, email, "/verify/")).Split('/')[^1].Split('?')[0];
        var verified = await http.PostAsJsonAsync("/api/v1/public/verifications", new { code });
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
        return email;
    }

    [GeneratedRegex("<option value=\"([^\"]+)\">社員紹介プログラム</option>")] private static partial Regex ProgrammeId();
}

/// <summary>A person's browser without the browser: cookies, the mailed sign-in link, forms posted with their anti-forgery token.</summary>
public sealed partial class FormSession(BrowserApp app)
{
    public HttpClient Http { get; } = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(app.BaseUrl),
    };

    /// <summary>Asks for a link at <paramref name="path"/> (/signin or /me), reads it from the real mail, presses its button.</summary>
    public static async Task<FormSession> SignInAsync(BrowserApp app, string path, string email)
    {
        var session = new FormSession(app);
        var page = await session.GetAsync(path);
        var action = path == "/me" ? "/me/link" : "/signin";
        var linkPart = path == "/me" ? "/me/" : "/signin/";
        var since = DateTime.UtcNow.AddSeconds(-1);
        await session.PostAsync(action, page, ("email", email));
        var path2 = new Uri(await RelayInChromiumTests.WaitForLinkAsync(app, email, linkPart, since)).PathAndQuery;
        var confirm = await session.GetAsync(path2);
        using var signedIn = await session.Http.PostAsync(path2, new FormUrlEncodedContent([new("__af", Token(confirm))]));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return session;
    }

    public async Task<string> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.True((int)response.StatusCode < 400, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts the form with the token of <paramref name="page"/>; follows a redirect; answers the page it ends on.</summary>
    public async Task<string> PostAsync(string path, string page, params (string Name, string Value)[] fields)
    {
        using var response = await Http.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__af", Token(page)))));
        Assert.True((int)response.StatusCode < 400, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode == HttpStatusCode.Redirect ? await GetAsync(response.Headers.Location!.OriginalString) : await response.Content.ReadAsStringAsync();
    }

    public static string Token(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")] private static partial Regex AntiforgeryField();
}
