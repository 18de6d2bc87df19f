namespace CareerRelay.Web.Features.Referrals;

/// <summary>
/// How a referrer's (or a referrer type's) referrals fare: volume, how many passed 書類選考, how many were hired.
/// Rates count decided applications only (one still in screening has neither passed nor failed), so a new
/// referral never drags a referrer down.
/// </summary>
public readonly record struct TrustFigures(int Referrals, int Passed, int FailedScreening, int Hired, int Closed)
{
    public double? PassRate => Passed + FailedScreening == 0 ? null : (double)Passed / (Passed + FailedScreening);
    public double? HireRate => Closed == 0 ? null : (double)Hired / Closed;

    public static TrustFigures Of(IEnumerable<(string Stage, bool PassedScreening)> applications)
    {
        int n = 0, passed = 0, failed = 0, hired = 0, closed = 0;
        foreach (var (stage, passedScreening) in applications)
        {
            if (stage == ReferralStages.PendingVerification) continue;
            n++;
            if (passedScreening) passed++;
            else if (stage is ReferralStages.Rejected) failed++;
            if (stage == ReferralStages.Hired) hired++;
            if (stage is ReferralStages.Hired or ReferralStages.Rejected or ReferralStages.Withdrawn) closed++;
        }
        return new TrustFigures(n, passed, failed, hired, closed);
    }
}

public static class ReferrerTrust
{
    /// <summary>How many decided referrals the prior is worth: a referrer with one lucky referral does not jump to the top.</summary>
    public const double PriorWeight = 2;

    /// <summary>
    /// The order of incoming referrals: the referrer's screening pass rate, shrunk towards their type's rate (or the
    /// company's, or ½ when nothing is known yet) — (passed + w·prior) / (decided + w).
    /// </summary>
    public static double Score(TrustFigures referrer, TrustFigures type, TrustFigures company)
    {
        var prior = type.PassRate ?? company.PassRate ?? 0.5;
        var decided = referrer.Passed + referrer.FailedScreening;
        return (referrer.Passed + PriorWeight * prior) / (decided + PriorWeight);
    }
}
