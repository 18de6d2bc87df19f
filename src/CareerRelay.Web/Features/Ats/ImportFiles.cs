using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;

namespace CareerRelay.Web.Features.Ats;

/// <summary>An uploaded import file, and the run over its rows (preview or for real) that the API and the console share.</summary>
public static class ImportFiles
{
    public const int MaxBytes = 1024 * 1024; // the server-wide body limit: about 10,000 rows

    /// <summary>The raw CSV body (text/csv, application/octet-stream) or the <c>file</c> field of a multipart form.</summary>
    public static async Task<Result<byte[]>> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { Length: > 0 } upload) return ApiError.Invalid("file", "Error.ChooseCsv");
            if (upload.Length > MaxBytes) return TooLarge();
            await using var stream = upload.OpenReadStream();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            return copy.ToArray();
        }
        var body = await RequestBodies.ReadAsync(request, MaxBytes, ct);
        if (body is null) return TooLarge();
        return body.Length == 0 ? ApiError.Invalid("file", "Error.EmptyCsv") : body;
    }

    private static ApiError TooLarge() => AtsErrors.FileTooLarge(MaxBytes);

    public static async Task<Result<ImportResult>> RunAsync(RejectionImport import, RejectionIntake intake, CareerRelayDb db, string companyId,
        byte[] file, string? encoding, string defaultLang, DateTime? sendAt, bool dryRun, string uiLang, TimeProvider clock, CancellationToken ct)
    {
        var parsed = import.Parse(file, encoding, defaultLang, clock.GetUtcNow().UtcDateTime);
        if (parsed.FileErrors.Count > 0) return ApiError.Validation(new Dictionary<string, FieldMessage[]> { ["file"] = [.. parsed.FileErrors.Select(m => new FieldMessage("ImportMessage." + m.Key, m.Args))] }, uiLang);

        var eventIds = parsed.Rows.Where(r => r.Event is not null).Select(r => r.Event!.EventId).ToList();
        var known = new HashSet<string>();
        foreach (var chunk in eventIds.Chunk(500))
            known.UnionWith(await db.AtsEvents.AsNoTracking().Where(a => a.CompanyId == companyId && chunk.Contains(a.EventId)).Select(a => a.EventId).ToListAsync(ct));

        // The rows to take, all at once: the intake writes them in a few large transactions, not one per row.
        var toTake = dryRun ? [] : parsed.Rows.Where(r => r.Event is not null && !known.Contains(r.Event.EventId)).ToList();
        var answers = toTake.Count == 0 ? [] : await intake.HandleManyAsync(companyId, [.. toTake.Select(r => r.Event! with { SendAt = sendAt })], ct);
        var answerOf = toTake.Select((row, i) => (row, answers[i])).ToDictionary(x => x.row, x => x.Item2);

        var items = new List<ImportRowItem>(parsed.Rows.Count);
        foreach (var row in parsed.Rows)
        {
            var already = row.Event is not null && known.Contains(row.Event.EventId);
            var messages = (already ? row.Notes.Append(new ImportMessage("AlreadyImported")) : row.Notes).Select(m => m.In(uiLang)).ToList();
            if (answerOf.TryGetValue(row, out var answer))
                items.Add(new(row.Line, row.ApplicationId, row.JobTitle, row.Status, messages, answer.InvitationUrl, answer.Mail));
            else
            {
                var willMail = row.Status == ImportRowStatus.Invite && row.Event?.CandidateEmail is not null && !already;
                items.Add(new(row.Line, row.ApplicationId, row.JobTitle, already ? ImportRowStatus.AlreadyImported : row.Status, messages, null, willMail ? "scheduled" : "none"));
            }
        }
        return new ImportResult(dryRun, parsed.Encoding, parsed.Columns, items.Count,
            Invitations: items.Count(i => i.Status == ImportRowStatus.Invite),
            Mails: items.Count(i => i.Status == ImportRowStatus.Invite && i.Mail == "scheduled"),
            NoInvitation: items.Count(i => i.Status == ImportRowStatus.NoInvitation),
            Skipped: items.Count(i => i.Status == ImportRowStatus.Skipped),
            Errors: items.Count(i => i.Status == ImportRowStatus.Error),
            AlreadyImported: items.Count(i => i.Status == ImportRowStatus.AlreadyImported), items);
    }
}
