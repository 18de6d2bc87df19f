using System.Net;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CareerRelay.Tests.MultiNode;

/// <summary>
/// Two nodes (or a node's two writers) taking a registration of the same new person at the same moment — a double
/// submit, or the same address on two companies' links. One creates the person; the other must use that person, not
/// answer 500 (it did: its insert met the unique address and a batch of one had nowhere to retry).
/// </summary>
public sealed class SamePersonAtOnceTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private readonly ApiClient _api = app.Api();

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
            await WaitUntilAsync(async () => await WaitingOnLocksAsync() > 0);
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

    private async Task<long> WaitingOnLocksAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition()) return;
            await Task.Delay(25);
        }
        throw new TimeoutException("The writer never got there.");
    }
}
