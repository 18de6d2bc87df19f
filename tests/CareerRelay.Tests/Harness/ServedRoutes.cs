using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CareerRelay.Tests.Harness;

/// <summary>One (method, route) the app answers, with the authorization policy it requires (null: none).</summary>
public sealed record ServedRoute(string Method, string Pattern, string? Policy)
{
    public bool IsApi => Pattern.StartsWith("/api/", StringComparison.Ordinal);
    /// <summary>Answered to machines, not people: the API, and LINE's webhook (its own tests send it hostile bodies, signed and not).</summary>
    public bool IsMachine => IsApi || Pattern is "/line/webhook" or "/mail/bounces";
    public bool HasParameters => Pattern.Contains('{');
}

/// <summary>
/// The routes read from the app's own routing table, so tests that must cover "every route" (documentation, fuzzing,
/// tenant isolation) cover a new one the day it is mapped. Catch-alls, static assets and the OpenAPI file are left out.
/// </summary>
public static class ServedRoutes
{
    public static List<ServedRoute> Of(CareerRelayApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("{**") && !raw.Contains("openapi") && !raw.Contains("assets"))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => new ServedRoute(m,
                "/" + e.RoutePattern.RawText!.Trim('/'), e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null))))
            .Distinct().ToList();
}
