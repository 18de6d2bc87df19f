using CareerRelay.Web.Infrastructure.Problems;

namespace CareerRelay.Web.Features.Line;

/// <summary>LINE as an optional channel to the person: linking from /me, the bot's webhook, and pushes with mail as the fallback.</summary>
public static class LineFeature
{
    public static WebApplicationBuilder AddLine(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LineOptions>().BindConfiguration("Line").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<LineClient>(http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<LinePushes>();
        builder.Services.AddScoped<LineLinking>();
        builder.Services.AddSingleton<LinePushWorker>().AddHostedService(sp => sp.GetRequiredService<LinePushWorker>());
        builder.Services.AddSingleton<LineConfirmReminders>().AddHostedService(sp => sp.GetRequiredService<LineConfirmReminders>());
        return builder;
    }

    public static IEndpointRouteBuilder MapLine(this IEndpointRouteBuilder app)
    {
        // LINE's servers call this; it is not part of our API (docs/integrations.md describes it).
        app.MapPost("/line/webhook", WebhookAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    /// <summary>200 for every verified body (LINE retries anything else); 401 and nothing changed for a bad signature; 404 while LINE is off.</summary>
    private static async Task<IResult> WebhookAsync(HttpRequest request, LineLinking linking, Microsoft.Extensions.Options.IOptions<LineOptions> options,
        CancellationToken ct)
    {
        if (!options.Value.Enabled) return ApiError.NotFound("route").ToResult();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, ct);
        var body = copy.ToArray();
        if (!LineLinking.SignatureIsValid(options.Value.ChannelSecret, body, request.Headers["X-Line-Signature"]))
            return new ApiError(401, ProblemCodes.Unauthorized, "Bad signature", "X-Line-Signature does not match the body.").ToResult();
        try
        {
            await linking.HandleAsync(body, ct);
        }
        catch (System.Text.Json.JsonException)
        {
            return new ApiError(400, ProblemCodes.ValidationFailed, "Not JSON", "The body is not a JSON object.").ToResult();
        }
        return Results.Ok();
    }
}
