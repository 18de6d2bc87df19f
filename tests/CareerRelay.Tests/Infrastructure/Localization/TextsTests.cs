using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Tests.Infrastructure.Localization;

/// <summary>
/// Every text the code can ask for exists in Texts.resx (ja) and Texts.en.resx (en), and both files hold the same keys — read
/// from the source itself, so a new page, a new stage or a new provision item cannot ship without its words. A key composed at
/// run time (<c>$"Item.{field}"</c>) must be declared with <see cref="TextKeysAttribute"/> on the values it is composed from.
/// </summary>
public sealed partial class TextsTests
{
    private static readonly Lazy<Dictionary<string, string>> Japanese = new(() => Read("Texts.resx"));
    private static readonly Lazy<Dictionary<string, string>> English = new(() => Read("Texts.en.resx"));

    [Fact]
    public void BothFiles_HoldTheSameKeys()
    {
        Assert.Empty(Japanese.Value.Keys.Except(English.Value.Keys).Select(k => "only in Texts.resx: " + k));
        Assert.Empty(English.Value.Keys.Except(Japanese.Value.Keys).Select(k => "only in Texts.en.resx: " + k));
    }

    [Fact]
    public void EveryCall_GivesAsManyValuesAsItsTextHasPlaceholders_InBothLanguages()
    {
        // Texts.Format("Key", lang, a, b) with a "{2}" in either file throws at run time; Texts.Get("Key") shows "{0}" as it is.
        var declared = Declarations().ToLookup(d => d.Pattern, d => d.Values);
        var problems = new List<string>();
        foreach (var file in SourceFiles())
        {
            var code = File.ReadAllText(file);
            foreach (Match call in TextsCall().Matches(code))
            {
                var args = Arguments(code, call.Index + call.Length);
                if (args.Count < 2) continue;
                var given = call.Groups[1].Value == "Get" ? 0 : args.Count - 2;
                IEnumerable<string> keys = args[0].Trim() switch
                {
                    var a when a.StartsWith('"') => [a.Trim('"')],
                    var a when a.StartsWith("$\"", StringComparison.Ordinal) && !a.StartsWith("$\"{", StringComparison.Ordinal)
                        => declared[Hole().Replace(a[2..^1], "{0}")].SelectMany(v => v.Select(x => Hole().Replace(a[2..^1], x))),
                    _ => [],
                };
                foreach (var key in keys)
                    foreach (var (name, texts) in new[] { ("ja", Japanese.Value), ("en", English.Value) })
                        if (texts.TryGetValue(key, out var text) && Placeholders(text).Select(int.Parse).DefaultIfEmpty(-1).Max() >= given)
                            problems.Add($"{Path.GetFileName(file)}: {key} ({name}) needs more than the {given} value(s) given");
            }
        }
        Assert.Empty(problems.Distinct());
    }

    /// <summary>The top-level arguments of the call whose '(' ends just before <paramref name="start"/>.</summary>
    private static List<string> Arguments(string code, int start)
    {
        var args = new List<string>();
        var depth = 0;
        var current = new System.Text.StringBuilder();
        for (var i = start; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"')
            {
                var end = i + 1;
                while (end < code.Length && code[end] != '"') end += code[end] == '\\' ? 2 : 1;
                current.Append(code, i, end - i + 1);
                i = end;
                continue;
            }
            if (c is '(' or '[' or '{') depth++;
            if (c is ')' or ']' or '}')
            {
                if (depth == 0) { args.Add(current.ToString()); return args; }
                depth--;
            }
            if (c == ',' && depth == 0) { args.Add(current.ToString()); current.Clear(); continue; }
            current.Append(c);
        }
        return args;
    }

