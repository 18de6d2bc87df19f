using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// What the ranking may know of a candidate: skills, desired occupations, experience, salary wish, where they
/// live and their career text. Built from the profile by <see cref="From"/>; name, contact details, and anything
/// like age, gender, nationality or a photo cannot even be represented here, so they cannot move a score.
/// </summary>
public sealed record CandidateFeatures(string Id, HashSet<string> Skills, string? DesiredOccupation,
    string? Prefecture, IReadOnlyList<string> TextTokens, int? YearsOfExperience = null, int? DesiredSalary = null, bool WillingToRelocate = false,
    IReadOnlyList<Occupations.Occupation>? DesiredOccupations = null, bool ReachedFinal = false,
    IReadOnlyDictionary<string, Education.CompletedCourse>? CourseSkills = null)
{
    public static CandidateFeatures From(string id, CandidateProfile p)
    {
        var skills = p.HeldSkills().ToList();
        var text = string.Join("\n", new[] { p.DesiredOccupation, p.CareerSummary, string.Join(" ", skills) }
            .Concat((p.WorkHistory ?? []).SelectMany(w => new[] { w.Title, w.Description })).Where(s => !string.IsNullOrWhiteSpace(s)));
        return new CandidateFeatures(id, SkillSynonyms.ExpandAll(skills), p.DesiredOccupation, p.Prefecture, TextTokenizer.Tokenize(text),
            p.YearsOfExperience, p.DesiredSalary, p.WillingToRelocate == true,
            [.. (p.DesiredOccupationCodes ?? []).Select(Occupations.Find).OfType<Occupations.Occupation>()],
            Links.SelectionStages.ReachedFinal(p.SharedStage), CourseSkillsOf(p));
    }

    /// <summary>The skills (canonical) the person holds only through a completed course, each with that course: matching says so.</summary>
    private static Dictionary<string, Education.CompletedCourse>? CourseSkillsOf(CandidateProfile p)
    {
        if (p.CompletedCourses is not { Count: > 0 } courses) return null;
        var own = SkillSynonyms.ExpandAll(p.Skills);
        var bySkill = new Dictionary<string, Education.CompletedCourse>(StringComparer.Ordinal);
        foreach (var course in courses)
            foreach (var skill in course.Skills.Select(SkillSynonyms.Canonical).Where(s => !own.Contains(s)))
                bySkill.TryAdd(skill, course);
        return bySkill;
    }
}

/// <summary>One scored match and the sentences that explain it, in the reader's language.</summary>
public sealed record Match(string CandidateId, double Score, IReadOnlyList<string> Reasons);

/// <summary>
/// The facts one score reads. Implemented by <see cref="CandidateFeatures"/> (one person) and by a slot of the
/// compact <see cref="MatchIndex"/> (everyone), so both are scored by the same code.
/// </summary>
public interface ICandidateFacts
{
    string Id { get; }
    /// <summary>Whether the person's skills (expanded by synonyms) include this one.</summary>
    bool HasSkill(in JobSkill skill);
    int? YearsOfExperience { get; }
    int? DesiredSalary { get; }
    /// <summary>JIS X 0401 number (1–47), 0 when not given.</summary>
    int PrefectureNumber { get; }
    bool WillingToRelocate { get; }
    string? DesiredOccupation { get; }
    IReadOnlyList<Occupations.Occupation> DesiredOccupations { get; }
    /// <summary>The person shared that they reached a final round (or an offer) elsewhere.</summary>
    bool ReachedFinal { get; }
}

/// <summary>How near a person lives to a job's workplace.</summary>
public enum Nearness : byte { None, SamePrefecture, Neighbour, Region }

/// <summary>A skill a job asks for, as shown to people and as compared (canonical name; its term id in an index, or -1).</summary>
public readonly record struct JobSkill(string Shown, string Canonical, int TermId);

internal readonly struct FeatureFacts(CandidateFeatures f) : ICandidateFacts
{
    public string Id => f.Id;
    public bool HasSkill(in JobSkill skill) => f.Skills.Contains(skill.Canonical);
    public int? YearsOfExperience => f.YearsOfExperience;
    public int? DesiredSalary => f.DesiredSalary;
    public int PrefectureNumber => Prefectures.Number(f.Prefecture);
    public bool WillingToRelocate => f.WillingToRelocate;
    public string? DesiredOccupation => f.DesiredOccupation;
    public IReadOnlyList<Occupations.Occupation> DesiredOccupations => f.DesiredOccupations ?? [];
    public bool ReachedFinal => f.ReachedFinal;
}

