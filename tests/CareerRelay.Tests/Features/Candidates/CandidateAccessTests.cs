using System.Net;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>The way in without a password (SPEC §6): a sign-in link mailed to a known address only, usable for 30 minutes.</summary>
public abstract class CandidateAccessTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task SignInLink_Is202ForAnyAddress_WorksForManyPostsFor30Minutes_AndForgedOrExpiredTokensAre401()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("me")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);

        var unknown = $"{ApiClient.Unique("nobody")}@example.jp";
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/public/me/link", new { email = unknown })).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/public/me/link", new { email = "not an address" })).Status);

        var me = await _api.MeTokenAsync(email);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == unknown);
        // GETs (mail scanners) and several POSTs do not use it up.
        var browser = ConsoleSession.Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/me/{me}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/me/{me}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Status);

        foreach (var forged in new[] { me[..^2] + "xx", "x", "", new string('a', 500) })
        {
            var (status, problem) = await _api.PostAsync("/api/v1/public/me/export", new { token = forged });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthorized", problem!["code"]!.GetValue<string>());
        }
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/me/{me}")).StatusCode);
    }
}

public sealed class CandidateAccessTestsOnSqlite(SqliteApp app) : CandidateAccessTests(app), IClassFixture<SqliteApp>;
public sealed class CandidateAccessTestsOnPostgres(PostgresApp app) : CandidateAccessTests(app), IClassFixture<PostgresApp>;
