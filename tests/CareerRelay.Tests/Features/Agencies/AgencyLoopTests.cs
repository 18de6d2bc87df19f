using System.Net;
using System.Text.Json.Nodes;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Operator;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Agencies;

/// <summary>The loop closed by agencies: visibility, support steps, introductions, placements, rewards and fulfilled redemptions.</summary>
public abstract class AgencyLoopTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    /// <summary>A candidate referred by company X who consented to agency A; a second agency B on the same link.</summary>
    private async Task<(ApiClient.Tenant X, ApiClient.Tenant A, ApiClient.Tenant B, string CandidateId, string Email, string XToken)> ReferredCandidateAsync()
    {
        var (x, a, linkId, token) = await _api.CreateRelayAsync();
        var b = await _api.CreateAgencyAsync();
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id, b.Id } }, x.Key);
        var email = $"{ApiClient.Unique("loop")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, a.Id, name: "紹介 太郎");
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
        return (x, a, b, candidateId, email, token);
    }

    [Fact]
    public async Task Agency_SeesOnlyItsConsentingCandidates_NotAnotherAgencysNorOneWhoWithdrew_AndUnknownStepsAre400()
    {
        var (_, a, b, candidateId, email, _) = await ReferredCandidateAsync();
        Assert.Contains(await ListAsync(a.Key), c => c["id"]!.GetValue<string>() == candidateId);
        Assert.DoesNotContain(await ListAsync(b.Key), c => c["id"]!.GetValue<string>() == candidateId);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", b.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/events", new { type = "contacted" }, b.Key)).Status);

        var (bad, problem) = await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/events", new { type = "lunch" }, a.Key);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/api/v1/agency/candidates?stage=lunch", a.Key)).Status);

        var (created, step) = await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/events", new { type = "contacted", note = "電話で初回面談を調整" }, a.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("contacted", step!["type"]!.GetValue<string>());
        var (_, detail) = await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", a.Key);
        Assert.Equal("contacted", detail!["stage"]!.GetValue<string>());
        Assert.Equal("電話で初回面談を調整", Assert.Single(detail["history"]!.AsArray())!["note"]!.GetValue<string>());
        Assert.Contains(await ListAsync(a.Key, "?stage=contacted"), c => c["id"]!.GetValue<string>() == candidateId);
        Assert.DoesNotContain(await ListAsync(a.Key, "?stage=new"), c => c["id"]!.GetValue<string>() == candidateId);
        var audited = await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.CandidateId == candidateId && e.Action == "candidate.view"));
        Assert.Equal(1, audited);

        await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = await _api.MeTokenAsync(email), agencyId = a.Id });
        Assert.DoesNotContain(await ListAsync(a.Key), c => c["id"]!.GetValue<string>() == candidateId);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", a.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/events", new { type = "interviewed" }, a.Key)).Status);
    }

    [Fact]
    public async Task Placement_OnARedeemedJob_FulfilsIt_WaivesTheFee_IsIdempotent_AndRewardsTheReferringCompany()
    {
        var (x, a, _, candidateId, _, _) = await ReferredCandidateAsync();
        // Company Y, another employer, has a free hire slot and spends it on a job.
        var (y, _, _, yToken) = await _api.CreateRelayAsync();
        await _api.QualifyAsync(yToken, (await app.WithDbAsync(db => db.CompanyPartnerAgencies.Where(p => p.CompanyId == y.Id).Select(p => p.AgencyId).FirstAsync())), 10);
        var jobId = await _api.CreateJobAsync(y.Key);
        var otherJob = await _api.CreateJobAsync(y.Key);
        var redemptionId = (await _api.PostAsync("/api/v1/company/redemptions", new { jobId }, y.Key)).Body!["id"]!.GetValue<string>();
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id } }, y.Key);

        var (_, inbox) = await _api.GetAsync("/api/v1/agency/redemptions", a.Key);
        Assert.Contains(inbox!["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == redemptionId);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/agency/redemptions/{redemptionId}/accept", null, a.Key)).Status);

        var (mismatch, problem) = await _api.PostAsync("/api/v1/agency/placements", new { candidateId, jobId = otherJob, startDate = "2027-01-04", redemptionId }, a.Key);
        Assert.Equal(HttpStatusCode.Conflict, mismatch);
        Assert.Equal("redemption_job_mismatch", problem!["code"]!.GetValue<string>());

        var xBefore = await _api.SummaryAsync(x.Key);
        var body = new { candidateId, jobId, startDate = "2027-01-04", redemptionId };
        var (created, placement) = await _api.PostAsync("/api/v1/agency/placements", body, a.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.True(placement!["feeWaived"]!.GetValue<bool>());
        var (again, same) = await _api.PostAsync("/api/v1/agency/placements", body, a.Key);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(placement["id"]!.GetValue<string>(), same!["id"]!.GetValue<string>());

        var (_, redemptions) = await _api.GetAsync("/api/v1/company/redemptions", y.Key);
        Assert.Equal("fulfilled", Assert.Single(redemptions!["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == redemptionId)!["status"]!.GetValue<string>());
        var (cancel, cancelProblem) = await _api.PostAsync($"/api/v1/company/redemptions/{redemptionId}/cancel", null, y.Key);
        Assert.Equal(HttpStatusCode.Conflict, cancel);
        Assert.Equal("redemption_fulfilled", cancelProblem!["code"]!.GetValue<string>());

        // X referred the candidate who was hired at Y: one reward slot (Relay:PlacementRewardSlots = 1 in this fixture), one placement.
        var xAfter = await _api.SummaryAsync(x.Key);
        Assert.Equal(ApiClient.Int(xBefore, "slotsEarned") + 1, ApiClient.Int(xAfter, "slotsEarned"));
        Assert.Equal(ApiClient.Int(xBefore, "slotsAvailable") + 1, ApiClient.Int(xAfter, "slotsAvailable"));
        Assert.Equal(1, ApiClient.Int(xAfter, "placements"));
        var (_, ledger) = await _api.GetAsync("/api/v1/company/ledger", x.Key);
        Assert.Contains(ledger!["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "slot.placement_reward" && e["reference"]!.GetValue<string>() == placement["id"]!.GetValue<string>());
        var verified = await app.WithDbAsync(db => app.Service<LedgerVerifier>().VerifyAsync(db, CancellationToken.None));
        Assert.True(verified.Ok, string.Join("; ", verified.Mismatches));
        Assert.Equal("placed", (await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", a.Key)).Body!["stage"]!.GetValue<string>());
    }

    [Fact]
    public async Task IdenticalPlacements_SentTogether_AreOnePlacement_WithOneReward()
    {
        var (x, a, _, candidateId, _, _) = await ReferredCandidateAsync();
        var body = new { candidateId, hiringCompanyName = "株式会社よそ", startDate = "2027-02-01" };
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _api.PostAsync("/api/v1/agency/placements", body, a.Key)));
        Assert.Single(answers, r => r.Status == HttpStatusCode.Created);
        Assert.All(answers, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.Status}: {r.Body}"));
        Assert.Single(answers.Select(r => r.Body!["id"]!.GetValue<string>()).Distinct());
        Assert.Equal(1, await app.WithDbAsync(db => db.Placements.CountAsync(p => p.CandidateId == candidateId)));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerEntries.CountAsync(e => e.CompanyId == x.Id && e.Type == "slot.placement_reward")));
        var (invalid, _) = await _api.PostAsync("/api/v1/agency/placements", new { candidateId, startDate = "next month" }, a.Key);
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
    }

    [Fact]
    public async Task Introduction_SharesNothingUntilTheCandidateAgrees_ThenTheCompanySeesTheProfileAndAProvisionIsRecorded()
    {
        var (_, a, _, candidateId, email, _) = await ReferredCandidateAsync();
        var hrEmail = $"{ApiClient.Unique("hr")}@hiring-co.example.jp";
        var (y, _, _, _) = await _api.CreateRelayAsync(contactEmail: hrEmail);
        var jobId = await _api.CreateJobAsync(y.Key);
        var (_, hidden) = await _api.GetAsync("/api/v1/agency/jobs?limit=100", a.Key);
        Assert.DoesNotContain(hidden!["items"]!.AsArray(), j => j!["id"]!.GetValue<string>() == jobId); // Y does not partner with A yet
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/introductions", new { jobId }, a.Key)).Status);
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id } }, y.Key);
        var (_, jobs) = await _api.GetAsync("/api/v1/agency/jobs?limit=100", a.Key);
        Assert.Contains(jobs!["items"]!.AsArray(), j => j!["id"]!.GetValue<string>() == jobId);

        var (created, introduction) = await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/introductions", new { jobId }, a.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("pending", introduction!["status"]!.GetValue<string>());
        var (hr, _) = await SignInAsync(app, hrEmail);
        Assert.DoesNotContain("紹介 太郎", await hr.GetStringAsync("/console/introductions"));
        for (var i = 0; i < 200 && !app.Mail.All().Any(m => m.To == email && m.Subject.Contains("紹介", StringComparison.Ordinal)); i++) await Task.Delay(50);
        Assert.Contains(app.Mail.All(), m => m.To == email && m.Subject.Contains("紹介", StringComparison.Ordinal));

        // The candidate agrees on their page.
        var me = await _api.MeTokenAsync(email);
        var browser = Browser(app);
        await browser.PostAsync($"/me/{me}", Form(await browser.GetStringAsync($"/me/{me}")));
        var page = await browser.GetStringAsync("/me");
        Assert.Contains("data-status=\"pending\"", page);
        var agreed = await browser.PostAsync($"/me/introductions/{introduction["id"]}/agree", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, agreed.StatusCode);

        var view = await hr.GetStringAsync("/console/introductions");
        Assert.Contains("紹介 太郎", view);
        Assert.Contains(email, view);
        var records = await app.WithDbAsync(db => db.ProvisionRecords.Where(p => p.CandidateId == candidateId && p.RecipientType == "company").ToListAsync());
        Assert.Equal(y.Id, Assert.Single(records).RecipientId);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.CandidateId == candidateId && e.ActorType == "company" && e.ActorId.StartsWith(y.Id))));
        // Another company sees nothing of it.
        var (z, _, _, _) = await _api.CreateRelayAsync(contactEmail: $"{ApiClient.Unique("hr")}@other-co.example.jp");
        var (other, _) = await SignInAsync(app, await app.WithDbAsync(db => db.Companies.Where(c => c.Id == z.Id).Select(c => c.ContactEmail).FirstAsync()));
        Assert.DoesNotContain("紹介 太郎", await other.GetStringAsync("/console/introductions"));
    }

    [Fact]
    public async Task Introduction_OfAPersonWithWorkHistory_AgreedOnTheirPage_KeepsTheirPageWorking_AndNamesTheItemsInTheirLanguage()
    {
        var (_, a, _, candidateId, email, _) = await ReferredCandidateAsync();
        var (y, _, _, _) = await _api.CreateRelayAsync();
        var jobId = await _api.CreateJobAsync(y.Key);
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id } }, y.Key);
        var me = await _api.MeTokenAsync(email);
        var browser = Browser(app);
        await browser.PostAsync($"/me/{me}", Form(await browser.GetStringAsync($"/me/{me}")));
        var page = await browser.GetStringAsync("/me");
        var saved = await browser.PostAsync("/me/profile", Form(page, ("name", "紹介 太郎"), ("careerSummary", "法人営業を6年。"),
            ("work0.company", "東京物産株式会社"), ("work0.title", "法人営業"), ("work0.from", "2019-04"), ("work0.to", "")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var (_, introduction) = await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/introductions", new { jobId }, a.Key);
        var agreed = await browser.PostAsync($"/me/introductions/{introduction!["id"]}/agree", Form(await browser.GetStringAsync("/me")));
        Assert.Equal(HttpStatusCode.Redirect, agreed.StatusCode);

        // The person can still see, export, withdraw and erase: the page answers, and reads the record in their language.
        var after = await browser.GetAsync(agreed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var html = await after.Content.ReadAsStringAsync();
        Assert.Contains("紹介に同意しました", html);
        var records = System.Text.RegularExpressions.Regex.Matches(html, "<li data-provision-id[^>]*>([^<]*)</li>").Select(m => m.Groups[1].Value);
        Assert.Contains(records, line => line.Contains("職務経歴", StringComparison.Ordinal) && line.Contains("職務要約", StringComparison.Ordinal));
        var english = await browser.GetAsync("/me?lang=en");
        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        Assert.Contains("work history", await english.Content.ReadAsStringAsync());
    }

    private async Task<List<JsonNode>> ListAsync(string key, string query = "") =>
        [.. (await _api.GetAsync($"/api/v1/agency/candidates{query}", key)).Body!["items"]!.AsArray().Select(n => n!)];
}

public sealed class RewardingSqliteApp() : CareerRelayApp(Provider.Sqlite)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Relay:PlacementRewardSlots"] = "1" };
}

