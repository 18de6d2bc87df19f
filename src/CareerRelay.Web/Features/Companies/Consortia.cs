using System.Security.Cryptography;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Companies;

/// <summary>A named partnership of companies (e.g. three companies of one industry or region) that pool their loop figures.</summary>
public sealed class Consortium
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Whoever holds the invite code may join; only its hash is kept.</summary>
    public required string InviteCodeHash { get; init; }
    public required string CreatedByCompanyId { get; init; }
    public DateTime CreatedAt { get; init; }
}

public sealed class ConsortiumMember
{
    public required string ConsortiumId { get; init; }
    public required string CompanyId { get; init; }
    public DateTime JoinedAt { get; init; }
}

/// <summary>
/// Consortia: create (the creator joins and gets an invite code), join by code, leave, and the members' combined,
/// anonymised view — the pooled funnel and how many of one member's relayed people were placed at another. Never a
/// person, and no figure below <see cref="MinimumGroup"/>: smaller counts are answered as null ("fewer than 5").
/// </summary>
public sealed class Consortia(CareerRelayDb db, DbWriteGate gate, TimeProvider clock)
{
    public const int MinimumGroup = 5;

    public sealed record ConsortiumItem(string Id, string Name, IReadOnlyList<string> Members, DateTime CreatedAt);
    public sealed record ConsortiumCreated(string Id, string Name, string InviteCode);
    public sealed record Funnel(int? Invitations, int? Registrations, int? QualifiedReferrals, int? Placements);
    public sealed record Flow(string From, string To, int? Placements);
    public sealed record ConsortiumSummary(string Id, string Name, IReadOnlyList<string> Members, Funnel Funnel, IReadOnlyList<Flow> Flows);

