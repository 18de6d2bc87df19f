using System.Text.Json;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;

namespace CareerRelay.Web.Infrastructure;

/// <summary>
/// The executable's commands besides serving: <c>migrate</c> (apply the schema and exit) and
/// <c>verify-ledger</c> (recompute every balance and count from entries; exit 1 listing mismatches), and
/// <c>schema-script</c> (print the DDL the EF model expects, to write the next migration from).
/// </summary>
public static class Commands
{
    public static readonly string[] Names = ["migrate", "verify-ledger", "schema-script"];

    public static (string? Command, string[] HostArgs) Split(string[] args) =>
        args.Length > 0 && Names.Contains(args[0]) ? (args[0], args[1..]) : (null, args);

    public static async Task<int> RunAsync(WebApplication app, string command)
    {
        var ct = app.Lifetime.ApplicationStopping;
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        switch (command)
        {
            case "migrate":
                var applied = await migrator.MigrateAsync(ct);
                Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied: {string.Join(", ", applied)}");
                return 0;
            case "verify-ledger":
                if ((await migrator.PendingAsync(ct)) is { Count: > 0 } pending)
                {
                    Console.Error.WriteLine($"The schema is behind ({string.Join(", ", pending)} not applied); run 'migrate' first.");
                    return 2;
                }
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
                    var result = await scope.ServiceProvider.GetRequiredService<LedgerVerifier>().VerifyAsync(db, ct);
                    Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
                    return result.Ok ? 0 : 1;
                }
            case "schema-script":
                // A developer aid for writing the next migration: the DDL the EF model wants on this provider.
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    Console.WriteLine(scope.ServiceProvider.GetRequiredService<CareerRelayDb>().Database.GenerateCreateScript());
                    return 0;
                }
            default:
                return 2;
        }
    }
}
