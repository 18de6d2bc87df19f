using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Infrastructure.Problems;

/// <summary>
/// An expected failure (consent missing, slots insufficient, …) as a value. Use cases return it;
/// endpoints turn it into problem+json at the edge. Exceptions stay for bugs and outages.
/// </summary>
public sealed record ApiError(int Status, string Code, string Title, string? Detail = null,
    IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static ApiError NotFound(string what = "resource") =>
        new(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", $"The {what} does not exist.");

    public static ApiError Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "Validation failed",
            "One or more fields are invalid.", errors);

    public static ApiError Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public ProblemHttpResult ToResult() => TypedResults.Problem(ToProblemDetails());

    public ProblemDetails ToProblemDetails()
    {
        var problem = new ProblemDetails
        {
            Status = Status,
            Title = Title,
            Detail = Detail,
            Type = $"https://careerrelay.jp/problems/{Code}",
        };
        problem.Extensions["code"] = Code;
        if (Errors is not null) problem.Extensions["errors"] = Errors;
        return problem;
    }
}
