namespace CareerRelay.Web.Features.Agencies;

/// <summary>How an agency's placements and redemption acceptances can fail, as values.</summary>
public static class AgencyErrors
{
    public static ApiError RedemptionForAnotherJob =>
        new(409, ProblemCodes.RedemptionJobMismatch, "Redemption for another job", "The redemption was opened for another job.");

    public static ApiError RedemptionFulfilled =>
        new(409, ProblemCodes.RedemptionFulfilled, "Redemption fulfilled", "This redemption was already fulfilled by another placement.");

    public static ApiError RedemptionCancelled => new(409, ProblemCodes.InvalidState, "Redemption cancelled", "The company cancelled this redemption.");

    public static ApiError RedemptionNoLongerOpen =>
        new(409, ProblemCodes.InvalidState, "Redemption not open", "The redemption was cancelled or fulfilled meanwhile.");

    public static ApiError RedemptionTaken => new(409, ProblemCodes.InvalidState, "Already taken", "Another agency accepted this redemption first.");
}
