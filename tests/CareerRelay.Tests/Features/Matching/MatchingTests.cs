using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Matching;

namespace CareerRelay.Tests.Features.Matching;

/// <summary>The parts of the explainable ranking, one by one, and the fairness property.</summary>
public sealed class MatchingTests
{
    private static readonly DateTime Now = new(2026, 11, 21, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Tokenizer_SplitsJapaneseIntoBigrams_AndLatinIntoWords_KeepingTechNames()
    {
        Assert.Equal(["法人", "人営", "営業"], TextTokenizer.Tokenize("法人営業"));
        Assert.Equal(["c#", "と", "postgresql", "での", "の開", "開発"], TextTokenizer.Tokenize("C#とPostgreSQLでの開発"));
        Assert.Contains("c++", TextTokenizer.Tokenize("C++ engineer"));
        Assert.Contains(".net", TextTokenizer.Tokenize("ASP.NET and .NET"));
        Assert.Equal(["java", "developer"], TextTokenizer.Tokenize("ＪＡＶＡ　Developer")); // full-width folded by NFKC
        Assert.Equal(["経理"], TextTokenizer.Tokenize("経理"));
        Assert.Empty(TextTokenizer.Tokenize("  、。!? "));
    }

    [Fact]
    public void Synonyms_FoldAliases_AndANarrowSkillSatisfiesABroadRequirementButNotTheReverse()
    {
        Assert.Equal("javascript", SkillSynonyms.Canonical("JS"));
        Assert.Equal("postgresql", SkillSynonyms.Canonical("Postgres"));
        Assert.Equal("excel", SkillSynonyms.Canonical("エクセル"));
        Assert.Contains("営業", SkillSynonyms.Expand("法人営業"));
        Assert.DoesNotContain("法人営業", SkillSynonyms.Expand("営業"));
        Assert.Contains("javascript", SkillSynonyms.Expand("TypeScript"));
        Assert.Contains("ソフトウェア開発", SkillSynonyms.Expand("React")); // react → javascript → development
    }

    [Fact]
    public void OccupationChoices_NeverRepeatALabel_AndSameNamedGroupsCompareAsOne()
    {
        // A person must be able to tell every option of the select apart, in both languages.
        foreach (var major in Occupations.Majors)
            foreach (var lang in new[] { "ja", "en" })
                Assert.Equal(Occupations.MiddleGroupsOf(major.Code).Count(), Occupations.MiddleGroupsOf(major.Code).Select(o => o.Name(lang)).Distinct().Count());
        // 068 is one of the groups whose own name we lack: it is its family's 067, for the select and for the score.
        Assert.Equal("067", Occupations.Find("068")!.Code);
        Assert.True(Occupations.IsValid("068")); // a code already stored stays valid
        var job = new Job
        {
            Id = "j", CompanyId = "c", Title = "ライン作業", Description = "", Prefecture = "23", EmploymentType = "full_time", OccupationCode = "069", Status = "open",
            CreatedAt = Now.AddDays(-60),
        };
        var person = CandidateFeatures.From("p", new CandidateProfile("x", "x@example.jp", null, null, "23", null, [], DesiredOccupationCodes: ["067"]));
        Assert.Contains(JobRecommendations.Rank(person, [(job, "A")], Now, "ja", 1).Single().Reasons, r => r.Contains("生産設備オペレーター", StringComparison.Ordinal));
    }

    [Fact]
    public void Geography_BordersAreSymmetric_AndRegionsCoverAllPrefectures()
    {
        foreach (var (a, neighbours) in Geography.AllBorders)
            foreach (var b in neighbours) Assert.True(Geography.AreNeighbours(b, a), $"{a}–{b} is not symmetric");
        for (var i = 1; i <= 47; i++) Assert.NotNull(Geography.RegionOf(i.ToString("00")));
        Assert.True(Geography.AreNeighbours("13", "14"));
        Assert.False(Geography.AreNeighbours("13", "27"));
        Assert.Equal(Geography.RegionOf("27"), Geography.RegionOf("26"));
    }

    private static Job SalesJob(string prefecture = "13", int ageDays = 3) => new()
    {
        Id = "job1", CompanyId = "c1", Title = "法人営業（SaaS）", Description = "中小企業向けに業務システムを提案する法人営業。既存顧客のフォローと新規開拓。",
        Prefecture = prefecture, Skills = ["営業", "Excel"], EmploymentType = "full_time", Status = "open", CreatedAt = Now.AddDays(-ageDays),
    };

    private static CandidateProfile Profile(string name = "山田 太郎", string email = "taro@example.jp", string? prefecture = "13",
        IReadOnlyList<string>? skills = null, string? occupation = "法人営業", string? summary = "SaaSの法人営業を3年。新規開拓と既存顧客のフォロー。") =>
        new(name, email, null, null, prefecture, occupation, skills ?? ["法人営業", "エクセル"], null, summary, null);

    [Fact]
    public void EachPartOfTheScore_CountsAndSaysWhy()
    {
        // The sales job asks no years, lists no preferred skills and gives no salary: those parts give nothing here.
        var job = SalesJob();
        const double applicable = 100 - MatchScorer.YearsWeight - MatchScorer.PreferredWeight - MatchScorer.SalaryWeight;
        var full = MatchScorer.Score(job, CandidateFeatures.From("a", Profile()), 1.0, Now, "ja");
        Assert.Equal(applicable, full.Score);
        Assert.Contains("必須スキル 営業・Excel の経験がすべて一致", full.Reasons);
        Assert.Contains("希望職種「法人営業」が求人と一致", full.Reasons);
        Assert.Contains("勤務地（東京都）がお住まいの都道府県と同じ", full.Reasons);
        Assert.Contains(full.Reasons, r => r.Contains("新着"));

        var half = MatchScorer.Score(job, CandidateFeatures.From("b", Profile(skills: ["法人営業"])), 1.0, Now, "en");
        Assert.Equal(applicable - MatchScorer.SkillWeight / 2, half.Score);
        Assert.Contains("Has required skills 営業 (1 of 2)", half.Reasons);

        Assert.Equal(applicable - MatchScorer.LocationWeight * 0.4, MatchScorer.Score(job, CandidateFeatures.From("c", Profile(prefecture: "14")), 1.0, Now, "ja").Score);
        Assert.Equal(applicable - MatchScorer.LocationWeight * 0.7, MatchScorer.Score(job, CandidateFeatures.From("d", Profile(prefecture: "09")), 1.0, Now, "ja").Score);
        Assert.Equal(applicable - MatchScorer.LocationWeight, MatchScorer.Score(job, CandidateFeatures.From("e", Profile(prefecture: "27")), 1.0, Now, "ja").Score);
        Assert.Equal(applicable - MatchScorer.LocationWeight * 0.7,
            MatchScorer.Score(job, CandidateFeatures.From("e2", Profile(prefecture: "27") with { WillingToRelocate = true }), 1.0, Now, "ja").Score);
        Assert.Equal(applicable - MatchScorer.FreshnessWeight / 2, MatchScorer.Score(SalesJob(ageDays: 20), CandidateFeatures.From("f", Profile()), 1.0, Now, "ja").Score);
        Assert.Equal(applicable - MatchScorer.TextWeight, MatchScorer.Score(job, CandidateFeatures.From("g", Profile()), 0.1, Now, "ja").Score);
        Assert.Equal(applicable - MatchScorer.OccupationWeight, MatchScorer.Score(job, CandidateFeatures.From("h", Profile(occupation: "看護師")), 1.0, Now, "ja").Score);

        // A remote job is local to everyone; years, preferred skills and salary count when both sides give them.
        var remote = SalesJob();
        remote.RemoteAllowed = true;
        remote.YearsRequired = 3;
        remote.PreferredSkills = ["Salesforce", "英語"];
        remote.SalaryMax = 6_000_000;
        var experienced = Profile(prefecture: "47", skills: ["法人営業", "Excel", "Salesforce"]) with { YearsOfExperience = 5, DesiredSalary = 5_500_000 };
        var scored = MatchScorer.Score(remote, CandidateFeatures.From("i", experienced), 1.0, Now, "ja");
        Assert.Equal(100 - MatchScorer.PreferredWeight / 2, scored.Score);
        Assert.Contains("リモート勤務可の求人", scored.Reasons);
        Assert.Contains("経験年数 5 年（目安 3 年以上）", scored.Reasons);
        Assert.Contains("歓迎スキル Salesforce も経験あり", scored.Reasons);
        Assert.Contains("希望年収（550万円）が求人の上限以内", scored.Reasons);
        var junior = experienced with { YearsOfExperience = 1, DesiredSalary = 9_000_000 };
        Assert.Equal(scored.Score - MatchScorer.YearsWeight - MatchScorer.SalaryWeight, MatchScorer.Score(remote, CandidateFeatures.From("j", junior), 1.0, Now, "ja").Score);
    }

    [Fact]
    public void Ranking_PutsTheBetterFitFirst_AndTextRelevanceUsesTheCareerSummary()
    {
        var job = SalesJob();
        var candidates = new[]
        {
            CandidateFeatures.From("nurse", Profile(skills: ["看護"], occupation: "看護師", summary: "病棟で5年勤務", prefecture: "27")),
            CandidateFeatures.From("sales", Profile()),
            CandidateFeatures.From("clerk", Profile(skills: ["Excel"], occupation: "一般事務", summary: "受発注の事務", prefecture: "13")),
        };
        var ranked = MatchScorer.Rank(job, candidates, Now, "ja", 20);
        Assert.Equal(["sales", "clerk", "nurse"], ranked.Select(m => m.CandidateId));
        Assert.Contains(ranked[0].Reasons, r => r.Contains("職務経歴"));
        Assert.Equal(2, MatchScorer.Rank(job, candidates, Now, "ja", 2).Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Ranking_KeepsExactlyTheTopOfAFullSort(int seed)
    {
        // The ranking scores everyone but writes sentences only for the top: it must pick the same top as scoring
        // and sorting everybody, ties included (generated pools with many equal scores).
        var random = new Random(seed);
        string[] skills = ["法人営業", "営業", "Excel", "C#", "PostgreSQL", "簿記2級", "英語", "看護", "介護"];
        string[] jobs = ["法人営業", "経理", "エンジニア", "看護師"];
        var pool = Enumerable.Range(0, 400).Select(i => CandidateFeatures.From($"c{i:D4}", Profile(
            prefecture: (random.Next(1, 48)).ToString("00"),
            skills: [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => skills[random.Next(skills.Length)])],
            occupation: jobs[random.Next(jobs.Length)],
            summary: random.Next(3) == 0 ? null : "法人営業と経理の経験。Excel と英語を使う仕事。"))).ToList();
        var job = SalesJob(prefecture: "13");
        var ranked = MatchScorer.Rank(job, pool, Now, "ja", 20);

        var bm25 = new Bm25([.. pool.Select(c => c.TextTokens)]);
        var query = TextTokenizer.Tokenize($"{job.Title}\n{job.Description}").Distinct().ToList();
        var text = pool.Select((_, i) => bm25.Score(i, query)).ToList();
        var best = text.Max();
        var naive = pool.Select((c, i) => MatchScorer.Score(job, c, best > 0 ? text[i] / best : 0, Now, "ja"))
            .OrderByDescending(m => m.Score).ThenBy(m => m.CandidateId, StringComparer.Ordinal).Take(20).ToList();
        Assert.Equal(naive.Select(m => (m.CandidateId, m.Score)), ranked.Select(m => (m.CandidateId, m.Score)));
        Assert.Equal(naive.Select(m => string.Join("|", m.Reasons)), ranked.Select(m => string.Join("|", m.Reasons)));
    }

    [Theory]
    [InlineData("佐藤 花子", "hanako@example.jp")]
    [InlineData("Nguyen Van An", "an.nguyen@example.vn")]
    [InlineData("John Smith", "john@example.com")]
    public void Score_IgnoresWhoThePersonIs_NameAndContactsChangeNothing(string name, string email)
    {
        // Age, gender, nationality and photo are not in the profile at all; a name (which can hint at gender or
        // nationality) and contact details are, and must not move the score or the reasons.
        var job = SalesJob();
        var baseline = MatchScorer.Rank(job, [CandidateFeatures.From("x", Profile()), CandidateFeatures.From("y", Profile(skills: ["営業"]))], Now, "ja", 20);
        var other = MatchScorer.Rank(job, [CandidateFeatures.From("x", Profile(name: name, email: email)), CandidateFeatures.From("y", Profile(skills: ["営業"]))], Now, "ja", 20);
        Assert.Equal(baseline.Select(m => (m.CandidateId, m.Score, string.Join("|", m.Reasons))), other.Select(m => (m.CandidateId, m.Score, string.Join("|", m.Reasons))));
    }
    [Fact]
    public void OccupationTable_Has15MajorGroups_And99MiddleGroups_EachUnderAKnownMajor()
    {
        Assert.Equal(15, Occupations.Majors.Count());
        var middles = Occupations.All.Where(o => !o.IsMajor).ToList();
        Assert.Equal(99, middles.Count);
        Assert.Equal(Occupations.All.Count, Occupations.All.Select(o => o.Code).Distinct().Count());
        Assert.All(middles, m => Assert.True(Occupations.Find(m.MajorCode)?.IsMajor, m.Code));
        Assert.Equal("情報処理・通信技術者（ソフトウェア開発）", Occupations.Find("009")!.Ja);
        Assert.Equal("02", Occupations.Find("009")!.Major);
        Assert.All(Occupations.All, o => Assert.False(string.IsNullOrWhiteSpace(o.En)));
    }

    [Fact]
    public void Occupation_SameCodeCountsInFull_SameMajorGroupForHalf_OtherwiseNothing_AndTextOnlyWithoutCodes()
    {
        var job = SalesJob();
        job.OccupationCode = "048"; // 営業の職業 (major 07)
        var person = Profile(occupation: null);
        double Points(IReadOnlyList<string>? codes, string? text = null) =>
            MatchScorer.Score(job, CandidateFeatures.From("o", person with { DesiredOccupation = text, DesiredOccupationCodes = codes }), 1.0, Now, "ja").Score;
        var none = Points(null);
        Assert.Equal(none + MatchScorer.OccupationWeight, Points(["034", "048"]));
        Assert.Equal(none + MatchScorer.OccupationWeight / 2, Points(["045"])); // 販売員, same major group
        Assert.Equal(none, Points(["009"]));
        Assert.Equal(none, Points(["009"], text: "法人営業")); // codes on both sides decide; the free text does not add
        Assert.Equal(none + MatchScorer.OccupationWeight, Points(null, text: "法人営業")); // no codes: the free text is compared with the title
        Assert.Contains("希望職種「営業の職業」と一致", MatchScorer.Score(job, CandidateFeatures.From("o", person with { DesiredOccupationCodes = ["048"] }), 1.0, Now, "ja").Reasons);
        Assert.Contains("Same field as a desired occupation (Sales occupations)",
            MatchScorer.Score(job, CandidateFeatures.From("o", person with { DesiredOccupationCodes = ["045"] }), 1.0, Now, "en").Reasons);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Index_KeptCurrentByChangesAndRemovals_RanksExactlyAsOneBuiltFromScratch(int seed)
    {
        // Changes and removals leave garbage and move statistics; the live index must rank (scores, order, reasons)
        // exactly like a fresh index of the final profiles, compaction included.
        var random = new Random(seed);
        string[] skills = ["法人営業", "営業", "Excel", "C#", "PostgreSQL", "簿記2級", "英語", "看護", "介護"];
        string[] texts = ["法人営業と経理の経験。Excel と英語を使う仕事。", "病棟で看護師として勤務", "C# と PostgreSQL で業務システム開発", "新規開拓の営業"];
        CandidateFeatures Person(int i) => CandidateFeatures.From($"c{i:D4}", Profile(prefecture: random.Next(1, 48).ToString("00"),
            skills: [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => skills[random.Next(skills.Length)])],
            occupation: null, summary: texts[random.Next(texts.Length)] + " " + texts[random.Next(texts.Length)]) with
            { DesiredOccupationCodes = random.Next(2) == 0 ? ["048"] : ["009", "045"], YearsOfExperience = random.Next(0, 12) });
        var live = new MatchIndex();
        var final = new Dictionary<string, CandidateFeatures>();
        for (var i = 0; i < 3000; i++)
        {
            var p = Person(random.Next(600));
            if (random.Next(5) == 0) { live.Remove(p.Id); final.Remove(p.Id); }
            else { live.Upsert(p); final[p.Id] = p; }
        }
        var fresh = new MatchIndex();
        foreach (var p in final.Values) fresh.Upsert(p);
        Assert.Equal(final.Count, live.Count);

        var job = SalesJob();
        job.OccupationCode = "048";
        string Render(List<Match> ranked) => string.Join("\n", ranked.Select(m => $"{m.CandidateId} {m.Score} {string.Join("|", m.Reasons)}"));
        Assert.Equal(Render(fresh.Rank(job, null, Now, "ja", 20)), Render(live.Rank(job, null, Now, "ja", 20)));
        var some = final.Keys.Where((_, i) => i % 3 == 0).Append("not-indexed").ToList();
        Assert.Equal(Render(fresh.Rank(job, some, Now, "en", 10)), Render(live.Rank(job, some, Now, "en", 10)));
    }
}
