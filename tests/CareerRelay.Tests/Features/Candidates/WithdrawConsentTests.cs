using System.Net;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>Withdrawing consent to an agency: the agency loses the person at once and is told.</summary>
public abstract class WithdrawConsentTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Withdrawal_TakesTheCandidateAwayFromTheAgencyAtOnce_AndTellsTheAgency()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("withdraw")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        Assert.Contains(await AgencyEmailsAsync(agency.Key), e => e == email);
        var me = await _api.MeTokenAsync(email);

        var other = await _api.CreateAgencyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = other.Id })).Status);

        var (status, body) = await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = agency.Id });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("withdrawn", body!["status"]!.GetValue<string>());
        Assert.DoesNotContain(await AgencyEmailsAsync(agency.Key), e => e == email);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = agency.Id })).Status);

        var (_, export) = await _api.PostAsync("/api/v1/public/me/export", new { token = me });
        var candidateId = export!["candidate"]!["id"]!.GetValue<string>();
        var contact = await app.WithDbAsync(db => db.Agencies.Where(a => a.Id == agency.Id).Select(a => a.ContactEmail).FirstAsync());
        // Test agencies may share a contact address; find the mail about this candidate.
        MailBox.Mail? notice = null;
        for (var i = 0; i < 200 && notice is null; i++, await Task.Delay(50))
            notice = app.Mail.All().FirstOrDefault(m => m.To == contact && m.Body.Contains(candidateId, StringComparison.Ordinal) && m.Subject.Contains("同意を撤回", StringComparison.Ordinal));
        Assert.NotNull(notice);
        Assert.Contains("同意を撤回", notice.Subject);
        Assert.DoesNotContain(email, notice.Body); // the agency is told who by pseudonymous id only
        Assert.NotNull(export!["consents"]![0]!["withdrawnAt"]);
    }

    private async Task<List<string>> AgencyEmailsAsync(string agencyKey) =>
        [.. (await _api.GetAsync("/api/v1/agency/candidates?limit=100", agencyKey)).Body!["items"]!.AsArray().Select(i => i!["email"]!.GetValue<string>())];
}

public sealed class WithdrawConsentTestsOnSqlite(SqliteApp app) : WithdrawConsentTests(app), IClassFixture<SqliteApp>;
public sealed class WithdrawConsentTestsOnPostgres(PostgresApp app) : WithdrawConsentTests(app), IClassFixture<PostgresApp>;
