using System.Net;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Operator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CareerRelay.Tests.Features.Credits;

/// <summary>
/// On PostgreSQL new registrations are counted as rows of their own and folded into the company's account every few
/// seconds, so that registration writers side by side never queue on the account row. What a company sees must not
/// change: its summary counts every registration at once, before and after the fold, and the ledger check agrees.
/// </summary>
public sealed class RegistrationCountTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Registrations_AreCountedAtOnce_AndTheFoldChangesNoFigure()
    {
        var relay = await _api.CreateRelayAsync();
        var notice = await _api.NoticeVersionAsync(relay.Token);
        var answers = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(_ => _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("count")}@example.jp", relay.Agency.Id, notice)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));

        Assert.Equal(12, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "registrations"));
        Assert.True((await VerifyLedgerAsync()).Ok);

        // Two nodes folding at the same moment add each pending row once.
        await using var node2 = app.WithWebHostBuilder(_ => { });
        await Task.WhenAll(app.Service<RegistrationCountFolder>().FoldAsync(CancellationToken.None),
            node2.Services.GetRequiredService<RegistrationCountFolder>().FoldAsync(CancellationToken.None));
        Assert.Equal(0, await app.WithDbAsync(db => db.RegistrationCountDeltas.CountAsync()));
        Assert.Equal(12, await app.WithDbAsync(db => db.CompanyAccounts.Where(a => a.CompanyId == relay.Company.Id).Select(a => a.RegistrationCount).SingleAsync()));
        Assert.Equal(12, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "registrations"));
        Assert.True((await VerifyLedgerAsync()).Ok);

        // And the next registration is counted on top.
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("count")}@example.jp", relay.Agency.Id, notice)).Status);
        Assert.Equal(13, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "registrations"));
    }

    [Fact]
    public async Task ARegistration_IsNotHeldUp_ByAnotherTransactionOnTheCompanysAccount()
    {
        var relay = await _api.CreateRelayAsync();
        var notice = await _api.NoticeVersionAsync(relay.Token);
        // A long transaction holding the company's account row, as a confirmation or a slot redemption of the same company does.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var holder = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("SELECT 1 FROM company_accounts WHERE company_id = $1 FOR UPDATE", connection, holder)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = relay.Company.Id } },
        })
            Assert.Equal(1, await command.ExecuteScalarAsync());

        var registering = _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("unheld")}@example.jp", relay.Agency.Id, notice);
        var first = await Task.WhenAny(registering, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(registering, first); // answered while the account row is still held
        Assert.Equal(HttpStatusCode.Accepted, (await registering).Status);
        // Counted already: the account row cannot have changed while it is held, so this is the pending count.
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "registrations"));

        await holder.RollbackAsync();
        await app.Service<RegistrationCountFolder>().FoldAsync(CancellationToken.None);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "registrations"));
    }

    private Task<LedgerVerification> VerifyLedgerAsync() =>
        app.WithDbAsync(db => app.Service<LedgerVerifier>().VerifyAsync(db, CancellationToken.None));
}
