using CareerRelay.Web.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CareerRelay.Tests.MultiNode;

/// <summary>Two nodes sending the due satisfaction surveys at once: each person is asked exactly once.</summary>
public abstract class SurveysAcrossNodesTests(CareerRelayApp app)
{
    [Fact]
    public async Task TwoNodesSendingDueSurveysTogether_AskEachPersonOnce()
    {
        const int people = 12;
        var api = app.Api();
        var (_, agency, _, token) = await api.CreateRelayAsync();
        var emails = Enumerable.Range(0, people).Select(i => $"{ApiClient.Unique($"sv{i}")}@example.jp").ToList();
        foreach (var email in emails) await api.RegisterAndVerifyAsync(token, email, agency.Id);
        foreach (var email in emails)
        {
            var id = (await api.PostAsync("/api/v1/public/me/export", new { token = await api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
            await app.WithDbAsync(db => db.Candidates.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RecommendationMails, true)));
        }
        app.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));

        await using var node2 = app.WithWebHostBuilder(_ => { });
        var sent = await Task.WhenAll(new[] { app.Services, node2.Services }.Select(async services =>
        {
            var total = 0;
            for (var pass = 0; pass < 5; pass++)
            {
                await using var scope = services.CreateAsyncScope();
                total += await scope.ServiceProvider.GetRequiredService<CareerRelay.Web.Features.Surveys.SatisfactionSurveys>().SendDueAsync(CancellationToken.None);
            }
            return total;
        }));

        Assert.Equal(people, sent.Sum());
        foreach (var email in emails)
            await Poll.UntilAsync(() => Task.FromResult(app.Mail.All().Count(m => m.To == email && m.Subject.Contains("感想", StringComparison.Ordinal)) == 1));
        await Task.Delay(300);
        Assert.All(emails, email => Assert.Single(app.Mail.All(), m => m.To == email && m.Subject.Contains("感想", StringComparison.Ordinal)));
    }
}

public sealed class SurveysAcrossNodesTestsOnSqlite(SqliteApp app) : SurveysAcrossNodesTests(app), IClassFixture<SqliteApp>;
public sealed class SurveysAcrossNodesTestsOnPostgres(PostgresApp app) : SurveysAcrossNodesTests(app), IClassFixture<PostgresApp>;
