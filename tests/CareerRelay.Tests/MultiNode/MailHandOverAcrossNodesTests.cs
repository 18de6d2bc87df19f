using System.Net;
using System.Net.Sockets;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Tests.MultiNode;

/// <summary>
/// A node sends the verification mail of its own registrations straight from memory, holding a lease on the row. Another
/// node must neither send those mails as well nor leave them waiting when the first node goes away.
/// </summary>
public abstract class MailHandOverAcrossNodesTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task RegistrationsOnOneNode_WhileAnotherNodePollsTheOutbox_GetOneMailEach()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        await using var node2 = app.WithWebHostBuilder(_ => { });
        var node2Worker = node2.Services.GetRequiredService<MailOutboxWorker>();
        var node2Api = new ApiClient(node2.CreateClient(), app);
        var run = ApiClient.Unique("handover");
        var emails = Enumerable.Range(0, 40).Select(i => $"{run}-{i}@example.jp").ToList();

        using var polling = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            while (!polling.IsCancellationRequested) await node2Worker.SendDueAsync(CancellationToken.None);
        });
        // Half registered through each node, all at once.
        var answers = await Task.WhenAll(emails.Select((email, i) => (i % 2 == 0 ? _api : node2Api).RegisterAsync(token, email, agency.Id)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        foreach (var email in emails) await app.Mail.WaitForAsync(email);
        await polling.CancelAsync();
        await poller;

        var delivered = app.Mail.All().Where(m => m.To.StartsWith(run + "-", StringComparison.Ordinal)).GroupBy(m => m.To).ToList();
        Assert.Equal(emails.Count, delivered.Count);
        Assert.All(delivered, g => Assert.Single(g));
    }

    [Fact]
    public async Task ANodeStoppedWhileSendingItsMail_LeavesItToAnotherNode_WithoutWaitingOutTheLease()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        using var stuck = new StuckSmtpServer();
        var node2 = app.WithWebHostBuilder(b => b
            .UseSetting("Mail:Smtp:Host", "127.0.0.1").UseSetting("Mail:Smtp:Port", stuck.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Mail:Smtp:EnableSsl", "false"));
        var email = $"{ApiClient.Unique("stopped")}@example.jp";

        var (status, _) = await new ApiClient(node2.CreateClient(), app).RegisterAsync(token, email, agency.Id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await stuck.Connected.Task.WaitAsync(TimeSpan.FromSeconds(20)); // node 2 is sending it, to a server that does not answer
        await node2.DisposeAsync(); // a deploy stops node 2

        // Node 1 sends it within its idle poll, not two minutes later when node 2's lease would have run out.
        var mail = await app.Mail.WaitForAsync(email, timeout: TimeSpan.FromSeconds(15));
        Assert.NotEmpty(MailBox.VerificationCode(mail));
        Assert.Single(app.Mail.All(), m => m.To == email);
    }

    [Fact]
    public async Task ASentVerificationMail_IsRecordedAsSent_EvenWhenNoOtherRegistrationFollows()
    {
        // On SQLite the "sent" record rides along with the next registration batch; with none coming, the worker writes it.
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("recorded")}@example.jp";
        var (status, body) = await _api.RegisterAsync(token, email, agency.Id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await app.Mail.WaitForAsync(email);

        var registrationId = body!["registrationId"]!.GetValue<string>();
        await Poll.UntilAsync(async () => await app.WithDbAsync(db => db.OutboxMails.AnyAsync(m =>
            m.CandidateId == db.Registrations.Single(r => r.Id == registrationId).CandidateId && m.Status == OutboxStatus.Sent)),
            "The verification mail went out but its row never said so.");
        var row = await app.WithDbAsync(db => db.OutboxMails.SingleAsync(m => m.CandidateId == db.Registrations.Single(r => r.Id == registrationId).CandidateId));
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.SentAt);
        Assert.Null(row.LockedUntil);
    }

    [Fact]
    public async Task ASentMail_WhoseLeaseRunsOutBeforeItIsRecorded_IsNotSentAgainByTheNextPoll()
    {
        // Found as a flaky dedupe test: the person got their first verification mail twice after the clock moved on a
        // year, and confirmed with the old link. The poll must never take a row this node already sent.
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("lease-over")}@example.jp";
        var (status, _) = await _api.RegisterAsync(token, email, agency.Id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await app.Mail.WaitForAsync(email);

        app.Clock.Advance(MailOutbox.Lease + TimeSpan.FromMinutes(1));
        await app.Services.GetRequiredService<MailOutboxWorker>().SendDueAsync(CancellationToken.None);

        await Task.Delay(300); // a second .eml, if one were written, is on disk by now
        Assert.Single(app.Mail.All(), m => m.To == email);
    }

    [Fact]
    public async Task MailThisNodeStillHolds_IsNotClaimedByItsPoll_EvenWithItsLeaseOver()
    {
        // The flaky run behind it (CI, under load): the poll ran between the worker writing the mail and queueing its "sent"
        // mark — or while a registration batch held the mark uncommitted — found the row's lease over (the clock had moved on a
        // year) and sent it again. Whatever this node holds is never claimed by its own poll; released, it is sent as usual.
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        var email = $"{ApiClient.Unique("held")}@example.jp";
        var id = await LeaseOverMail.AddAsync(app, email, heldBeforeItIsSaved: true); // and this node is sending it right now
        var worker = app.Services.GetRequiredService<MailOutboxWorker>();
        await worker.SendDueAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == email);

        outbox.Release([id]);
        await worker.SendDueAsync(CancellationToken.None);
        await app.Mail.WaitForAsync(email);
        Assert.Single(app.Mail.All(), m => m.To == email);
    }

    [Fact]
    public async Task ANodeStoppedRightAfterSendingItsMail_RecordsItAsSentOnTheWayOut()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var node2 = app.WithWebHostBuilder(_ => { });
        var email = $"{ApiClient.Unique("stop-after-send")}@example.jp";

        var (status, body) = await new ApiClient(node2.CreateClient(), app).RegisterAsync(token, email, agency.Id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await app.Mail.WaitForAsync(email);
        await node2.DisposeAsync(); // a deploy stops node 2 the moment its mail went out

        // Not left pending under node 2's lease (to be sent a second time when the lease ends): recorded as it stopped.
        var registrationId = body!["registrationId"]!.GetValue<string>();
        var row = await app.WithDbAsync(db => db.OutboxMails.SingleAsync(m => m.CandidateId == db.Registrations.Single(r => r.Id == registrationId).CandidateId));
        Assert.Equal(OutboxStatus.Sent, row.Status);
    }

    /// <summary>An SMTP server that accepts connections and never says a word: the sender waits until it gives up.</summary>
    private sealed class StuckSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> _clients = [];

        public StuckSmtpServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    _clients.Add(await _listener.AcceptTcpClientAsync());
                    Connected.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        }

        public void Dispose()
        {
            _listener.Stop();
            foreach (var client in _clients) client.Dispose();
        }
    }
}

