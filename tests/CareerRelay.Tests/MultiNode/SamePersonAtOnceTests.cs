using System.Net;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CareerRelay.Tests.MultiNode;

/// <summary>
/// Registrations of the same person arriving together, on PostgreSQL where writers commit side by side. What a person
/// notices must hold however their registrations were batched: one record per person, and every registration confirms
/// with the code mailed for it — also when another node (or the node's other writer) creates the same new person at the
/// same moment, a double submit: that answered 500 before (the insert met the unique address and a batch of one had
/// nowhere to retry).
/// </summary>
public sealed class SamePersonAtOnceTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task KnownAndNewPeople_InOneBatch_EachGetOneRecord_AndEveryRegistrationConfirms()
    {
        var blocked = await _api.CreateRelayAsync();
        var relay = await _api.CreateRelayAsync();
        var known = $"{ApiClient.Unique("known")}@example.jp";
        await _api.RegisterAndVerifyAsync(relay.Token, known, relay.Agency.Id);
        var knownId = await CandidateIdAsync(known);

        // One writer, held up by a lock on the table of registration counts while the others queue behind it: they are then
        // written together as one batch.
        await using var node = app.WithWebHostBuilder(b => b.UseSetting("Database:PostgresWriters", "1"));
        var nodeApi = new ApiClient(node.CreateClient(), app);
        var writer = node.Services.GetRequiredService<RegistrationWriter>();
        var twice = $"{ApiClient.Unique("twice")}@example.jp";
        var once = $"{ApiClient.Unique("once")}@example.jp";
        var notice = await _api.NoticeVersionAsync(relay.Token);
        Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)>[] batch;
        Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> first;
        await using var holding = new NpgsqlConnection(app.ConnectionString);
        await holding.OpenAsync();
        await using (var holder = await LockCountsAsync(holding))
        {
            first = nodeApi.RegisterAsync(blocked.Token, $"{ApiClient.Unique("first")}@example.jp", blocked.Agency.Id, notice);
            await Poll.UntilAsync(async () => await WaitingOnLocksAsync() > 0, "The writer never waited on the lock.");
            batch = [.. new[] { known, twice, once, twice }.Select(email => nodeApi.RegisterAsync(relay.Token, email, relay.Agency.Id, notice))];
            await Poll.UntilAsync(() => Task.FromResult(writer.Queued == batch.Length), "The registrations never queued behind the held writer.");
            await holder.CommitAsync();
        }
        Assert.Equal(HttpStatusCode.Accepted, (await first).Status);
        Assert.All(await Task.WhenAll(batch), answer => Assert.Equal(HttpStatusCode.Accepted, answer.Status));

        Assert.Equal(knownId, await CandidateIdAsync(known)); // still the one record they had
        var registrations = await app.WithDbAsync(db => db.Registrations.Where(r => r.CompanyId == relay.Company.Id)
            .Select(r => r.CandidateId).ToListAsync());
        Assert.Equal(5, registrations.Count); // nothing written twice or left behind under an id no one has
        Assert.Equal(0, await app.WithDbAsync(db => db.CandidateKeys.CountAsync(k => !db.Candidates.Any(c => c.Id == k.CandidateId))));
        Assert.Equal(2, registrations.Count(id => id == knownId)); // the first one, and the batch's
        var twiceId = await CandidateIdAsync(twice);
        Assert.Equal(2, registrations.Count(id => id == twiceId));
        Assert.Single(registrations, await CandidateIdAsync(once));
        var summary = await _api.SummaryAsync(relay.Company.Key);
        Assert.Equal(5, ApiClient.Int(summary, "registrations"));

        // Each mailed code confirms its registration: what was sealed for a known person opens with their own key.
        await ConfirmAsync(known, 2);
        await ConfirmAsync(twice, 1);
        await ConfirmAsync(twice, 2);
        await ConfirmAsync(once, 1);
    }

    [Fact]
    public async Task APersonCreatedElsewhere_BetweenTheLookUpAndTheInsert_IsUsed_NotRefused()
    {
        var relay = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("race")}@example.jp";
        var hash = app.Service<LookupHasher>().Person("email:", PersonIdentity.NormaliseEmail(email));

        // Another node's transaction is creating this person and has not committed: our writer's look-up cannot see them,
        // and its insert waits on the unique address until that transaction ends.
        string otherId;
        Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> registering;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            await using var other = await db.Database.BeginTransactionAsync();
            var vault = scope.ServiceProvider.GetRequiredService<CandidateVault>();
            otherId = (await vault.FindOrAddByEmailAsync(db, hash, () => new CandidateProfile("山田 花子", email, null, null, null, null, []),
                null, app.Clock.GetUtcNow().UtcDateTime, CancellationToken.None)).Id;
            await db.SaveChangesAsync();
            registering = _api.RegisterAsync(relay.Token, email, relay.Agency.Id, await _api.NoticeVersionAsync(relay.Token));
            await Poll.UntilAsync(async () => await WaitingOnLocksAsync() > 0, "The writer never waited on the lock.");
            await other.CommitAsync();
        }

        Assert.Equal(HttpStatusCode.Accepted, (await registering).Status);
        Assert.Equal(otherId, await CandidateIdAsync(email));
        Assert.Equal([otherId], await app.WithDbAsync(db => db.Registrations.Where(r => r.CompanyId == relay.Company.Id).Select(r => r.CandidateId).ToListAsync()));
        await ConfirmAsync(email, 1);
    }

    private async Task<string> CandidateIdAsync(string email)
    {
        var hash = app.Service<LookupHasher>().Person("email:", PersonIdentity.NormaliseEmail(email));
        return await app.WithDbAsync(db => db.Candidates.Where(c => c.EmailHash == hash).Select(c => c.Id).SingleAsync());
    }

    private async Task ConfirmAsync(string email, int nth)
    {
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(email, nth));
        var (status, _) = await _api.PostAsync("/api/v1/public/verifications", new { code });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>A transaction of the test's own that keeps every writer from adding its counts until it ends.</summary>
    private static async Task<NpgsqlTransaction> LockCountsAsync(NpgsqlConnection connection)
    {
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE registration_count_deltas IN SHARE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return transaction;
    }

    /// <summary>A writer's INSERT waiting on a lock (not the counts' fold, which waits on the same table every 2 s).</summary>
    private async Task<long> WaitingOnLocksAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
