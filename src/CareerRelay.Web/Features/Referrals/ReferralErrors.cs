namespace CareerRelay.Web.Features.Referrals;

/// <summary>How referral applications can fail, as values.</summary>
public static class ReferralErrors
{
    public static ApiError CodeExpired => new(410, ProblemCodes.CodeExpired, "Expired", "The confirmation link has expired; apply again.");

    public static ApiError StageCannotChange(string from, string to) =>
        new(409, ProblemCodes.InvalidState, "Stage cannot change", $"An application in {from} cannot move to {to}.");
}
