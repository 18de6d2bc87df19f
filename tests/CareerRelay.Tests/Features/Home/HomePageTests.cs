using System.Net;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Home;

/// <summary>The address the README prints: a newcomer who opens it learns what the service is and finds their way in.</summary>
public abstract class HomePageTests(CareerRelayApp app)
{
    [Theory]
    [InlineData("/", "ja", "求職者の方へ", "マイページ")]
    [InlineData("/?lang=en", "en", "For job seekers", "My page")]
    public async Task Root_IsAPage_ForEachKindOfVisitor_WithTheOperatorsDetails_InTheirLanguage(string path, string lang, string seekers, string myPage)
    {
        var response = await Browser(app).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<html lang=\"{lang}\"", html);
        Assert.Contains(seekers, html);
        Assert.Contains(myPage, html);
        var q = lang == "en" ? "?lang=en" : "";
        Assert.Contains($"href=\"/me{q}\"", html); // the job seeker's way in
        Assert.Contains($"href=\"/signin{q}\"", html); // companies' and agencies'
        Assert.Contains("href=\"/api/docs\"", html);
        Assert.Contains("特定募集情報等提供事業", html); // the operator's 表示, in both languages (the legal name of the business)
    }
}

public sealed class HomePageTestsOnSqlite(SqliteApp app) : HomePageTests(app), IClassFixture<SqliteApp>;
public sealed class HomePageTestsOnPostgres(PostgresApp app) : HomePageTests(app), IClassFixture<PostgresApp>;
