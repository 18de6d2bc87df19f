using System.Net;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using Microsoft.Extensions.DependencyInjection;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>Non-transactional mail: only after opt-in, always with one-click unsubscribe (List-Unsubscribe + List-Unsubscribe-Post).</summary>
public abstract class CandidateMailingTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private async Task<bool> SendRecommendationAsync(string candidateId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var mailing = scope.ServiceProvider.GetRequiredService<CandidateMailing>();
        return await scope.ServiceProvider.GetRequiredService<DbWriteGate>().RunAsync(db,
            ct => mailing.EnqueueAsync(candidateId, "recommendation", "おすすめ求人のお知らせ", "新しい求人があります。", "ja", ct), CancellationToken.None);
    }

    [Fact]
    public async Task RecommendationMail_OnlyAfterOptIn_CarriesOneClickUnsubscribe_WhichWorksFromTheMailProvider()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("optin")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var me = await _api.MeTokenAsync(email);
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Body!["candidate"]!["id"]!.GetValue<string>();

        Assert.False(await SendRecommendationAsync(candidateId)); // off until the person turns it on
        await app.WithDbAsync(db => db.Candidates.Where(c => c.Id == candidateId).ExecuteUpdateAsync(s => s.SetProperty(c => c.RecommendationMails, true)));
        var before = app.Mail.All().Count(m => m.To == email);
        Assert.True(await SendRecommendationAsync(candidateId));

        var mail = await app.Mail.WaitForAsync(email, before + 1);
        Assert.Contains("おすすめ", mail.Subject);
        var header = System.Text.RegularExpressions.Regex.Match(mail.Raw, @"List-Unsubscribe: <https://localhost(/unsubscribe/[^>]+)>").Groups[1].Value;
        Assert.NotEmpty(header);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", mail.Raw);
        Assert.Contains(header, mail.Body); // and a visible link for people

        // The provider's one-click POST: no session, no Origin, the RFC 8058 body.
        var forged = await _api.Http.PostAsync(header[..^4] + "xxxx", new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        var done = await _api.Http.PostAsync(header, new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.False((await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Body!["candidate"]!["recommendationMails"]!.GetValue<bool>());
        Assert.False(await SendRecommendationAsync(candidateId));
    }
}

public sealed class CandidateMailingTestsOnSqlite(SqliteApp app) : CandidateMailingTests(app), IClassFixture<SqliteApp>;
public sealed class CandidateMailingTestsOnPostgres(PostgresApp app) : CandidateMailingTests(app), IClassFixture<PostgresApp>;
