using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace CareerRelay.Web.Features.Retention;

/// <summary>The retention rules (<c>Relay:*</c>): when placements are followed up and how long a free hire is guaranteed.</summary>
public sealed class RetentionRules : IValidatableObject
{
    /// <summary>Months after the start date at which a placement is followed up, comma-separated: "1,3,6".</summary>
    public string RetentionCheckMonths { get; set; } = "1,3,6";

    /// <summary>A free hire (a redeemed slot) that leaves within this many days of the start — dismissal aside — gives the slot back.</summary>
    [Range(0, 3650)] public int SlotGuaranteeDays { get; set; } = 90;

    /// <summary>The check months, ascending, each 1–36.</summary>
    public IReadOnlyList<int> CheckMonths => Parse(RetentionCheckMonths) ?? [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Parse(RetentionCheckMonths) is not { Count: > 0 })
            yield return new ValidationResult("Relay:RetentionCheckMonths must list months from 1 to 36, comma-separated (e.g. \"1,3,6\").",
                [nameof(RetentionCheckMonths)]);
    }

    private static List<int>? Parse(string? text)
    {
        var months = new List<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m is < 1 or > 36) return null;
            months.Add(m);
        }
        return [.. months.Distinct().Order()];
    }

    /// <summary>The latest check due on <paramref name="today"/> for a placement that started on <paramref name="start"/> (0: none yet).</summary>
    public int LatestDue(DateOnly start, DateOnly today) => CheckMonths.Where(m => start.AddMonths(m) <= today).DefaultIfEmpty(0).Max();

    /// <summary>Whether a leave gives a free hire's slot back: within the guarantee, for any reason but dismissal.</summary>
    public bool ReturnsSlot(DateOnly start, string status, DateOnly? leftOn, string? reason) =>
        status == FollowUpStatus.Left && reason != LeaveReason.Dismissal && leftOn is { } left && left.DayNumber - start.DayNumber <= SlotGuaranteeDays;
}
