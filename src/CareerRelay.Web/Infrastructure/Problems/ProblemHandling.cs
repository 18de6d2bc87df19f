using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace CareerRelay.Web.Infrastructure.Problems;

/// <summary>
/// Turns framework-level failures (malformed JSON, wrong types, oversized bodies, unknown routes,
/// wrong methods) into problem+json with a stable code, so bad input never becomes a 5xx.
/// </summary>
public static class ProblemHandling
{
    // The framework's failures, as the values the API answers with (and /openapi lists).
    public static ApiError MethodNotAllowed(string method) =>
        new(405, ProblemCodes.MethodNotAllowed, "Method not allowed", $"{method} is not allowed on this route.");

    public static ApiError NotJson => new(415, ProblemCodes.UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.");

    public static ApiError TooLarge => new(413, ProblemCodes.PayloadTooLarge, "Payload too large", "The request body is too large.");

    public static ApiError Unavailable => new(503, ProblemCodes.ServiceUnavailable, "Service unavailable",
        "The service cannot reach its database for the moment and the request may not have completed. Retry in a few seconds (POSTs with the same Idempotency-Key).");

    public static IServiceCollection AddProblemHandling(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        // Binding failures throw instead of answering an empty 400, so the handler can explain them.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseProblemHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.HasStarted) return;
            if (!Web.ErrorPages.IsApi(http.Request))
            {
                await Web.ErrorPages.WriteAsync(http, http.Response.StatusCode);
                return;
            }
            if (!http.Request.Path.StartsWithSegments("/api")) return;
            var error = http.Response.StatusCode switch
            {
                404 => ApiError.NotFound(),
                405 => MethodNotAllowed(http.Request.Method),
                415 => NotJson,
                _ => null,
            };
            if (error is null) return;
            await WriteAsync(http, error);
        });
        return app;
    }

    /// <summary>
    /// The API's answer to a request no endpoint took: 404, unless a route does exist at this path. Routing offers a JSON
    /// route only requests that say they carry JSON (the route's Accepts metadata) and a route only its own methods, and
    /// when it has nothing left to offer it picks this fallback over its own 415 and 405 — so a body sent as text/plain, a
    /// POST without a body, or a DELETE to a POST-only route read "the route does not exist". They get 415, 400 (the body
    /// is missing) and 405 with Allow, as the API says.
    /// </summary>
    public static void MapApiFallback(this WebApplication app)
    {
        var routes = new Lazy<List<(Microsoft.AspNetCore.Routing.Template.TemplateMatcher Path, IReadOnlyList<string> Methods, bool TakesJson)>>(() =>
            [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true && e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
                .Select(e => (new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(new Microsoft.AspNetCore.Routing.Template.RouteTemplate(e.RoutePattern), new RouteValueDictionary()),
                    e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods,
                    e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is { ContentTypes.Count: > 0 }))]);
        // A RequestDelegate, not a lambda: the request delegate generator drops a fallback's pattern (dotnet/aspnetcore#65992),
        // which would make every unknown page an API 404.
        RequestDelegate answer = http =>
        {
            var values = new RouteValueDictionary(); // one for every route tried: a 404 flood should cost little
            var here = routes.Value.Where(r => { values.Clear(); return r.Path.TryMatch(http.Request.Path, values); }).ToList();
            var same = here.Where(r => r.Methods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase)).ToList();
            if (same.Any(r => r.TakesJson))
                return (http.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true }
                    ? NotJson
                    : ApiError.Validation(new Dictionary<string, string[]> { ["body"] = ["The body is missing. Send a JSON object in UTF-8."] })).ToResult().ExecuteAsync(http);
            if (here.Count > 0 && same.Count == 0)
            {
                http.Response.Headers.Allow = string.Join(", ", here.SelectMany(r => r.Methods).Distinct(StringComparer.OrdinalIgnoreCase));
                return MethodNotAllowed(http.Request.Method).ToResult().ExecuteAsync(http);
            }
            return ApiError.NotFound("route").ToResult().ExecuteAsync(http);
        };
        app.MapFallback("/api/{**rest}", answer);
    }

    /// <summary>
    /// "Try again later" (429, 503) with Retry-After: problem+json on the API, elsewhere an error page in the reader's
    /// language from the texts <paramref name="textKey"/>.Title and .Body.
    /// </summary>
    public static async Task WriteRetryLaterAsync(HttpContext http, int retryAfterSeconds, ApiError apiError, string textKey, CancellationToken ct)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Web.ErrorPages.IsApi(http.Request))
        {
            await WriteAsync(http, apiError);
            return;
        }
        // The public frame: no session is looked up (the database may be what is failing, and a flood should cost little).
        await Web.ErrorPages.WriteAsync(http, apiError.Status, textKey + ".Body", textKey + ".Title", publicFrame: true);
    }

    public static Task WriteAsync(HttpContext http, ApiError error)
    {
        http.Response.StatusCode = error.Status;
        return http.Response.WriteAsJsonAsync(error.ToProblemDetails(), (JsonSerializerOptions?)null,
            "application/problem+json");
    }

    /// <summary>
    /// The database restarting or failing over is not a bug: answer 503 with Retry-After (problem+json on the API, a short
    /// page in the reader's language elsewhere), so clients and people retry instead of seeing an error page.
    /// </summary>
    private sealed class DatabaseUnavailableExceptionHandler(ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (!IsDatabaseUnavailable(exception) || http.Response.HasStarted) return false;
            logger.LogWarning("The database could not be reached on {Path}; answered 503 ({Error})", http.Request.Path, exception.GetType().Name);
            await WriteRetryLaterAsync(http, retryAfterSeconds: 5, Unavailable,
                "Unavailable", ct);
            return true;
        }
    }

    /// <summary>
    /// True for a connection that could not be opened or was cut (Npgsql marks those transient), at any depth; and for a
    /// failover in progress: no primary among the hosts of a multi-host connection string (Npgsql's "No suitable host was
    /// found.", no inner exception), or a server that was just demoted refusing a write (25006). We never open read-only
    /// transactions ourselves, so 25006 can only be a standby.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
            if (ex is Npgsql.NpgsqlException { IsTransient: true } and not Npgsql.PostgresException { SqlState: "40001" or "40P01" }
                || ex is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "25006" }
                || ex is Npgsql.NpgsqlException { InnerException: null, Message: "No suitable host was found." } and not Npgsql.PostgresException
                || ex is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDatabaseUnavailable)
                || ex is Data.DatabaseUnavailableException)
                return true;
        return false;
    }

    private sealed class BadRequestExceptionHandler(ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            // Browser routes get a page for the same failure (ErrorPages).
            if (exception is not BadHttpRequestException bad || !Web.ErrorPages.IsApi(http.Request)) return false;
            // The message may quote the body; log only the type and status (no personal data in logs).
            logger.LogInformation("Rejected a bad request on {Path}: status {Status}", http.Request.Path, bad.StatusCode);
            var error = bad.StatusCode switch
            {
                413 => TooLarge,
                415 => NotJson,
                _ => ApiError.Validation(DescribeBinding(bad)),
            };
            await WriteAsync(http, error);
            return true;
        }

        private static Dictionary<string, string[]> DescribeBinding(BadHttpRequestException bad)
        {
            if (bad.InnerException is JsonException json)
            {
                var path = string.IsNullOrEmpty(json.Path) ? "body" : json.Path.TrimStart('$', '.');
                return new() { [path == "" ? "body" : path] = ["The value is not valid JSON of the expected type."] };
            }
            return new() { ["body"] = ["The request could not be read. Send a JSON object in UTF-8."] };
        }
    }
}
