using System.Net;
using System.Text.Json.Nodes;
using CareerRelay.Web.Features.Operator;
using CareerRelay.Web.Features.Retention;

namespace CareerRelay.Tests.Features.Retention;

/// <summary>After the placement: follow-ups when they fall due, what an agency records, the free-hire guarantee, the legal figures.</summary>
public abstract class RetentionTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();
    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    private DateOnly Today => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime + Japan);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd");

    /// <summary>A person who consented to agency A (through company X's link), who may opt in to mail.</summary>
    private async Task<(ApiClient.Tenant A, string CandidateId, string Email)> PersonAsync(bool optIn = false)
    {
        var (_, a, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("placed")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, a.Id, name: "定着 花子");
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
        if (optIn)
            await app.WithDbAsync(db => db.Candidates.Where(c => c.Id == candidateId).ExecuteUpdateAsync(s => s.SetProperty(c => c.RecommendationMails, true)));
        return (a, candidateId, email);
    }

    private async Task<string> PlaceAsync(ApiClient.Tenant agency, string candidateId, DateOnly start, string? employmentType = "indefinite",
        string? company = null)
    {
        var (status, body) = await _api.PostAsync("/api/v1/agency/placements",
            new { candidateId, hiringCompanyName = company ?? ApiClient.Unique("株式会社"), startDate = Day(start), employmentType }, agency.Key);
        Assert.True(status == HttpStatusCode.Created, $"{status}: {body}");
        return body!["id"]!.GetValue<string>();
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> FollowUpAsync(ApiClient.Tenant agency, string placementId, object body) =>
        _api.PostAsync($"/api/v1/agency/placements/{placementId}/follow-ups", body, agency.Key);

    private Task<int> MakeDueChecksAsync() => app.Service<RetentionCheckJob>().RunOnceAsync(CancellationToken.None);

    private async Task<(bool Ok, string Problems)> VerifyLedgerAsync()
    {
        var verified = await app.WithDbAsync(db => app.Service<LedgerVerifier>().VerifyAsync(db, CancellationToken.None));
        return (verified.Ok, string.Join("; ", verified.Mismatches));
    }

    [Fact]
    public async Task FollowUps_FallDueCalendarMonthsAfterTheStart_OnAnyDayOfTheWeek_OncePerCheck_WithMailToTheAgencyAndTheOptedInPerson()
    {
        // Saturday 27 February 2027 in Japan; the placement started on 31 January, so its first check falls on Sunday 28 February.
        app.Clock.MoveForwardTo(new DateTimeOffset(2027, 2, 27, 1, 0, 0, TimeSpan.Zero));
        var (a, candidateId, email) = await PersonAsync(optIn: true);
        var placementId = await PlaceAsync(a, candidateId, new DateOnly(2027, 1, 31));
        var (b, quietCandidate, quietEmail) = await PersonAsync(optIn: false);
        var quietPlacement = await PlaceAsync(b, quietCandidate, new DateOnly(2027, 1, 31));
        var (c, leaverCandidate, leaverEmail) = await PersonAsync(optIn: true);
        var leaverPlacement = await PlaceAsync(c, leaverCandidate, new DateOnly(2027, 1, 31));

        await MakeDueChecksAsync();
        Assert.Equal(0, await app.WithDbAsync(db => db.PlacementChecks.CountAsync(c => c.PlacementId == placementId)));

        app.Clock.Advance(TimeSpan.FromDays(1)); // Sunday 28 February: no business-day rule moves it
        var agencyMails = app.Mail.All().Count(m => m.Subject.Contains("定着確認", StringComparison.Ordinal));
        await MakeDueChecksAsync();
        await MakeDueChecksAsync(); // a second pass (another node) makes nothing more
        var check = await app.WithDbAsync(db => db.PlacementChecks.SingleAsync(c => c.PlacementId == placementId));
        Assert.Equal(1, check.Month);
        Assert.Equal(new DateOnly(2027, 2, 28), check.DueOn);

        var personMail = await app.Mail.WaitForAsync(email, m => m.Subject.Contains("1か月", StringComparison.Ordinal));
        // Someone who did not opt in to mail gets none; their agency's check is made all the same.
        Assert.Null((await app.WithDbAsync(db => db.PlacementChecks.SingleAsync(c => c.PlacementId == quietPlacement))).PersonTokenHash);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == quietEmail && m.Body.Contains("/follow-up/", StringComparison.Ordinal));
        Assert.Contains("/follow-up/", personMail.Body);
        Assert.Contains("入社先の会社には伝わりません", personMail.Body);
        await Poll.UntilAsync(() => Task.FromResult(app.Mail.All().Count(m => m.Subject.Contains("定着確認", StringComparison.Ordinal)) > agencyMails));
        var agencyMail = app.Mail.All().Last(m => m.Subject.Contains("定着確認", StringComparison.Ordinal) && m.Body.Contains(candidateId, StringComparison.Ordinal));
        Assert.DoesNotContain("定着 花子", agencyMail.Body); // the pseudonymous id, never the name

        var (_, detail) = await _api.GetAsync($"/api/v1/agency/placements/{placementId}", a.Key);
        var checks = detail!["checks"]!.AsArray();
        Assert.Equal(["2027-02-28", "2027-04-30", "2027-07-31"], checks.Select(c => c!["dueOn"]!.GetValue<string>()));
        Assert.False(checks[0]!["done"]!.GetValue<bool>());

        // The person answers from the mail: a GET changes nothing, the POST records it once.
        var link = System.Text.RegularExpressions.Regex.Match(personMail.Body, @"https?://\S+(/follow-up/\S+)").Groups[1].Value;
        Assert.Contains("いまもお勤めですか", await _api.Http.GetStringAsync(link));
        var answered = await _api.Http.PostAsync(link, new FormUrlEncodedContent([new("answer", "employed")]));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var twice = await _api.Http.PostAsync(link, new FormUrlEncodedContent([new("answer", "left")]));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync(link)).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, twice.StatusCode);
        (_, detail) = await _api.GetAsync($"/api/v1/agency/placements/{placementId}", a.Key);
        Assert.Equal("employed", detail!["checks"]![0]!["personAnswer"]!.GetValue<string>());
        // Their own answer, and the placement it is about, are in what they can download (APPI art. 33).
        var export = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!;
        var exported = Assert.Single(export["placements"]!.AsArray())!;
        Assert.Equal("2027-01-31", exported["startDate"]!.GetValue<string>());
        Assert.Equal("employed", exported["yourAnswers"]![0]!["answer"]!.GetValue<string>());

        // Someone who answers "left" has their agency told at once (the pseudonymous id and the placement's page, no name).
        var leaverMail = await app.Mail.WaitForAsync(leaverEmail, m => m.Subject.Contains("1か月", StringComparison.Ordinal));
        var leaverLink = System.Text.RegularExpressions.Regex.Match(leaverMail.Body, @"https?://\S+(/follow-up/\S+)").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.PostAsync(leaverLink, new FormUrlEncodedContent([new("answer", "left")]))).StatusCode);
        var contact = await app.WithDbAsync(db => db.Agencies.Where(x => x.Id == c.Id).Select(x => x.ContactEmail).SingleAsync());
        var told = await app.Mail.WaitForAsync(contact, m => m.Subject.Contains("退職した", StringComparison.Ordinal));
        Assert.Contains(leaverCandidate, told.Body);
        Assert.Contains($"/agency/placements/{leaverPlacement}", told.Body);
        Assert.DoesNotContain("定着 花子", told.Body);

        // Recording the check takes it off the to-do list, and no second check is made for the same month.
        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(a, placementId, new { status = "employed" })).Status);
        (_, detail) = await _api.GetAsync($"/api/v1/agency/placements/{placementId}", a.Key);
        Assert.True(detail!["checks"]![0]!["done"]!.GetValue<bool>());
        Assert.Equal(1, detail["followUps"]![0]!["checkMonth"]!.GetValue<int>());
    }

    [Fact]
    public async Task FollowUp_IsValidated_TheSameAgainAnswers200_AndAnotherAgencysPlacementIs404()
    {
        var (a, candidateId, _) = await PersonAsync();
        var start = Today.AddDays(-40);
        var placementId = await PlaceAsync(a, candidateId, start);
        var other = await _api.CreateAgencyAsync();

        foreach (var (body, field) in new (object, string)[]
        {
            (new { status = "retired" }, "status"),
            (new { status = "left" }, "leftOn"),
            (new { status = "left", leftOn = "40日前" }, "leftOn"),
            (new { status = "left", leftOn = Day(start.AddDays(-1)) }, "leftOn"),
            (new { status = "left", leftOn = Day(Today.AddDays(1)) }, "leftOn"),
            (new { status = "left", leftOn = Day(Today), reason = "boredom" }, "reason"),
            (new { status = "employed", leftOn = Day(Today) }, "leftOn"),
            (new { status = "unknown", reason = "voluntary" }, "reason"),
        })
        {
            var (status, problem) = await FollowUpAsync(a, placementId, body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
            Assert.True(problem["errors"]![field] is not null, $"{body}: {problem}");
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.PlacementFollowUps.CountAsync(f => f.PlacementId == placementId)));

        var (created, first) = await FollowUpAsync(a, placementId, new { status = "employed" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(1, first!["checkMonth"]!.GetValue<int>()); // 40 days after the start: the 1-month check
        var (again, same) = await FollowUpAsync(a, placementId, new { status = "employed" });
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(first["id"]!.GetValue<string>(), same!["id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await FollowUpAsync(other, placementId, new { status = "employed" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/agency/placements/{placementId}", other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await FollowUpAsync(a, "no-such-placement", new { status = "employed" })).Status);

        var (_, left) = await FollowUpAsync(a, placementId, new { status = "left", leftOn = Day(Today.AddDays(-3)) });
        Assert.Equal("unknown", left!["reason"]!.GetValue<string>()); // a leave without a reason given is "unknown"
        var (_, detail) = await _api.GetAsync($"/api/v1/agency/placements/{placementId}", a.Key);
        Assert.Equal("left", detail!["status"]!.GetValue<string>());
        Assert.Equal(2, detail["followUps"]!.AsArray().Count);
    }

    /// <summary>Company Y spends a slot on a job and agency A fills it: a free hire <paramref name="daysAgo"/> days ago.</summary>
    private async Task<(ApiClient.Tenant Y, ApiClient.Tenant A, string PlacementId)> FreeHireAsync(int daysAgo)
    {
        var (y, a, _, token) = await _api.CreateRelayAsync();
        await _api.QualifyAsync(token, a.Id, 10);
        var jobId = await _api.CreateJobAsync(y.Key);
        var redemptionId = (await _api.PostAsync("/api/v1/company/redemptions", new { jobId }, y.Key)).Body!["id"]!.GetValue<string>();
        var email = $"{ApiClient.Unique("free")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, a.Id);
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
        var (status, placement) = await _api.PostAsync("/api/v1/agency/placements",
            new { candidateId, jobId, startDate = Day(Today.AddDays(-daysAgo)), redemptionId }, a.Key);
        Assert.True(status == HttpStatusCode.Created, $"{status}: {placement}");
        Assert.Equal("indefinite", placement!["employmentType"]!.GetValue<string>()); // from the job (full_time)
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(y.Key), "slotsAvailable"));
        return (y, a, placement["id"]!.GetValue<string>());
    }

    private Task<int> ReturnsAsync(string placementId, string type) =>
        app.WithDbAsync(db => db.LedgerEntries.CountAsync(e => e.Reference == placementId && e.Type == type));

    [Fact]
    public async Task Guarantee_AnEarlyLeave_GivesTheSlotBackOnce_EvenUnderRacingFollowUps_AndACorrectionTakesItBack()
    {
        var (y, a, placementId) = await FreeHireAsync(daysAgo: 30);
        var leave = new { status = "left", leftOn = Day(Today.AddDays(-2)), reason = "voluntary" };
        var contractEnd = new { status = "left", leftOn = Day(Today.AddDays(-2)), reason = "contract_end" };
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => FollowUpAsync(a, placementId, i % 2 == 0 ? leave : contractEnd)));
        Assert.All(answers, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.Status}: {r.Body}"));

        Assert.Equal(1, await ReturnsAsync(placementId, "slot.returned_early_leave"));
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(y.Key), "slotsAvailable"));
        var (_, ledger) = await _api.GetAsync("/api/v1/company/ledger", y.Key);
        Assert.Contains(ledger!["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "slot.returned_early_leave");
        var verified = await VerifyLedgerAsync();
        Assert.True(verified.Ok, verified.Problems);
        Assert.True((await _api.GetAsync($"/api/v1/agency/placements/{placementId}", a.Key)).Body!["slotReturned"]!.GetValue<bool>());

        // "Unknown" says nothing new: the slot stays back.
        await FollowUpAsync(a, placementId, new { status = "unknown" });
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(y.Key), "slotsAvailable"));
        Assert.True((await VerifyLedgerAsync()).Ok);

        // Still employed after all: the slot is taken back by a compensating entry.
        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(a, placementId, new { status = "employed" })).Status);
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(y.Key), "slotsAvailable"));
        Assert.Equal(1, await ReturnsAsync(placementId, "slot.early_leave_reversed"));
        verified = await VerifyLedgerAsync();
        Assert.True(verified.Ok, verified.Problems);
        Assert.False((await _api.GetAsync($"/api/v1/agency/placements/{placementId}", a.Key)).Body!["slotReturned"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Guarantee_ReturnsNothing_ForADismissal_OrALeaveAfterThePeriod()
    {
        var (y, a, dismissed) = await FreeHireAsync(daysAgo: 30);
        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(a, dismissed, new { status = "left", leftOn = Day(Today.AddDays(-1)), reason = "dismissal" })).Status);
        Assert.Equal(0, await ReturnsAsync(dismissed, "slot.returned_early_leave"));
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(y.Key), "slotsAvailable"));

        var (z, b, late) = await FreeHireAsync(daysAgo: 120);
        // Left 91 days after the start (Relay:SlotGuaranteeDays = 90): outside the guarantee.
        var (status, _) = await FollowUpAsync(b, late, new { status = "left", leftOn = Day(Today.AddDays(-120 + 91)), reason = "voluntary" });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(0, await ReturnsAsync(late, "slot.returned_early_leave"));
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(z.Key), "slotsAvailable"));
        // The 90th day is still inside it (a correction of the date).
        await FollowUpAsync(b, late, new { status = "left", leftOn = Day(Today.AddDays(-120 + 90)), reason = "voluntary" });
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(z.Key), "slotsAvailable"));
        var verified = await VerifyLedgerAsync();
        Assert.True(verified.Ok, verified.Problems);
    }

    [Fact]
    public async Task Disclosure_ForASeededFiscalYear_EqualsTheCountsMadeByHand_OnTheApiThePublicPageAndTheCsv()
    {
        var (a, candidateId, _) = await PersonAsync();
        var fy = Today.Month >= 4 ? Today.Year : Today.Year - 1;
        // Seeded in the fiscal year before the current one, so every six months in it have passed whatever day the clock shows.
        var year = fy - 1;
        DateOnly D(int month, int day) => new(month >= 4 ? year : year + 1, month, day);

        var left = await PlaceAsync(a, candidateId, D(4, 10));                 // indefinite, left within six months: counted
        var dismissed = await PlaceAsync(a, candidateId, D(4, 15));            // indefinite, dismissed within six months: not counted
        await PlaceAsync(a, candidateId, D(5, 1));                             // indefinite, never followed up: unknown
        var employed = await PlaceAsync(a, candidateId, D(5, 1));              // indefinite, employed when asked after six months
        var fixedTerm = await PlaceAsync(a, candidateId, D(6, 1), "fixed_term"); // not indefinite
        var leftLate = await PlaceAsync(a, candidateId, D(9, 1));              // indefinite, left after seven months: neither
        await PlaceAsync(a, candidateId, D(3, 31), employmentType: null);      // type not stated: a placement, not indefinite
        await PlaceAsync(a, candidateId, new DateOnly(year, 3, 31));           // the year before: not in this one
        await PlaceAsync(a, candidateId, new DateOnly(year + 1, 4, 1));        // the year after: not in this one

        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(a, left, new { status = "left", leftOn = Day(D(6, 1)), reason = "voluntary" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(a, dismissed, new { status = "left", leftOn = Day(D(5, 1)), reason = "dismissal" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(a, employed, new { status = "employed" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(a, fixedTerm, new { status = "left", leftOn = Day(D(7, 1)), reason = "contract_end" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(a, leftLate, new { status = "left", leftOn = Day(D(9, 1).AddMonths(7)), reason = "voluntary" })).Status);

        var (ok, figures) = await _api.GetAsync($"/api/v1/agency/disclosures?fiscalYear={year}", a.Key);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal($"{year}-04-01", figures!["from"]!.GetValue<string>());
        Assert.Equal($"{year + 1}-03-31", figures["to"]!.GetValue<string>());
        Assert.Equal(7, figures["placements"]!.GetValue<int>());
        Assert.Equal(5, figures["indefinite"]!.GetValue<int>());
        Assert.Equal(1, figures["indefiniteLeftWithinSixMonths"]!.GetValue<int>());
        Assert.Equal(1, figures["indefiniteUnknown"]!.GetValue<int>());

        foreach (var bad in new[] { "abc", "1999", (fy + 1).ToString() })
        {
            var (status, problem) = await _api.GetAsync($"/api/v1/agency/disclosures?fiscalYear={bad}", a.Key);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        }

        // The public page shows the last complete fiscal year (this one) and the current one, in both languages.
        var page = await _api.Http.GetStringAsync($"/agencies/{a.Id}/disclosure");
        Assert.Contains($"data-fiscal-year=\"{year}\"", page);
        Assert.Contains($"data-fiscal-year=\"{fy}\"", page);
        Assert.Contains($"data-fiscal-year=\"{year}\" data-field=\"Placements\">7<", page);
        Assert.Contains("lang=\"ja\"", page);
        Assert.Contains(": placement record", await _api.Http.GetStringAsync($"/agencies/{a.Id}/disclosure?lang=en"));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync("/agencies/no-such-agency/disclosure")).StatusCode);
    }

    [Fact]
    public async Task RefundRule_IsValidated_ShownBesideTheFees_AndAnEarlyLeaveShowsItsShare_ToTheAgencyAndTheHiringCompany()
    {
        var hr = $"{ApiClient.Unique("hr")}@hiring.example.jp";
        var contact = $"{ApiClient.Unique("desk")}@agency.example";
        var y = await _api.CreateCompanyAsync(contactEmail: hr);
        var a = await _api.CreateAgencyAsync(contactEmail: contact);
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id } }, y.Key);
        var token = (await _api.PostAsync("/api/v1/company/links", new { label = "秋" }, y.Key)).Body!["token"]!.GetValue<string>();

        foreach (var bad in new object[]
        {
            new { tiers = new[] { new { withinMonths = 0, percent = 80 } } },
            new { tiers = new[] { new { withinMonths = 1, percent = 120 } } },
            new { tiers = new[] { new { withinMonths = 3, percent = 50 }, new { withinMonths = 1, percent = 80 } } }, // months must rise
            new { tiers = new[] { new { withinMonths = 1, percent = 50 }, new { withinMonths = 3, percent = 80 } } }, // shares must not
            new { },
        })
        {
            var (status, problem) = await _api.PutAsync("/api/v1/agency/refund-rule", bad, a.Key);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        }
        var rule = new { tiers = new[] { new { withinMonths = 1, percent = 80 }, new { withinMonths = 3, percent = 50 } } };
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsync("/api/v1/agency/refund-rule", rule, a.Key)).Status);
        Assert.Equal(2, (await _api.GetAsync("/api/v1/agency/refund-rule", a.Key)).Body!["tiers"]!.AsArray().Count);
        var landing = await _api.Http.GetStringAsync($"/r/{token}");
        Assert.Contains("1か月以内 80%、3か月以内 50%", landing);
        Assert.Contains($"/agencies/{a.Id}/disclosure", landing); // the agency's published figures, one link away

        // A hire on Y's job through an introduction the person agreed to; they leave after 40 days.
        var email = $"{ApiClient.Unique("hire")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, a.Id, name: "返金 次郎");
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
        var jobId = await _api.CreateJobAsync(y.Key);
        var introduction = (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/introductions", new { jobId }, a.Key)).Body!["id"]!.GetValue<string>();
        var person = ConsoleSession.Browser(app);
        var me = await _api.MeTokenAsync(email);
        await person.PostAsync($"/me/{me}", ConsoleSession.Form(await person.GetStringAsync($"/me/{me}")));
        var agreed = await person.PostAsync($"/me/introductions/{introduction}/agree", ConsoleSession.Form(await person.GetStringAsync("/me")));
        Assert.Equal(HttpStatusCode.Redirect, agreed.StatusCode);
        var (placed, placement) = await _api.PostAsync("/api/v1/agency/placements", new { candidateId, jobId, startDate = Day(Today.AddDays(-60)) }, a.Key);
        Assert.Equal(HttpStatusCode.Created, placed);
        var placementId = placement!["id"]!.GetValue<string>();

        // The agency records the leave in its workspace; the form's problems are shown beside the fields first.
        var (agency, _) = await ConsoleSession.SignInAsync(app, contact, "/agency");
        var page = await agency.GetStringAsync($"/agency/placements/{placementId}");
        var refused = await agency.PostAsync($"/agency/placements/{placementId}/follow-ups", ConsoleSession.Form(page, ("status", "left"), ("leftOn", ""), ("reason", "voluntary")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"leftOn-error\"", await refused.Content.ReadAsStringAsync());
        var recorded = await agency.PostAsync($"/agency/placements/{placementId}/follow-ups",
            ConsoleSession.Form(page, ("status", "left"), ("leftOn", Day(Today.AddDays(-20))), ("reason", "voluntary")));
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var after = await agency.GetStringAsync(recorded.Headers.Location!.OriginalString);
        Assert.Contains("定着確認を記録しました", after);
        Assert.Contains("紹介手数料の50%が返金の対象です", after); // left after 40 days: the three-month step

        // The hiring company sees the leave and the share on its introductions page — not the reason.
        var (company, _) = await ConsoleSession.SignInAsync(app, hr);
        var introductions = await company.GetStringAsync("/console/introductions");
        Assert.Contains("返金 次郎", introductions);
        Assert.Contains("紹介手数料の50%が返金の対象です", introductions);
        Assert.DoesNotContain("自己都合", introductions);

        // The disclosures page, its CSV and the refund rule form.
        var disclosures = await agency.GetStringAsync("/agency/disclosures");
        Assert.Contains("1か月以内 80%", disclosures);
        var csv = await agency.GetAsync($"/agency/disclosures.csv?fiscalYear={(Today.Month >= 4 ? Today.Year : Today.Year - 1)}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var csvText = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("年度,開始日,終了日,就職者数", csvText.TrimStart('\uFEFF'));
        var saved = await agency.PostAsync("/agency/refund-rule", ConsoleSession.Form(disclosures, ("months0", "2"), ("percent0", "60"), ("months1", "x"), ("percent1", "")));
        Assert.Equal(HttpStatusCode.BadRequest, saved.StatusCode); // "x" is not a number: refused, nothing saved
        Assert.Equal(2, (await _api.GetAsync("/api/v1/agency/refund-rule", a.Key)).Body!["tiers"]!.AsArray().Count);
        saved = await agency.PostAsync("/agency/refund-rule", ConsoleSession.Form(disclosures, ("months0", "2"), ("percent0", "60")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(60, (await _api.GetAsync("/api/v1/agency/refund-rule", a.Key)).Body!["tiers"]![0]!["percent"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheToDoList_ShowsTheDueCheck_UntilItIsRecorded()
    {
        var contact = $"{ApiClient.Unique("desk")}@agency.example";
        var (_, a, _, token) = await _api.CreateRelayAsync();
        var agencyWithContact = await _api.CreateAgencyAsync(contactEmail: contact);
        var email = $"{ApiClient.Unique("todo")}@example.jp";
        var (x, _, _, xToken) = await _api.CreateRelayAsync();
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agencyWithContact.Id } }, x.Key);
        await _api.RegisterAndVerifyAsync(xToken, email, agencyWithContact.Id, name: "予定 四郎");
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
        var placementId = await PlaceAsync(agencyWithContact, candidateId, Today.AddMonths(-1));
        await MakeDueChecksAsync();

        var (agency, _) = await ConsoleSession.SignInAsync(app, contact, "/agency");
        var list = await agency.GetStringAsync("/agency/follow-ups");
        Assert.Contains($"data-placement-id=\"{placementId}\"", list);
        Assert.Contains("予定 四郎", list);
        Assert.Equal(HttpStatusCode.Created, (await FollowUpAsync(agencyWithContact, placementId, new { status = "employed" })).Status);
        Assert.DoesNotContain($"data-placement-id=\"{placementId}\"", await agency.GetStringAsync("/agency/follow-ups"));
        // Another agency's placement is not there to see.
        Assert.Equal(HttpStatusCode.NotFound, (await agency.GetAsync($"/agency/placements/{await PlaceAsync(a, await OtherCandidateAsync(token, a), Today)}")).StatusCode);
    }

    [Fact]
    public async Task Kpis_RetentionAndTimeToHire_ForTheHiringCompany_ThePeopleARelayerSentOn_FromFive_TheAgencyAndTheReport()
    {
        // Company X relays six people to agency A; A places all six at company Y, ten days after they registered.
        var (x, a, _, xToken) = await _api.CreateRelayAsync();
        var hr = $"{ApiClient.Unique("hr")}@hiring.example.jp";
        var y = await _api.CreateCompanyAsync(contactEmail: hr);
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id } }, y.Key);
        var jobId = await _api.CreateJobAsync(y.Key);
        var people = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var email = $"{ApiClient.Unique("kpi")}@example.jp";
            await _api.RegisterAndVerifyAsync(xToken, email, a.Id);
            people.Add((await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>());
        }
        app.Clock.Advance(TimeSpan.FromDays(10));
        var start = Today.AddDays(-200); // six months have passed
        var placements = new List<string>();
        foreach (var candidateId in people)
        {
            var (status, body) = await _api.PostAsync("/api/v1/agency/placements", new { candidateId, jobId, startDate = Day(start) }, a.Key);
            Assert.Equal(HttpStatusCode.Created, status);
            placements.Add(body!["id"]!.GetValue<string>());
        }
        // One left within six months, three are still there when asked now, one is not asked yet, one (below) later.
        await FollowUpAsync(a, placements[0], new { status = "left", leftOn = Day(start.AddDays(30)), reason = "voluntary" });
        foreach (var id in placements.Skip(1).Take(3)) await FollowUpAsync(a, id, new { status = "employed" });

        var (_, hiring) = await _api.GetAsync("/api/v1/company/retention", y.Key);
        Assert.Equal(4, hiring!["hires"]!["retention"]!["known"]!.GetValue<int>());
        Assert.Equal(3, hiring["hires"]!["retention"]!["stayed"]!.GetValue<int>());
        Assert.Equal(2, hiring["hires"]!["retention"]!["unknown"]!.GetValue<int>());
        Assert.Equal(75.0, hiring["hires"]!["retention"]!["rate"]!.GetValue<double>());
        Assert.Equal(10.0, hiring["hires"]!["leadTime"]!["medianDays"]!.GetValue<double>());
        // X sent these people on: about another company's hires, nothing below five.
        var (_, relayer) = await _api.GetAsync("/api/v1/company/retention", x.Key);
        Assert.Null(relayer!["relayedElsewhere"]!["retention"]!["rate"]?.GetValue<double>());
        Assert.Null(relayer["relayedElsewhere"]!["retention"]!["stayed"]?.GetValue<int>());
        Assert.Equal(10.0, relayer["relayedElsewhere"]!["leadTime"]!["medianDays"]!.GetValue<double>()); // six people
        Assert.Equal(0, relayer["hires"]!["retention"]!["known"]!.GetValue<int>());

        await FollowUpAsync(a, placements[4], new { status = "employed" });
        (_, relayer) = await _api.GetAsync("/api/v1/company/retention", x.Key);
        Assert.Equal(80.0, relayer!["relayedElsewhere"]!["retention"]!["rate"]!.GetValue<double>());

        // The same figures on Y's dashboard and in its monthly report's CSV (as of this month's end).
        var (console, _) = await ConsoleSession.SignInAsync(app, hr);
        var dashboard = await console.GetStringAsync("/console");
        Assert.Contains("80.0%", dashboard);
        Assert.Contains("定着率（リレー経由の採用・6か月）", dashboard);
        var csv = await console.GetStringAsync($"/console/reports.csv?month={Today:yyyy-MM}");
        Assert.Contains(",retentionHires,", csv);
        Assert.Contains("80", csv.Split('\n').Single(l => l.Contains(",retentionHires,", StringComparison.Ordinal)));
        // A month before the placements were recorded, nothing was known.
        var before = await console.GetStringAsync($"/console/reports.csv?month={Today.AddMonths(-2):yyyy-MM}");
        Assert.EndsWith(",", before.Split("\r\n").Single(l => l.Contains(",retentionHires,", StringComparison.Ordinal)));
    }

    private async Task<string> OtherCandidateAsync(string token, ApiClient.Tenant agency)
    {
        var email = $"{ApiClient.Unique("other")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        return (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
    }
}

public sealed class RetentionTestsOnSqlite(SqliteApp app) : RetentionTests(app), IClassFixture<SqliteApp>;
public sealed class RetentionTestsOnPostgres(PostgresApp app) : RetentionTests(app), IClassFixture<PostgresApp>;
