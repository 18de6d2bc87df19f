using CareerRelay.Web.Features.Jobs;

namespace CareerRelay.Web.Features.Matching;

/// <summary>Okapi BM25 (k1 = 1.2, b = 0.75) over token lists.</summary>
public sealed class Bm25
{
    public const double K1 = 1.2, B = 0.75;
    private readonly List<Dictionary<string, int>> _tf;
    private readonly Dictionary<string, int> _df = new(StringComparer.Ordinal);
    private readonly double _avgLength;
    private readonly List<int> _lengths;

    public Bm25(IReadOnlyList<IReadOnlyList<string>> documents)
    {
        _tf = documents.Select(d => d.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)).ToList();
        _lengths = documents.Select(d => d.Count).ToList();
        _avgLength = _lengths.Count == 0 ? 0 : Math.Max(1, _lengths.Average());
        foreach (var tf in _tf) foreach (var term in tf.Keys) _df[term] = _df.GetValueOrDefault(term) + 1;
    }

    public double Score(int document, IEnumerable<string> query)
    {
        var n = _tf.Count;
        double score = 0;
        foreach (var term in query)
        {
            if (!_tf[document].TryGetValue(term, out var f)) continue;
            var df = _df[term];
            var idf = Math.Log(1 + (n - df + 0.5) / (df + 0.5));
            score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * _lengths[document] / _avgLength));
        }
        return score;
    }
}
