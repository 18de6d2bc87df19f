using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// 再応募: a candidate asks the company that rejected them to consider them again, sharing only what they choose.
/// The shared snapshot is sealed with the candidate's key, so erasure shreds it like the rest of their data.
/// </summary>
public sealed class Reapplication
{
    public required string Id { get; init; }
    public required string CandidateId { get; init; }
    public required string CompanyId { get; init; }
    /// <summary>Which items were shared (field names), as in provision records.</summary>
    public required string SharedItems { get; init; }
    public required byte[] SharedProfile { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>What the candidate chose to share with the company they re-apply to.</summary>
public sealed record ReapplicationShare(string Name, string? Email, string? Phone, string? DesiredOccupation, IReadOnlyList<string>? Skills,
    IReadOnlyList<WorkHistoryItem>? WorkHistory, string? CareerSummary, string? Message);

/// <summary>Re-applying from /me, and the company's view of the requests (audited).</summary>
public sealed class Reapplications(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, PersonalDataCipher cipher, TimeProvider clock)
{
    [TextKeys("Me.Reapply.Item.{0}")]
    public static readonly string[] Shareable = ["contact", "skills", "workHistory", "careerSummary"];

    /// <summary>The companies the person came from (whose rejection emails carried the relay link) and whether they already re-applied.</summary>
    public async Task<IReadOnlyList<(string CompanyId, string Name, bool Done)>> CompaniesAsync(string candidateId, CancellationToken ct)
    {
        var companies = await (from r in db.Registrations
                               join c in db.Companies on r.CompanyId equals c.Id
                               where r.CandidateId == candidateId && r.Status != Registrations.RegistrationStatus.PendingVerification
                               select new { c.Id, c.Name }).Distinct().ToListAsync(ct);
        var done = await db.Reapplications.Where(a => a.CandidateId == candidateId).Select(a => a.CompanyId).ToListAsync(ct);
        return [.. companies.Select(c => (c.Id, c.Name, done.Contains(c.Id)))];
    }

    /// <summary>Creates the request with a provision record in one transaction; once per company (again: nothing new).</summary>
    public async Task<Result<bool>> ReapplyAsync(string candidateId, string? companyId, IReadOnlyCollection<string> share, string? message, CancellationToken ct)
    {
        var v = new Validation();
        var note = v.Optional("message", message, 2000, multiline: true);
        if (share.Any(s => !Shareable.Contains(s))) v.Add("share", "Error.UnknownItem");
        if (!v.IsValid) return v.ToError();
        var companies = await CompaniesAsync(candidateId, ct);
        var company = companies.FirstOrDefault(c => c.CompanyId == companyId);
        if (company.CompanyId is null) return ApiError.NotFound("company");
        if (company.Done) return false;

        var (_, dataKey, p) = await vault.OpenAsync(db, candidateId, ct) ?? throw new InvalidOperationException("The candidate is gone.");
        bool Shares(string item) => share.Contains(item);
        var snapshot = new ReapplicationShare(p.Name, Shares("contact") ? p.Email : null, Shares("contact") ? p.Phone : null,
            Shares("skills") ? p.DesiredOccupation : null, Shares("skills") ? p.Skills : null, Shares("workHistory") ? p.WorkHistory : null,
            Shares("careerSummary") ? p.CareerSummary : null, note);
        var items = new List<string> { ProvisionItems.Name };
        if (Shares("contact")) items.AddRange([ProvisionItems.Email, ProvisionItems.Phone]);
        if (Shares("skills")) items.AddRange([ProvisionItems.DesiredOccupation, ProvisionItems.Skills]);
        if (Shares("workHistory")) items.Add(ProvisionItems.WorkHistory);
        if (Shares("careerSummary")) items.Add(ProvisionItems.CareerSummary);
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, _ =>
        {
            db.Reapplications.Add(new Reapplication
            {
                Id = Ids.New(), CandidateId = candidateId, CompanyId = company.CompanyId, SharedItems = ProvisionItems.Join(items),
                SharedProfile = cipher.SealJson(dataKey, snapshot), CreatedAt = now,
            });
            db.ProvisionRecords.Add(new ProvisionRecord
            {
                Id = Ids.New(), CandidateId = candidateId, RecipientType = "company", RecipientId = company.CompanyId,
                Items = ProvisionItems.Join(items), Basis = ProvisionBasis.Consent, CreatedAt = now,
            });
            return Task.FromResult(0);
        }, ct);
        return true;
    }

    public sealed record Request(string Id, DateTime CreatedAt, ReapplicationShare Shared);

    /// <summary>The company's requests with what each person shared (erased people drop out); every view is audited.</summary>
    public async Task<IReadOnlyList<Request>> ForCompanyAsync(string companyId, string actor, CancellationToken ct)
    {
        var rows = await (from a in db.Reapplications
                          join k in db.CandidateKeys on a.CandidateId equals k.CandidateId
                          where a.CompanyId == companyId
                          orderby a.CreatedAt descending
                          select new { a.Id, a.CandidateId, a.CreatedAt, a.SharedProfile, k.WrappedKey }).Take(200).ToListAsync(ct);
        if (rows.Count == 0) return [];
        await AuditLog.RecordAsync(db, gate, "company", actor, AuditActions.ReapplicationsList, rows.Select(r => r.CandidateId), clock.GetUtcNow().UtcDateTime, ct);
        return [.. rows.Select(r => new Request(r.Id, r.CreatedAt, cipher.OpenJson<ReapplicationShare>(cipher.UnwrapKey(r.WrappedKey), r.SharedProfile)))];
    }

    /// <summary>Share of the company's verified referrals whose person asked to re-apply (a dashboard figure; aggregates only).</summary>
    public async Task<(int Count, double? Rate)> RateAsync(string companyId, CancellationToken ct)
    {
        var count = await db.Reapplications.CountAsync(a => a.CompanyId == companyId, ct);
        var people = await db.Registrations.Where(r => r.CompanyId == companyId && r.Status != Registrations.RegistrationStatus.PendingVerification)
            .Select(r => r.CandidateId).Distinct().CountAsync(ct);
        return (count, people == 0 ? null : Math.Round(100.0 * count / people, 1));
    }
}
