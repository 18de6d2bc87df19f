using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace CareerRelay.Web.Data;

/// <summary>
/// Writes the context's added entities to SQLite with one prepared INSERT per table, reused for every
/// row, inside the current transaction. EF's SaveChanges sends each row as fresh SQL text that SQLite
/// parses again; for the registration batch (hundreds of rows per commit) preparing once is several
/// times faster. Column names and value conversions come from the EF model, so it stays in step with it.
/// </summary>
public static class SqliteFastInsert
{
    public static async Task SaveAddedAsync(CareerRelayDb db, CancellationToken ct)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction)(db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("SqliteFastInsert runs inside a write transaction."));

        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList();
        foreach (var group in added.GroupBy(e => e.Metadata))
        {
            var properties = group.Key.GetProperties().ToList();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {group.Key.GetTableName()} ({string.Join(", ", properties.Select(p => p.GetColumnName()))}) " +
                                  $"VALUES ({string.Join(", ", properties.Select((_, i) => $"@p{i}"))})";
            var parameters = properties.Select((_, i) => command.Parameters.Add(new SqliteParameter($"@p{i}", null))).ToArray();
            command.Prepare();
            foreach (var entry in group)
            {
                for (var i = 0; i < properties.Count; i++)
                {
                    var value = entry.Property(properties[i].Name).CurrentValue;
                    var converter = properties[i].GetTypeMapping().Converter;
                    parameters[i].Value = (converter is null || value is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
                }
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        foreach (var entry in added) entry.State = EntityState.Unchanged;
    }
}
