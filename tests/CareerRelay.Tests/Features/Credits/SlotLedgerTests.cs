using System.Net;

namespace CareerRelay.Tests.Features.Credits;

/// <summary>Slots, redemptions and the ledger through the API, including races, on a real database.</summary>
public abstract class SlotLedgerTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task TenQualifiedReferrals_EarnExactlyOneSlot_WithALedgerEntryReferencingTheTenth()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var ids = await _api.QualifyAsync(token, agency.Id, 9);
        var nine = await _api.SummaryAsync(company.Key);
        Assert.Equal(9, ApiClient.Int(nine, "progressToNextSlot"));
        Assert.Equal(0, ApiClient.Int(nine, "slotsEarned"));

        ids.AddRange(await _api.QualifyAsync(token, agency.Id, 2));
        var eleven = await _api.SummaryAsync(company.Key);
        Assert.Equal(11, ApiClient.Int(eleven, "qualifiedReferrals"));
        Assert.Equal(1, ApiClient.Int(eleven, "progressToNextSlot"));
        Assert.Equal(1, ApiClient.Int(eleven, "slotsEarned"));
        Assert.Equal(1, ApiClient.Int(eleven, "slotsAvailable"));

        var (_, ledger) = await _api.GetAsync("/api/v1/company/ledger", company.Key);
        Assert.Equal(1, ledger!["balance"]!.GetValue<int>());
        var entry = Assert.Single(ledger["entries"]!.AsArray())!;
        Assert.Equal("slot.earned", entry["type"]!.GetValue<string>());
        Assert.Equal(1, entry["amount"]!.GetValue<int>());
        Assert.Contains(entry["reference"]!.GetValue<string>(), ids);
    }

    [Fact]
    public async Task ParallelVerifications_200ForOneCompany_GiveExactlyTwentySlotsAndACleanLedger()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var emails = Enumerable.Range(0, 200).Select(_ => $"{ApiClient.Unique("par")}@example.jp").ToList();
        foreach (var batch in emails.Chunk(50))
            await Task.WhenAll(batch.Select(e => _api.RegisterAsync(token, e, agency.Id)));
        var codes = new List<string>();
        foreach (var e in emails) codes.Add(MailBox.VerificationCode(await app.Mail.WaitForAsync(e)));

        var answers = await Task.WhenAll(codes.Select(c => _api.PostAsync("/api/v1/public/verifications", new { code = c })));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));

        var summary = await _api.SummaryAsync(company.Key);
        Assert.Equal(200, ApiClient.Int(summary, "qualifiedReferrals"));
        Assert.Equal(20, ApiClient.Int(summary, "slotsEarned"));
        Assert.Equal(20, ApiClient.Int(summary, "slotsAvailable"));
        Assert.Equal(0, ApiClient.Int(summary, "progressToNextSlot"));
        var (_, verify) = await _api.GetAsync("/api/v1/admin/ledger/verify", CareerRelayApp.OperatorKey);
        Assert.True(verify!["ok"]!.GetValue<bool>(), verify.ToJsonString());
    }

    [Fact]
    public async Task OneConfirmationLink_PressedTwentyTimesAtOnce_CountsOnce_AndEveryPressSaysConfirmed()
    {
        // Two tabs, a double tap, a mail scanner that follows up: the same code at the same moment. Exactly one press is the
        // verification; the others find it verified (SPEC: "again: 200, no change").
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("twice")}@example.jp";
        await _api.RegisterAsync(token, email, agency.Id);
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(email));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _api.PostAsync("/api/v1/public/verifications", new { code })));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.Equal("verified", a.Body!["status"]!.GetValue<string>()));

        var summary = await _api.SummaryAsync(company.Key);
        Assert.Equal(1, ApiClient.Int(summary, "verified"));
        Assert.Equal(1, ApiClient.Int(summary, "qualifiedReferrals"));
        Assert.Equal(1, await app.WithDbAsync(db => db.ProvisionRecords.CountAsync(p => p.RecipientId == agency.Id)));
        var (_, verify) = await _api.GetAsync("/api/v1/admin/ledger/verify", CareerRelayApp.OperatorKey);
        Assert.True(verify!["ok"]!.GetValue<bool>(), verify.ToJsonString());
    }

    [Fact]
    public async Task ParallelRedemptions_AHundredAgainstABalanceOfOne_ExactlyOneSucceeds() // R3 (SPEC §8)
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        await _api.QualifyAsync(token, agency.Id, 10);
        var jobId = await _api.CreateJobAsync(company.Key);

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => _api.PostAsync("/api/v1/company/redemptions", new { jobId }, company.Key)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Status);
            Assert.Equal("insufficient_slots", a.Body!["code"]!.GetValue<string>());
        });
        var summary = await _api.SummaryAsync(company.Key);
        Assert.Equal(0, ApiClient.Int(summary, "slotsAvailable"));
        Assert.Equal(1, ApiClient.Int(summary, "slotsRedeemed"));
    }

    [Fact]
    public async Task Redemption_Cancelled_ReturnsTheSlotOnceByACompensatingEntry()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        await _api.QualifyAsync(token, agency.Id, 10);
        var jobId = await _api.CreateJobAsync(company.Key);
        var (created, redemption) = await _api.PostAsync("/api/v1/company/redemptions", new { jobId }, company.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("open", redemption!["status"]!.GetValue<string>());
        var id = redemption["id"]!.GetValue<string>();

        var cancels = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _api.PostAsync($"/api/v1/company/redemptions/{id}/cancel", null, company.Key)));
        Assert.All(cancels, c => Assert.Equal("cancelled", c.Body!["status"]!.GetValue<string>()));

        var (_, ledger) = await _api.GetAsync("/api/v1/company/ledger", company.Key);
        Assert.Equal(1, ledger!["balance"]!.GetValue<int>());
        Assert.Equal(["slot.earned", "slot.redeemed", "slot.returned"], ledger["entries"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        var (_, list) = await _api.GetAsync("/api/v1/company/redemptions", company.Key);
        Assert.Equal("cancelled", Assert.Single(list!["items"]!.AsArray())!["status"]!.GetValue<string>());
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(company.Key), "slotsRedeemed"));
    }

    [Fact]
    public async Task Reversal_OfTheTenthAfterItsSlotWasSpent_LeavesTheCompanyOwingOneUntilTheNextSlot()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var ids = await _api.QualifyAsync(token, agency.Id, 10);
        var jobId = await _api.CreateJobAsync(company.Key);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/company/redemptions", new { jobId }, company.Key)).Status);

        var (reversed, state) = await _api.PostAsync($"/api/v1/admin/referrals/{ids[0]}/reverse", new { reason = "operator review: fake applicant" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, reversed);
        Assert.Equal("reversed", state!["status"]!.GetValue<string>());
        var owing = await _api.SummaryAsync(company.Key);
        Assert.Equal(9, ApiClient.Int(owing, "qualifiedReferrals"));
        Assert.Equal(0, ApiClient.Int(owing, "slotsAvailable"));
        Assert.Equal(1, ApiClient.Int(owing, "slotsOwed"));
        Assert.Equal(0, ApiClient.Int(owing, "slotsEarned"));

        // Reversing again changes nothing; the next tenth referral settles the debt instead of adding to the balance.
        await _api.PostAsync($"/api/v1/admin/referrals/{ids[0]}/reverse", new { reason = "again" }, CareerRelayApp.OperatorKey);
        await _api.QualifyAsync(token, agency.Id, 1);
        var settled = await _api.SummaryAsync(company.Key);
        Assert.Equal(10, ApiClient.Int(settled, "qualifiedReferrals"));
        Assert.Equal(0, ApiClient.Int(settled, "slotsOwed"));
        Assert.Equal(0, ApiClient.Int(settled, "slotsAvailable"));
        Assert.Equal(1, ApiClient.Int(settled, "slotsEarned"));
        var (_, verify) = await _api.GetAsync("/api/v1/admin/ledger/verify", CareerRelayApp.OperatorKey);
        Assert.True(verify!["ok"]!.GetValue<bool>(), verify.ToJsonString());
    }

    [Fact]
    public async Task Reversal_WithASlotAvailable_TakesItBackAndCountsDown()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var ids = await _api.QualifyAsync(token, agency.Id, 10);
        await _api.PostAsync($"/api/v1/admin/referrals/{ids[3]}/reverse", new { reason = "duplicate account" }, CareerRelayApp.OperatorKey);
        var summary = await _api.SummaryAsync(company.Key);
        Assert.Equal(9, ApiClient.Int(summary, "qualifiedReferrals"));
        Assert.Equal(0, ApiClient.Int(summary, "slotsAvailable"));
        Assert.Equal(0, ApiClient.Int(summary, "slotsOwed"));
        var (_, ledger) = await _api.GetAsync("/api/v1/company/ledger", company.Key);
        Assert.Equal(["slot.earned", "slot.reversed"], ledger!["entries"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Redemption_ForAnotherCompanysJobOrWithoutSlots_IsRefused()
    {
        var (company, _, _, _) = await _api.CreateRelayAsync();
        var other = await _api.CreateCompanyAsync();
        var othersJob = await _api.CreateJobAsync(other.Key);
        var (status, body) = await _api.PostAsync("/api/v1/company/redemptions", new { jobId = othersJob }, company.Key);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", body!["code"]!.GetValue<string>());

        var ownJob = await _api.CreateJobAsync(company.Key);
        var (none, problem) = await _api.PostAsync("/api/v1/company/redemptions", new { jobId = ownJob }, company.Key);
        Assert.Equal(HttpStatusCode.Conflict, none);
        Assert.Equal("insufficient_slots", problem!["code"]!.GetValue<string>());
    }
}

public sealed class SlotLedgerTestsOnSqlite(SqliteApp app) : SlotLedgerTests(app), IClassFixture<SqliteApp>;
public sealed class SlotLedgerTestsOnPostgres(PostgresApp app) : SlotLedgerTests(app), IClassFixture<PostgresApp>;
