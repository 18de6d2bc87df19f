namespace CareerRelay.Web.Features.Experiments;

/// <summary>
/// The arithmetic of an A/B test on a rate (verified registrations per invitation): a Wilson score interval for each variant,
/// and a pooled two-proportion z-test of each variant against the first. Pure functions, tested against values computed from
/// the formulas.
/// </summary>
public static class ExperimentStatistics
{
    /// <summary>The two-sided 95 % critical value of the standard normal distribution.</summary>
    public const double Z95 = 1.959963984540054;
    public const double Alpha = 0.05;

    /// <summary>The Wilson score interval of <paramref name="successes"/> out of <paramref name="n"/> at 95 %; null when n is 0.</summary>
    public static (double Low, double High)? Wilson(int successes, int n)
    {
        if (n <= 0) return null;
        var p = (double)successes / n;
        var z2 = Z95 * Z95;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2.0 * n)) / denominator;
        var half = Z95 / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The pooled two-proportion z-test of variant 2 (x2/n2) against variant 1 (x1/n1): z is positive when variant 2 does
    /// better, and the p-value is two-sided. Null when either has no trials or the pooled rate is 0 or 1 (no variance to test).
    /// </summary>
    public static (double Z, double PValue)? TwoProportionTest(int x1, int n1, int x2, int n2)
    {
        if (n1 <= 0 || n2 <= 0) return null;
        var pooled = (double)(x1 + x2) / (n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) return null;
        var z = ((double)x2 / n2 - (double)x1 / n1) / se;
        return (z, Math.Min(1, Erfc(Math.Abs(z) / Math.Sqrt(2))));
    }

    /// <summary>What a variant's test says, or too early while any variant has fewer than the minimum invitations.</summary>
    public static string Verdict((double Z, double PValue)? test, bool tooEarly) =>
        tooEarly ? ExperimentVerdicts.TooEarly
        : test is not { } t || t.PValue >= Alpha ? ExperimentVerdicts.NoDifference
        : t.Z > 0 ? ExperimentVerdicts.Better : ExperimentVerdicts.Worse;

    /// <summary>The complementary error function (W. J. Cody's rational Chebyshev form as in Numerical Recipes; relative error below 1.2e-7).</summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}

/// <summary>What a variant's test says (its page sentence is <c>Experiments.Verdict.{verdict}</c>).</summary>
[Infrastructure.Localization.TextKeys("Experiments.Verdict.{0}")]
public static class ExperimentVerdicts
{
    public const string Baseline = "baseline";
    public const string TooEarly = "too_early";
    public const string Better = "better";
    public const string Worse = "worse";
    public const string NoDifference = "no_difference";
}
