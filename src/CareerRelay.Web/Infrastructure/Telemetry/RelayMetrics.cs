using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CareerRelay.Web.Infrastructure.Telemetry;

/// <summary>
/// The platform's own metrics (meter <c>CareerRelay</c>), one place for every name; docs/operations.md says what to graph
/// and alert on. Labels are kinds and outcomes only — never an id, an address or anything typed by a person. Business
/// counts are recorded after their transaction commits (<see cref="Data.CareerRelayDb.OnCommitted"/>), so a retried or
/// rolled-back transaction counts nothing.
/// </summary>
public sealed class RelayMetrics
{
    public const string MeterName = "CareerRelay";
    /// <summary>Spans of our own (the registration writer's batches, mail sends); the HTTP, HttpClient and Npgsql spans come from their instrumentations.</summary>
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Meter _meter;
    private readonly Counter<long> _registrations, _slots, _mail, _webhooks;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitSeconds, _rankingSeconds;

    public RelayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _registrations = _meter.CreateCounter<long>("careerrelay.registrations", "{registration}",
            "Registration steps: step = accepted, verified, held, qualified, reversed.");
        _slots = _meter.CreateCounter<long>("careerrelay.slots", "{slot}",
            "Slot ledger movements: movement = earned, spent, returned, reversed, owed.");
        _mail = _meter.CreateCounter<long>("careerrelay.mail", "{mail}",
            "Mail send attempts: outcome = sent, deferred, bounced, failed, suppressed, dropped.");
        _webhooks = _meter.CreateCounter<long>("careerrelay.webhook.deliveries", "{delivery}",
            "Webhook delivery attempts: outcome = delivered, retrying, failed, endpoint_disabled.");
        _batchSize = _meter.CreateHistogram<int>("careerrelay.registration_writer.batch_size", "{registration}",
            "Registrations committed together by the registration writer.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _commitSeconds = _meter.CreateHistogram<double>("careerrelay.registration_writer.commit_duration", "s",
            "Time from a batch's first statement to its commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _rankingSeconds = _meter.CreateHistogram<double>("careerrelay.match.ranking_duration", "s",
            "Time to rank an agency's candidates for a job.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5] });
    }

    public void Registrations(string step, int count = 1)
    {
        if (count > 0) _registrations.Add(count, new KeyValuePair<string, object?>("step", step));
    }

    public void Slot(string movement) => _slots.Add(1, new KeyValuePair<string, object?>("movement", movement));

    public void Mail(string outcome, string kind) =>
        _mail.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("kind", kind));

    public void Webhook(string outcome) => _webhooks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RegistrationBatch(int size, TimeSpan commit)
    {
        _batchSize.Record(size);
        _commitSeconds.Record(commit.TotalSeconds);
    }

    public void Ranking(TimeSpan elapsed) => _rankingSeconds.Record(elapsed.TotalSeconds);

    /// <summary>A gauge whose value its owner knows (the match index's size), read when metrics are collected.</summary>
    public void Observe(string name, string unit, string description, Func<long> value) =>
        _meter.CreateObservableGauge(name, value, unit, description);

    /// <summary>Gauges read from the database, e.g. the oldest unsent mail's age.</summary>
    public void Observe(string name, string unit, string description, Func<IEnumerable<Measurement<double>>> values) =>
        _meter.CreateObservableGauge(name, values, unit, description);
}