/// <summary>
/// A transparent score out of 100: required skills 35, years of experience 5, preferred skills 5, desired
/// occupation 15, text relevance by BM25 20, location 10 (remote counts as local), salary fit 5, freshness 5; and 3 for
/// having reached a final round elsewhere, when the person chose to share it (the total never passes 100).
/// A part that does not apply (no years asked, no salary given) gives nothing; each part that contributes
/// says so in a sentence; nothing else counts.
/// </summary>
public static class MatchScorer
{
    public const double SkillWeight = 35, YearsWeight = 5, PreferredWeight = 5, OccupationWeight = 15, TextWeight = 20,
        LocationWeight = 10, SalaryWeight = 5, FreshnessWeight = 5, StageWeight = 3;

    /// <summary>
    /// Ranks a given pool of candidates for a job, best first (ties by id). The pool is put in a throwaway
    /// <see cref="MatchIndex"/>, so text relevance is measured against this pool and ranked by the same code as
    /// the long-lived index.
    /// </summary>
    public static List<Match> Rank(Job job, IReadOnlyList<CandidateFeatures> candidates, DateTime now, string lang, int limit)
    {
        var index = new MatchIndex();
        foreach (var c in candidates) index.Upsert(c);
        return index.Rank(job, null, now, lang, limit);
    }

    /// <param name="textRelevance">The candidate's BM25 score for the job, 0–1 relative to the best in the pool.</param>
    public static Match Score(Job job, CandidateFeatures c, double textRelevance, DateTime now, string lang)
    {
        var reasons = new List<string>();
        var prepared = new PreparedJob(job, null);
        var score = Points(prepared, new FeatureFacts(c), textRelevance, now, reasons, lang);
        // A required skill held through a completed course says where it comes from (受講修了), as agencies see it.
        foreach (var skill in prepared.Required)
            if (c.CourseSkills?.GetValueOrDefault(skill.Canonical) is { } course)
                reasons.Add(Texts.Format("Match.CourseSkill", lang, skill.Shown, course.Course, course.Provider));
        return new Match(c.Id, Math.Round(score, 1), reasons);
    }

    /// <summary>What is worked out once per job, not once per candidate.</summary>
    internal sealed class PreparedJob(Job job, Func<string, int>? termId)
    {
        public Job Job { get; } = job;
        public JobSkill[] Required { get; } = Prepare(job.Skills, termId);
        public JobSkill[] Preferred { get; } = Prepare(job.PreferredSkills, termId);
        public Occupations.Occupation? Occupation { get; } = Occupations.Find(job.OccupationCode);
        /// <summary>How near each prefecture (by number; 0 = not given) is to the job, worked out once rather than per person.</summary>
        public Nearness[] ByPrefecture { get; } = [.. Enumerable.Range(0, 48).Select(i => NearnessOf(i == 0 ? null : i.ToString("00"), job.Prefecture))];
        private readonly Dictionary<string, bool> _titleFits = new(StringComparer.Ordinal);

        /// <summary>Whether a free-text desired occupation fits the title; remembered, as many people share one.</summary>
        public bool TitleFits(string desired)
        {
            if (!_titleFits.TryGetValue(desired, out var fits)) _titleFits[desired] = fits = OccupationFits(desired, Job.Title);
            return fits;
        }

        private static Nearness NearnessOf(string? home, string work) =>
            home is null ? Nearness.None
            : home == work ? Nearness.SamePrefecture
            : Geography.AreNeighbours(home, work) ? Nearness.Neighbour
            : Geography.RegionOf(home) == Geography.RegionOf(work) ? Nearness.Region
            : Nearness.None;

        private static JobSkill[] Prepare(IEnumerable<string> skills, Func<string, int>? termId) =>
            [.. skills.Select(s => (Shown: s, Canonical: SkillSynonyms.Canonical(s))).DistinctBy(x => x.Canonical)
                .Select(x => new JobSkill(x.Shown, x.Canonical, termId?.Invoke(x.Canonical) ?? -1))];
    }

