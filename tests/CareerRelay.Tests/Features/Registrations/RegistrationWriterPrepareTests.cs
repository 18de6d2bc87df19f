using System.Data.Common;
using System.Net;
using CareerRelay.Web.Features.Registrations;
using Npgsql;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>
/// On PostgreSQL the registration writers prepare their batch's INSERTs on their kept connections, so the server parses
/// and plans them once per connection rather than once per batch (issue 23, docs/benchmarks.md). Behind a pooler that does
/// not carry prepared statements from one server connection to the next they must be turned off — by the setting, or by
/// the writers themselves when the server answers that it does not know them — without losing a registration.
/// </summary>
public sealed class RegistrationWriterPrepareTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task TheWritersStatementsArePrepared_OncePerConnection()
    {
        var relay = await _api.CreateRelayAsync();
        var notice = await _api.NoticeVersionAsync(relay.Token);
        var writer = app.Service<RegistrationWriter>();
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("prepared")}@example.jp", relay.Agency.Id, notice)).Status);
        var first = await PreparedAsync(writer);
        Assert.Contains(first, sql => sql.StartsWith("INSERT INTO registrations", StringComparison.Ordinal));
        // The known-person look-up is planned afresh every batch: a generic plan cached while the table was small kept
        // scanning all of it as it grew (PostgreSQL's CPU per registration doubled within two minutes of load).
        Assert.DoesNotContain(first, sql => sql.Contains("FROM candidates", StringComparison.Ordinal));

        // One after another, a batch each: the connection's statements are used again, not prepared anew.
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("prepared")}@example.jp", relay.Agency.Id, notice)).Status);
        var after = await PreparedAsync(writer);
        Assert.Equal(after.Distinct().Count(), after.Count);
        Assert.True(writer.PreparesStatements);
        Assert.Equal(6, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "registrations"));
    }

    /// <summary>The statements the server holds prepared on one of the writers' kept connections.</summary>
    internal static async Task<List<string>> PreparedAsync(RegistrationWriter writer) =>
        (await writer.OnKeptConnectionAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT statement FROM pg_prepared_statements", (NpgsqlConnection)connection);
            var statements = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) statements.Add(reader.GetString(0));
            return statements;
        })) ?? throw new InvalidOperationException("No writer kept a connection.");
}

/// <summary><c>Database:PostgresPrepare=false</c>, as behind PgBouncer in transaction pooling before 1.21: nothing is prepared.</summary>
public sealed class RegistrationWriterUnpreparedTests(RegistrationWriterUnpreparedTests.App app) : IClassFixture<RegistrationWriterUnpreparedTests.App>
{
    public sealed class App() : CareerRelayApp(Provider.Postgres)
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Database:PostgresPrepare"] = "false" };
    }

    [Fact]
    public async Task TurnedOff_RegistrationsAreWrittenWithNothingPrepared()
    {
        var api = app.Api();
        var relay = await api.CreateRelayAsync();
        var notice = await api.NoticeVersionAsync(relay.Token);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await api.RegisterAsync(relay.Token, $"{ApiClient.Unique("unprepared")}@example.jp", relay.Agency.Id, notice)).Status);

        Assert.Empty(await RegistrationWriterPrepareTests.PreparedAsync(app.Service<RegistrationWriter>()));
        Assert.Equal(3, ApiClient.Int(await api.SummaryAsync(relay.Company.Key), "registrations"));
    }
}

/// <summary>
/// The server forgets the writers' statements — what a pooler in transaction mode looks like from the app's side, each
/// transaction on another server connection — and no registration may be lost for it: the writers stop preparing, say so
/// in the log, and write the batch again. An app of its own, since it turns preparing off for the app's life.
/// </summary>
public sealed class RegistrationWriterForgottenStatementsTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public Task WhenTheServerForgetsThePreparedStatements_RegistrationsStillGoThrough() =>
        RegistrationsGoThroughAsync(app, "DEALLOCATE ALL");

    /// <summary>
    /// Registers until both writers keep a connection with their statements prepared, runs <paramref name="sql"/> on both
    /// kept connections, then registers five more: each must be accepted and written, and the writers must have stopped
    /// preparing and said why.
    /// </summary>
    internal static async Task RegistrationsGoThroughAsync(CareerRelayApp app, string sql)
    {
        var api = app.Api();
        var relay = await api.CreateRelayAsync();
        var notice = await api.NoticeVersionAsync(relay.Token);
        var writer = app.Service<RegistrationWriter>();
        await RegistrationWriterConnectionTests.UntilBothWritersKeepAConnectionAsync(api, relay, notice, writer);
        var before = ApiClient.Int(await api.SummaryAsync(relay.Company.Key), "registrations");

        // Both kept connections at once (one is taken out while the other is used).
        var done = await writer.OnKeptConnectionAsync(first => writer.OnKeptConnectionAsync(async second =>
        {
            foreach (var connection in new[] { first, second })
            {
                await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)connection);
                await command.ExecuteNonQueryAsync();
            }
            return true;
        }));
        Assert.True(done);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            api.RegisterAsync(relay.Token, $"{ApiClient.Unique("forgotten")}@example.jp", relay.Agency.Id, notice)));
        // The app's own account of a refusal, if there was one: the race between the writers is what this test is about.
        Assert.All(statuses, s => Assert.True(s.Status == HttpStatusCode.Accepted,
            $"{s.Status}; the app logged: {string.Join(" | ", app.Logs.Where(l => l.Contains("Exception", StringComparison.Ordinal)).Select(l => l[..Math.Min(l.Length, 600)]))}"));
        Assert.Equal(HttpStatusCode.Accepted, (await api.RegisterAsync(relay.Token, $"{ApiClient.Unique("forgotten")}@example.jp", relay.Agency.Id, notice)).Status);

        Assert.False(writer.PreparesStatements);
        Assert.Contains(app.Logs, line => line.Contains("did not keep the registration writers' prepared statements", StringComparison.Ordinal));
        Assert.Equal(before + 5, ApiClient.Int(await api.SummaryAsync(relay.Company.Key), "registrations"));
    }
}

/// <summary>
/// Another client's statements under the writers' names — behind a pooler in transaction mode, the server connection a
/// batch lands on may hold another node's <c>_p1</c>, <c>_p2</c> … meaning something else. The server refuses the Bind
/// (its parameters do not fit), and the writers stop preparing as when it forgets them.
/// </summary>
public sealed class RegistrationWriterOthersStatementsTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public Task WhenTheWritersStatementNamesMeanOtherStatements_RegistrationsStillGoThrough() =>
        // Npgsql names its statements _p1, _p2 … in the order it prepares them: every name a writer could hold, taking none.
        RegistrationWriterForgottenStatementsTests.RegistrationsGoThroughAsync(app,
            "DEALLOCATE ALL; " + string.Concat(Enumerable.Range(1, 40).Select(i => $"PREPARE _p{i} AS SELECT 1; ")));
}
