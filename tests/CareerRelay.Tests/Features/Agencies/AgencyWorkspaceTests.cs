using System.Net;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Agencies;

/// <summary>The agency workspace: same sign-in as companies, its own pages, only its own candidates, every view audited.</summary>
public abstract class AgencyWorkspaceTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    /// <summary>Signs in an agency's first admin (its contact) through /signin and the mailed link.</summary>
    private async Task<HttpClient> AgencyUserAsync(string contact)
    {
        var browser = Browser(app);
        var page = await browser.GetStringAsync("/signin");
        var earlier = app.Mail.All().Count(m => m.To == contact);
        await browser.PostAsync("/signin", Form(page, ("email", contact)));
        var link = await SignInLinkAsync(app, contact, earlier); // the contact is also told of new candidates meanwhile
        var signedIn = await browser.PostAsync(link, Form(await browser.GetStringAsync(link)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/agency", signedIn.Headers.Location!.OriginalString);
        return browser;
    }

    [Fact]
    public async Task AgencyUser_SignsInLikeACompany_SeesOnlyItsCandidates_RecordsAStep_AndCannotReachTheCompanyConsole()
    {
        var contactA = $"{ApiClient.Unique("agency-a")}@agency.example";
        var hr = $"{ApiClient.Unique("hr")}@company.example.jp";
        var x = await _api.CreateCompanyAsync(contactEmail: hr);
        var a = await _api.CreateAgencyAsync(contactEmail: contactA);
        var b = await _api.CreateAgencyAsync();
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id, b.Id } }, x.Key);
        var token = (await _api.PostAsync("/api/v1/company/links", new { label = "秋" }, x.Key)).Body!["token"]!.GetValue<string>();
        var email = $"{ApiClient.Unique("ws")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, a.Id, name: "ワーク 花子");
        var candidateId = (await _api.GetAsync("/api/v1/agency/candidates", a.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();

        // The agency was told of its new candidate by mail, without personal data.
        var told = await app.Mail.WaitForAsync(contactA);
        Assert.Contains(candidateId, told.Body);
        Assert.DoesNotContain(email, told.Body);

        var agency = await AgencyUserAsync(contactA);
        var list = await agency.GetStringAsync("/agency/candidates");
        Assert.Contains("ワーク 花子", list);
        Assert.Contains("未連絡", list); // the first-contact indicator
        Assert.Contains("ワーク 花子", await agency.GetStringAsync("/agency/candidates?q=ワーク"));
        Assert.DoesNotContain("ワーク 花子", await agency.GetStringAsync("/agency/candidates?q=存在しない"));
        Assert.Contains($"data-candidate-id=\"{candidateId}\"", await agency.GetStringAsync("/agency/board"));
        var jobId = await _api.CreateJobAsync(x.Key);
        Assert.Contains($"data-job-id=\"{jobId}\"", await agency.GetStringAsync("/agency/jobs"));
        var matches = await agency.GetStringAsync($"/agency/jobs/{jobId}/matches");
        Assert.Contains("ワーク 花子", matches);
        Assert.Contains("必須スキル", matches);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.CandidateId == candidateId && e.Action == "candidates.match")));

        var page = await agency.GetStringAsync($"/agency/candidates/{candidateId}");
        var step = await agency.PostAsync($"/agency/candidates/{candidateId}/events", Form(page, ("type", "contacted"), ("note", "初回の電話")));
        Assert.Equal(HttpStatusCode.Redirect, step.StatusCode);
        page = await agency.GetStringAsync(step.Headers.Location!.OriginalString);
        Assert.Contains("初回の電話", page);
        Assert.Contains("data-field=\"stage\">連絡", page);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.CandidateId == candidateId && e.ActorId.StartsWith(a.Id + "/user:"))));

        // Agency B's people see nothing of A's candidate; a company user is not let into /agency, nor A into /console.
        var bContact = await app.WithDbAsync(db => db.Agencies.Where(g => g.Id == b.Id).Select(g => g.ContactEmail).FirstAsync());
        var other = await AgencyUserAsync(bContact);
        Assert.DoesNotContain("ワーク 花子", await other.GetStringAsync("/agency/candidates"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/agency/candidates/{candidateId}")).StatusCode);
        var forged = await other.PostAsync($"/agency/candidates/{candidateId}/events", Form(await other.GetStringAsync("/agency"), ("type", "closed")));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        var (company, _) = await SignInAsync(app, hr);
        Assert.Equal(HttpStatusCode.Redirect, (await company.GetAsync("/agency")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await agency.GetAsync("/console")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agency.GetAsync("/agency")).StatusCode);
    }

    [Fact]
    public async Task CandidatePage_SaysWhoRelayedThePerson_TakesADate_AndOncePlacedOffersNoIntroduction_WhileMatchesSayTheJobsReasonsOnce()
    {
        var contact = $"{ApiClient.Unique("agency-p")}@agency.example";
        var rejecting = await _api.CreateCompanyAsync(name: ApiClient.Unique("送り出し商事"));
        var hiring = await _api.CreateCompanyAsync();
        var a = await _api.CreateAgencyAsync(contactEmail: contact);
        foreach (var company in new[] { rejecting, hiring })
            await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id } }, company.Key);
        var token = (await _api.PostAsync("/api/v1/company/links", new { label = "冬" }, rejecting.Key)).Body!["token"]!.GetValue<string>();
        var names = new[] { "一 花子", "二 太郎" };
        foreach (var name in names) await _api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("placed")}@example.jp", a.Id, name: name);
        var jobId = await _api.CreateJobAsync(hiring.Key);
        var ids = (await _api.GetAsync("/api/v1/agency/candidates", a.Key)).Body!["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        var agency = await AgencyUserAsync(contact);

        // Which company's rejection brought the person: the first thing an adviser asks.
        var rejectingName = await app.WithDbAsync(db => db.Companies.Where(c => c.Id == rejecting.Id).Select(c => c.Name).FirstAsync());
        var page = await agency.GetStringAsync($"/agency/candidates/{ids[0]}");
        Assert.Matches($"data-field=\"relayedBy\">[^<]*{System.Text.RegularExpressions.Regex.Escape(rejectingName)}", page);
        Assert.Matches("<input type=\"date\" id=\"startDate\"", page);
        Assert.Contains("紹介の同意を依頼する", page);

        // A reason that is about the job (new) is said once above the list, not on every person.
        var matches = await agency.GetStringAsync($"/agency/jobs/{jobId}/matches");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(matches, "<li data-candidate-id="));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(matches, "新着の求人"));
        Assert.Contains("data-field=\"job-reasons\"", matches);

        var placed = await agency.PostAsync($"/agency/candidates/{ids[0]}/placements", Form(page, ("jobId", jobId), ("startDate", "2026-12-01")));
        Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        page = await agency.GetStringAsync($"/agency/candidates/{ids[0]}");
        Assert.Contains("入社が決まっているため、新たな紹介はできません", page);
        Assert.DoesNotContain("紹介の同意を依頼する", page);
        matches = await agency.GetStringAsync($"/agency/jobs/{jobId}/matches");
        string Row(string id) => System.Text.RegularExpressions.Regex.Match(matches, $"<li data-candidate-id=\"{id}\">.*?(?=<li data-candidate-id=|</ol>)",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("入社が決まっているため", Row(ids[0]));
        Assert.DoesNotContain("紹介の同意を依頼する", Row(ids[0]));
        Assert.Contains("紹介の同意を依頼する", Row(ids[1]));

        // Agency people sign in and secure their sign-in on pages that say they are an agency's, not a company console.
        Assert.DoesNotContain("企業コンソール", Title(await Browser(app).GetStringAsync("/signin")));
        Assert.DoesNotContain("企業コンソール", await agency.GetStringAsync("/console/security"));
    }

    private static string Title(string html) => System.Text.RegularExpressions.Regex.Match(html, "<title>(.*?)</title>").Groups[1].Value;

    [Fact]
    public async Task AgencyAdmin_InvitesAMember_WhoWorksCandidatesButCannotManageUsers_AndBothHaveTheirOwnSignInSecurity()
    {
        var contact = $"{ApiClient.Unique("agency-admin")}@agency.example";
        await _api.CreateAgencyAsync(contactEmail: contact);
        var admin = await AgencyUserAsync(contact);
        var page = await admin.GetStringAsync("/agency/users");
        Assert.Contains(contact, page);
        var member = $"{ApiClient.Unique("consultant")}@agency.example";
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/agency/users", Form(page, ("email", member), ("role", "member")))).StatusCode);

        var invite = SignInPath((await app.Mail.WaitForAsync(member)).Body);
        var memberBrowser = Browser(app);
        var signedIn = await memberBrowser.PostAsync(invite, Form(await memberBrowser.GetStringAsync(invite)));
        Assert.Equal("/agency", signedIn.Headers.Location!.OriginalString);
        var dashboard = await memberBrowser.GetStringAsync("/agency");
        Assert.DoesNotContain("/agency/users", dashboard);
        Assert.Equal(HttpStatusCode.Redirect, (await memberBrowser.GetAsync("/agency/users")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await memberBrowser.PostAsync("/agency/users", Form(dashboard, ("email", "x@agency.example"), ("role", "admin")))).StatusCode);
        var security = await memberBrowser.GetStringAsync("/console/security");
        Assert.Contains("data-state=\"off\"", security);
        Assert.Contains("/agency/candidates", security); // the agency's own navigation around it
    }
}

public sealed class AgencyWorkspaceTestsOnSqlite(SqliteApp app) : AgencyWorkspaceTests(app), IClassFixture<SqliteApp>;
public sealed class AgencyWorkspaceTestsOnPostgres(PostgresApp app) : AgencyWorkspaceTests(app), IClassFixture<PostgresApp>;
