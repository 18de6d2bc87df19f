using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Demo;
using CareerRelay.Web.Infrastructure.Auth;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure;

/// <summary>What happens once before serving: the schema (SQLite: upgraded; PostgreSQL: checked), the bootstrap operator key, demo data.</summary>
public static class Startup
{
    public static async Task PrepareAsync(WebApplication app)
    {
        var ct = app.Lifetime.ApplicationStopping;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareerRelay.Startup");
        Localization.Texts.ReportMissingTo(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareerRelay.Texts"));
        var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        if (database.ShouldMigrateOnStart) await migrator.MigrateAsync(ct);
        else if ((await migrator.PendingAsync(ct)) is { Count: > 0 } pending)
            throw new InvalidOperationException(
                $"The database schema is behind ({string.Join(", ", pending)} not applied). Run the 'migrate' command first.");

        var site = app.Services.GetRequiredService<IOptions<CareerRelayOptions>>().Value;
        var clock = app.Services.GetRequiredService<TimeProvider>();
        if (!string.IsNullOrWhiteSpace(site.Bootstrap.OperatorApiKey))
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            await ApiKeys.EnsureOperatorKeyAsync(db, site.Bootstrap.OperatorApiKey.Trim(), clock.GetUtcNow().UtcDateTime, ct);
        }
        if (site.Demo.Seed) app.Lifetime.ApplicationStarted.Register(() =>
            // After start, so the printed URLs use the address the server actually bound.
            _ = DemoSeeder.SeedIfEmptyAsync(app.Services, logger, ct).ContinueWith(
                t => logger.LogError(t.Exception, "Demo seeding failed"), TaskContinuationOptions.OnlyOnFaulted));
    }
}