    public async Task<Result<ConsortiumCreated>> CreateAsync(string companyId, string? name, CancellationToken ct)
    {
        var v = new Validation();
        var trimmed = v.Required("name", name, 100);
        if (!v.IsValid) return v.ToError();
        // Grouped for reading aloud or pasting: CR-XXXX-XXXX-XXXX from an unambiguous alphabet (80 bits).
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 16);
        var code = $"CR-{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}-{new string(chars, 12, 4)}";
        var now = clock.GetUtcNow().UtcDateTime;
        var consortium = new Consortium { Id = Ids.New(), Name = trimmed, InviteCodeHash = SecretTokens.Hash(code), CreatedByCompanyId = companyId, CreatedAt = now };
        await gate.RunAsync(db, _ =>
        {
            db.Consortia.Add(consortium);
            db.ConsortiumMembers.Add(new ConsortiumMember { ConsortiumId = consortium.Id, CompanyId = companyId, JoinedAt = now });
            return Task.FromResult(0);
        }, ct);
        return new ConsortiumCreated(consortium.Id, trimmed, code);
    }

    /// <summary>Joins by invite code; again: no change. An unknown code is 404, whatever the reason.</summary>
    public async Task<Result<ConsortiumItem>> JoinAsync(string companyId, string? inviteCode, CancellationToken ct)
    {
        var code = inviteCode?.Trim().ToUpperInvariant() ?? "";
        if (code.Length is 0 or > 40) return ApiError.Invalid("inviteCode", "Error.InviteCode");
        var hash = SecretTokens.Hash(code);
        var consortium = await db.Consortia.AsNoTracking().FirstOrDefaultAsync(c => c.InviteCodeHash == hash, ct);
        if (consortium is null) return ApiError.NotFound("consortium");
        try
        {
            await gate.RunAsync(db, async t =>
            {
                if (!await db.ConsortiumMembers.AnyAsync(m => m.ConsortiumId == consortium.Id && m.CompanyId == companyId, t))
                    db.ConsortiumMembers.Add(new ConsortiumMember { ConsortiumId = consortium.Id, CompanyId = companyId, JoinedAt = clock.GetUtcNow().UtcDateTime });
                return 0;
            }, ct);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex)) { } // joined twice at once
        return (await ForCompanyAsync(companyId, ct)).First(c => c.Id == consortium.Id);
    }

    public async Task<bool> LeaveAsync(string companyId, string id, CancellationToken ct) =>
        await gate.RunAsync(db, t => db.ConsortiumMembers.Where(m => m.ConsortiumId == id && m.CompanyId == companyId).ExecuteDeleteAsync(t), ct) > 0;

    public async Task<IReadOnlyList<ConsortiumItem>> ForCompanyAsync(string companyId, CancellationToken ct)
    {
        var mine = await db.ConsortiumMembers.AsNoTracking().Where(m => m.CompanyId == companyId).Select(m => m.ConsortiumId).ToListAsync(ct);
        var rows = await (from c in db.Consortia
                          join m in db.ConsortiumMembers on c.Id equals m.ConsortiumId
                          join co in db.Companies on m.CompanyId equals co.Id
                          where mine.Contains(c.Id)
                          select new { c.Id, c.Name, c.CreatedAt, Member = co.Name }).ToListAsync(ct);
        return rows.GroupBy(r => (r.Id, r.Name, r.CreatedAt)).OrderBy(g => g.Key.CreatedAt)
            .Select(g => new ConsortiumItem(g.Key.Id, g.Key.Name, [.. g.Select(r => r.Member).Order()], g.Key.CreatedAt)).ToList();
    }

    /// <summary>The combined view, for members only (another company's consortium is not found).</summary>
    public async Task<ConsortiumSummary?> SummaryAsync(string companyId, string id, CancellationToken ct)
    {
        if (!await db.ConsortiumMembers.AnyAsync(m => m.ConsortiumId == id && m.CompanyId == companyId, ct)) return null;
        var consortium = await db.Consortia.AsNoTracking().FirstAsync(c => c.Id == id, ct);
        var members = await (from m in db.ConsortiumMembers join c in db.Companies on m.CompanyId equals c.Id where m.ConsortiumId == id
                             select new { c.Id, c.Name }).ToListAsync(ct);
        var ids = members.Select(m => m.Id).ToList();
        var funnel = new Funnel(
            Invitations: AtLeastFive(await db.Invitations.CountAsync(i => ids.Contains(i.CompanyId), ct)),
            Registrations: AtLeastFive(await db.Registrations.CountAsync(r => ids.Contains(r.CompanyId) && r.Status != RegistrationStatus.PendingVerification, ct)),
            QualifiedReferrals: AtLeastFive(await db.CompanyAccounts.Where(a => ids.Contains(a.CompanyId)).SumAsync(a => (int?)a.QualifiedCount, ct) ?? 0),
            Placements: AtLeastFive(await db.Placements.CountAsync(p => p.ReferringCompanyId != null && ids.Contains(p.ReferringCompanyId), ct)));
        var placed = await db.Placements.AsNoTracking()
            .Where(p => p.ReferringCompanyId != null && ids.Contains(p.ReferringCompanyId) && p.CompanyId != null && ids.Contains(p.CompanyId) && p.ReferringCompanyId != p.CompanyId)
            .GroupBy(p => new { From = p.ReferringCompanyId!, To = p.CompanyId! }).Select(g => new { g.Key.From, g.Key.To, Count = g.Count() }).ToListAsync(ct);
        var name = members.ToDictionary(m => m.Id, m => m.Name);
        var flows = (from a in members from b in members where a.Id != b.Id
                     let count = placed.FirstOrDefault(p => p.From == a.Id && p.To == b.Id)?.Count ?? 0
                     orderby a.Name, b.Name
                     select new Flow(a.Name, b.Name, AtLeastFive(count))).ToList();
        return new ConsortiumSummary(consortium.Id, consortium.Name, [.. members.Select(m => m.Name).Order()], funnel, flows);
    }

    /// <summary>A count shown only from five up: below that it could point at a person.</summary>
    public static int? AtLeastFive(int count) => count >= MinimumGroup ? count : null;
}

// What the routes in NetworkEndpoints take and answer.

public sealed record ConsortiumRequest(string? Name);

public sealed record JoinRequest(string? InviteCode);
