using CareerRelay.Web.Features.Companies;

namespace CareerRelay.Web.Features.Retention;

/// <summary>
/// What a placement's follow-ups say of its first six months — the one reading behind the agency's legal figures
/// (<see cref="AgencyDisclosures"/>) and the retention KPIs (<see cref="RetentionKpis"/>).
/// </summary>
/// <param name="Passed">The six months are over.</param>
/// <param name="LeftInside">The newest known follow-up says the person left within them.</param>
/// <param name="Dismissed">That leave was a dismissal.</param>
/// <param name="AskedAfter">A follow-up (of any status) was recorded at or after six months.</param>
/// <param name="KnownAfter">The newest known follow-up exists and was recorded at or after six months, or the person left within them.</param>
public readonly record struct SixMonthOutcome(bool Passed, bool LeftInside, bool Dismissed, bool AskedAfter, bool KnownAfter)
{
    /// <param name="records">The placement's follow-ups, any order.</param>
    public static SixMonthOutcome Of(DateOnly start, IEnumerable<PlacementFollowUp> records, DateOnly today)
    {
        var six = start.AddMonths(6);
        var ordered = records.OrderBy(f => f.Sequence).ToList();
        bool After(PlacementFollowUp f) => f.CheckMonth >= 6 || DateOnly.FromDateTime(f.CreatedAt + CompanyActivity.JapanOffset) >= six;
        var known = ordered.LastOrDefault(f => f.Status != FollowUpStatus.Unknown);
        var leftInside = known is { Status: FollowUpStatus.Left, LeftOn: { } left } && left < six;
        return new SixMonthOutcome(six <= today, leftInside, leftInside && known!.Reason == LeaveReason.Dismissal, ordered.Any(After),
            leftInside || (known is not null && ordered.Any(f => f.Status != FollowUpStatus.Unknown && After(f))));
    }
}
