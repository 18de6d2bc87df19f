namespace CareerRelay.Web.Features.Redemptions;

/// <summary>How spending and returning a slot can fail, as values.</summary>
public static class RedemptionErrors
{
    public static ApiError JobClosed => new(409, ProblemCodes.InvalidState, "Job closed", "Slots can only be spent on open jobs.");

    public static ApiError InsufficientSlots => new(409, ProblemCodes.InsufficientSlots, "Insufficient slots", "No free hire slot is available to spend.");

    public static ApiError FulfilledCannotBeCancelled =>
        new(409, ProblemCodes.RedemptionFulfilled, "Redemption fulfilled", "A fulfilled redemption cannot be cancelled.");
}
