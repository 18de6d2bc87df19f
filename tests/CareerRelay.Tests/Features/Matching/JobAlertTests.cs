using CareerRelay.Web.Features.Matching;
using Microsoft.Extensions.DependencyInjection;

namespace CareerRelay.Tests.Features.Matching;

/// <summary>Weekly job alerts: only with opt-in, only new matching jobs, once a week, never from an excluded company, one-click unsubscribe.</summary>
public abstract class JobAlertTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private async Task<int> SendAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobAlerts>().SendDueAsync(CancellationToken.None);
    }

    [Fact]
    public async Task OptedInPerson_GetsTheWeeksMatchingJobs_OnceAWeek_WithUnsubscribe()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var optedIn = $"{ApiClient.Unique("alert")}@example.jp";
        var silent = $"{ApiClient.Unique("quiet")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, optedIn, agency.Id);
        await _api.RegisterAndVerifyAsync(token, silent, agency.Id);
        var id = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(optedIn) })).Body!["candidate"]!["id"]!.GetValue<string>();
        await app.WithDbAsync(db => db.Candidates.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RecommendationMails, true)));

        // Another company the agency works with posts a matching job; the company that rejected them posts one too.
        var other = await _api.CreateCompanyAsync(name: "株式会社つぎの会社");
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, other.Key);
        var jobId = await _api.CreateJobAsync(other.Key); // 法人営業 in Tokyo: matches the default profile
        await _api.CreateJobAsync(company.Key);
        var rejecting = await app.WithDbAsync(db => db.Companies.Where(c => c.Id == company.Id).Select(c => c.Name).FirstAsync());
        var before = app.Mail.All().Count(m => m.To == optedIn);
        Assert.Equal(1, await SendAsync());
        var mail = await app.Mail.WaitForAsync(optedIn, before + 1);
        Assert.Contains("おすすめ求人", mail.Subject);
        Assert.Contains("法人営業", mail.Body);
        Assert.Contains("株式会社つぎの会社", mail.Body);
        Assert.DoesNotContain(rejecting, mail.Body); // not the company that has just rejected them
        Assert.Contains("必須スキル", mail.Body);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", mail.Raw);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == silent && m.Subject.Contains("おすすめ", StringComparison.Ordinal));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await _api.CreateJobAsync(other.Key);
        Assert.Equal(0, await SendAsync()); // a week has not passed
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await SendAsync()); // the new job of the week
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await SendAsync()); // nothing new: no mail
        Assert.NotNull(jobId);
    }
}

public sealed class JobAlertTestsOnSqlite(SqliteApp app) : JobAlertTests(app), IClassFixture<SqliteApp>;
public sealed class JobAlertTestsOnPostgres(PostgresApp app) : JobAlertTests(app), IClassFixture<PostgresApp>;
