using Microsoft.Data.Sqlite;

namespace CareerRelay.Tests.Features.Links;

public sealed class ClickShutdownTests
{
    [Fact]
    public async Task Clicks_CountedJustBeforeAGracefulShutdown_AreWrittenNotLost()
    {
        var app = new SqliteApp();
        await app.InitializeAsync();
        var api = app.Api();
        var (_, _, linkId, token) = await api.CreateRelayAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{token}"))
        {
            request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15");
            using var response = await api.Http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        var connectionString = app.ConnectionString;
        await app.DisposeAsync(); // graceful stop: the flusher writes what it holds

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT clicks FROM relay_links WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", linkId);
        var clicks = (long)(await cmd.ExecuteScalarAsync())!;
        Assert.True(clicks == 1, $"clicks = {clicks}; flusher logs: {string.Join(" | ", app.Logs.Where(l => l.Contains("Click", StringComparison.OrdinalIgnoreCase) || l.Contains("clicks")))}");
    }
}
