using System.Text.Json;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Operator;

namespace CareerRelay.Web.Infrastructure;

/// <summary>
/// The executable's commands besides serving: <c>migrate</c> (apply the schema and exit) and
/// <c>verify-ledger</c> (recompute every balance and count from entries; exit 1 listing mismatches), and
/// <c>schema-script</c> (print the DDL the EF model expects, to write the next migration from), and
/// <c>replay-erasures &lt;file&gt;</c> (after restoring a backup: erase again everyone on an exported erasure list).
/// </summary>
public static class Commands
{
    public static readonly string[] Names = ["migrate", "verify-ledger", "schema-script", "replay-erasures"];
    private static readonly string[] TakesArgument = ["replay-erasures"];

    public static (string? Command, string? Argument, string[] HostArgs) Split(string[] args)
    {
        if (args.Length == 0 || !Names.Contains(args[0])) return (null, null, args);
        if (TakesArgument.Contains(args[0]) && args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal))
            return (args[0], args[1], args[2..]);
        return (args[0], null, args[1..]);
    }

    public static async Task<int> RunAsync(WebApplication app, string command, string? argument = null)
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
            case "replay-erasures":
                if (argument is null || !File.Exists(argument))
                {
                    Console.Error.WriteLine("Usage: replay-erasures <file> — the JSON of GET /api/v1/admin/erasures, or one candidate id per line.");
                    return 2;
                }
                if ((await migrator.PendingAsync(ct)) is { Count: > 0 } behind)
                {
                    Console.Error.WriteLine($"The schema is behind ({string.Join(", ", behind)} not applied); run 'migrate' first.");
                    return 2;
                }
                var (erased, gone) = (0, 0);
                foreach (var candidateId in ErasureIds(await File.ReadAllTextAsync(argument, ct)))
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    if (await scope.ServiceProvider.GetRequiredService<Features.Candidates.EraseCandidate>().HandleAsync(candidateId, ct)) erased++;
                    else gone++;
                }
                Console.WriteLine($"Erased again: {erased}; already gone: {gone}.");
                return 0;
            default:
                return 2;
        }
    }

    /// <summary>Candidate ids from the erasure list's JSON (<c>{"items":[{"candidateId":…}]}</c>) or from plain lines.</summary>
    public static IEnumerable<string> ErasureIds(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            using var json = JsonDocument.Parse(trimmed);
            return json.RootElement.GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("candidateId").GetString()!).Distinct().ToList();
        }
        return text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Distinct().ToList();
    }
}
