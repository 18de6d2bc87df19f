namespace CareerRelay.Web.Features.Companies;

/// <summary>The ROI simulator's inputs: what an HR person knows about their own hiring.</summary>
public sealed record RoiInputs(int YearlyRejections, decimal RegistrationRatePercent, decimal QualificationRatePercent,
    int AnnualSalaryYen, decimal AgencyFeePercent)
{
    public static readonly RoiInputs Default = new(1_000, 5m, 80m, 5_000_000, 35m);
}

/// <summary>What the inputs lead to over a year.</summary>
public sealed record RoiEstimate(int Registrations, int QualifiedReferrals, int Slots, long FeePerHireYen, long YenSaved);

/// <summary>
/// Rejections × registration rate → registrations; × qualification rate → qualified referrals; every
/// <c>referralsPerSlot</c> of those is one free hire slot, each saving one agency fee (fee % × annual salary).
/// Whole people and whole slots only: the simulator never promises a fraction of a hire.
/// </summary>
public static class RoiSimulator
{
    public const int MaxRejections = 10_000_000;
    public const int MaxSalaryYen = 100_000_000;

    public static RoiEstimate Estimate(RoiInputs inputs, int referralsPerSlot)
    {
        var registrations = (int)Math.Floor(inputs.YearlyRejections * inputs.RegistrationRatePercent / 100m);
        var qualified = (int)Math.Floor(registrations * inputs.QualificationRatePercent / 100m);
        var slots = qualified / Math.Max(1, referralsPerSlot);
        var fee = (long)Math.Round(inputs.AnnualSalaryYen * inputs.AgencyFeePercent / 100m, MidpointRounding.AwayFromZero);
        return new RoiEstimate(registrations, qualified, slots, fee, slots * fee);
    }

    /// <summary>Reads the simulator's form; a field left out or out of range takes its default and is reported.</summary>
    public static (RoiInputs Inputs, IReadOnlyList<string> Invalid) Parse(IQueryCollection query)
    {
        var invalid = new List<string>();
        var d = RoiInputs.Default;
        int Int(string name, int fallback, int max)
        {
            var text = query[name].ToString().Replace(",", "", StringComparison.Ordinal).Trim();
            if (text.Length == 0) return fallback;
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= max) return n;
            invalid.Add(name);
            return fallback;
        }
        decimal Percent(string name, decimal fallback)
        {
            var text = query[name].ToString().Trim();
            if (text.Length == 0) return fallback;
            if (decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= 100m) return n;
            invalid.Add(name);
            return fallback;
        }
        return (new RoiInputs(Int("rejections", d.YearlyRejections, MaxRejections), Percent("registrationRate", d.RegistrationRatePercent),
            Percent("qualificationRate", d.QualificationRatePercent), Int("salary", d.AnnualSalaryYen, MaxSalaryYen), Percent("fee", d.AgencyFeePercent)), invalid);
    }
}
