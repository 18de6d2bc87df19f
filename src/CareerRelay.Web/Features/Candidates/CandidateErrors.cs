namespace CareerRelay.Web.Features.Candidates;

/// <summary>How the person's own routes (/api/v1/public/me/*) can fail, as values (see RegistrationErrors for the pattern).</summary>
public static class CandidateErrors
{
    public static ApiError BadSignInLink =>
        new(401, ProblemCodes.Unauthorized, "Unauthorized", "The sign-in link is unknown, has expired or no longer works. Ask for a new one.");
}
