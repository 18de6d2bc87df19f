using CareerRelay.Web.Infrastructure.Auth;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CareerRelay.Web.Infrastructure.Telemetry;

/// <summary>Telemetry settings (section <c>Telemetry</c>); docs/operations.md has the metric names and the alerts.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Off: no metrics, no spans, no /metrics (the benchmarks' "telemetry off").</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>An OTLP collector's base address (e.g. http://127.0.0.1:4318); traces, metrics and logs go there when set.</summary>
    public string? OtlpEndpoint { get; set; }
    /// <summary><c>http/protobuf</c> (port 4318, the default) or <c>grpc</c> (port 4317).</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";
    /// <summary>Share of traces kept (parent-based: a request's spans are kept or dropped together). One in ten: at full sampling the
    /// landing page lost ~7 % of its throughput to exporting a span per request (docs/benchmarks.md); 1.0 on a quiet deployment.</summary>
    public double TraceSampleRatio { get; set; } = 0.1;
    /// <summary>How often metrics are pushed over OTLP.</summary>
    public int ExportIntervalSeconds { get; set; } = 15;
    /// <summary>The Prometheus scrape endpoint (operator credential); empty turns it off.</summary>
    public string PrometheusPath { get; set; } = "/metrics";
    /// <summary>One JSON object per log line on the console, for a log shipper.</summary>
    public bool JsonConsoleLogs { get; set; }
}

public static class TelemetryServices
{
    /// <summary>
    /// ASP.NET Core's own meters that say something to an operator: requests (http.server.request.duration), connections,
    /// handled exceptions, rate-limit rejections, sign-in and authorization failures. Not AddAspNetCoreInstrumentation():
    /// it also listens to the memory pool's meter (a measurement for every buffer Kestrel rents or returns) and routing's
    /// (one per request), and wraps every request in a middleware that only tags exceptions the exception handler
    /// already tags — together ~2 µs of a registration's CPU (issue 23, docs/benchmarks.md) for figures nobody reads.
    /// </summary>
    internal static readonly string[] AspNetCoreMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization",
    ];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration("Telemetry");
        builder.Services.AddSingleton<RelayMetrics>();
        builder.Services.AddSingleton<QueueGauges>();
        if (options.JsonConsoleLogs)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
        }
        if (!options.Enabled) return builder;

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("careerrelay", serviceVersion: typeof(TelemetryServices).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddMeter(RelayMetrics.MeterName)
                    .AddMeter(AspNetCoreMeters)
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation();
                // No response cache: a scrape shows the counts of that moment (Prometheus scrapes every 15 s or so anyway).
                if (!string.IsNullOrEmpty(options.PrometheusPath)) m.AddPrometheusExporter(p => p.ScrapeResponseCacheDurationMilliseconds = 0);
            });
        if (options.OtlpEndpoint is { Length: > 0 } endpoint)
        {
            // Spans only where someone reads them: without a collector nothing would be exported, so nothing is recorded.
            otel.WithTracing(t => t
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddSource(RelayMetrics.MeterName)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments(options.PrometheusPath);
                    // A path may carry a token (a relay link, a sign-in link): spans name the route template, never the path.
                    o.EnrichWithHttpResponse = (activity, response) => PathRedaction.Redact(activity, response.HttpContext);
                })
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, _) => PathRedaction.RedactOutgoing(activity))
                .AddNpgsql())
                .WithLogging();
            otel.UseOtlpExporter(options.OtlpProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf, new Uri(endpoint));
            builder.Services.Configure<MetricReaderOptions>(r => r.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.ExportIntervalSeconds * 1000);
        }
        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, for the operator's credential only (scrape with <c>authorization: credentials_file</c>).</summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value;
        var metrics = app.Services.GetRequiredService<RelayMetrics>();
        app.Services.GetRequiredService<QueueGauges>().Register(metrics);
        if (options.Enabled && !string.IsNullOrEmpty(options.PrometheusPath))
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath).RequireAuthorization(ApiKeyAuthenticationSetup.OperatorPolicy);
        return app;
    }
}
