using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace CareerRelay.Tests.MultiNode;

/// <summary>Two nodes' mail workers draining one outbox at once: every mail goes out exactly once.</summary>
public abstract class OutboxAcrossNodesTests(CareerRelayApp app)
{
    [Fact]
    public async Task TwoNodesDrainingTheOutboxTogether_SendEachMailExactlyOnce()
    {
        const int count = 120;
        var run = ApiClient.Unique("node");
        var outbox = app.Service<MailOutbox>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < count; i++)
                outbox.Enqueue(db, null, null, "test", new MailContent($"{run}-{i}@example.jp", "件名", "本文", "ja"), now);
            return await db.SaveChangesAsync();
        });

        await using var node2 = app.WithWebHostBuilder(_ => { });
        var workers = new[] { app.Service<MailOutboxWorker>(), node2.Services.GetRequiredService<MailOutboxWorker>() };
        // Both nodes' background loops run too; these explicit passes make the two nodes contend on purpose.
        await Task.WhenAll(workers.Select(async w =>
        {
            for (var pass = 0; pass < 20; pass++) await w.SendDueAsync(CancellationToken.None);
        }));
        await Poll.UntilAsync(async () => !await app.WithDbAsync(db => db.OutboxMails.AnyAsync(m => m.Kind == "test" && m.Status == OutboxStatus.Pending)));

        var delivered = app.Mail.All().Where(m => m.To.StartsWith(run + "-", StringComparison.Ordinal)).GroupBy(m => m.To).ToList();
        Assert.Equal(count, delivered.Count);
        Assert.All(delivered, g => Assert.Single(g));
        Assert.Equal(count, await app.WithDbAsync(db => db.OutboxMails.CountAsync(m => m.Kind == "test" && m.Status == OutboxStatus.Sent && m.Attempts == 1)));
    }
}

public sealed class OutboxAcrossNodesTestsOnSqlite(SqliteApp app) : OutboxAcrossNodesTests(app), IClassFixture<SqliteApp>;
public sealed class OutboxAcrossNodesTestsOnPostgres(PostgresApp app) : OutboxAcrossNodesTests(app), IClassFixture<PostgresApp>;
