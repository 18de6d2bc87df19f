using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Data;

public static class DataServices
{
    /// <summary>Registers the DbContext for the configured provider, the write gate and the schema runner.</summary>
    public static WebApplicationBuilder AddCareerRelayData(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration("Database").ValidateDataAnnotations().ValidateOnStart();
        var connectionString = ResolveConnectionString(builder.Configuration, builder.Environment, options.Provider);

        builder.Services.AddSingleton<DbWriteGate>();
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddDbContextPool<CareerRelayDb>(db =>
        {
            if (options.Provider == DatabaseProvider.Postgres)
                db.UseNpgsql(connectionString);
            else
                db.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas());
        }, poolSize: 256);
        if (options.Provider == DatabaseProvider.Sqlite)
            builder.Services.AddHostedService(sp => new SqliteCheckpointer(connectionString, sp.GetRequiredService<DbWriteGate>(), sp.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        return builder;
    }

    public static string DataDirectory(IConfiguration config, IHostEnvironment env) =>
        Path.GetFullPath(Path.Combine(env.ContentRootPath, config["CareerRelay:DataDirectory"] ?? "data"));

    private static string ResolveConnectionString(IConfiguration config, IHostEnvironment env, DatabaseProvider provider)
    {
        var configured = config.GetConnectionString("CareerRelay");
        if (provider == DatabaseProvider.Postgres)
            return configured ?? throw new OptionsValidationException("ConnectionStrings:CareerRelay", typeof(DatabaseOptions),
                ["Database:Provider is Postgres but ConnectionStrings:CareerRelay is not set."]);

        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        var dir = DataDirectory(config, env);
        Directory.CreateDirectory(dir);
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "careerrelay.db"), Pooling = true }.ToString();
    }

    /// <summary>
    /// SQLite settings are per connection: NORMAL sync is durable against process crashes under WAL, and busy_timeout
    /// lets a second process (migrate) wait its turn. Commits never checkpoint (<c>wal_autocheckpoint=0</c>):
    /// <see cref="SqliteCheckpointer"/> does it beside them. Set once per physical connection: a pooled connection keeps
    /// them, so running them again on every open (every unit of work) only parsed and ran four statements for nothing.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA secure_delete=ON; PRAGMA wal_autocheckpoint=0;";
        private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            // The native handle is the physical connection; the pool hands the same one to many SqliteConnection objects.
            var handle = ((SqliteConnection)connection).Handle!;
            if (Configured.TryGetValue(handle, out _)) return;
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            Configured.AddOrUpdate(handle, handle);
        }
    }
}