    /// <summary>The score; with <paramref name="reasons"/> given, also the sentence for each part that counted.</summary>
    internal static double Points<T>(PreparedJob p, in T c, double textRelevance, DateTime now, List<string>? reasons, string lang)
        where T : ICandidateFacts
    {
        var job = p.Job;
        double score = 0;

        var matched = 0;
        foreach (ref readonly var skill in p.Required.AsSpan()) if (c.HasSkill(skill)) matched++;
        if (p.Required.Length > 0 && matched > 0)
        {
            score += SkillWeight * matched / p.Required.Length;
            reasons?.Add(Texts.Format(matched == p.Required.Length ? "Match.SkillsAll" : "Match.SkillsSome", lang,
                TextTokenizer.List(Shown(p.Required, c), lang), matched, p.Required.Length));
        }

        if (job.YearsRequired is int asked && c.YearsOfExperience is int years && years >= asked)
        {
            score += YearsWeight;
            reasons?.Add(Texts.Format("Match.Years", lang, years, asked));
        }

        var preferred = 0;
        foreach (ref readonly var skill in p.Preferred.AsSpan()) if (c.HasSkill(skill)) preferred++;
        if (p.Preferred.Length > 0 && preferred > 0)
        {
            score += PreferredWeight * preferred / p.Preferred.Length;
            reasons?.Add(Texts.Format("Match.Preferred", lang, TextTokenizer.List(Shown(p.Preferred, c), lang)));
        }

        score += OccupationPoints(p, c, reasons, lang);

        if (textRelevance >= 0.3)
        {
            score += TextWeight * textRelevance;
            reasons?.Add(Texts.Get("Match.Text", lang));
        }

        string Prefecture() => Prefectures.All.FirstOrDefault(x => x.Code == job.Prefecture)?.Name(lang) ?? job.Prefecture;
        if (job.RemoteAllowed)
        {
            score += LocationWeight;
            reasons?.Add(Texts.Get("Match.Remote", lang));
        }
        else if (p.ByPrefecture[c.PrefectureNumber] is Nearness.SamePrefecture)
        {
            score += LocationWeight;
            reasons?.Add(Texts.Format("Match.SamePrefecture", lang, Prefecture()));
        }
        else if (p.ByPrefecture[c.PrefectureNumber] is Nearness.Neighbour)
        {
            score += LocationWeight * 0.6;
            reasons?.Add(Texts.Format("Match.Neighbour", lang, Prefecture()));
        }
        else if (p.ByPrefecture[c.PrefectureNumber] is Nearness.Region)
        {
            score += LocationWeight * 0.3;
            reasons?.Add(Texts.Format("Match.Region", lang, Prefecture()));
        }
        else if (c.WillingToRelocate)
        {
            score += LocationWeight * 0.3;
            reasons?.Add(Texts.Get("Match.Relocate", lang));
        }

        if (c.DesiredSalary is int wanted && job.SalaryMax is int max && wanted <= max)
        {
            score += SalaryWeight;
            reasons?.Add(Texts.Format("Match.Salary", lang, wanted / 10_000, wanted.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
        }

        var age = now - job.CreatedAt;
        if (age <= TimeSpan.FromDays(30))
        {
            score += FreshnessWeight * (age <= TimeSpan.FromDays(7) ? 1 : 0.5);
            reasons?.Add(Texts.Get("Match.Fresh", lang));
        }
        if (c.ReachedFinal)
        {
            score += StageWeight;
            reasons?.Add(Texts.Get("Match.ReachedFinal", lang));
        }
        return Math.Min(score, 100);
    }

    private static IEnumerable<string> Shown<T>(JobSkill[] skills, T c) where T : ICandidateFacts =>
        skills.Where(s => c.HasSkill(s)).Select(s => s.Shown).ToList();

    /// <summary>
    /// Occupation: when both the job and the person give 職業分類 codes, the same code counts in full and the same
    /// major group for half; otherwise the person's free-text desired occupation is compared with the job title.
    /// </summary>
    private static double OccupationPoints<T>(PreparedJob p, in T c, List<string>? reasons, string lang) where T : ICandidateFacts
    {
        var desired = c.DesiredOccupations;
        if (p.Occupation is { } jobOccupation && desired.Count > 0)
        {
            foreach (var o in desired)
                if (o.Code == jobOccupation.Code)
                {
                    reasons?.Add(Texts.Format("Match.OccupationCode", lang, jobOccupation.Name(lang)));
                    return OccupationWeight;
                }
            foreach (var o in desired)
                if (o.Major == jobOccupation.Major)
                {
                    reasons?.Add(Texts.Format("Match.OccupationMajor", lang, Occupations.Find(jobOccupation.Major)!.Name(lang)));
                    return OccupationWeight / 2;
                }
            return 0;
        }
        if (c.DesiredOccupation is { Length: > 0 } text && p.TitleFits(text))
        {
            reasons?.Add(Texts.Format("Match.Occupation", lang, text));
            return OccupationWeight;
        }
        return 0;
    }

    /// <summary>The desired occupation fits the job title when most of its bigrams (or words) appear in it, or a skill synonym links them.</summary>
    public static bool OccupationFits(string desired, string title)
    {
        var want = TextTokenizer.Tokenize(desired).ToHashSet();
        if (want.Count == 0) return false;
        var have = TextTokenizer.Tokenize(title).ToHashSet();
        if (want.Count(have.Contains) * 2 >= want.Count) return true;
        var broader = SkillSynonyms.Expand(desired);
        return TextTokenizer.Tokenize(title).Any(t => broader.Contains(t)) || broader.Any(b => title.Contains(b, StringComparison.OrdinalIgnoreCase));
    }
}
