namespace CareerRelay.Web.Infrastructure.OpenApi;

/// <summary>An operation's example request and answer, shown in /openapi/v1.json (set on its MapX call with <c>WithExamples</c>).</summary>
public sealed record OperationExamples(string? Request, string? Response);

/// <summary>
/// What a route says about itself in /openapi beyond its shape: a summary (<c>WithSummary</c>), a description where one sentence
/// is not enough (<c>WithDescription</c>), examples (<c>WithExamples</c>) and its own errors (<c>WithErrors</c>) — all on the
/// MapX call, beside the route. A route without a summary, or with an example that does not fit its schema, fails
/// <c>OpenApiDocumentTests</c>.
/// </summary>
public static class OperationDocs
{
    /// <summary>Ids for examples (UUIDv7 hex, as the API writes them).</summary>
    public const string Id = "019372a1c0de7f3a9b1e2d4c5f6a7b8c";
    public const string Id2 = "019372a1c0de7f3a9b1e2d4c5f6a7b8d";

    public static TBuilder WithExamples<TBuilder>(this TBuilder builder, string? request = null, string? response = null)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new OperationExamples(request, response));
}
