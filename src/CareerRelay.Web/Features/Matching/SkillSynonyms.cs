using System.Text;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// Skills compared by meaning, not spelling: aliases fold to one canonical name (「JS」 = 「JavaScript」) and a
/// narrower skill satisfies a broader requirement (「法人営業」 ⊂ 「営業」: a corporate-sales person has sales
/// experience; the reverse is not assumed). The table is data, kept small and readable; extend it as users ask.
/// </summary>
public static class SkillSynonyms
{
    /// <summary>Alias → canonical (all lower-case, NFKC).</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["js"] = "javascript", ["ecmascript"] = "javascript", ["ts"] = "typescript", ["csharp"] = "c#", ["c sharp"] = "c#",
        ["dotnet"] = ".net", [".net core"] = ".net", ["asp.net core"] = "asp.net", ["postgres"] = "postgresql", ["psql"] = "postgresql",
        ["k8s"] = "kubernetes", ["golang"] = "go", ["py"] = "python", ["reactjs"] = "react", ["react.js"] = "react", ["vuejs"] = "vue", ["vue.js"] = "vue",
        ["node"] = "node.js", ["nodejs"] = "node.js", ["aws"] = "amazon web services", ["gcp"] = "google cloud", ["ms office"] = "microsoft office",
        ["エクセル"] = "excel", ["ワード"] = "word", ["パワーポイント"] = "powerpoint", ["パワポ"] = "powerpoint",
        ["セールス"] = "営業", ["営業職"] = "営業", ["法人セールス"] = "法人営業", ["b2b営業"] = "法人営業", ["個人セールス"] = "個人営業",
        ["インサイドセールス"] = "内勤営業", ["経理事務"] = "経理", ["会計"] = "経理", ["人事労務"] = "人事", ["総務事務"] = "総務",
        ["接客販売"] = "販売", ["日商簿記2級"] = "簿記2級", ["簿記二級"] = "簿記2級", ["toeic"] = "英語", ["ビジネス英語"] = "英語",
        ["介護福祉士"] = "介護", ["看護師"] = "看護", ["プログラミング"] = "ソフトウェア開発", ["システム開発"] = "ソフトウェア開発",
    };

    /// <summary>Narrower → broader: having the narrow skill counts for the broad requirement.</summary>
    private static readonly Dictionary<string, string[]> Broader = new(StringComparer.Ordinal)
    {
        ["法人営業"] = ["営業"], ["個人営業"] = ["営業"], ["ルート営業"] = ["営業"], ["内勤営業"] = ["営業"], ["海外営業"] = ["営業", "英語"],
        ["簿記2級"] = ["簿記", "経理"], ["簿記3級"] = ["簿記"], ["typescript"] = ["javascript"], ["asp.net"] = [".net", "c#"],
        ["react"] = ["javascript"], ["vue"] = ["javascript"], ["node.js"] = ["javascript"], ["postgresql"] = ["sql"], ["mysql"] = ["sql"],
        ["c#"] = ["ソフトウェア開発"], ["java"] = ["ソフトウェア開発"], ["python"] = ["ソフトウェア開発"], ["go"] = ["ソフトウェア開発"],
        ["javascript"] = ["ソフトウェア開発"], ["介護"] = ["福祉"],
    };

    public static string Canonical(string skill)
    {
        var s = skill.Normalize(NormalizationForm.FormKC).Trim().ToLowerInvariant();
        return Aliases.TryGetValue(s, out var canonical) ? canonical : s;
    }

    /// <summary>The skill and everything it counts as (its broader skills, transitively).</summary>
    public static HashSet<string> Expand(string skill)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([Canonical(skill)]);
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            if (!result.Add(s)) continue;
            foreach (var b in Broader.GetValueOrDefault(s, [])) queue.Enqueue(b);
        }
        return result;
    }

    /// <summary>Everything a person's skills count for.</summary>
    public static HashSet<string> ExpandAll(IEnumerable<string> skills)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in skills) all.UnionWith(Expand(s));
        return all;
    }
}
