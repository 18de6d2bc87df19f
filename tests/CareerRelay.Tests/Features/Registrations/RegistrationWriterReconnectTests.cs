using System.Net;
using Npgsql;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>
/// The writers' kept connections (<see cref="RegistrationWriterConnectionTests"/>) must come back after the server drops
/// them. An app of its own: the connections this test has killed would otherwise stay in the writers' hands, unnoticed
/// until their next batch, and make the other class's counts depend on the order the tests ran in.
/// </summary>
public sealed class RegistrationWriterReconnectTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task AfterTheServerDropsTheWritersConnections_RegistrationsGoThroughAgain()
    {
        var relay = await _api.CreateRelayAsync();
        var notice = await _api.NoticeVersionAsync(relay.Token);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("dropped")}@example.jp", relay.Agency.Id, notice)).Status);

        // Every connection of the app's database goes, the writers' kept ones with them (a server restart, a failover).
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(app.ConnectionString) { Database = "postgres", Pooling = false }.ToString()))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", admin)
            {
                Parameters = { new NpgsqlParameter<string> { TypedValue = database } },
            };
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }

        // The first writes may meet dead connections and answer "try again" (503, never 500); then they go through.
        HttpStatusCode status = 0;
        for (var attempt = 0; attempt < 10 && status != HttpStatusCode.Accepted; attempt++)
        {
            status = (await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("dropped")}@example.jp", relay.Agency.Id, notice)).Status;
            Assert.Contains(status, new[] { HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable });
        }
        Assert.Equal(HttpStatusCode.Accepted, status);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("dropped")}@example.jp", relay.Agency.Id, notice)).Status);
    }
}
