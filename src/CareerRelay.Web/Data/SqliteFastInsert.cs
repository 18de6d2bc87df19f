using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace CareerRelay.Web.Data;

/// <summary>
/// Writes new rows to SQLite with one prepared INSERT per table, reused for every
/// row, inside the current transaction. EF's SaveChanges sends each row as fresh SQL text that SQLite
/// parses again; for the registration batch (hundreds of rows per commit) preparing once is several
/// times faster, and the rows skip change tracking. Column names and value conversions come from the EF model,
/// so it stays in step with it.
/// </summary>
public static class SqliteFastInsert
{
    public static async Task InsertAsync(CareerRelayDb db, IReadOnlyList<object> rows, CancellationToken ct)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction)(db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("SqliteFastInsert runs inside a write transaction."));

        foreach (var group in rows.GroupBy(r => r.GetType()))
        {
            var entityType = db.Model.FindEntityType(group.Key) ?? throw new InvalidOperationException($"{group.Key.Name} is not in the model.");
            var properties = entityType.GetProperties().ToList();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {entityType.GetTableName()} ({string.Join(", ", properties.Select(p => p.GetColumnName()))}) " +
                                  $"VALUES ({string.Join(", ", properties.Select((_, i) => $"@p{i}"))})";
            var parameters = properties.Select((_, i) => command.Parameters.Add(new SqliteParameter($"@p{i}", null))).ToArray();
            command.Prepare();
            foreach (var row in group)
            {
                for (var i = 0; i < properties.Count; i++)
                {
                    var value = properties[i].PropertyInfo!.GetValue(row);
                    var converter = properties[i].GetTypeMapping().Converter;
                    parameters[i].Value = (converter is null || value is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
                }
                await command.ExecuteNonQueryAsync(ct);
            }
        }
    }
}
