using CareerRelay.Web.Features.Matching;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// Courses for a person's gap (only online ones, or in person in their prefecture or a neighbouring one): the required skills of the jobs recommended to them that they do not hold (the matching's own
/// comparison, synonyms included), and the open courses that teach any of them. Ranked by how many of those jobs a course closes a
/// gap in, then by how many missing skills it teaches, then 教育訓練給付 (as the provider declares), then fewer hours. Each suggestion says why in sentences, like a match. Pure.
/// </summary>
public static class CourseSuggestions
{
    public const int Shown = 5;

    public sealed record Suggestion(Course Course, string ProviderName, IReadOnlyList<string> Teaches, int JobsHelped, IReadOnlyList<string> Reasons);

    /// <summary>A missing skill as the jobs name it, and the titles of the recommended jobs that ask for it.</summary>
    public sealed record Gap(string Skill, IReadOnlyList<string> Jobs);

    /// <summary>The required skills of the recommended jobs the person lacks, the most wanted first.</summary>
    public static IReadOnlyList<Gap> Gaps(CandidateFeatures person, IEnumerable<Jobs.Job> recommended)
    {
        var gaps = new Dictionary<string, (string Shown, List<string> Jobs)>(StringComparer.Ordinal);
        foreach (var job in recommended)
            foreach (var skill in job.Skills.Select(s => s.Trim()).Where(s => s.Length > 0).DistinctBy(SkillSynonyms.Canonical))
            {
                var canonical = SkillSynonyms.Canonical(skill);
                if (person.Skills.Contains(canonical)) continue;
                if (!gaps.TryGetValue(canonical, out var gap)) gaps[canonical] = gap = (skill, []);
                gap.Jobs.Add(job.Title);
            }
        return [.. gaps.OrderByDescending(g => g.Value.Jobs.Count).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => new Gap(g.Value.Shown, g.Value.Jobs))];
    }

    public static IReadOnlyList<Suggestion> Rank(CandidateFeatures person, IEnumerable<Jobs.Job> recommended,
        IReadOnlyList<(Course Course, string ProviderName)> courses, string lang, int limit = Shown)
    {
        var jobs = recommended.ToList();
        var missing = Gaps(person, jobs).ToDictionary(g => SkillSynonyms.Canonical(g.Skill), StringComparer.Ordinal);
        if (missing.Count == 0) return [];
        var ranked = new List<(Suggestion Suggestion, int Skills, int Hours)>();
        foreach (var (course, provider) in courses)
        {
            var teaches = course.Skills.Select(s => (Shown: s, Canonical: SkillSynonyms.Canonical(s)))
                .Where(s => missing.ContainsKey(s.Canonical)).DistinctBy(s => s.Canonical).ToList();
            if (teaches.Count == 0) continue;
            var near = course.Mode == CourseModes.Online || person.Prefecture is null || course.Prefecture == person.Prefecture
                || Geography.AreNeighbours(person.Prefecture, course.Prefecture);
            // An in-person course far from where the person lives is no way to close a gap.
            if (!near) continue;
            var helped = jobs.Count(j => j.Skills.Any(s => teaches.Any(t => t.Canonical == SkillSynonyms.Canonical(s))));
            var skills = teaches.Select(t => missing[t.Canonical].Skill).ToList();
            var reasons = new List<string>
            {
                Texts.Format("Course.Reason.Gap", lang, TextTokenizer.List(skills, lang), helped),
                course.Mode == CourseModes.Online ? Texts.Get("Course.Reason.Online", lang)
                    : person.Prefecture is not null ? Texts.Format("Course.Reason.Near", lang, PrefectureName(course.Prefecture, lang)) : Texts.Format("Course.Reason.InPerson", lang, PrefectureName(course.Prefecture, lang)),
            };
            if (course.BenefitEligible) reasons.Add(Texts.Get("Course.Reason.Benefit", lang));
            ranked.Add((new Suggestion(course, provider, skills, helped, reasons), teaches.Count, course.Hours));
        }
        return [.. ranked.OrderByDescending(r => r.Suggestion.JobsHelped).ThenByDescending(r => r.Skills).ThenByDescending(r => r.Suggestion.Course.BenefitEligible)
            .ThenBy(r => r.Hours).ThenBy(r => r.Suggestion.Course.Id, StringComparer.Ordinal).Take(limit).Select(r => r.Suggestion)];
    }

    public static string PrefectureName(string? code, string lang) => Prefectures.All.FirstOrDefault(p => p.Code == code)?.Name(lang) ?? code ?? "";
}
