using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Features.Retention;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// What a school sees of its graduates: of the people who named it and agreed to share outcomes, how many registered, were
/// supported by an agency (contacted), were placed, and were still employed six months after the start — each figure only
/// from five people (a smaller one is null), never who and never where. A university or 専門学校 also sees, by name, the
/// graduates who agreed to that too (audited); a high school never sees a person.
/// </summary>
public sealed class SchoolOutcomes(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, TimeProvider clock)
{
    /// <summary>No figure is shown from fewer people than this (the same floor as the network's other pooled figures).</summary>
    public const int Floor = 5;
    public const int FirstGraduationYear = 1950;

    /// <summary>The 卒業年度 a person may state or a school may ask for: from 1950 to six years ahead (students in their first year).</summary>
    public int LastGraduationYear => LastGraduationYearOn(clock);

    public static int LastGraduationYearOn(TimeProvider clock) => CompanyActivity.TodayInJapan(clock).AddMonths(-3).Year + 6;

    public Result<int?> ParseFiscalYear(string? text)
    {
        if (string.IsNullOrEmpty(text)) return (int?)null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year)
            && year >= FirstGraduationYear && year <= LastGraduationYear) return year;
        return ApiError.Invalid("fiscalYear", "Error.FiscalYear", FirstGraduationYear, LastGraduationYear);
    }

    public async Task<Outcomes?> ForAsync(string schoolId, int? fiscalYear, CancellationToken ct)
    {
        var school = await db.EducationPartners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == schoolId && p.Kind != EducationKinds.TrainingProvider, ct);
        if (school is null) return null;
        var sharing = db.SchoolLinks.Where(l => l.SchoolId == schoolId && l.ShareOutcomes && (fiscalYear == null || l.GraduationYear == fiscalYear))
            .Select(l => l.CandidateId);
        var figures = await CountAsync(sharing, ct);
        var years = await db.SchoolLinks.Where(l => l.SchoolId == schoolId && l.ShareOutcomes && l.GraduationYear != null)
            .Select(l => l.GraduationYear!.Value).Distinct().OrderByDescending(y => y).ToListAsync(ct);
        return new Outcomes(school.Id, school.Name, school.Kind, fiscalYear, Shown(figures.Registered), Shown(figures.Supported),
            Shown(figures.Placed), Shown(figures.Employed), Floor, years);
    }

    /// <summary>
    /// The graduates who let this school see them by name, with how far they got (never where). Their names are read from their
    /// sealed profiles, so each read is audited like an agency's. Null for a high school (or no school): it never sees a person.
    /// </summary>
    public async Task<IReadOnlyList<NamedGraduate>?> NamedAsync(string schoolId, string actorId, CancellationToken ct)
    {
        var kind = await db.EducationPartners.Where(p => p.Id == schoolId).Select(p => p.Kind).FirstOrDefaultAsync(ct);
        if (kind is null || !EducationKinds.MaySeeNames(kind)) return null;
        var links = await db.SchoolLinks.AsNoTracking().Where(l => l.SchoolId == schoolId && l.ShareOutcomes && l.ShareName)
            .OrderByDescending(l => l.GraduationYear).ThenBy(l => l.CandidateId).Take(500).ToListAsync(ct);
        if (links.Count == 0) return [];
        var ids = links.Select(l => l.CandidateId).ToList();
        var profiles = await vault.OpenManyAsync(db, ids, ct);
        var stages = await StagesAsync(ids, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await AuditLog.RecordAsync(db, gate, ActorTypes.School, actorId, AuditActions.GraduatesRead, profiles.Keys, now, ct);
        return [.. links.Where(l => profiles.ContainsKey(l.CandidateId))
            .Select(l => new NamedGraduate(profiles[l.CandidateId].Name, l.GraduationYear, stages.GetValueOrDefault(l.CandidateId, GraduateStages.Registered)))];
    }

    /// <summary>The counts behind a school's figures, for any set of people (also the operator's totals, which pass no floor of their own).</summary>
    internal async Task<(int Registered, int Supported, int Placed, int Employed)> CountAsync(IQueryable<string> people, CancellationToken ct)
    {
        var registered = await people.CountAsync(ct);
        var supported = await db.AgencyCandidates.Where(a => people.Contains(a.CandidateId) && a.FirstContactedAt != null)
            .Select(a => a.CandidateId).Distinct().CountAsync(ct);
        var placements = await db.Placements.AsNoTracking().Where(p => people.Contains(p.CandidateId))
            .Select(p => new { p.Id, p.CandidateId, p.StartDate }).ToListAsync(ct);
        var employed = await EmployedAtSixMonthsAsync(placements.Select(p => (p.Id, p.CandidateId, p.StartDate)).ToList(), ct);
        return (registered, supported, placements.Select(p => p.CandidateId).Distinct().Count(), employed.Count);
    }

    /// <summary>The people with a placement whose first six months are over with no leave inside them and a follow-up at or after them.</summary>
    private async Task<HashSet<string>> EmployedAtSixMonthsAsync(IReadOnlyList<(string Id, string CandidateId, DateOnly Start)> placements, CancellationToken ct)
    {
        if (placements.Count == 0) return [];
        var ids = placements.Select(p => p.Id).ToList();
        var followUps = (await db.PlacementFollowUps.AsNoTracking().Where(f => ids.Contains(f.PlacementId)).ToListAsync(ct)).ToLookup(f => f.PlacementId);
        var today = CompanyActivity.TodayInJapan(clock);
        return [.. placements.Where(p => SixMonthOutcome.Of(p.Start, followUps[p.Id], today) is { Passed: true, KnownAfter: true, LeftInside: false })
            .Select(p => p.CandidateId)];
    }

    private async Task<Dictionary<string, string>> StagesAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var stages = new Dictionary<string, string>();
        foreach (var id in await db.AgencyCandidates.Where(a => ids.Contains(a.CandidateId) && a.FirstContactedAt != null).Select(a => a.CandidateId).ToListAsync(ct))
            stages[id] = GraduateStages.Supported;
        var placements = await db.Placements.AsNoTracking().Where(p => ids.Contains(p.CandidateId)).Select(p => new { p.Id, p.CandidateId, p.StartDate }).ToListAsync(ct);
        foreach (var p in placements) stages[p.CandidateId] = GraduateStages.Placed;
        foreach (var id in await EmployedAtSixMonthsAsync(placements.Select(p => (p.Id, p.CandidateId, p.StartDate)).ToList(), ct))
            stages[id] = GraduateStages.EmployedAtSixMonths;
        return stages;
    }

    /// <summary>A count as shown to a partner: null below <see cref="Floor"/>.</summary>
    internal static int? Shown(int count) => count >= Floor ? count : null;
}

/// <summary>A school's figures; each null when fewer than <see cref="Floor"/> people are behind it.</summary>
public sealed record Outcomes(string SchoolId, string SchoolName, string Kind, int? FiscalYear, int? Registered, int? Supported, int? Placed,
    int? EmployedAtSixMonths, int Floor, IReadOnlyList<int> FiscalYears);

/// <summary>A graduate who let the school see them by name: the name, the year, how far they got — never the company.</summary>
public sealed record NamedGraduate(string Name, int? GraduationYear, string Stage);

[Infrastructure.Localization.TextKeys("School.Stage.{0}")]
public static class GraduateStages
{
    public const string Registered = "registered";
    public const string Supported = "supported";
    public const string Placed = "placed";
    public const string EmployedAtSixMonths = "employed_6m";
    public static readonly string[] All = [Registered, Supported, Placed, EmployedAtSixMonths];
}
