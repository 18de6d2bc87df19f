using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CareerRelay.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CareerRelay.Tests.Infrastructure.Telemetry;

/// <summary>An app that exports traces, metrics and logs over OTLP to a local collector, and serves /metrics for Prometheus.</summary>
public class TelemetryApp(Provider provider) : CareerRelayApp(provider)
{
    public FakeOtlpCollector Collector { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Telemetry:OtlpEndpoint"] = Collector.BaseUrl,
        ["Telemetry:ExportIntervalSeconds"] = "1",
        ["Telemetry:TraceSampleRatio"] = "1", // every trace, so the test finds its own
    };

    /// <summary>Pushes whatever the exporters still hold, as a shutting-down node would.</summary>
    public void Flush()
    {
        Services.GetRequiredService<TracerProvider>().ForceFlush();
        Services.GetRequiredService<MeterProvider>().ForceFlush();
        Services.GetRequiredService<LoggerProvider>().ForceFlush();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Collector.DisposeAsync();
    }
}

public sealed class TelemetrySqliteApp() : TelemetryApp(Provider.Sqlite);
public sealed class TelemetryPostgresApp() : TelemetryApp(Provider.Postgres);

/// <summary>
/// What an operator's monitoring sees: the Prometheus endpoint (operator credential only) with the relay's own counters moving
/// exactly with what users did, and the OTLP export with a request's spans — and no personal data anywhere in it.
/// </summary>
public abstract class TelemetryTests(TelemetryApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Metrics_AreForTheOperatorsCredentialOnly()
    {
        var company = await _api.CreateCompanyAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await ScrapeAsync(null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ScrapeAsync(company.Key)).Status);
        var (status, text) = await ScrapeAsync(CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
    }

    [Fact]
    public async Task Metrics_CountRegistrationsSlotsAndMail_ExactlyAsTheyHappened()
    {
        var before = await ScrapeAsync(CareerRelayApp.OperatorKey);
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        await _api.QualifyAsync(token, agency.Id, 10); // ten people registered and confirmed: ten referrals, one slot

        var text = "";
        await Poll.UntilAsync(async () =>
        {
            text = (await ScrapeAsync(CareerRelayApp.OperatorKey)).Text;
            return Delta(before.Text, text, "careerrelay_mail_total", "outcome=\"sent\"", "kind=\"verification\"") >= 10;
        }, "the ten verification mails counted as sent");
        Assert.Equal(10, Delta(before.Text, text, "careerrelay_registrations_total", "step=\"accepted\""));
        Assert.Equal(10, Delta(before.Text, text, "careerrelay_registrations_total", "step=\"verified\""));
        Assert.Equal(10, Delta(before.Text, text, "careerrelay_registrations_total", "step=\"qualified\""));
        Assert.Equal(1, Delta(before.Text, text, "careerrelay_slots_total", "movement=\"earned\""));
        Assert.Equal(10, Delta(before.Text, text, "careerrelay_mail_total", "outcome=\"sent\"", "kind=\"verification\""));
        Assert.True(Delta(before.Text, text, "careerrelay_registration_writer_batch_size_count") >= 1);
        Assert.Contains("careerrelay_registration_writer_commit_duration_seconds_bucket", text);
        Assert.Contains("careerrelay_mail_outbox_age_seconds", text);
        Assert.Contains("careerrelay_webhook_queue_age_seconds", text);
        Assert.Contains("careerrelay_webhook_endpoints_disabled", text);
        // Labels are kinds and outcomes: no company, link or person id appears in any of them.
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(agency.Id, text);
    }

    [Fact]
    public async Task Otlp_ExportsARegistrationsTrace_AndNoPersonalData_InSpansMetricsOrLogs()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("otel")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id, phone: "080-7777-2222", name: "佐藤 花子");
        var me = await _api.MeTokenAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync($"/me/{me}")).StatusCode);
        await _api.GetAsync("/api/v1/agency/candidates", agency.Key);
        await _api.PostAsync("/api/v1/public/me/erase", new { token = me });

        app.Flush();
        await Poll.UntilAsync(() => Task.FromResult(app.Collector.Text("/v1/traces").Contains("registration_writer.batch")), "the writer's span exported");
        var traces = app.Collector.Text("/v1/traces");
        Assert.Contains("POST /api/v1/public/registrations", traces); // the request's span, named by its route
        Assert.Contains("GET /me/{token}", traces);
        if (app.Provider == Provider.Postgres) Assert.Contains("postgresql", traces); // Npgsql's span under the request
        Assert.All(app.Collector.Exports, e => Assert.Equal("application/x-protobuf", e.ContentType));
        var everything = traces + app.Collector.Text("/v1/metrics") + app.Collector.Text("/v1/logs");
        Assert.Contains("careerrelay.registrations", everything);
        foreach (var secret in new[] { email, "佐藤", "花子", "080-7777-2222", me, token })
            Assert.DoesNotContain(secret, everything);
    }

    private async Task<(HttpStatusCode Status, string Text)> ScrapeAsync(string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _api.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>How much a Prometheus series (name and label filters) grew between two scrapes; summed over the matching series.</summary>
    private static double Delta(string before, string after, string name, params string[] labels) => Sum(after, name, labels) - Sum(before, name, labels);

    private static double Sum(string scrape, string name, string[] labels) =>
        scrape.Split('\n')
            .Where(l => Regex.IsMatch(l, "^" + Regex.Escape(name) + @"(\{| )") && labels.All(l.Contains))
            .Sum(ValueOf);

    /// <summary><c>name{labels} value [timestamp]</c> → value.</summary>
    private static double ValueOf(string line)
    {
        var rest = line.Contains('{') ? line[(line.LastIndexOf('}') + 1)..] : line[line.IndexOf(' ')..];
        return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A meter is process-wide: OpenTelemetry's listener takes every <c>CareerRelay</c> meter in the process, whichever app
/// made it (one app per process in production). So these run alone, after the parallel tests, for the counts to be exact.
/// </summary>
[CollectionDefinition(nameof(TelemetryAlone), DisableParallelization = true)]
public sealed class TelemetryAlone;

[Collection(nameof(TelemetryAlone))]
public sealed class TelemetryTestsOnSqlite(TelemetrySqliteApp app) : TelemetryTests(app), IClassFixture<TelemetrySqliteApp>;
[Collection(nameof(TelemetryAlone))]
public sealed class TelemetryTestsOnPostgres(TelemetryPostgresApp app) : TelemetryTests(app), IClassFixture<TelemetryPostgresApp>;
