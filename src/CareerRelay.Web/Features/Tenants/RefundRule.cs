using System.Globalization;

namespace CareerRelay.Web.Features.Tenants;

/// <summary>One step of an agency's refund rule (返金規定): a leave within this many months of the start refunds this share of the fee.</summary>
public sealed record RefundTier(int WithinMonths, int Percent);

/// <summary>
/// An agency's refund rule, part of its fee table: e.g. within one month 80 %, within three months 50 %. Stored as
/// "1:80,3:50". We compute what a recorded early leave implies; we never move money.
/// </summary>
public static class RefundRule
{
    public const int MaxTiers = 6;

    public static string? Format(IReadOnlyList<RefundTier> tiers) =>
        tiers.Count == 0 ? null : string.Join(",", tiers.Select(t => $"{t.WithinMonths}:{t.Percent}"));

    public static IReadOnlyList<RefundTier> Parse(string? stored) =>
        [.. (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(part => part.Split(':'))
            .Where(p => p.Length == 2 && int.TryParse(p[0], CultureInfo.InvariantCulture, out _) && int.TryParse(p[1], CultureInfo.InvariantCulture, out _))
            .Select(p => new RefundTier(int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)))
            .OrderBy(t => t.WithinMonths)];

    /// <summary>Checks a rule as an agency sends it: 1–36 months, 0–100 %, months rising and shares not rising.</summary>
    public static Result<IReadOnlyList<RefundTier>> Validate(IReadOnlyList<RefundTierInput?>? tiers)
    {
        var v = new Validation();
        var list = new List<RefundTier>();
        if (tiers is null) v.Add("tiers", "Error.Required");
        else if (tiers.Count > MaxTiers) v.Add("tiers", "Error.TooMany", MaxTiers);
        else
            foreach (var (tier, i) in tiers.Select((t, i) => (t, i)))
            {
                if (tier?.WithinMonths is not (>= 1 and <= 36) || tier.Percent is not (>= 0 and <= 100))
                {
                    v.Add($"tiers[{i}]", "Error.RefundTier");
                    continue;
                }
                if (list.Count > 0 && (tier.WithinMonths <= list[^1].WithinMonths || tier.Percent > list[^1].Percent))
                    v.Add($"tiers[{i}]", "Error.RefundOrder");
                list.Add(new RefundTier(tier.WithinMonths.Value, tier.Percent.Value));
            }
        return v.IsValid ? list : v.ToError();
    }

    /// <summary>The share of the fee a leave on <paramref name="leftOn"/> refunds (null: none applies).</summary>
    public static int? PercentFor(IReadOnlyList<RefundTier> tiers, DateOnly start, DateOnly leftOn) =>
        tiers.FirstOrDefault(t => leftOn < start.AddMonths(t.WithinMonths))?.Percent;

    /// <summary>"1か月以内 80%、3か月以内 50%" / "within 1 month 80%, within 3 months 50%".</summary>
    public static string Describe(IReadOnlyList<RefundTier> tiers, string lang) =>
        string.Join(lang == Infrastructure.Localization.Lang.English ? ", " : "、",
            tiers.Select(t => Infrastructure.Localization.Texts.Format("Refund.Tier", lang, t.WithinMonths, t.Percent)));
}

public sealed record RefundTierInput(int? WithinMonths, int? Percent);

public sealed record RefundRuleRequest(List<RefundTierInput?>? Tiers);

public sealed record RefundRuleItem(IReadOnlyList<RefundTier> Tiers);
