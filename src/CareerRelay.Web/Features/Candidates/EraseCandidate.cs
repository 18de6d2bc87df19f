using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// Erases the person. In one transaction: their data key is destroyed (every sealed copy — profile, submitted
/// profiles, queued mail, résumé, in the database, its WAL and any backup — becomes unreadable), the rows
/// holding personal data are deleted, their sign-in links die, their consents end and the agencies that
/// received their data are told. Counts, ledger, consents and provision records keep only the pseudonymous
/// id and do not change. Afterwards the freed pages are scrubbed (SQLite secure_delete + WAL truncation;
/// PostgreSQL VACUUM of the tables that held the data).
/// </summary>
public sealed class EraseCandidate(CareerRelayDb db, DbWriteGate gate, MailOutbox outbox, Infrastructure.Webhooks.WebhookOutbox webhooks,
    Matching.MatchIndexer matchIndex, IOptions<DatabaseOptions> database, TimeProvider clock, ILogger<EraseCandidate> logger)
{
    public async Task<bool> HandleAsync(string candidateId, CancellationToken ct)
    {
        if (!await db.Candidates.AnyAsync(c => c.Id == candidateId, ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            // The suppression entry of their address (a keyed hash like the candidate's own) goes with them.
            await db.MailSuppressions.Where(x => db.Candidates.Any(c => c.Id == candidateId && c.EmailHash == x.AddressHash)).ExecuteDeleteAsync(token);
            await db.CandidateKeys.Where(k => k.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.Candidates.Where(c => c.Id == candidateId).ExecuteDeleteAsync(token);
            await db.CandidateFiles.Where(f => f.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.MeTokens.Where(t => t.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.OutboxMails.Where(m => m.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.Reapplications.Where(a => a.CandidateId == candidateId).ExecuteDeleteAsync(token);
            // The conversation with agencies goes entirely: messages, blocks, interviews and their times, LINE.
            await db.Messages.Where(m => m.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.MessageBlocks.Where(b => b.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.InterviewSlots.Where(s => db.Interviews.Any(i => i.Id == s.InterviewId && i.CandidateId == candidateId)).ExecuteDeleteAsync(token);
            await db.Interviews.Where(i => i.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.LineLinks.Where(l => l.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.LineLinkCodes.Where(c => c.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.LinePushes.Where(p => p.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await Alumni.LeaveAlumni.EraseAsync(db, candidateId, now, token);
            // Schools and providers: the school tie and the requests with what the person sent go (Features/Education).
            await Education.MyEducation.EraseAsync(db, outbox, candidateId, now, token);
            // Follow-ups stay with the agency's placement (its legal figures); the person's own answers and links go.
            await db.PlacementChecks.Where(c => c.CandidateId == candidateId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.PersonTokenHash, (string?)null).SetProperty(c => c.PersonAnswer, (string?)null)
                .SetProperty(c => c.PersonAnsweredAt, (DateTime?)null), token);
            // Registrations stay (they are the counts and the ledger's references) without what identified the person.
            await db.Registrations.Where(r => r.CandidateId == candidateId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.SubmittedProfile, Array.Empty<byte>())
                .SetProperty(r => r.EmailHash, "erased")
                .SetProperty(r => r.PhoneHash, (string?)null), token);
            await db.Consents.Where(c => c.CandidateId == candidateId && c.WithdrawnAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.WithdrawnAt, now), token);
            // On the erasure list (pseudonymous id and time), so a restored backup can be erased again.
            if (!await db.Erasures.AnyAsync(e => e.CandidateId == candidateId, token))
                db.Erasures.Add(new Erasure { CandidateId = candidateId, ErasedAt = now });
            var recipients = await db.ProvisionRecords.Where(p => p.CandidateId == candidateId && p.RecipientType == "agency")
                .Select(p => p.RecipientId).Distinct().ToListAsync(token);
            await AgencyNotices.TellAsync(db, outbox, recipients, candidateId, "Mail.Erased", now, token);
            foreach (var agency in recipients)
                await webhooks.EnqueueAsync(db, "agency", agency, Infrastructure.Webhooks.AgencyEvents.CandidateErased, new { candidateId }, token);
            return 0;
        }, ct);
        matchIndex.Forget(candidateId);
        logger.LogInformation("Candidate {CandidateId} erased at their request", candidateId);
        await ScrubFreedPagesAsync(ct);
        return true;
    }

    private async Task ScrubFreedPagesAsync(CancellationToken ct)
    {
        try
        {
            if (database.Value.Provider == DatabaseProvider.Sqlite)
                await CheckpointFullyAsync(ct);
            else
                await db.Database.ExecuteSqlRawAsync("VACUUM candidate_keys, candidates, candidate_files, me_tokens, outbox_mails, registrations, reapplications, placement_checks, alumni_members, referrers, school_links, course_requests, messages, message_blocks, interviews, interview_slots, line_links, line_link_codes, line_pushes;", ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The data is already unreadable (its key is gone); scrubbing is defence in depth and is retried by the next erasure.
            logger.LogWarning(ex, "Scrubbing freed pages after an erasure did not complete");
        }
    }

    /// <summary>
    /// secure_delete has zeroed the freed cells in the log's new pages; a checkpoint that copies them over the database
    /// file's old pages and truncates the log removes the last copies. Only one checkpoint runs at a time, and the
    /// background checkpointer runs one every second: a checkpoint that finds it busy (its first column is 1) is not done,
    /// and is tried again rather than taken as done — until then the erased person's old pages are still in the file.
    /// </summary>
    private async Task CheckpointFullyAsync(CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                bool busy;
                try
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    busy = await reader.ReadAsync(ct) && reader.GetInt32(0) != 0;
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
                {
                    busy = true;
                }
                if (!busy) return;
                if (attempt == 40) throw new InvalidOperationException("The database stayed busy; the checkpoint did not complete.");
                await Task.Delay(25, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
