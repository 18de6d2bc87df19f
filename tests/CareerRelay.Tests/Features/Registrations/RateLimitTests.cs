using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>The public routes' budget per address and minute, as a visitor and an API client meet it.</summary>
public abstract class RateLimitTests(CareerRelayApp app)
{
    [Fact]
    public async Task PastTheMinutesBudget_PagesAnswerAFriendly429_TheApiAProblem_AndTheNextMinuteIsFree()
    {
        var (_, _, _, token) = await app.Api().CreateRelayAsync();
        await using var node = app.WithWebHostBuilder(b => b.UseSetting("RateLimiting:PublicPermitsPerMinute", "5"));
        using var http = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/public/links/{token}")).StatusCode);

        using var page = await http.GetAsync($"/r/{token}?lang=en");
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("60", page.Headers.RetryAfter!.ToString());
        Assert.Contains("Too many requests", await page.Content.ReadAsStringAsync());
        using var japanese = await http.GetAsync($"/r/{token}");
        Assert.Contains("アクセスが集中しています", await japanese.Content.ReadAsStringAsync());

        using var api = await http.GetAsync($"/api/v1/public/links/{token}");
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"code\":\"rate_limited\"", await api.Content.ReadAsStringAsync());

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/r/{token}")).StatusCode);
    }
}

public sealed class RateLimitTestsOnSqlite(SqliteApp app) : RateLimitTests(app), IClassFixture<SqliteApp>;
public sealed class RateLimitTestsOnPostgres(PostgresApp app) : RateLimitTests(app), IClassFixture<PostgresApp>;
