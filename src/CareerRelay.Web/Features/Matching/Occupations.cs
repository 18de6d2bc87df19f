using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// 厚生労働省編職業分類 (2022): 15 major groups (大分類, "01"–"15") and their middle groups (中分類, "001"–"099"),
/// shipped as data (Data/occupations-2022.tsv). Jobs and desired occupations use these codes; a major-group code
/// is accepted where a finer one is not known. Middle groups whose names we could not tell apart (subdivisions by kind of
/// product, see the data file's header) are one family: offered once, under their first code, and compared as one.
/// </summary>
public static class Occupations
{
    public sealed record Occupation(string Code, string? MajorCode, string Ja, string En)
    {
        public bool IsMajor => MajorCode is null;
        /// <summary>The major group this code belongs to (itself for a major group).</summary>
        public string Major => MajorCode ?? Code;
        public string Name(string lang) => lang == Lang.English ? En : Ja;
    }

    public static readonly IReadOnlyList<Occupation> All = Load();
    private static readonly Dictionary<string, Occupation> ByCode = All.ToDictionary(o => o.Code, StringComparer.Ordinal);

    public static IEnumerable<Occupation> Majors => All.Where(o => o.IsMajor);

    /// <summary>The middle groups a person can tell apart: one option per name.</summary>
    public static IEnumerable<Occupation> MiddleGroupsOf(string major) => All.Where(o => o.MajorCode == major).DistinctBy(o => o.Ja);

    /// <summary>The occupation of a code — for a code of a family of same-named groups, the family's first code.</summary>
    public static Occupation? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var o) ? Family[o] : null;

    private static readonly Dictionary<Occupation, Occupation> Family =
        All.ToDictionary(o => o, o => All.First(x => x.MajorCode == o.MajorCode && x.Ja == o.Ja));
    public static bool IsValid(string? code) => Find(code) is not null;

    private static List<Occupation> Load()
    {
        using var stream = typeof(Occupations).Assembly.GetManifestResourceStream("data/occupations-2022.tsv")
            ?? throw new InvalidOperationException("The occupation table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var list = new List<Occupation>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            list.Add(new Occupation(f[0], f[1].Length == 0 ? null : f[1], f[2], f[3]));
        }
        return list;
    }
}
