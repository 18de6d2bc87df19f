using System.Threading.Channels;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Registrations;

/// <summary>Everything a registration writes, prepared (validated, hashed, sealed) before it reaches the writer.</summary>
public sealed record RegistrationDraft(
    string RegistrationId, RelayEntry Entry, CandidateProfile Profile, string EmailHash, string? PhoneHash, string IpHash,
    string CodeHash, int NoticeVersion, IReadOnlyList<string> AgencyIds, string Lang, MailContent Mail, string Source, NewCandidate IfNew);

/// <summary>
/// The rows for a first-time person, sealed under a fresh data key on the request thread, so the serial
/// writer does no cryptography in the common case. Unused when the person is already known.
/// </summary>
public sealed record NewCandidate(string Id, byte[] DataKey, CandidateKey Key, byte[] SealedProfile, byte[] SealedMail);

/// <summary>
/// Group commit for the busiest write (SPEC §8 P2): registrations queue here and a writer commits
/// up to <see cref="MaxBatch"/> of them per transaction, answering each caller only after its commit
/// (one writer on SQLite, <see cref="DatabaseOptions.PostgresWriters"/> on PostgreSQL).
/// On SQLite one transaction per request would serialise on fsync-bound commits; a batch pays that once.
/// If a batch fails (a race on a new person's row, say), its drafts are retried one by one so that
/// only the draft at fault fails. Nothing is acknowledged before it is durable.
/// </summary>
public sealed class RegistrationWriter(
    IServiceScopeFactory scopes, DbWriteGate gate, CandidateVault vault, MailOutbox outbox, IOptions<RelayOptions> relay,
    IOptions<DatabaseOptions> database, Infrastructure.Telemetry.RelayMetrics metrics, TimeProvider clock, ILogger<RegistrationWriter> logger)
    : BackgroundService
{
    public enum Outcome { Written, InvitationUsed }

    private const int MaxBatch = 128;
    private readonly Channel<(RegistrationDraft Draft, TaskCompletionSource<Outcome> Done)> _queue =
        Channel.CreateBounded<(RegistrationDraft, TaskCompletionSource<Outcome>)>(new BoundedChannelOptions(10_000)
        {
            SingleReader = false, FullMode = BoundedChannelFullMode.Wait,
        });

    public Task<Outcome> WriteAsync(RegistrationDraft draft, CancellationToken ct)
    {
        var done = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Once queued, the write happens even if the caller goes away: it must not be half-done. Usually the queue has
        // room and the caller awaits the outcome itself (an async step of ours here was bytes of every registration).
        return _queue.Writer.TryWrite((draft, done)) ? done.Task : QueueAsync(draft, done, ct);
    }

    /// <summary>Registrations waiting for a writer to take them into a batch.</summary>
    internal int Queued => _queue.Reader.Count;

    private async Task<Outcome> QueueAsync(RegistrationDraft draft, TaskCompletionSource<Outcome> done, CancellationToken ct)
    {
        await _queue.Writer.WriteAsync((draft, done), ct);
        return await done.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // SQLite takes one writer at a time anyway, on a thread of its own so that it never queues behind requests.
        // PostgreSQL runs transactions side by side, so a few writers overlap one batch's commit (the wait for the disk)
        // with the next batch's statements.
        gate.IsSqlite
            ? DedicatedThread.Run("SQLite registration writer", () => RunWritersAsync(1))
            : RunWritersAsync(database.Value.PostgresWriters);

    private async Task RunWritersAsync(int writers)
    {
        try { await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => DrainAsync())); }
        finally { await ForgetHeldAsync(); }
    }

    /// <summary>
    /// Each writer's context, its connection kept open from batch to batch (one on SQLite, one per writer on PostgreSQL).
    /// Leasing a pooled context and connection for every batch cost SQLite's one writer its connection's set-up each time
    /// (the provider's SQL functions registered on open and removed on return to the pool: 3 µs a registration in issue
    /// 23's profile). On PostgreSQL it sent each batch down whichever of the pool's connections came next, and every
    /// connection keeps its last command until its next one: the dozens the pool grows to under load held a batch each —
    /// some thousand registrations' rows and parameters, carried through every gen-0 collection (issue 23's GC trace:
    /// 2–3 MB promoted a collection, ~7 ms pauses). Taken by one batch at a time. A kept connection is not recycled by
    /// Npgsql's <c>Connection Lifetime</c>; it is given back after a failed batch (<see cref="DbLease"/>) and on shutdown.
    /// On PostgreSQL the statements of <see cref="FastInsert"/> are kept with it too.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<Held> _held = [];

    private sealed record Held(AsyncServiceScope Scope, CareerRelayDb Db, FastInsert.PostgresStatements Statements);

    private async Task<DbLease> LeaseAsync()
    {
        if (!_held.TryTake(out var held))
        {
            var scope = scopes.CreateAsyncScope();
            held = new Held(scope, scope.ServiceProvider.GetRequiredService<CareerRelayDb>(), new FastInsert.PostgresStatements());
        }
        try
        {
            // Opened by us, so EF leaves it open after each transaction; opened again if it closed or broke (a restarted server).
            var connection = held.Db.Database.GetDbConnection();
            if (connection.State != System.Data.ConnectionState.Open || connection is Npgsql.NpgsqlConnection { FullState: var state } && state.HasFlag(System.Data.ConnectionState.Broken))
            {
                await held.Db.Database.CloseConnectionAsync();
                await held.Db.Database.OpenConnectionAsync();
                Interlocked.Increment(ref _connectionsOpened);
            }
        }
        catch
        {
            await held.Scope.DisposeAsync();
            throw;
        }
        return new DbLease(this, held);
    }

    /// <summary>
    /// A writer's held context for one batch, kept for the next once the batch committed. A batch that failed gives its
    /// context and connection back instead: a connection can be alive and still wrong for writing (a server demoted in a
    /// failover answers "read-only" on a connection that never broke), and the next batch must open a fresh one.
    /// </summary>
    private sealed class DbLease(RegistrationWriter writer, Held held) : IAsyncDisposable
    {
        private bool _keep;

        public CareerRelayDb Db => held.Db;

        public FastInsert.PostgresStatements Statements => held.Statements;

        public void Keep() => _keep = true;

        public ValueTask DisposeAsync()
        {
            if (!_keep) return held.Scope.DisposeAsync();
            writer._held.Add(held);
            return ValueTask.CompletedTask;
        }
    }

    private int _connectionsOpened;

    /// <summary>How often the writers opened a connection: once each, and again only after a batch failed or a kept one closed or broke.</summary>
    internal int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>How many writers' contexts and connections are kept for their next batch (none is taken between batches).</summary>
    internal int ConnectionsKept => _held.Count;

    private async Task ForgetHeldAsync()
    {
        while (_held.TryTake(out var held)) await held.Scope.DisposeAsync();
    }

    private async Task DrainAsync()
    {
        var batch = new List<(RegistrationDraft Draft, TaskCompletionSource<Outcome> Done)>(MaxBatch);
        // Drain until the queue is closed, so registrations accepted before shutdown are still written.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
            // Several writers wait on one queue: another may have taken what this one was woken for.
            if (batch.Count > 0) await WriteBatchAsync(batch);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>Never throws: each caller gets its outcome or the error (a writer that threw would stop the host).</summary>
    internal async Task WriteBatchAsync(List<(RegistrationDraft Draft, TaskCompletionSource<Outcome> Done)> batch)
    {
        try
        {
            var outcomes = await CommitAsync(batch.Select(b => b.Draft).ToList());
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(outcomes[i]);
        }
        // A batch of one that met a unique index is tried again too: another writer (here or on another node) created the
        // same new person meanwhile — a double submit, say — and the next try finds them. It used to fail the caller (500).
        // So is one whose prepared statements the server did not know: tried again unprepared (checked first, so that a
        // larger batch's drafts are retried unprepared too).
        catch (Exception batchError) when (StopPreparingIfForgotten(batchError) || batch.Count > 1 || DbWriteGate.IsUniqueViolation(batchError))
        {
            logger.LogInformation("A batch of {Count} registrations failed ({Error}); writing them one by one", batch.Count, batchError.GetType().Name);
            foreach (var (draft, done) in batch)
            {
                try { done.TrySetResult(await CommitAloneAsync(draft)); }
                catch (Exception ex) { done.TrySetException(ex); }
            }
        }
        catch (Exception ex)
        {
            foreach (var (_, done) in batch) done.TrySetException(ex);
        }
    }

    /// <summary>
    /// On PostgreSQL, whether the writers prepare their statements (<see cref="DatabaseOptions.PostgresPrepare"/>). Off for
    /// good once the server answers that it does not know a statement a writer prepared (26000), that one of that name
    /// already exists (42P05), or that a statement of that name takes other parameters (08P01, a Bind that does not fit):
    /// the connection's statements went elsewhere, or another client's are here — a pooler in transaction mode that does not
    /// carry them (PgBouncer before 1.21) hands each transaction to whichever server connection is free.
    /// </summary>
    private volatile bool _prepare = database.Value.PostgresPrepare;

    internal bool PreparesStatements => _prepare;

    /// <summary>
    /// True when <paramref name="error"/> says the server lost or mixed up prepared statements; then preparing is turned
    /// off, once for all writers (another writer's batch may have met the same at the same moment: true for it too).
    /// </summary>
    private bool StopPreparingIfForgotten(Exception error)
    {
        if ((error as Npgsql.PostgresException ?? error.InnerException as Npgsql.PostgresException)?.SqlState is not ("26000" or "42P05" or "08P01"))
            return false;
        if (_prepare)
        {
            _prepare = false;
            logger.LogWarning("The database did not keep the registration writers' prepared statements (a pooler in transaction mode?); " +
                "the writers no longer prepare them. Set Database:PostgresPrepare to false behind such a pooler (docs/operations.md)");
        }
        return true;
    }

    /// <summary>Runs <paramref name="use"/> on a writer's kept connection between its batches (for tests), or returns default if none is kept.</summary>
    internal async Task<T?> OnKeptConnectionAsync<T>(Func<System.Data.Common.DbConnection, Task<T>> use)
    {
        if (!_held.TryTake(out var held)) return default;
        try { return await use(held.Db.Database.GetDbConnection()); }
        finally { _held.Add(held); }
    }

    /// <summary>
    /// One draft on its own. On PostgreSQL another writer's batch may be creating the same new person at this moment: the
    /// unique index makes us wait for it and then refuse; by then that person exists, so a second try finds and uses them.
    /// </summary>
    private async Task<Outcome> CommitAloneAsync(RegistrationDraft draft)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return (await CommitAsync([draft]))[0]; }
            catch (Exception ex) when (attempt < 3 && DbWriteGate.IsUniqueViolation(ex)) { }
        }
    }

    private async Task<Outcome[]> CommitAsync(IReadOnlyList<RegistrationDraft> drafts)
    {
        using var span = Infrastructure.Telemetry.RelayMetrics.Activities.StartActivity("registration_writer.batch");
        span?.SetTag("careerrelay.batch_size", drafts.Count);
        await using var lease = await LeaseAsync();
        var db = lease.Db;
        var now = clock.GetUtcNow().UtcDateTime;
        var mails = new List<HandedOverMail>(drafts.Count);
        var started = clock.GetTimestamp();
        // Sent verification mail rides along: recorded in this transaction instead of one of its own.
        var sentMarks = outbox.TakeSent();
        var prepare = _prepare;
        Outcome[] committed;
        try
        {
            // Without an invitation to claim (an UPDATE whose answer decides the rest), all a batch writes is FastInsert's
            // one round trip, and on PostgreSQL that batch needs no transaction of its own: two trips, not three.
            committed = drafts.Any(d => d.Entry.InvitationId is not null)
                ? await gate.RunAsync(db, ct => WorkAsync(ct), CancellationToken.None)
                : await gate.RunAsOneBatchAsync(db, ct => WorkAsync(ct), CancellationToken.None);
            lease.Keep();
        }
        catch
        {
            outbox.ReturnSent(sentMarks);
            throw;
        }
        if (sentMarks.Count > 0) outbox.Release(sentMarks.Select(m => m.Id)); // recorded: the table answers for them now
        metrics.RegistrationBatch(drafts.Count, clock.GetElapsedTime(started));
        metrics.Registrations("accepted", committed.Count(o => o == Outcome.Written));
        // Committed: the verification mails go to this node's mail worker now, without being read back from the table.
        outbox.HandOver(mails);
        return committed;

        async Task<Outcome[]> WorkAsync(CancellationToken ct)
        {
            mails.Clear(); // a retried transaction starts again
            // One read for the batch: which of these people already have a candidate row (and key).
            var hashes = drafts.Select(d => d.EmailHash).Distinct().ToList();
            var known = gate.IsSqlite ? FindKnownOnSqlite(db, hashes) : await FindKnownOnPostgresAsync(db, hashes, ct);
            // Sized for the whole batch up front, as the rows below: growing them was their size again in garbage.
            var candidates = new Dictionary<string, (string Id, byte[] DataKey)>(drafts.Count);
            foreach (var k in known) candidates[k.EmailHash] = (k.Id, vault.Unwrap(new CandidateKey { CandidateId = k.Id, WrappedKey = k.WrappedKey }));

            var outcomes = new Outcome[drafts.Count];
            // At most a key, a person, a registration, a mail and a consent per agency each, and a count per company.
            var rows = new List<object>(drafts.Sum(d => 5 + d.AgencyIds.Count));
            for (var i = 0; i < drafts.Count; i++)
                outcomes[i] = await ApplyAsync(db, drafts[i], candidates, rows, mails, now, ct);
            // The summary's rollup, in the same transaction: one count per company in the batch.
            var companies = drafts.Where((_, i) => outcomes[i] == Outcome.Written).GroupBy(d => d.Entry.CompanyId)
                .Select(g => (Id: g.Key, Count: g.Count())).ToList();
            if (gate.IsSqlite)
            {
                // Prepared INSERTs through SQLite's C API, then the counters and sent marks: each a call, not a trip.
                await FastInsert.InsertAsync(db, rows, ct);
                foreach (var company in companies) await RegistrationCounters.AddedAsync(db, company.Id, company.Count, ct);
                if (sentMarks.Count > 0) await MailOutbox.RecordSentAsync(db, sentMarks, ct);
            }
            else
            {
                // PostgreSQL: the rows, the counts (rows of their own: writers side by side must not queue on the company's
                // account row) and the sent marks in one round trip — the batch's commit too, when it has no transaction of
                // its own. Each its own round trip (issue 23's profile) cost a wake-up of a writer and a trip through Npgsql
                // for every statement.
                foreach (var company in companies) rows.Add(RegistrationCounters.AddedOnPostgres(company.Id, company.Count));
                await FastInsert.InsertAsync(db, rows, ct, [.. MailOutbox.SentMarksOnPostgres(sentMarks)], lease.Statements, prepare);
            }
            return outcomes;
        }
    }

    private sealed record KnownPerson(string Id, string EmailHash, byte[] WrappedKey);

    /// <summary>
    /// On SQLite: one prepared point lookup per address (the unique index on <c>email_hash</c>) on the writer's own
    /// connection, through SQLite's C API as <see cref="FastInsert"/> writes. EF's query with a list parameter cost the
    /// one writer more than all the batch's INSERTs (issue 23's profile: 3.8 % of the app's CPU against 2.9 %).
    /// </summary>
    private static List<KnownPerson> FindKnownOnSqlite(CareerRelayDb db, IReadOnlyList<string> hashes)
    {
        var handle = ((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).Handle!;
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(handle,
            "SELECT c.id, k.wrapped_key FROM candidates AS c JOIN candidate_keys AS k ON k.candidate_id = c.id WHERE c.email_hash = ?1",
            out SQLitePCL.sqlite3_stmt statement);
        Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(rc, handle);
        var known = new List<KnownPerson>();
        using (statement)
        {
            foreach (var hash in hashes)
            {
                SQLitePCL.raw.sqlite3_bind_text(statement, 1, hash);
                rc = SQLitePCL.raw.sqlite3_step(statement);
                if (rc == SQLitePCL.raw.SQLITE_ROW)
                    known.Add(new KnownPerson(SQLitePCL.raw.sqlite3_column_text(statement, 0).utf8_to_string(), hash,
                        SQLitePCL.raw.sqlite3_column_blob(statement, 1).ToArray()));
                else if (rc != SQLitePCL.raw.SQLITE_DONE) Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(rc, handle);
                SQLitePCL.raw.sqlite3_reset(statement);
            }
        }
        return known;
    }

    /// <summary>
    /// On PostgreSQL: one command with the batch's addresses as an array, straight through Npgsql on the transaction's
    /// connection. EF's query for the same was 8 % of the node's CPU under load (issue 23's PostgreSQL profile). Never
    /// prepared, unlike the batch's INSERTs: a prepared statement's generic plan is kept until the table's statistics next
    /// change, and one made while <c>candidates</c> was small scans the table whole — measured: 2,692 look-ups reading 33
    /// million rows of a table growing to 36,000 in two minutes, PostgreSQL's CPU per registration doubling. Planned
    /// afresh, the planner sees the table's current size on every batch.
    /// </summary>
    private static async Task<List<KnownPerson>> FindKnownOnPostgresAsync(CareerRelayDb db, List<string> hashes, CancellationToken ct)
    {
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT c.id, c.email_hash, k.wrapped_key FROM candidates AS c JOIN candidate_keys AS k ON k.candidate_id = c.id WHERE c.email_hash = ANY($1)",
            (Npgsql.NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string[]> { TypedValue = [.. hashes] });
        var known = new List<KnownPerson>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            known.Add(new KnownPerson(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        return known;
    }

    private async Task<Outcome> ApplyAsync(CareerRelayDb db, RegistrationDraft d, Dictionary<string, (string Id, byte[] DataKey)> candidates,
        List<object> rows, List<HandedOverMail> mails, DateTime now, CancellationToken ct)
    {
        if (d.Entry.InvitationId is not null)
        {
            // The invitation is spent by its first accepted registration; the conditional update decides races.
            var claimed = await db.Invitations
                .Where(i => i.Id == d.Entry.InvitationId && i.UsedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.RegistrationId, d.RegistrationId), ct);
            if (claimed == 0) return Outcome.InvitationUsed;
        }

        // One candidate per person. A returning person's new details wait on the registration until verified.
        byte[] sealedMail;
        if (candidates.TryGetValue(d.EmailHash, out var candidate))
            sealedMail = MailOutbox.Seal(candidate.DataKey, d.Mail);
        else
        {
            var fresh = d.IfNew;
            rows.Add(fresh.Key);
            rows.Add(new Candidate
            {
                Id = fresh.Id, EmailHash = d.EmailHash, PhoneHash = d.PhoneHash, Profile = fresh.SealedProfile, CreatedAt = now, UpdatedAt = now,
            });
            candidates[d.EmailHash] = candidate = (fresh.Id, fresh.DataKey);
            sealedMail = fresh.SealedMail;
        }

        rows.Add(new Registration
        {
            Id = d.RegistrationId,
            CompanyId = d.Entry.CompanyId,
            LinkId = d.Entry.LinkId,
            InvitationId = d.Entry.InvitationId,
            Source = d.Source,
            CandidateId = candidate.Id,
            EmailHash = d.EmailHash,
            PhoneHash = d.PhoneHash,
            CodeHash = d.CodeHash,
            CodeExpiresAt = now.AddDays(relay.Value.VerificationValidDays),
            IpHash = d.IpHash,
            SubmittedProfile = candidate.Id == d.IfNew.Id ? d.IfNew.SealedProfile : vault.Seal(candidate.DataKey, d.Profile),
            Lang = d.Lang,
            CreatedAt = now,
        });
        foreach (var agencyId in d.AgencyIds)
            rows.Add(new Consent
            {
                Id = Ids.New(), CandidateId = candidate.Id, RegistrationId = d.RegistrationId, AgencyId = agencyId,
                NoticeVersion = d.NoticeVersion, GivenAt = now, IpHash = d.IpHash,
            });
        var (mail, handOver) = outbox.CreateToHandOver(candidate.Id, candidate.DataKey, "verification", sealedMail, d.Mail, now);
        rows.Add(mail);
        if (handOver is not null) mails.Add(handOver);
        return Outcome.Written;
    }
}