    [Fact]
    public void EveryComposedKey_IsDeclared_AndEveryDeclaredValueHasItsTextInBothLanguages()
    {
        var declared = Declarations().ToList();
        var patterns = declared.Select(d => d.Pattern).ToHashSet();
        // Texts.Get($"Stage.{stage}", …): the pattern must be declared on the values it is composed from.
        var undeclared = SourceFiles()
            .SelectMany(f => ComposedKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Template: m.Groups[1].Value)))
            .Where(x => !x.Template.StartsWith('{')) // "{key}.Title": the key is a literal elsewhere, checked below
            .Select(x => (x.File, Pattern: Hole().Replace(x.Template, "{0}")))
            .Where(x => !patterns.Contains(x.Pattern))
            .Select(x => $"{x.File}: {x.Pattern} is composed but no [TextKeys(\"{x.Pattern}\")] declares its values")
            .Distinct().ToList();
        Assert.Empty(undeclared);

        var missing = declared.SelectMany(d => d.Values.Select(v => d.Pattern.Replace("{0}", v, StringComparison.Ordinal)))
            .SelectMany(key => new[] { (File: "Texts.resx", Keys: Japanese.Value), (File: "Texts.en.resx", Keys: English.Value) }
                .Where(file => !file.Keys.ContainsKey(key)).Select(file => $"{file.File} lacks {key}"))
            .Distinct().ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryLiteralKey_InTheCode_Exists()
    {
        // A literal that looks like one of our keys ("Jobs.Title", "Console.NotFound" for Console.NotFound.Title/.Body) must be one.
        var prefixes = Japanese.Value.Keys.Select(k => k.Split('.')[0]).ToHashSet();
        var keys = Japanese.Value.Keys.ToHashSet();
        var missing = SourceFiles()
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(x => prefixes.Contains(x.Key.Split('.')[0]))
            .Where(x => !keys.Contains(x.Key) && !keys.Any(k => k.StartsWith(x.Key + ".", StringComparison.Ordinal)))
            .Select(x => $"{x.File}: \"{x.Key}\"").Distinct().ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryValidationMessage_IsATextKey_InBothLanguages()
    {
        // v.Add(field, "Error.X", …), ApiError.Invalid(field, "Error.X", …): a message is a key, never free text — or a page
        // would show a developer's English sentence. (The compiler cannot tell a key from a sentence: both are strings.)
        var problems = SourceFiles().SelectMany(f => ValidationCall().Matches(File.ReadAllText(f))
                .Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(x => !Japanese.Value.ContainsKey(x.Key) || !English.Value.ContainsKey(x.Key))
            .Select(x => $"{x.File}: \"{x.Key}\" is not a text in both files").Distinct().ToList();
        Assert.Empty(problems);
        Assert.True(SourceFiles().Sum(f => ValidationCall().Matches(File.ReadAllText(f)).Count) > 50, "The scan found almost no validation messages.");
    }

    [Fact]
    public void EveryMessagePage_HasATitleAndABody()
    {
        // Message pages are named by one literal ("Console.NotFound") and read its .Title and .Body.
        var keys = Japanese.Value.Keys.ToHashSet();
        var literals = SourceFiles().SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        var incomplete = literals.Where(k => keys.Contains(k + ".Title") && !keys.Contains(k + ".Body")).ToList();
        Assert.Empty(incomplete);
    }

    [Fact]
    public void AMissingText_ShowsTheOtherLanguageOrTheKeysLastPart_NeverThrows()
    {
        Assert.Equal("withoutText", Texts.Get("Nowhere.withoutText", Lang.Japanese));
        Assert.Equal("withoutText", Texts.Format("Nowhere.withoutText", Lang.English, 1));
        Assert.Equal("職務経歴", Texts.Get("Item.workHistory", Lang.Japanese));
    }

    private static IEnumerable<(string Pattern, IReadOnlyList<string> Values)> Declarations()
    {
        foreach (var type in typeof(Texts).Assembly.GetTypes())
        {
            foreach (var attribute in type.GetCustomAttributes<TextKeysAttribute>())
                yield return (attribute.Pattern, type.GetFields(BindingFlags.Public | BindingFlags.Static)
                    .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList());
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
                foreach (var attribute in member.GetCustomAttributes<TextKeysAttribute>())
                {
                    var value = member switch
                    {
                        FieldInfo f => f.GetValue(null),
                        PropertyInfo p => p.GetValue(null),
                        _ => null,
                    };
                    yield return (attribute.Pattern, ((IEnumerable<string>)value!).ToList());
                }
        }
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value)];

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(SourceRoot, "Infrastructure", "Localization", file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void FiguresGlossary_NamesEveryFigure_WithItsWordsInBothLanguages()
    {
        // docs/figures.md is where a reader of a CSV or the API looks up a number; a figure added to the code must be added there.
        var glossary = File.ReadAllText(Path.Combine(SourceRoot, "..", "..", "docs", "figures.md"));
        var figures = typeof(CareerRelay.Web.Features.Companies.CompanyFigures).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.NotEmpty(figures);
        Assert.Empty(figures.Where(f => !glossary.Contains($"| `{f}` | {Japanese.Value[$"Figure.{f}"]} | {English.Value[$"Figure.{f}"]} |", StringComparison.Ordinal))
            .Select(f => "docs/figures.md lacks or words differently: " + f));
    }

    /// <summary>src/CareerRelay.Web in the checkout these tests were built from.</summary>
    public static string SourceRoot { get; } = FindSourceRoot();

    private static string FindSourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CareerRelay.slnx"))) return Path.Combine(dir.FullName, "src", "CareerRelay.Web");
        throw new DirectoryNotFoundException("The checkout (CareerRelay.slnx) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Texts\.(?:Get|Format)\(\$""([^""]*)""")] private static partial Regex ComposedKey();
    [GeneratedRegex(@"\bTexts\.(Get|Format)\(")] private static partial Regex TextsCall();
    [GeneratedRegex(@"(?:\b(?:v|errors|validation)\.Add\((?:[^,()]|\([^()]*\))+,\s*|ApiError\.Invalid\([^,]+,\s*|ApiError\.InvalidIn\([^,]+,[^,]+,\s*)""([^""]*)""")] private static partial Regex ValidationCall();
    [GeneratedRegex(@"\{[^}]+\}")] private static partial Regex Hole();
    [GeneratedRegex(@"""([A-Z][A-Za-z]*(?:\.[A-Za-z0-9_\-]+)+)""")] private static partial Regex LiteralKey();
    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")] private static partial Regex Placeholder();
}
