namespace CareerRelay.Web.Infrastructure.Problems;

/// <summary>
/// The expected failures a route answers beyond those its shape implies (auth → 401/403, a route id → 404, POST → 400/409/422,
/// rate limit → 429): the feature's own error values, so /openapi shows the very code and words the route answers.
/// </summary>
public sealed record ExpectedErrors(IReadOnlyList<ApiError> Errors);

public static class ExpectedErrorsExtensions
{
    /// <summary>Documents that this route may answer these errors (read by the OpenAPI transformer).</summary>
    public static TBuilder WithErrors<TBuilder>(this TBuilder builder, params ApiError[] errors) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ExpectedErrors(errors));
}
