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
public sealed class OperatorRecords(CareerRelayDb db, DbWriteGate gate, RelayEntries entries, Infrastructure.Security.LookupHasher hasher, TimeProvider clock)
{
    public sealed record AuditItem(string Id, string ActorType, string ActorId, string Action, string CandidateId, DateTime CreatedAt);

    /// <summary>An audit entry as the operator reads it: the tenant by name and, within it, the person or API key that read.</summary>
    public sealed record ReadableAudit(AuditItem Item, string? TenantName, string? PersonOrKey, bool IsKey);

    /// <summary>Names the tenant, person and key of each entry ("{tenant}/user:{id}", "{tenant}/{userId}" or "{tenant}/{keyId}").</summary>
    public async Task<List<ReadableAudit>> ReadableAsync(IReadOnlyList<AuditItem> items, CancellationToken ct)
    {
        var parts = items.Select(i => i.ActorId.Split('/', 2)).ToList();
        var tenantIds = parts.Select(p => p[0]).Distinct().ToList();
        var subjects = parts.Where(p => p.Length == 2).Select(p => p[1].StartsWith("user:", StringComparison.Ordinal) ? p[1][5..] : p[1]).Distinct().ToList();
        var tenants = await db.Companies.AsNoTracking().Where(c => tenantIds.Contains(c.Id)).Select(c => new { c.Id, c.Name })
            .Concat(db.Agencies.AsNoTracking().Where(a => tenantIds.Contains(a.Id)).Select(a => new { a.Id, a.Name }))
            .ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var people = await db.TenantUsers.AsNoTracking().Where(u => subjects.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => subjects.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        return [.. items.Select((item, i) =>
        {
            var subject = parts[i].Length == 2 ? (parts[i][1].StartsWith("user:", StringComparison.Ordinal) ? parts[i][1][5..] : parts[i][1]) : null;
            var key = subject is not null && keys.TryGetValue(subject, out var keyName) ? keyName : null;
            var person = subject is not null && people.TryGetValue(subject, out var email) ? email : null;
            return new ReadableAudit(item, tenants.GetValueOrDefault(parts[i][0]), person ?? key, key is not null && person is null);
        })];
    }

    /// <summary>
    /// Finds a person by their email address through the keyed hash (no address is stored in clear) and records the look-up as a
    /// read of their data, so it shows in their own access log. Null when nobody has that address (or they erased their data).
    /// </summary>
    public async Task<string?> FindByEmailAsync(string email, string operatorKeyId, CancellationToken ct)
    {
        var hash = hasher.Person("email:" + Registrations.PersonIdentity.NormaliseEmail(email));
        var candidateId = await db.Candidates.AsNoTracking().Where(c => c.EmailHash == hash).Select(c => c.Id).FirstOrDefaultAsync(ct);
        if (candidateId is not null)
            await Candidates.AuditLog.RecordAsync(db, gate, Candidates.ActorTypes.Operator, operatorKeyId, Candidates.AuditActions.OperatorLookup,
                [candidateId], clock.GetUtcNow().UtcDateTime, ct);
        return candidateId;
    }
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
                join c in db.Companies on p.RecipientId equals c.Id into companies
                from c in companies.DefaultIfEmpty()
                where (fromUtc == null || p.CreatedAt >= fromUtc) && (toUtc == null || p.CreatedAt <= toUtc)
                select new { p, Name = a != null ? a.Name : c != null ? c.Name : p.RecipientId })
            .PageAfter(page, x => x.p.Id)
            .Select(x => new ProvisionItem(x.p.Id, x.p.CandidateId, x.p.RecipientType, x.p.RecipientId, x.Name, x.p.Items, x.p.Basis, x.p.CreatedAt))
            .ToListAsync(ct);
    }

    public const int MaxNotice = 20_000;

    /// <summary>Publishes a new notice version; returning candidates are asked to consent again on their page.</summary>
    public async Task<Result<ConsentNotice>> PublishNoticeAsync(string? textJa, string? textEn, CancellationToken ct)
    {
        var v = new Validation();
        var ja = v.Optional("textJa", textJa, MaxNotice, multiline: true) ?? "";
        var en = v.Optional("textEn", textEn, MaxNotice, multiline: true) ?? "";
        if (ja.Length == 0) v.Add("textJa", "Error.Required");
        if (en.Length == 0) v.Add("textEn", "Error.Required");
        if (!v.IsValid) return v.ToError();
        var notice = await gate.RunAsync(db, token => NoticeBook.PublishAsync(db, ja, en, clock.GetUtcNow().UtcDateTime, token), ct);
        entries.Invalidate();
        return notice;
    }
}

// What the routes in OperatorEndpoints take and answer.

public sealed record ErasureItem(string CandidateId, DateTime ErasedAt);

public sealed record ErasureList(IReadOnlyList<ErasureItem> Items);

public sealed record CreateCompanyRequest(string? Name, string? ContactEmail);

public sealed record CreateAgencyRequest(string? Name, string? LicenseNumber, string? ContactEmail, List<string?>? Occupations,
    string? Fees, string? ComplaintContact, string? PrivacyPolicyUrl, DateOnly? LicenseExpiresOn);

public sealed record TenantCreated(string Id, string ApiKey);

public sealed record HoldItem(string Id, string CompanyId, string LinkId, string? Reason, DateTime CreatedAt, DateTime? VerifiedAt);

public sealed record ReverseRequest(string? Reason);

public sealed record NoticeRequest(string? TextJa, string? TextEn);

public sealed record NoticePublished(int Version);
