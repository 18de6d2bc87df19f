using Microsoft.EntityFrameworkCore.Diagnostics;
using System.Collections.Concurrent;
using CareerRelay.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CareerRelay.Tests.Harness;

/// <summary>
/// The real app on a real database (SQLite file or PostgreSQL), with mail written as .eml files to a
/// temp folder, a movable clock, and every log line captured so tests can check no personal data leaks.
/// </summary>
public class CareerRelayApp(Provider provider) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OperatorKey = "cr_op_test-operator-key-0123456789abcdef";

    public Provider Provider { get; } = provider;
    public string Directory { get; } = Databases.NewTempDirectory();
    public string ConnectionString { get; private set; } = "";
    public TestClock Clock { get; } = new();
    public MailBox Mail => new(Path.Combine(Directory, "mail"));
    public ConcurrentQueue<string> Logs { get; } = new();
    /// <summary>Counts the SQL commands that name a table (background jobs run too: watch a table only the code under test reads).</summary>
    public CommandWatch Commands { get; } = new();

    /// <summary>Extra settings per fixture (e.g. a low fraud threshold).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = await Databases.CreateAsync(Provider, Directory);
        _ = Server; // start the host: migrations run, the operator key is created
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["Database:MigrateOnStart"] = "true",
            ["ConnectionStrings:CareerRelay"] = ConnectionString,
            ["CareerRelay:DataDirectory"] = Directory,
            ["CareerRelay:PublicBaseUrl"] = "https://localhost",
            ["CareerRelay:Demo:Seed"] = "false",
            ["CareerRelay:Bootstrap:OperatorApiKey"] = OperatorKey,
            ["Mail:PickupDirectory"] = Path.Combine(Directory, "mail"),
            ["RateLimiting:PublicPermitsPerMinute"] = "0",
            ["Relay:Fraud:RegistrationsPerIpPerHour"] = "0",
            ["Relay:Fraud:LinkBurstPerHour"] = "0",
            ["Relay:Fraud:CompaniesPerPerson"] = "0",
        };
        foreach (var (k, v) in Settings) settings[k] = v;
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.ConfigureDbContext<CareerRelayDb>(o => o.AddInterceptors(Commands));
            services.AddLogging(l => l.AddProvider(new CapturingLoggerProvider(Logs)).SetMinimumLevel(LogLevel.Debug));
        });
    }

    public ApiClient Api() => new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), this);

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<T> WithDbAsync<T>(Func<CareerRelayDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CareerRelayDb>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Databases.DropAsync(Provider, ConnectionString);
        GC.SuppressFinalize(this);
    }

    public sealed class CommandWatch : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private int _seen;
        public string? Table { get; set; }
        public int Seen => Volatile.Read(ref _seen);

        public override InterceptionResult<System.Data.Common.DbDataReader> ReaderExecuting(System.Data.Common.DbCommand command, CommandEventData eventData,
            InterceptionResult<System.Data.Common.DbDataReader> result) { Note(command); return result; }

        public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(System.Data.Common.DbCommand command,
            CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        { Note(command); return ValueTask.FromResult(result); }

        private void Note(System.Data.Common.DbCommand command)
        {
            if (Table is { } table && command.CommandText.Contains(table, StringComparison.Ordinal)) Interlocked.Increment(ref _seen);
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink, categoryName);
        public void Dispose() { }

        private sealed class Logger(ConcurrentQueue<string> sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}

public sealed class SqliteApp() : CareerRelayApp(Provider.Sqlite);
public sealed class PostgresApp() : CareerRelayApp(Provider.Postgres);
