using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Education;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Matching;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Tests.Features.Education;

/// <summary>The ranking behind /me's course suggestions, on its own: which courses, in which order, and why.</summary>
public sealed class CourseSuggestionsTests
{
    private static Job Job(string title, params string[] skills) => new()
    {
        Id = Guid.NewGuid().ToString("N"), CompanyId = "c", Title = title, Description = "", Prefecture = "13", Skills = [.. skills],
        EmploymentType = "full_time", Status = "open", CreatedAt = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc),
    };

    private static Course Course(string id, string[] skills, string mode = CourseModes.Online, string? prefecture = null, bool benefit = false, int hours = 20) => new()
    {
        Id = id, ProviderId = "p", Title = id, Description = "", Skills = [.. skills], Hours = hours, PriceYen = 10_000, Mode = mode, Prefecture = prefecture,
        BenefitEligible = benefit, CreatedAt = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    private static CandidateFeatures Person(string? prefecture, params string[] skills) =>
        CandidateFeatures.From("x", new CandidateProfile("花子", "h@example.jp", null, null, prefecture, "営業", skills));

    [Fact]
    public void OnlyCoursesForARequiredSkillThePersonLacks_TheOneThatHelpsMoreJobsFirst_WithItsReasons()
    {
        var jobs = new[] { Job("経理", "簿記", "Excel"), Job("営業事務", "Excel", "SQL"), Job("データ分析", "SQL") };
        var person = Person("13", "簿記", "エクセル"); // エクセル is Excel by synonym: not missing
        var courses = new (Course, string)[]
        {
            (Course("excel", ["Excel"]), "A"), (Course("sql", ["SQL"]), "B"), (Course("boki", ["簿記"]), "C"), (Course("none", ["Go"]), "D"),
        };
        var ranked = CourseSuggestions.Rank(person, jobs, courses, Lang.Japanese);
        var only = Assert.Single(ranked);
        Assert.Equal("sql", only.Course.Id);
        Assert.Equal(2, only.JobsHelped);
        Assert.Equal("おすすめ求人2件で必須の「SQL」を学べます", only.Reasons[0]);
        Assert.Equal(["SQL"], CourseSuggestions.Gaps(person, jobs).Select(g => g.Skill));
    }

    [Fact]
    public void AnInPersonCourse_IsSuggestedOnlyNearWhereThePersonLives()
    {
        var jobs = new[] { Job("データ分析", "SQL") };
        var courses = new (Course, string)[]
        {
            (Course("okinawa", ["SQL"], CourseModes.InPerson, "47"), "A"), (Course("kanagawa", ["SQL"], CourseModes.InPerson, "14"), "B"),
            (Course("online", ["SQL"], benefit: true, hours: 40), "C"), (Course("short", ["SQL"], hours: 10), "D"),
        };
        var ranked = CourseSuggestions.Rank(Person("13"), jobs, courses, Lang.English).Select(s => s.Course.Id).ToList();
        // Same gap closed: 教育訓練給付 first, then fewer hours; Okinawa is far from Tokyo.
        Assert.Equal(["online", "short", "kanagawa"], ranked);
        Assert.Contains("Held near you (Kanagawa)", CourseSuggestions.Rank(Person("13"), jobs, courses, Lang.English).Single(s => s.Course.Id == "kanagawa").Reasons);
    }

    [Fact]
    public void NoRecommendedJobs_OrNoGap_NoSuggestion()
    {
        var courses = new (Course, string)[] { (Course("sql", ["SQL"]), "B") };
        Assert.Empty(CourseSuggestions.Rank(Person("13", "SQL"), [Job("分析", "SQL")], courses, Lang.Japanese));
        Assert.Empty(CourseSuggestions.Rank(Person("13"), [], courses, Lang.Japanese));
    }
}
