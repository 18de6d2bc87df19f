using CareerRelay.Web.Features.Experiments;

namespace CareerRelay.Tests.Features.Experiments;

/// <summary>The arithmetic behind a verdict, against values computed here from the textbook formulas.</summary>
public sealed class ExperimentStatisticsTests
{
    [Fact]
    public void TheSpecsTable_200Of1000Against240Of1000_HasZ2159_AndATwoSidedPOf00308()
    {
        var (z, p) = ExperimentStatistics.TwoProportionTest(200, 1000, 240, 1000)!.Value;
        // Pooled: p̂ = 440/2000, se = √(p̂(1−p̂)(1/1000 + 1/1000)), z = (0.24 − 0.20) / se.
        var pooled = 440.0 / 2000;
        var expectedZ = (0.24 - 0.20) / Math.Sqrt(pooled * (1 - pooled) * (2.0 / 1000));
        Assert.Equal(expectedZ, z, 9);
        Assert.Equal(2.159, z, 0.0005);
        Assert.Equal(0.0308, p, 0.0005);
        // The other way round: the same p, z negative.
        var (zBack, pBack) = ExperimentStatistics.TwoProportionTest(240, 1000, 200, 1000)!.Value;
        Assert.Equal(-z, zBack, 9);
        Assert.Equal(p, pBack, 9);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.959963984540054 / 1.4142135623730951, 0.05)] // Φ(1.96) = 0.975: two-sided p of 1.96 is 0.05
    [InlineData(2.5758293035489 / 1.4142135623730951, 0.01)]
    [InlineData(-1.0, 1.8427007929497148)]
    public void Erfc_HasTheKnownValues(double x, double expected) =>
        Assert.Equal(expected, ExperimentStatistics.Erfc(x), 6);

    [Theory]
    [InlineData(200, 1000)]
    [InlineData(1, 7)]
    [InlineData(0, 50)]
    [InlineData(50, 50)]
    public void Wilson_IsTheScoreInterval(int x, int n)
    {
        var (low, high) = ExperimentStatistics.Wilson(x, n)!.Value;
        const double z = 1.959963984540054;
        var p = (double)x / n;
        var centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        var half = z / (1 + z * z / n) * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        Assert.Equal(Math.Max(0, centre - half), low, 12);
        Assert.Equal(Math.Min(1, centre + half), high, 12);
        Assert.InRange(p, low, high);
        Assert.Null(ExperimentStatistics.Wilson(0, 0));
    }

    [Fact]
    public void Verdicts_AreTooEarlyBelowTheMinimum_ThenBetterWorseOrNoDifference()
    {
        var experiment = new Experiment { Id = "e", CompanyId = "c", LinkId = "l", Name = "t" };
        ExperimentVariant V(string key, int position) => new() { ExperimentId = "e", Key = key, Position = position, Tone = "standard" };
        ExperimentResult Run(int minimum, params (int N, int Verified)[] rows) => ManageExperiments.Compute(experiment, "link", minimum,
            rows.Select((r, i) => (V(((char)('A' + i)).ToString(), i), r.N, (r.Verified, r.Verified, r.Verified))).ToList());

        var early = Run(200, (1000, 200), (199, 80), (1000, 240));
        Assert.True(early.TooEarly);
        Assert.Equal(["baseline", "too_early", "too_early"], early.Variants.Select(v => v.Verdict));
        Assert.NotNull(early.Variants[1].PValue); // the figures are there; only the verdict waits

        var judged = Run(200, (1000, 200), (1000, 240), (1000, 160), (1000, 205));
        Assert.False(judged.TooEarly);
        Assert.Equal(["baseline", "better", "worse", "no_difference"], judged.Variants.Select(v => v.Verdict));
        Assert.Equal(0.24, judged.Variants[1].VerifiedRate!.Value, 12);
        Assert.True(judged.Variants[2].Z < 0);

        var nothingYet = Run(1, (10, 0), (10, 0));
        Assert.Equal("no_difference", nothingYet.Variants[1].Verdict); // no variance to test: nothing to say either way
        Assert.Null(nothingYet.Variants[1].Z);
    }

    [Fact]
    public void Split_IsDeterministic_AndEvenWithinThreePercent_Over10000Invitations()
    {
        foreach (var keys in new[] { new[] { "A", "B" }, ["A", "B", "C"], ["A", "B", "C", "D"] })
        {
            var ids = Enumerable.Range(0, 10_000).Select(_ => CareerRelay.Web.Infrastructure.Ids.New()).ToList();
            var counts = ids.GroupBy(id => ExperimentSplit.Assign("exp-1", id, keys)).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(keys.Length, counts.Count);
            foreach (var key in keys) Assert.InRange(counts[key] / 10_000.0, 1.0 / keys.Length - 0.03, 1.0 / keys.Length + 0.03);
            Assert.All(ids.Take(100), id => Assert.Equal(ExperimentSplit.Assign("exp-1", id, keys), ExperimentSplit.Assign("exp-1", id, keys)));
        }
    }
}
