using System.Globalization;
using System.Text;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// Tokens for text relevance: Japanese (kanji, hiragana, katakana) as overlapping character bigrams — no
/// dictionary needed, robust to compounds like 法人営業 / 営業職 — and Latin text as lower-case words that keep
/// the symbols of tech names (c#, c++, .net). Input is NFKC-normalised first, so full-width ＪＡＶＡ is java.
/// </summary>
public static class TextTokenizer
{
    public static List<string> Tokenize(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return tokens;
        var normalised = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var run = new StringBuilder();
        var runIsCjk = false;

        void Flush()
        {
            if (run.Length == 0) return;
            var s = run.ToString();
            if (runIsCjk)
            {
                if (s.Length == 1) tokens.Add(s);
                else for (var i = 0; i + 1 < s.Length; i++) tokens.Add(s.Substring(i, 2));
            }
            else
            {
                var word = s.Trim('.', '-', '_');
                if (s.StartsWith('.') && s.Length > 1) word = s.TrimEnd('.'); // .net keeps its dot
                if (word.Length > 0) tokens.Add(word);
            }
            run.Clear();
        }

        foreach (var c in normalised)
        {
            if (IsCjk(c))
            {
                if (!runIsCjk) Flush();
                runIsCjk = true;
                run.Append(c);
            }
            else if (char.IsLetterOrDigit(c) || (run.Length > 0 && !runIsCjk && c is '#' or '+' or '.' or '-' or '_') || (run.Length == 0 && c == '.'))
            {
                if (runIsCjk) Flush();
                runIsCjk = false;
                run.Append(c);
            }
            else Flush();
        }
        Flush();
        return tokens;
    }

    /// <summary>Kanji, hiragana, katakana (and the prolonged sound mark ー inside katakana words).</summary>
    public static bool IsCjk(char c) =>
        c is >= '\u3040' and <= '\u30ff' || c is >= '\u4e00' and <= '\u9fff' || c is >= '\u3400' and <= '\u4dbf' || c == '々';

    public static bool HasCjk(string s) => s.Any(IsCjk);

    /// <summary>For reason sentences: joins items the way each language lists them.</summary>
    public static string List(IEnumerable<string> items, string lang) =>
        string.Join(lang == "en" ? ", " : "・", items);

    public static string Invariant(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
