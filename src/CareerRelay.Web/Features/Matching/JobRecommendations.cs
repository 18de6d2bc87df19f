using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Jobs;

namespace CareerRelay.Web.Features.Matching;

/// <summary>The other direction: open jobs ranked for one person (おすすめ求人), same score and reasons.</summary>
public static class JobRecommendations
{
    public sealed record Recommendation(Job Job, string CompanyName, double Score, IReadOnlyList<string> Reasons);

    public static List<Recommendation> Rank(CandidateFeatures person, IReadOnlyList<(Job Job, string CompanyName)> jobs, DateTime now, string lang, int limit)
    {
        // Text relevance: the person's career text as the query over the jobs' titles and descriptions.
        var bm25 = new Bm25(jobs.Select(j => (IReadOnlyList<string>)TextTokenizer.Tokenize($"{j.Job.Title}\n{j.Job.Description}")).ToList());
        var query = person.TextTokens.Distinct().ToList();
        var text = jobs.Select((_, i) => bm25.Score(i, query)).ToList();
        var best = text.DefaultIfEmpty(0).Max();
        return jobs.Select((j, i) => (j, m: MatchScorer.Score(j.Job, person, best > 0 ? text[i] / best : 0, now, lang)))
            .Where(x => x.m.Score > 0)
            .OrderByDescending(x => x.m.Score).ThenByDescending(x => x.j.Job.CreatedAt).ThenBy(x => x.j.Job.Id, StringComparer.Ordinal)
            .Take(limit).Select(x => new Recommendation(x.j.Job, x.j.CompanyName, x.m.Score, x.m.Reasons)).ToList();
    }
}