public sealed class RewardingPostgresApp() : CareerRelayApp(Provider.Postgres)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Relay:PlacementRewardSlots"] = "1" };
}

public sealed class AgencyLoopTestsOnSqlite(RewardingSqliteApp app) : AgencyLoopTests(app), IClassFixture<RewardingSqliteApp>;
public sealed class AgencyLoopTestsOnPostgres(RewardingPostgresApp app) : AgencyLoopTests(app), IClassFixture<RewardingPostgresApp>;

/// <summary>With Relay:QualifyOn = AgencyContact a verified referral counts only once an agency records the first contact.</summary>
public abstract class AgencyContactQualifiesTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task FirstContact_QualifiesTheWaitingReferral_Once()
    {
        var (x, a, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("contact")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, a.Id);
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(x.Key), "qualifiedReferrals"));
        var candidateId = (await _api.GetAsync("/api/v1/agency/candidates", a.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();

        await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/events", new { type = "contacted" }, a.Key);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(x.Key), "qualifiedReferrals"));
        await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/events", new { type = "interviewed" }, a.Key);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(x.Key), "qualifiedReferrals"));
    }
}

public sealed class ContactQualifiesSqliteApp() : CareerRelayApp(Provider.Sqlite)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Relay:QualifyOn"] = "AgencyContact" };
}

public sealed class ContactQualifiesPostgresApp() : CareerRelayApp(Provider.Postgres)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Relay:QualifyOn"] = "AgencyContact" };
}

public sealed class AgencyContactQualifiesTestsOnSqlite(ContactQualifiesSqliteApp app) : AgencyContactQualifiesTests(app), IClassFixture<ContactQualifiesSqliteApp>;
public sealed class AgencyContactQualifiesTestsOnPostgres(ContactQualifiesPostgresApp app) : AgencyContactQualifiesTests(app), IClassFixture<ContactQualifiesPostgresApp>;