public sealed class MailHandOverAcrossNodesTestsOnSqlite(SqliteApp app) : MailHandOverAcrossNodesTests(app), IClassFixture<SqliteApp>;
public sealed class MailHandOverAcrossNodesTestsOnPostgres(PostgresApp app) : MailHandOverAcrossNodesTests(app), IClassFixture<PostgresApp>;

/// <summary>A poll that meets a mail this node took a moment after the poll looked (SQLite, whose write gate can hold the poll there).</summary>
public sealed class MailPollLeaseTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task MailHeldJustAfterAPollLookedAtWhatIsHeld_IsNotLeftUnderThatPollsLease()
    {
        // CI caught MailThisNodeStillHolds_… failing once: the worker's own poll read what this node holds, the test held a mail a
        // moment later, and the poll then claimed the row, saw it held and skipped it — but kept its lease, so when the holder
        // let go of the mail unsent, nobody could send it until that lease ran out. Here the moment is made on purpose: the
        // poll waits at the write gate between its look at what is held and its claim. (SQLite: on PostgreSQL the gate does
        // not serialise writers, so it cannot hold the poll there.)
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        var worker = app.Services.GetRequiredService<MailOutboxWorker>();
        var email = $"{ApiClient.Unique("held-late")}@example.jp";
        string id = "";
        Task<int> poll = Task.FromResult(0);
        await app.Services.GetRequiredService<DbWriteGate>().WhileNoOneWritesAsync(async () =>
        {
            id = await LeaseOverMail.AddAsync(app, email, heldBeforeItIsSaved: false); // any poll may claim it
            poll = worker.SendDueAsync(CancellationToken.None); // has looked at what is held (nothing), waits for the gate
            outbox.Hold([id]); // and now this node takes the mail to send it
            return 0;
        }, CancellationToken.None);
        await poll; // it claimed the row, found it held, and left it
        Assert.DoesNotContain(app.Mail.All(), m => m.To == email);

        outbox.Release([id]); // the holder lets go without sending it
        await worker.SendDueAsync(CancellationToken.None);
        await app.Mail.WaitForAsync(email, timeout: TimeSpan.FromSeconds(10));
        Assert.Single(app.Mail.All(), m => m.To == email);
    }
}

/// <summary>A queued mail whose lease is over (the clock moved on), optionally held by this node before any poll can see it.</summary>
internal static class LeaseOverMail
{
    public static Task<string> AddAsync(CareerRelayApp app, string email, bool heldBeforeItIsSaved) => app.WithDbAsync(async db =>
    {
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var row = outbox.Create(null, null, "test-held", MailOutbox.Seal(app.Services.GetRequiredService<KeyRing>().SystemDataKey,
            new MailContent(email, "held", "held", "ja")), now);
        row.LockedUntil = now - TimeSpan.FromMinutes(1);
        if (heldBeforeItIsSaved) outbox.Hold([row.Id]);
        db.OutboxMails.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    });
}
