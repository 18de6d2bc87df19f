namespace CareerRelay.Web.Features.Education;

/// <summary>How education routes can fail, as values.</summary>
public static class EducationErrors
{
    public static ApiError CourseClosed => new(409, ProblemCodes.InvalidState, "Course closed", "The course is closed: it takes no more requests.");

    public static ApiError CompletionSettled =>
        new(409, ProblemCodes.InvalidState, "Completion settled", "The person already answered this completion; it cannot change.");

    /// <summary>A high school sees outcome figures only: no person, even one who agreed to be seen by name.</summary>
    public static ApiError NamesNotShown =>
        new(403, ProblemCodes.Forbidden, "Outcomes only", "High schools see outcome figures only, never a person.");
}
