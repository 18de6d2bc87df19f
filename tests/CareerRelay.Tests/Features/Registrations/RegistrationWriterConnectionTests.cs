using System.Net;
using CareerRelay.Web.Features.Registrations;
using Npgsql;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>
/// On PostgreSQL each registration writer keeps one connection open from batch to batch. Taking a pooled connection for
/// every batch sent the batches round the whole pool, and each of the pool's connections kept its last batch's rows and
/// parameters alive until its next turn — a thousand registrations' worth carried through every garbage collection, whose
/// pauses were the p99 gap of issue 23 (docs/benchmarks.md). A kept connection must still come back after the server
/// drops it (<see cref="RegistrationWriterReconnectTests"/>, with an app of its own).
/// </summary>
public sealed class RegistrationWriterConnectionTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task BatchAfterBatch_TheWritersOpenNoNewConnection()
    {
        var relay = await _api.CreateRelayAsync();
        var notice = await _api.NoticeVersionAsync(relay.Token);
        var writer = app.Service<RegistrationWriter>();
        var registered = await UntilBothWritersKeepAConnectionAsync(_api, relay, notice, writer);
        var opened = writer.ConnectionsOpened;

        // One after another: a batch each.
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("held")}@example.jp", relay.Agency.Id, notice)).Status);

        Assert.Equal(opened, writer.ConnectionsOpened);
        Assert.Equal(registered + 10, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "registrations"));
    }

    /// <summary>
    /// A connection can be alive and still unable to write — a server demoted in a failover answers "read-only" on it — so
    /// a batch that fails does not keep its connection: the next batch opens a fresh one (to the new primary, in a failover).
    /// </summary>
    [Fact]
    public async Task ABatchThatFails_GivesItsConnectionBack()
    {
        var relay = await _api.CreateRelayAsync();
        var notice = await _api.NoticeVersionAsync(relay.Token);
        // Both writers keep a connection, as the class's other tests may leave them.
        var writer = app.Service<RegistrationWriter>();
        await UntilBothWritersKeepAConnectionAsync(_api, relay, notice, writer);

        // The server refuses this company's registrations for a moment, on every connection alike.
        await ExecuteAsync($"""
            CREATE FUNCTION refuse_{Suffix(relay.Company.Id)}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
            CREATE TRIGGER refuse_{Suffix(relay.Company.Id)} BEFORE INSERT ON registrations FOR EACH ROW
                WHEN (NEW.company_id = '{relay.Company.Id}') EXECUTE FUNCTION refuse_{Suffix(relay.Company.Id)}();
            """);
        var people = await CountAsync("candidates");
        try
        {
            var refused = await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("refused")}@example.jp", relay.Agency.Id, notice);
            Assert.NotEqual(HttpStatusCode.Accepted, refused.Status);
            // Nothing half-written: the new person's rows, written before the refused one in the same batch, are gone too.
            Assert.Equal(people, await CountAsync("candidates"));
            // The other writer's connection is still kept; the one the failed batch used is not.
            Assert.True(writer.ConnectionsKept == 1, "The failed batch's connection was kept for the next batch.");
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER refuse_{Suffix(relay.Company.Id)} ON registrations; DROP FUNCTION refuse_{Suffix(relay.Company.Id)}();");
        }

        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("refused")}@example.jp", relay.Agency.Id, notice)).Status);
    }

    /// <summary>
    /// Registrations eight at once until both writers have had a batch and keep their connections (which writer takes a
    /// batch is a race; two at once left one writer idle now and then). Returns how many were registered.
    /// </summary>
    internal static async Task<int> UntilBothWritersKeepAConnectionAsync(ApiClient api, (ApiClient.Tenant Company, ApiClient.Tenant Agency, string LinkId, string Token) relay, int notice, RegistrationWriter writer)
    {
        var registered = 0;
        for (var i = 0; i < 50 && writer.ConnectionsKept < 2; i++, registered += 8)
        {
            var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.RegisterAsync(relay.Token, $"{ApiClient.Unique("held")}@example.jp", relay.Agency.Id, notice)));
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s.Status));
        }
        Assert.Equal(2, writer.ConnectionsKept);
        return registered;
    }

    private static string Suffix(string id) => new([.. id.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private async Task<long> CountAsync(string table) => (long)(await ScalarAsync($"SELECT count(*) FROM {table}"))!;

    private Task ExecuteAsync(string sql) => ScalarAsync(sql);

    /// <summary>On a connection of its own, outside the app's pool.</summary>
    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(app.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
