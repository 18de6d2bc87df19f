using System.Diagnostics.Metrics;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>
/// The registration writer while the database is away (R6, tests/reliability/failover.sh, found it): four writers wait on one
/// queue on PostgreSQL, so a writer may wake to find its item taken by another and write an empty batch; that write failing
/// on the dead connection used to index the empty batch, the writer threw, and the host began to stop. A failed batch now
/// fails its own callers (they answer 503 and retry) and the writer carries on.
/// </summary>
public sealed class RegistrationWriterOutageTests
{
    [Fact]
    public async Task ABatchThatCannotReachTheDatabase_FailsItsCallers_AndNeverThrowsOutOfTheWriter()
    {
        var services = new ServiceCollection().AddMetrics();
        services.AddDbContext<CareerRelayDb>(o => o.UseNpgsql("Host=127.0.0.1;Port=1;Username=postgres;Timeout=1;Pooling=false"));
        await using var provider = services.BuildServiceProvider();
        var database = Options.Create(new DatabaseOptions { Provider = DatabaseProvider.Postgres });
        var writer = new RegistrationWriter(provider.GetRequiredService<IServiceScopeFactory>(), new DbWriteGate(database), vault: null!, outbox: null!,
            Options.Create(new RelayOptions()), database, new RelayMetrics(provider.GetRequiredService<IMeterFactory>()), TimeProvider.System,
            NullLogger<RegistrationWriter>.Instance);

        // An empty batch (another writer took the item) on a dead connection: nothing to answer, and no exception.
        await writer.WriteBatchAsync([]);
    }
}
