using System.Text.Json;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Matching;

namespace CareerRelay.Tests.Features.Matching;

/// <summary>
/// Ranking quality on the hand-labelled evaluation set (Evaluation/evaluation-set.json: 10 jobs × 24 candidates,
/// Japanese and English profiles, every pair graded 0–3): nDCG@10 of the full score against ranking by skills
/// overlap alone. The figures are written to the test output (docs/benchmarks.md quotes them).
/// </summary>
public sealed class MatchQualityTests(ITestOutputHelper output)
{
    private static readonly DateTime Now = new(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);

    private sealed record EvalJob(string Id, string Title, string Description, string Prefecture, string OccupationCode, List<string> Skills,
        List<string> PreferredSkills, int? YearsRequired, int? SalaryMax, bool RemoteAllowed = false);
    private sealed record EvalHistory(string Title, string Description);
    private sealed record EvalCandidate(string Id, string Language, string Prefecture, List<string> DesiredOccupationCodes, string DesiredOccupation,
        List<string> Skills, int YearsOfExperience, int DesiredSalary, bool WillingToRelocate, string CareerSummary, List<EvalHistory> WorkHistory);
    private sealed record Judgment(string Job, string Candidate, int Grade);
    private sealed record EvalSet(List<EvalJob> Jobs, List<EvalCandidate> Candidates, List<Judgment> Judgments);

    private static EvalSet Load() => JsonSerializer.Deserialize<EvalSet>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Matching", "Evaluation", "evaluation-set.json")),
        new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Fact]
    public void EvaluationSet_HasAtLeast200GradedPairs_InJapaneseAndEnglish()
    {
        var set = Load();
        Assert.True(set.Judgments.Count >= 200);
        Assert.Equal(set.Jobs.Count * set.Candidates.Count, set.Judgments.Select(j => (j.Job, j.Candidate)).Distinct().Count()); // every pair, once
        Assert.Contains(set.Candidates, c => c.Language == "ja");
        Assert.Contains(set.Candidates, c => c.Language == "en");
        Assert.All(set.Jobs, j => Assert.Contains(set.Judgments, x => x.Job == j.Id && x.Grade == 3)); // each job has someone who fits
    }

    [Fact]
    public void Ranking_BeatsSkillsOverlapAlone_OnNdcgAt10()
    {
        var set = Load();
        var people = set.Candidates.Select(c => CandidateFeatures.From(c.Id, new CandidateProfile("—", "—", null, null, c.Prefecture, c.DesiredOccupation,
            c.Skills, [.. c.WorkHistory.Select(w => new WorkHistoryItem("—", w.Title, null, null, w.Description))], c.CareerSummary, null, null,
            c.YearsOfExperience, c.DesiredSalary, c.WillingToRelocate, c.DesiredOccupationCodes))).ToList();
        var grades = set.Judgments.ToDictionary(j => (j.Job, j.Candidate), j => j.Grade);

        var model = new List<double>();
        var baseline = new List<double>();
        foreach (var e in set.Jobs)
        {
            var job = new Job
            {
                Id = e.Id, CompanyId = "eval", Title = e.Title, Description = e.Description, Prefecture = e.Prefecture, OccupationCode = e.OccupationCode,
                Skills = e.Skills, PreferredSkills = e.PreferredSkills, YearsRequired = e.YearsRequired, SalaryMax = e.SalaryMax, RemoteAllowed = e.RemoteAllowed,
                EmploymentType = "full_time", Status = "open", CreatedAt = Now.AddDays(-3),
            };
            var ranked = MatchScorer.Rank(job, people, Now, "ja", people.Count).Select(m => m.CandidateId).ToList();
            var asked = job.Skills.Concat(job.PreferredSkills).Select(SkillSynonyms.Canonical).Distinct().ToList();
            var bySkills = people.OrderByDescending(p => asked.Count(p.Skills.Contains)).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Id).ToList();
            var ideal = set.Candidates.Select(c => grades[(e.Id, c.Id)]).OrderDescending().ToList();
            model.Add(Ndcg(ranked.Select(id => grades[(e.Id, id)]), ideal));
            baseline.Add(Ndcg(bySkills.Select(id => grades[(e.Id, id)]), ideal));
            output.WriteLine($"{e.Id} {e.Title}: ranking {model[^1]:0.000}, skills overlap {baseline[^1]:0.000}");
        }
        output.WriteLine($"mean nDCG@10: ranking {model.Average():0.000}, skills overlap only {baseline.Average():0.000}");
        Assert.True(model.Average() > baseline.Average() + 0.05, $"ranking {model.Average():0.000} vs skills overlap {baseline.Average():0.000}");
    }

    /// <summary>nDCG@10 with gains 2^grade − 1.</summary>
    private static double Ndcg(IEnumerable<int> rankedGrades, IEnumerable<int> idealGrades)
    {
        static double Dcg(IEnumerable<int> g) => g.Take(10).Select((grade, i) => (Math.Pow(2, grade) - 1) / Math.Log2(i + 2)).Sum();
        var ideal = Dcg(idealGrades);
        return ideal == 0 ? 0 : Dcg(rankedGrades) / ideal;
    }
}
