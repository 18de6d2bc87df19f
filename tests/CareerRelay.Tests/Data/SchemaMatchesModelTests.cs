using System.Data.Common;
using CareerRelay.Web.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CareerRelay.Tests.Data;

/// <summary>
/// Builds one database from the migration scripts and another from the EF model (EnsureCreated), then
/// compares tables, columns, nullability, types, keys and indexes. A model change without a script fails here.
/// </summary>
public sealed class SchemaMatchesModelTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task MigrationScripts_BuildExactlyTheSchemaTheModelExpects(Provider provider)
    {
        var dir = Databases.NewTempDirectory();
        var fromScripts = await Databases.CreateAsync(provider, Path.Combine(dir, "a"));
        var fromModel = await Databases.CreateAsync(provider, Path.Combine(dir, "b"));
        Directory.CreateDirectory(Path.Combine(dir, "a"));
        Directory.CreateDirectory(Path.Combine(dir, "b"));
        try
        {
            await using (var connection = Open(provider, fromScripts))
            {
                await connection.OpenAsync();
                foreach (var (_, sql) in SchemaMigrator.Scripts(provider == Provider.Sqlite ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres))
                {
                    await using var cmd = connection.CreateCommand();
                    cmd.CommandText = sql;
                    await cmd.ExecuteNonQueryAsync();
                }
            }
            await using (var db = Context(provider, fromModel)) await db.Database.EnsureCreatedAsync();

            var expected = await DescribeAsync(provider, fromModel);
            var actual = await DescribeAsync(provider, fromScripts);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }
        finally
        {
            await Databases.DropAsync(provider, fromScripts);
            await Databases.DropAsync(provider, fromModel);
        }
    }

    private static CareerRelayDb Context(Provider provider, string cs)
    {
        var options = new DbContextOptionsBuilder<CareerRelayDb>();
        if (provider == Provider.Sqlite) options.UseSqlite(cs); else options.UseNpgsql(cs);
        return new CareerRelayDb(options.Options);
    }

    private static DbConnection Open(Provider provider, string cs) =>
        provider == Provider.Sqlite ? new SqliteConnection(cs) : new NpgsqlConnection(cs);

    /// <summary>One sorted line per column, key, check and index.</summary>
    private static async Task<List<string>> DescribeAsync(Provider provider, string cs)
    {
        var sql = provider == Provider.Sqlite
            ? """
              SELECT 'col ' || m.name || '.' || c.name || ' ' || c.type || ' notnull=' || c."notnull" || ' pk=' || c.pk
                FROM sqlite_master m JOIN pragma_table_info(m.name) c
               WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'
              UNION ALL
              SELECT 'idx ' || m.name || '.' || il.name || ' unique=' || il."unique" || ' (' || (SELECT group_concat(ii.name, ',') FROM pragma_index_info(il.name) ii) || ')'
                FROM sqlite_master m JOIN pragma_index_list(m.name) il
               WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'
              UNION ALL
              SELECT 'sql ' || m.name || ' checks=' || (length(m.sql) - length(replace(m.sql, 'CHECK', ''))) / 5
                FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'
              """
            : """
              SELECT 'col ' || table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '') || ' nullable=' || is_nullable
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
              UNION ALL
              SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
              UNION ALL
              SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations'
              """;
        await using var connection = Open(provider, cs);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
