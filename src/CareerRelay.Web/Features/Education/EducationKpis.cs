using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// What the education side achieves: for a provider, the requests it received, the completions people confirmed, and those
/// completions followed by a placement within six months — each shown only from five people, since a provider knows the people
/// behind its own requests; for the operator, the same across every provider and the schools' sharing graduates (whole counts).
/// </summary>
public sealed class EducationKpis(CareerRelayDb db)
{
    public async Task<ProviderKpis> ForProviderAsync(string providerId, CancellationToken ct)
    {
        var (requests, completions, placed) = await CountAsync(db.CourseRequests.Where(r => r.ProviderId == providerId), ct);
        return new ProviderKpis(SchoolOutcomes.Shown(requests), SchoolOutcomes.Shown(completions), SchoolOutcomes.Shown(placed), SchoolOutcomes.Floor);
    }

    public async Task<NetworkEducationKpis> ForNetworkAsync(CancellationToken ct)
    {
        var (requests, completions, placed) = await CountAsync(db.CourseRequests, ct);
        var kinds = await db.EducationPartners.GroupBy(p => p.Kind).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return new NetworkEducationKpis(kinds.Where(k => k.Key != EducationKinds.TrainingProvider).Sum(k => k.Value),
            kinds.GetValueOrDefault(EducationKinds.TrainingProvider), await db.SchoolLinks.CountAsync(l => l.ShareOutcomes, ct),
            await db.Courses.CountAsync(c => c.ClosedAt == null, ct), requests, completions, placed);
    }

    private async Task<(int Requests, int Completions, int Placed)> CountAsync(IQueryable<CourseRequest> requests, CancellationToken ct)
    {
        var confirmed = await requests.Where(r => r.CompletionConfirmedAt != null && r.CompletedOn != null)
            .Select(r => new { r.CandidateId, CompletedOn = r.CompletedOn!.Value }).ToListAsync(ct);
        var people = confirmed.Select(c => c.CandidateId).Distinct().ToList();
        var starts = (await db.Placements.AsNoTracking().Where(p => people.Contains(p.CandidateId)).Select(p => new { p.CandidateId, p.StartDate }).ToListAsync(ct))
            .ToLookup(p => p.CandidateId, p => p.StartDate);
        // A placement starting on or after the completion day and within six months of it.
        var placed = confirmed.Count(c => starts[c.CandidateId].Any(s => s >= c.CompletedOn && s <= c.CompletedOn.AddMonths(6)));
        return (await requests.CountAsync(ct), confirmed.Count, placed);
    }
}

/// <summary>A provider's figures; each null when fewer than <see cref="Floor"/> people are behind it.</summary>
public sealed record ProviderKpis(int? Requests, int? Completions, int? CompletionsFollowedByPlacement, int Floor);

/// <summary>The operator's view of the education side: partners, graduates sharing outcomes, courses, requests and their results.</summary>
public sealed record NetworkEducationKpis(int Schools, int Providers, int SharingGraduates, int OpenCourses, int Requests, int Completions,
    int CompletionsFollowedByPlacement);
