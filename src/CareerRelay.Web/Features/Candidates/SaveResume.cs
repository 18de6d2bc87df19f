using System.Text;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>The person's résumé (one PDF, sealed with their key): saved after checking it, read back, deleted.</summary>
public sealed class SaveResume(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, TimeProvider clock)
{
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>Stores the résumé after checking it is a PDF of acceptable size without active content.</summary>
    public async Task<Result<ResumeInfo>> HandleAsync(string candidateId, string? fileName, byte[] bytes, string lang, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return ApiError.NotFound("candidate");
        var problem = ResumeProblem(bytes);
        if (problem is not null) return ApiError.InvalidIn(lang, "resume", problem);
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/')).Trim();
        if (name.Length == 0 || name.Length > 200 || name.Any(char.IsControl)) name = "resume.pdf";
        var dataKey = opened.DataKey;
        var now = clock.GetUtcNow().UtcDateTime;
        var sealedName = PersonalDataCipher.Seal(dataKey, Encoding.UTF8.GetBytes(name));
        var content = PersonalDataCipher.Seal(dataKey, bytes);
        await gate.RunAsync(db, async token =>
        {
            var file = await db.CandidateFiles.FirstOrDefaultAsync(f => f.CandidateId == candidateId, token);
            if (file is null) db.CandidateFiles.Add(new CandidateFile { CandidateId = candidateId, SealedName = sealedName, Content = content, Size = bytes.Length, UploadedAt = now });
            else { file.SealedName = sealedName; file.Content = content; file.Size = bytes.Length; file.UploadedAt = now; }
            return 0;
        }, ct);
        return new ResumeInfo(name, bytes.Length, now);
    }

    /// <summary>Null when acceptable, else the text key of the reason. Active content is refused: agencies open these files.</summary>
    public static string? ResumeProblem(byte[] bytes)
    {
        if (bytes.Length == 0) return "Error.ResumeEmpty";
        if (bytes.Length > MaxBytes) return "Error.ResumeTooLarge";
        if (bytes.Length < 8 || !bytes.AsSpan(0, 5).SequenceEqual("%PDF-"u8)) return "Error.ResumeNotPdf";
        var tail = bytes.AsSpan(Math.Max(0, bytes.Length - 2048));
        if (tail.IndexOf("%%EOF"u8) < 0) return "Error.ResumeNotPdf";
        var text = Encoding.Latin1.GetString(bytes);
        if (text.Contains("/JavaScript", StringComparison.Ordinal) || text.Contains("/JS", StringComparison.Ordinal)
            || text.Contains("/Launch", StringComparison.Ordinal) || text.Contains("/EmbeddedFile", StringComparison.Ordinal))
            return "Error.ResumeActive";
        return null;
    }

    /// <summary>The résumé as uploaded (for the person, and for an agency they consented to).</summary>
    public async Task<(string FileName, byte[] Content)?> ReadAsync(string candidateId, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        var file = await db.CandidateFiles.AsNoTracking().FirstOrDefaultAsync(f => f.CandidateId == candidateId, ct);
        if (opened is null || file is null) return null;
        var key = opened.DataKey;
        return (Encoding.UTF8.GetString(PersonalDataCipher.Open(key, file.SealedName)), PersonalDataCipher.Open(key, file.Content));
    }

    public Task DeleteAsync(string candidateId, CancellationToken ct) =>
        gate.RunAsync(db, token => db.CandidateFiles.Where(f => f.CandidateId == candidateId).ExecuteDeleteAsync(token), ct);
}
