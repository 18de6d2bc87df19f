using System.Net;
using System.Text.RegularExpressions;
using CareerRelay.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Surveys;

/// <summary>The satisfaction survey: due after Relay:SurveyAfterDays, mailed only with opt-in, answered once, shown only for groups of five.</summary>
public abstract class SurveyTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private async Task<int> SendDueAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CareerRelay.Web.Features.Surveys.SatisfactionSurveys>().SendDueAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Survey_ReachesOnlyThoseWhoOptedIn_IsAnsweredOnce_AndResultsShowFromFiveAnswers()
    {
        var hr = $"{ApiClient.Unique("hr")}@survey-co.example.jp";
        var (company, agency, _, token) = await _api.CreateRelayAsync(contactEmail: hr);
        var emails = Enumerable.Range(0, 6).Select(i => $"{ApiClient.Unique($"s{i}")}@example.jp").ToList();
        foreach (var email in emails) await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var optedIn = emails.Take(5).ToList();
        await app.WithDbAsync(async db =>
        {
            foreach (var email in optedIn)
            {
                var id = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
                await db.Candidates.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RecommendationMails, true));
            }
            return 0;
        });

        Assert.Equal(0, await SendDueAsync()); // not due yet
        app.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        Assert.Equal(5, await SendDueAsync());
        Assert.Equal(0, await SendDueAsync()); // each once

        var links = new List<string>();
        foreach (var email in optedIn)
        {
            var mail = await WaitForSubjectAsync(email, "感想");
            Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", mail.Raw);
            links.Add(Regex.Match(mail.Body, @"https://localhost(/survey/[A-Za-z0-9_\-]+)").Groups[1].Value);
        }
        await Task.Delay(300);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == emails[5] && m.Subject.Contains("感想", StringComparison.Ordinal));

        var browser = Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(links[0])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync(links[0], Fields(("score", "11")))).StatusCode);
        var scores = new[] { 10, 9, 8, 7, 6 };
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(links[i], Fields(("score", scores[i].ToString()), ("comment", "丁寧に対応してもらえました")))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await browser.PostAsync(links[0], Fields(("score", "0")))).StatusCode); // answered once
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(links[0])).StatusCode);

        var (console, _) = await SignInAsync(app, hr);
        var dashboard = await console.GetStringAsync("/console");
        Assert.Matches(@"data-field=""satisfaction""><span class=""figure"">—</span>", dashboard);
        Assert.Contains("回答4件", dashboard); // fewer than five: no figure

        await browser.PostAsync(links[4], Fields(("score", "6")));
        dashboard = await console.GetStringAsync("/console");
        Assert.Matches(@"data-field=""satisfaction""><span class=""figure"">8\.0</span>", dashboard);
        await using var scope = app.Services.CreateAsyncScope();
        var agencyResult = await scope.ServiceProvider.GetRequiredService<CareerRelay.Web.Features.Surveys.SatisfactionSurveys>().ForAgencyAsync(agency.Id, CancellationToken.None);
        Assert.Equal((5, (double?)8.0), (agencyResult.Answers, agencyResult.Average));
    }

    private async Task<MailBox.Mail> WaitForSubjectAsync(string to, string subject)
    {
        for (var i = 0; i < 200; i++)
        {
            var mail = app.Mail.All().FirstOrDefault(m => m.To == to && m.Subject.Contains(subject, StringComparison.Ordinal));
            if (mail is not null) return mail;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No '{subject}' mail to {to}.");
    }

    private static FormUrlEncodedContent Fields(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}

public sealed class SurveyTestsOnSqlite(SqliteApp app) : SurveyTests(app), IClassFixture<SqliteApp>;
public sealed class SurveyTestsOnPostgres(PostgresApp app) : SurveyTests(app), IClassFixture<PostgresApp>;
