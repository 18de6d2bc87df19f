using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Infrastructure.Lists;

namespace CareerRelay.Web.Features.Operator;

/// <summary>
/// What the operator answers for under APPI: who read a candidate's data (art. 26 breach reports), what was
/// handed to whom (arts. 29/30 provision records, kept 3 years), and the consent notice itself. Shared by the
/// API and the operator's pages so both give the same answer.
/// </summary>
public sealed class OperatorRecords(CareerRelayDb db, DbWriteGate gate, RelayEntries entries, TimeProvider clock)
{
    public sealed record AuditItem(string Id, string ActorType, string ActorId, string Action, string CandidateId, DateTime CreatedAt);
    public sealed record ProvisionItem(string Id, string CandidateId, string RecipientType, string RecipientId, string RecipientName,
        string Items, string Basis, DateTime CreatedAt);

    /// <summary>Reads of candidate data, oldest first, optionally for one candidate and a period (from and to inclusive).</summary>
    public Task<List<AuditItem>> AuditAsync(string? candidateId, DateTime? from, DateTime? to, PageRequest page, CancellationToken ct)
    {
        var fromUtc = from?.ToUniversalTime();
        var toUtc = to?.ToUniversalTime();
        return db.AuditEntries.AsNoTracking()
            .Where(a => (candidateId == null || a.CandidateId == candidateId) && (fromUtc == null || a.CreatedAt >= fromUtc) && (toUtc == null || a.CreatedAt <= toUtc))
            .PageAfter(page, a => a.Id)
            .Select(a => new AuditItem(a.Id, a.ActorType, a.ActorId, a.Action, a.CandidateId, a.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>Provision records of a period, oldest first, with the recipient's name (they stay after erasure, pseudonymous).</summary>
    public Task<List<ProvisionItem>> ProvisionsAsync(DateTime? from, DateTime? to, PageRequest page, CancellationToken ct)
    {
        var fromUtc = from?.ToUniversalTime();
        var toUtc = to?.ToUniversalTime();
        return (from p in db.ProvisionRecords.AsNoTracking()
                join a in db.Agencies on p.RecipientId equals a.Id into agencies
                from a in agencies.DefaultIfEmpty()
                where (fromUtc == null || p.CreatedAt >= fromUtc) && (toUtc == null || p.CreatedAt <= toUtc)
                select new { p, Name = a == null ? p.RecipientId : a.Name })
            .PageAfter(page, x => x.p.Id)
            .Select(x => new ProvisionItem(x.p.Id, x.p.CandidateId, x.p.RecipientType, x.p.RecipientId, x.Name, x.p.Items, x.p.Basis, x.p.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>Publishes a new notice version; returning candidates are asked to consent again on their page.</summary>
    public async Task<Result<ConsentNotice>> PublishNoticeAsync(string? textJa, string? textEn, CancellationToken ct)
    {
        var v = new Validation();
        var ja = v.Optional("textJa", textJa, 20_000, multiline: true) ?? "";
        var en = v.Optional("textEn", textEn, 20_000, multiline: true) ?? "";
        if (ja.Length == 0) v.Add("textJa", "Error.Required");
        if (en.Length == 0) v.Add("textEn", "Error.Required");
        if (!v.IsValid) return v.ToError();
        var notice = await gate.RunAsync(db, token => NoticeBook.PublishAsync(db, ja, en, clock.GetUtcNow().UtcDateTime, token), ct);
        entries.Invalidate();
        return notice;
    }
}
