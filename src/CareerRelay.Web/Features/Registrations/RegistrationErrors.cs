namespace CareerRelay.Web.Features.Registrations;

/// <summary>
/// How registering, confirming and the operator's referral decisions can fail, as values: returned by the use cases, shown by
/// the pages in the reader's words (Problem.{code}) and listed in /openapi for the routes that answer them.
/// </summary>
public static class RegistrationErrors
{
    public static ApiError LinkNotFound => ApiError.NotFound("link");

    public static ApiError LinkPaused => new(410, ProblemCodes.LinkPaused, "Link paused", "This link is not accepting registrations right now.");

    public static ApiError InvitationUsed => new(409, ProblemCodes.InvitationUsed, "Invitation used", "This personal invitation has already been used.");

    /// <summary>No agency ticked, or the notice changed while the form was open (<paramref name="message"/> says which, beside the field).</summary>
    public static ApiError ConsentRequired(FieldMessage message, string lang) =>
        new(400, ProblemCodes.ConsentRequired, "Consent required",
            "Consent must name the current notice version and at least one of the agencies this link offers.",
            new Dictionary<string, string[]> { ["consent"] = [message.In(lang)] })
        {
            Fields = new Dictionary<string, FieldMessage[]> { ["consent"] = [message] },
        };

    /// <summary>For /openapi: the usual case of <see cref="ConsentRequired(FieldMessage, string)"/>.</summary>
    public static ApiError ConsentRequiredExample => ConsentRequired(new FieldMessage("Error.Agencies"), Infrastructure.Localization.Lang.English);

    public static ApiError CodeNotFound => ApiError.NotFound("verification code");

    public static ApiError CodeExpired => new(410, ProblemCodes.CodeExpired, "Code expired", "This confirmation link has expired. Please register again.");

    public static ApiError NotHeld(string status) =>
        new(409, ProblemCodes.InvalidState, "Not held", $"The referral is {status}; only held referrals can be released.");

    public static ApiError CannotReverse(string status) =>
        new(409, ProblemCodes.InvalidState, "Cannot reverse", $"The referral is {status}; it never counted.");
}
