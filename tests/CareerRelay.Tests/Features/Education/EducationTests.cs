using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Education;

/// <summary>
/// 教育機関パートナー: schools and training providers as tenants. A school sees its graduates' outcomes only from people who agreed,
/// each figure only from five, names only by choice and never for a high school; a provider's courses are suggested on /me only
/// to people who turned suggestions on and lack a required skill of their recommended jobs; a request sends only what the person
/// ticked, with a provision record; a confirmed completion becomes a skill matching uses; erasure leaves no partner holding them.
/// </summary>
public abstract class EducationTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private sealed record Partner(string Id, string Key, string Email);

    private sealed record Person(string Email, string CandidateId, HttpClient Browser);

    private async Task<Partner> CreatePartnerAsync(string kind, string? name = null)
    {
        var email = $"{ApiClient.Unique(kind)}@edu.example.jp";
        var (status, body) = await _api.PostAsync("/api/v1/admin/education-partners",
            new { name = name ?? ApiClient.Unique(kind == "training_provider" ? "リスキル講座" : "みどり学園"), kind, contactEmail = email }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return new Partner(body!["id"]!.GetValue<string>(), body["apiKey"]!.GetValue<string>(), email);
    }

    private async Task<Person> PersonAsync(string token, string agencyId)
    {
        var email = $"{ApiClient.Unique("edu")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agencyId, phone: "080-1111-2222", name: "学校 花子");
        var id = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
        return new Person(email, id, await CandidateAsync(app, _api, email));
    }

    private static async Task<HttpResponseMessage> PostMeAsync(HttpClient browser, string path, params (string Name, string Value)[] fields)
    {
        var page = await browser.GetStringAsync("/me");
        return await browser.PostAsync(path, Form(page, fields));
    }

    private static async Task ShareWithSchoolAsync(Person person, string schoolId, string year, bool name = false)
    {
        var fields = new List<(string, string)> { ("schoolId", schoolId), ("graduationYear", year), ("shareOutcomes", "on") };
        if (name) fields.Add(("shareName", "on"));
        var saved = await PostMeAsync(person.Browser, "/me/school", [.. fields]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.StartsWith("/me?done=school-saved", saved.Headers.Location!.OriginalString);
    }

    /// <summary>Today in Japan on the test clock.</summary>
    private DateOnly Today() => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(9));

    private async Task<JsonNode> OutcomesAsync(Partner school, string query = "")
    {
        var (status, body) = await _api.GetAsync("/api/v1/school/outcomes" + query, school.Key);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    [Fact]
    public async Task OperatorAddsASchoolAndAProvider_EachSignsInToItsOwnWorkspace_AndEachKeyReachesOnlyItsOwnRoutes()
    {
        var school = await CreatePartnerAsync("university", "みどり大学 キャリアセンター");
        var provider = await CreatePartnerAsync("training_provider", "株式会社リスキル");
        var company = await _api.CreateCompanyAsync();
        Assert.StartsWith("cr_sc_", school.Key);
        Assert.StartsWith("cr_pr_", provider.Key);

        // The role matrix: each key its own routes; another role's are forbidden.
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/school/outcomes", school.Key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/provider/courses", provider.Key)).Status);
        foreach (var key in new[] { provider.Key, company.Key })
            Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v1/school/outcomes", key)).Status);
        foreach (var key in new[] { school.Key, company.Key })
            Assert.Equal(HttpStatusCode.Forbidden, (await _api.PostAsync("/api/v1/provider/courses", new { title = "x" }, key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v1/company/summary", school.Key)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/v1/school/outcomes")).Status);

        // Their own keys: a read-only one for the career office's BI tool reads, and writes nothing.
        var (createdKey, readKey) = await _api.PostAsync("/api/v1/provider/keys", new { name = "BI", scope = "read" }, provider.Key);
        Assert.Equal(HttpStatusCode.Created, createdKey);
        var bi = readKey!["apiKey"]!.GetValue<string>();
        Assert.StartsWith("cr_pr_", bi);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/provider/kpis", bi)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PostAsync("/api/v1/provider/courses", new { title = "x" }, bi)).Status);
        Assert.Equal(2, (await _api.GetAsync("/api/v1/provider/keys", provider.Key)).Body!["items"]!.AsArray().Count);
        Assert.Single((await _api.GetAsync("/api/v1/school/keys", school.Key)).Body!["items"]!.AsArray());

        // A kind that is not one of the four is refused with the field named, and nothing is created.
        var before = (await _api.GetAsync("/api/v1/admin/education-partners", CareerRelayApp.OperatorKey)).Body!["items"]!.AsArray().Count;
        var (bad, problem) = await _api.PostAsync("/api/v1/admin/education-partners", new { name = "塾", kind = "cram_school", contactEmail = "a@b.jp" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotNull(problem!["errors"]!["kind"]);
        Assert.Equal(before, (await _api.GetAsync("/api/v1/admin/education-partners", CareerRelayApp.OperatorKey)).Body!["items"]!.AsArray().Count);

        // Their people sign in at /signin like everyone else and land on their own workspace, in the console's frame.
        var (schoolBrowser, _) = await SignInAsync(app, school.Email, landing: "/school");
        var schoolPage = await schoolBrowser.GetStringAsync("/school");
        Assert.Contains("みどり大学 キャリアセンター", schoolPage);
        Assert.Contains("卒業生の結果", schoolPage);
        Assert.Contains("href=\"/school/users\"", schoolPage); // the contact is its first admin
        var (providerBrowser, _) = await SignInAsync(app, provider.Email, landing: "/provider");
        Assert.Contains("株式会社リスキル", await providerBrowser.GetStringAsync("/provider"));

        // Each stays out of the other areas: sent to their own landing, never shown another tenant type's page.
        foreach (var path in new[] { "/provider", "/console", "/agency" })
        {
            var response = await schoolBrowser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin/landing", response.Headers.Location!.PathAndQuery);
        }
        var landing = await schoolBrowser.GetAsync("/signin/landing");
        Assert.Equal("/school", landing.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await providerBrowser.GetAsync("/school")).StatusCode);
    }

    [Fact]
    public async Task SchoolOutcomes_CountOnlyThoseWhoAgreed_EachFigureOnlyFromFive_NamesOnlyByChoice()
    {
        var school = await CreatePartnerAsync("university");
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var company = await _api.CreateCompanyAsync();
        var jobId = await _api.CreateJobAsync(company.Key);
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, company.Key);
        var people = new List<Person>();
        for (var i = 0; i < 6; i++) people.Add(await PersonAsync(token, agency.Id));

        // Four agreed: fewer than five people, so no figure at all.
        for (var i = 0; i < 4; i++) await ShareWithSchoolAsync(people[i], school.Id, "2025", name: i == 0);
        var four = await OutcomesAsync(school);
        Assert.Null(four["registered"]?.GetValue<int>());
        Assert.Equal(5, four["floor"]!.GetValue<int>());

        // The sixth names the school but does not agree: never counted.
        var named = await PostMeAsync(people[5].Browser, "/me/school", ("schoolId", school.Id), ("graduationYear", "2025"));
        Assert.Equal(HttpStatusCode.Redirect, named.StatusCode);
        Assert.Null((await OutcomesAsync(school))["registered"]?.GetValue<int>());
        Assert.Contains("何も届いていません", await people[5].Browser.GetStringAsync("/me"));

        await ShareWithSchoolAsync(people[4], school.Id, "2024");
        var five = await OutcomesAsync(school);
        Assert.Equal(5, five["registered"]!.GetValue<int>());
        Assert.Null(five["supported"]?.GetValue<int>());
        Assert.Equal(new[] { 2025, 2024 }, five["fiscalYears"]!.AsArray().Select(y => y!.GetValue<int>()));
        Assert.Null((await OutcomesAsync(school, "?fiscalYear=2025"))["registered"]?.GetValue<int>()); // four of them
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/api/v1/school/outcomes?fiscalYear=20x5", school.Key)).Status);

        // The agency contacts all six and places all six; six months on, five are still there. The sixth never shows.
        var start = Today().AddDays(-200); // six months have passed
        foreach (var p in people)
        {
            Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{p.CandidateId}/events", new { type = "contacted" }, agency.Key)).Status);
            var (placed, placement) = await _api.PostAsync("/api/v1/agency/placements", new { candidateId = p.CandidateId, jobId, startDate = start.ToString("yyyy-MM-dd") }, agency.Key);
            Assert.Equal(HttpStatusCode.Created, placed);
            object followUp = p == people[3] ? new { status = "left", leftOn = start.AddDays(40).ToString("yyyy-MM-dd") } : new { status = "employed" };
            Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/placements/{placement!["id"]}/follow-ups", followUp, agency.Key)).Status);
        }
        var all = await OutcomesAsync(school);
        Assert.Equal(5, all["registered"]!.GetValue<int>());
        Assert.Equal(5, all["supported"]!.GetValue<int>());
        Assert.Equal(5, all["placed"]!.GetValue<int>());
        Assert.Null(all["employedAtSixMonths"]?.GetValue<int>()); // four: one of the five left within six months
        var text = all.ToJsonString();
        foreach (var p in people) Assert.DoesNotContain(p.CandidateId, text); // never who
        Assert.DoesNotContain(company.Id, text); // never where

        // By name: only the one who chose it, with how far they got — never the company — and the read is on their record.
        var (status, graduates) = await _api.GetAsync("/api/v1/school/graduates", school.Key);
        Assert.Equal(HttpStatusCode.OK, status);
        var graduate = Assert.Single(graduates!["items"]!.AsArray());
        Assert.Equal("学校 花子", graduate!["name"]!.GetValue<string>());
        Assert.Equal("employed_6m", graduate["stage"]!.GetValue<string>());
        var export = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(people[0].Email) })).Body!;
        Assert.Contains(export["provisionRecords"]!.AsArray(), r => r!["recipientType"]!.GetValue<string>() == "school" && r["recipient"]!["id"]!.GetValue<string>() == school.Id
            && r["items"]!.GetValue<string>() == "name");
        Assert.Contains(export["accessLog"]!.AsArray(), a => a!["actorType"]!.GetValue<string>() == "school");
        Assert.True(export["education"]!["school"]!["shareName"]!.GetValue<bool>());
        Assert.Equal(2025, export["education"]!["school"]!["graduationYear"]!.GetValue<int>());
        var otherExport = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(people[1].Email) })).Body!;
        Assert.DoesNotContain(otherExport["provisionRecords"]!.AsArray(), r => r!["recipientType"]!.GetValue<string>() == "school");

        // The school's page says the same, in words, below five as "fewer than five".
        var (browser, _) = await SignInAsync(app, school.Email, landing: "/school");
        var page = await browser.GetStringAsync("/school");
        Assert.Contains("学校 花子", page);
        Assert.DoesNotContain(people[1].Email, page);
        Assert.Matches("data-field=\"employedAtSixMonths\"><span class=\"figure\">5人未満", page);
        Assert.Matches("data-field=\"placed\"><span class=\"figure\">5<", page);
        var english = await browser.GetStringAsync("/school?lang=en&fiscalYear=2025");
        Assert.Contains("Graduates of FY2025", english);
        Assert.Contains("fewer than 5", english);

        // Withdrawing takes the person out of every figure at once.
        var stop = await PostMeAsync(people[4].Browser, "/me/school", ("schoolId", school.Id), ("graduationYear", "2024"));
        Assert.StartsWith("/me?done=school-saved", stop.Headers.Location!.OriginalString);
        Assert.Null((await OutcomesAsync(school))["registered"]?.GetValue<int>());
    }

    [Fact]
    public async Task ASchoolNamedOnTheRelayForm_IsTiedWhenThePersonConfirms_WithOutcomesOnlyIfTicked()
    {
        var school = await CreatePartnerAsync("vocational_school", "みどり専門学校");
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var notice = await _api.NoticeVersionAsync(token);

        // The form refuses a school that is not a partner, and sharing outcomes with one named in the person's own words.
        var (bad, problem) = await _api.PostAsync("/api/v1/public/registrations", new
        {
            token, name = "専門 一郎", email = $"{ApiClient.Unique("reg")}@example.jp", school = "どこかの学校", shareSchoolOutcomes = true,
            consent = new { noticeVersion = notice, agencyIds = new[] { agency.Id } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotNull(problem!["errors"]!["shareSchoolOutcomes"]);
        var (unknown, problem2) = await _api.PostAsync("/api/v1/public/registrations", new
        {
            token, name = "専門 一郎", email = $"{ApiClient.Unique("reg")}@example.jp", schoolId = "0199aaaaaaaa7000800000000000000a",
            consent = new { noticeVersion = notice, agencyIds = new[] { agency.Id } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.NotNull(problem2!["errors"]!["schoolId"]);

        // On the landing page, the school part of the form: ticked, with the year.
        var email = $"{ApiClient.Unique("reg")}@example.jp";
        Assert.Contains("みどり専門学校", await _api.Http.GetStringAsync($"/r/{token}"));
        var posted = await _api.Http.PostAsync($"/r/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "専門 一郎", ["email"] = email, ["noticeVersion"] = notice.ToString(System.Globalization.CultureInfo.InvariantCulture), ["lang"] = "ja",
            ["agencyIds"] = agency.Id, ["agree"] = "yes", ["schoolId"] = school.Id, ["graduationYear"] = "2026", ["shareSchoolOutcomes"] = "on",
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        using (var scope = app.Services.CreateScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<CareerRelay.Web.Data.CareerRelayDb>().SchoolLinks.AnyAsync(l => l.SchoolId == school.Id),
                "Tied before the person proved the address.");
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/verifications", new { code })).Status);

        using (var scope = app.Services.CreateScope())
        {
            var link = await scope.ServiceProvider.GetRequiredService<CareerRelay.Web.Data.CareerRelayDb>().SchoolLinks.SingleAsync(l => l.SchoolId == school.Id);
            Assert.True(link.ShareOutcomes);
            Assert.False(link.ShareName); // a name only ever from /me
            Assert.Equal(2026, link.GraduationYear);
        }
        var person = new Person(email, "", await CandidateAsync(app, _api, email));
        var page = await person.Browser.GetStringAsync("/me");
        Assert.Contains("みどり専門学校は、あなたを含む人数", page);
        var candidateId = (await _api.GetAsync("/api/v1/agency/candidates?limit=100", agency.Key)).Body!["items"]!.AsArray()
            .Single(c => c!["email"]!.GetValue<string>() == email)!["id"]!.GetValue<string>();
        Assert.Equal("みどり専門学校", (await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agency.Key)).Body!["profile"]!["school"]!.GetValue<string>());
        // The agency received the school with the rest: its provision record says so.
        var records = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["provisionRecords"]!.AsArray();
        Assert.Contains(records, r => r!["recipientType"]!.GetValue<string>() == "agency" && r["items"]!.GetValue<string>().Split(',').Contains("school"));

        // Relayed again without ticking: the form never takes a consent back.
        var (_, otherAgency, _, otherToken) = await _api.CreateRelayAsync();
        await _api.RegisterAndVerifyAsync(otherToken, email, otherAgency.Id);
        using (var scope = app.Services.CreateScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<CareerRelay.Web.Data.CareerRelayDb>().SchoolLinks.SingleAsync(l => l.SchoolId == school.Id)).ShareOutcomes);
    }

    [Fact]
    public async Task AHighSchool_SeesFiguresOnly_ThePersonCannotSendItTheirName_AndItsKeyGetsNoNames()
    {
        var highSchool = await CreatePartnerAsync("high_school");
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var person = await PersonAsync(token, agency.Id);

        var refused = await PostMeAsync(person.Browser, "/me/school", ("schoolId", highSchool.Id), ("graduationYear", "2024"), ("shareOutcomes", "on"), ("shareName", "on"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("高等学校には結果の人数だけが届きます", await refused.Content.ReadAsStringAsync());
        await ShareWithSchoolAsync(person, highSchool.Id, "2024");

        var (status, problem) = await _api.GetAsync("/api/v1/school/graduates", highSchool.Key);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", problem!["code"]!.GetValue<string>());
        var (browser, _) = await SignInAsync(app, highSchool.Email, landing: "/school");
        var page = await browser.GetStringAsync("/school");
        Assert.Contains("data-field=\"outcomesOnly\"", page);
        Assert.DoesNotContain("学校 花子", page);
    }

    /// <summary>A person whose recommended jobs ask for a skill they lack (<paramref name="missing"/>), and a provider with courses.</summary>
    private async Task<(Person Person, Partner Provider, string JobId, ApiClient.Tenant Agency)> GapAsync(string have, string missing)
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var person = await PersonAsync(token, agency.Id);
        // Their profile holds a skill of their own; a company open to every agency asks for it and for one they lack.
        var saved = await PostMeAsync(person.Browser, "/me/profile", ("name", "学校 花子"), ("prefecture", "13"), ("desiredOccupation", "営業"), ("skills", have));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var hiring = await _api.CreateCompanyAsync();
        var (created, job) = await _api.PostAsync("/api/v1/company/jobs", new
        {
            title = "法人営業（データ活用）", description = $"{have} と {missing} を使う法人営業", prefecture = "13", skills = new[] { have, missing },
            employmentType = "full_time", salaryMin = 4_000_000, salaryMax = 6_000_000,
        }, hiring.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        return (person, await CreatePartnerAsync("training_provider"), job!["id"]!.GetValue<string>(), agency);
    }

    private async Task<string> CourseAsync(Partner provider, string title, string[] skills, string mode = "online", string? prefecture = null)
    {
        var (status, course) = await _api.PostAsync("/api/v1/provider/courses", new
        {
            title, description = "基礎から実務まで", skills, hours = 24, priceYen = 59_800, mode, prefecture, benefitEligible = true,
        }, provider.Key);
        Assert.Equal(HttpStatusCode.Created, status);
        return course!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task CourseSuggestions_OnlyWhenTurnedOn_AndOnlyForARequiredSkillThePersonLacks_ReachableFromWhereTheyLive()
    {
        var have = ApiClient.Unique("量子会計");
        var missing = ApiClient.Unique("Rust");
        var (person, provider, _, _) = await GapAsync(have, missing);
        await CourseAsync(provider, "欠けているスキルの講座", [missing]);
        await CourseAsync(provider, "もう持っているスキルの講座", [have]);
        await CourseAsync(provider, "沖縄で対面の講座", [missing], "in_person", "47");
        await CourseAsync(provider, "神奈川で対面の講座", [missing], "in_person", "14");

        var off = await person.Browser.GetStringAsync("/me");
        Assert.Contains("講座の提案をオンにする", off);
        Assert.DoesNotContain("欠けているスキルの講座", off);

        var on = await PostMeAsync(person.Browser, "/me/courses/suggestions", ("on", "on"));
        Assert.Equal("/me?done=suggestions-on#courses", on.Headers.Location!.OriginalString);
        var page = await person.Browser.GetStringAsync("/me");
        Assert.Contains("欠けているスキルの講座", page);
        Assert.Contains($"おすすめ求人1件で必須の「{missing}」を学べます", page);
        Assert.Contains("神奈川で対面の講座", page); // a neighbouring prefecture of Tokyo
        Assert.Contains("お住まいの近く（神奈川県）で受講できます", page);
        Assert.DoesNotContain("もう持っているスキルの講座", page);
        Assert.DoesNotContain("沖縄で対面の講座", page);
        Assert.Contains("教育訓練給付の対象講座です（提供者の申告）", page);

        var english = await person.Browser.GetStringAsync("/me?lang=en");
        Assert.Contains($"Teaches {missing}, required by 1 of your recommended jobs", english);

        await PostMeAsync(person.Browser, "/me/courses/suggestions", ("on", "off"));
        Assert.DoesNotContain("欠けているスキルの講座", await person.Browser.GetStringAsync("/me"));
    }

    [Fact]
    public async Task WithNoJobRecommended_SuggestionsSaySo_RatherThanThatNoSkillIsMissing()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var person = await PersonAsync(token, agency.Id);
        // No agency works with them any more: no job is recommended, so there is no gap to speak of.
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = await _api.MeTokenAsync(person.Email), agencyId = agency.Id })).Status);
        await PostMeAsync(person.Browser, "/me/courses/suggestions", ("on", "on"));
        var page = await person.Browser.GetStringAsync("/me");
        Assert.Contains("おすすめ求人がまだないため", page);
        Assert.DoesNotContain("すべてお持ちです", page);
    }

    [Fact]
    public async Task AskingAProvider_SendsOnlyWhatThePersonTicked_WithAProvisionRecord_AndACompletionTheyConfirmBecomesASkillMatchingUses()
    {
        var have = ApiClient.Unique("量子会計");
        var missing = ApiClient.Unique("Rust");
        var (person, provider, jobId, agency) = await GapAsync(have, missing);
        var courseId = await CourseAsync(provider, "欠けているスキルの講座", [missing]);
        await PostMeAsync(person.Browser, "/me/courses/suggestions", ("on", "on"));

        // No way to reach them: refused beside the form, nothing sent.
        var refused = await PostMeAsync(person.Browser, $"/me/courses/{courseId}/request", ("courseId", courseId), ("send", "name"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("メールアドレスか電話番号のどちらか", await refused.Content.ReadAsStringAsync());
        Assert.Empty((await _api.GetAsync("/api/v1/provider/requests", provider.Key)).Body!["items"]!.AsArray());

        var asked = await PostMeAsync(person.Browser, $"/me/courses/{courseId}/request", ("courseId", courseId), ("send", "email"), ("send", "message"), ("message", "土日に受講できますか"));
        Assert.Equal("/me?done=course-requested#courses", asked.Headers.Location!.OriginalString);
        var request = Assert.Single((await _api.GetAsync("/api/v1/provider/requests", provider.Key)).Body!["items"]!.AsArray())!;
        Assert.Equal(person.Email, request["email"]!.GetValue<string>());
        Assert.Equal("土日に受講できますか", request["message"]!.GetValue<string>());
        Assert.Null(request["name"]?.GetValue<string>()); // not ticked
        Assert.Null(request["phone"]?.GetValue<string>());
        Assert.DoesNotContain("学校 花子", request.ToJsonString());
        var mail = await app.Mail.WaitForAsync(provider.Email);
        Assert.DoesNotContain(person.Email, mail.Body); // the provider's notice holds no personal data

        var export = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(person.Email) })).Body!;
        Assert.Contains(export["provisionRecords"]!.AsArray(), r => r!["recipientType"]!.GetValue<string>() == "provider"
            && r["recipient"]!["id"]!.GetValue<string>() == provider.Id && r["items"]!.GetValue<string>() == "email,message");
        // Their own copy of what they sent, in the data export (APPI art. 33).
        var exported = Assert.Single(export["education"]!["courseRequests"]!.AsArray())!;
        Assert.Equal(person.Email, exported["sent"]!["email"]!.GetValue<string>());
        Assert.Null(exported["sent"]!["name"]?.GetValue<string>());
        Assert.True(export["education"]!["courseSuggestions"]!.GetValue<bool>());
        var page = await person.Browser.GetStringAsync("/me");
        Assert.Matches("<li data-provision-id=\"[^\"]+\">[^<]*リスキル講座", page); // the provider named in their record

        // Before the course: the match has half the required skills.
        async Task<JsonNode> MatchAsync() => (await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches?limit=100", agency.Key)).Body!["items"]!.AsArray()
            .Single(m => m!["candidateId"]!.GetValue<string>() == person.CandidateId)!;
        var before = await MatchAsync();

        // The provider records the completion; it counts only once the person confirms it.
        var requestId = request["id"]!.GetValue<string>();
        var (badDay, _) = await _api.PostAsync($"/api/v1/provider/requests/{requestId}/completion", new { completedOn = "2030-01-01" }, provider.Key);
        Assert.Equal(HttpStatusCode.BadRequest, badDay);
        var (recorded, completion) = await _api.PostAsync($"/api/v1/provider/requests/{requestId}/completion", new { completedOn = Today().ToString("yyyy-MM-dd") }, provider.Key);
        Assert.Equal(HttpStatusCode.OK, recorded);
        Assert.Equal("waiting", completion!["completion"]!.GetValue<string>());
        Assert.Contains("講座の修了を確認してください", (await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("修了", StringComparison.Ordinal))).Subject);
        Assert.Equal(before["score"]!.GetValue<double>(), (await MatchAsync())["score"]!.GetValue<double>());

        var confirmed = await PostMeAsync(person.Browser, $"/me/completions/{requestId}/confirm");
        Assert.Equal("/me?done=completion-confirmed#courses", confirmed.Headers.Location!.OriginalString);
        var after = await MatchAsync();
        Assert.True(after["score"]!.GetValue<double>() > before["score"]!.GetValue<double>(), $"{before} → {after}");
        Assert.Contains(after["reasons"]!.AsArray(), r => r!.GetValue<string>().Contains(missing, StringComparison.Ordinal) && r.GetValue<string>().Contains("すべて一致", StringComparison.Ordinal));
        Assert.DoesNotContain(before["reasons"]!.AsArray(), r => r!.GetValue<string>().Contains(missing, StringComparison.Ordinal));

        // The person's recommendation says where the skill comes from; the agency sees its source; the provider cannot change it now.
        page = await person.Browser.GetStringAsync("/me");
        Assert.Contains($"「{missing}」は「欠けているスキルの講座」", page);
        var (_, candidate) = await _api.GetAsync($"/api/v1/agency/candidates/{person.CandidateId}", agency.Key);
        Assert.Contains(missing, candidate!["profile"]!["completedCourses"]![0]!["skills"]!.ToJsonString());
        var (settled, problem) = await _api.PostAsync($"/api/v1/provider/requests/{requestId}/completion", new { completedOn = Today().ToString("yyyy-MM-dd") }, provider.Key);
        Assert.Equal(HttpStatusCode.Conflict, settled);
        Assert.Equal("invalid_state", problem!["code"]!.GetValue<string>());
        var kpis = (await _api.GetAsync("/api/v1/provider/kpis", provider.Key)).Body!;
        Assert.Null(kpis["completions"]?.GetValue<int>()); // one person: below five

        // Relayed again by another company (a new registration replaces the profile's basics): the course stays theirs.
        var (_, otherAgency, _, otherToken) = await _api.CreateRelayAsync();
        await _api.RegisterAndVerifyAsync(otherToken, person.Email, otherAgency.Id);
        (_, candidate) = await _api.GetAsync($"/api/v1/agency/candidates/{person.CandidateId}", agency.Key);
        Assert.Contains(missing, candidate!["profile"]!["completedCourses"]![0]!["skills"]!.ToJsonString());
        Assert.True((await MatchAsync())["score"]!.GetValue<double>() > before["score"]!.GetValue<double>());
    }

    [Fact]
    public async Task AnotherProvidersOrSchoolsIds_AreNotFound()
    {
        var (person, provider, _, _) = await GapAsync(ApiClient.Unique("量子会計"), ApiClient.Unique("Rust"));
        var courseId = await CourseAsync(provider, "A の講座", ["Rust"]);
        await PostMeAsync(person.Browser, $"/me/courses/{courseId}/request", ("courseId", courseId), ("send", "email"));
        var requestId = (await _api.GetAsync("/api/v1/provider/requests", provider.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();
        var other = await CreatePartnerAsync("training_provider");

        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/provider/courses/{courseId}/close", null, other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/provider/requests/{requestId}/completion", new { completedOn = Today().ToString("yyyy-MM-dd") }, other.Key)).Status);
        Assert.Empty((await _api.GetAsync("/api/v1/provider/requests", other.Key)).Body!["items"]!.AsArray());
        Assert.Empty((await _api.GetAsync("/api/v1/provider/courses", other.Key)).Body!["items"]!.AsArray());
        var (browser, _) = await SignInAsync(app, other.Email, landing: "/provider");
        var close = await browser.PostAsync($"/provider/courses/{courseId}/close", Form(await browser.GetStringAsync("/provider/courses")));
        Assert.Equal(HttpStatusCode.NotFound, close.StatusCode);
        var mine = (await _api.GetAsync("/api/v1/provider/courses", provider.Key)).Body!["items"]![0]!;
        Assert.Equal("A の講座", mine["title"]!.GetValue<string>());
        Assert.Null(mine["closedAt"]?.GetValue<string>()); // still open
    }

    [Fact]
    public async Task Erasure_RemovesThePersonFromEverySchoolAndProvider()
    {
        var school = await CreatePartnerAsync("university");
        var (person, provider, _, _) = await GapAsync(ApiClient.Unique("量子会計"), ApiClient.Unique("Rust"));
        var courseId = await CourseAsync(provider, "講座", ["Rust"]);
        await ShareWithSchoolAsync(person, school.Id, "2025", name: true);
        await PostMeAsync(person.Browser, $"/me/courses/{courseId}/request", ("courseId", courseId), ("send", "name"), ("send", "email"));
        Assert.Single((await _api.GetAsync("/api/v1/school/graduates", school.Key)).Body!["items"]!.AsArray());
        var requestId = Assert.Single((await _api.GetAsync("/api/v1/provider/requests", provider.Key)).Body!["items"]!.AsArray())!["id"]!.GetValue<string>();

        var (erased, _) = await _api.PostAsync("/api/v1/public/me/erase", new { token = await _api.MeTokenAsync(person.Email) });
        Assert.Equal(HttpStatusCode.OK, erased);

        // Those who received their data are told — by the request, never by a name or an address — so they delete what they kept.
        var toProvider = await app.Mail.WaitForAsync(provider.Email, m => m.Subject.Contains("削除", StringComparison.Ordinal));
        Assert.Contains(requestId, toProvider.Body);
        var toSchool = await app.Mail.WaitForAsync(school.Email, m => m.Subject.Contains("削除", StringComparison.Ordinal));
        foreach (var mail in new[] { toProvider, toSchool })
        {
            Assert.DoesNotContain(person.Email, mail.Body);
            Assert.DoesNotContain("学校 花子", mail.Body);
        }

        Assert.Empty((await _api.GetAsync("/api/v1/school/graduates", school.Key)).Body!["items"]!.AsArray());
        Assert.Empty((await _api.GetAsync("/api/v1/provider/requests", provider.Key)).Body!["items"]!.AsArray());
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelay.Web.Data.CareerRelayDb>();
        Assert.False(await db.SchoolLinks.AnyAsync(l => l.CandidateId == person.CandidateId));
        Assert.False(await db.CourseRequests.AnyAsync(r => r.CandidateId == person.CandidateId));
        // The provision records stay, pseudonymous, as the law asks (three years).
        Assert.True(await db.ProvisionRecords.AnyAsync(p => p.CandidateId == person.CandidateId && p.RecipientType == "provider"));
    }
}

public sealed class EducationTestsOnSqlite(SqliteApp app) : EducationTests(app), IClassFixture<SqliteApp>;
public sealed class EducationTestsOnPostgres(PostgresApp app) : EducationTests(app), IClassFixture<PostgresApp>;
