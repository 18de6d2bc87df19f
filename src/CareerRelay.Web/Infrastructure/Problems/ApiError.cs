using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Infrastructure.Problems;

/// <summary>
/// An expected failure (consent missing, slots insufficient, …) as a value. Use cases return it;
/// endpoints turn it into problem+json at the edge. Exceptions stay for bugs and outages.
/// </summary>
public sealed record ApiError(int Status, string Code, string Title, string? Detail = null,
    IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>The field errors by text key, for pages to show in the reader's language (<see cref="Errors"/> holds one language's words).</summary>
    public IReadOnlyDictionary<string, FieldMessage[]>? Fields { get; init; }

    public static ApiError NotFound(string what = "resource") =>
        new(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", $"The {what} does not exist.");

    /// <summary>A failure of the request's shape (not JSON, wrong types), found before any field could be judged; API only.</summary>
    public static ApiError Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "Validation failed",
            "One or more fields are invalid.", errors);

    public static ApiError Validation(IReadOnlyDictionary<string, FieldMessage[]> fields, string lang = Localization.Lang.English) =>
        Validation(fields.ToDictionary(f => f.Key, f => f.Value.Select(m => m.In(lang)).ToArray())) with { Fields = fields };

    /// <summary>One field's message by text key (see <see cref="FieldMessage"/>).</summary>
    public static ApiError Invalid(string field, string key, params object?[] args) =>
        Validation(new Dictionary<string, FieldMessage[]> { [field] = [new FieldMessage(key, args)] });

    /// <summary>The same, answered in <paramref name="lang"/> on the API (public routes answer in the person's language).</summary>
    public static ApiError InvalidIn(string lang, string field, string key, params object?[] args) =>
        Validation(new Dictionary<string, FieldMessage[]> { [field] = [new FieldMessage(key, args)] }, lang);

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
