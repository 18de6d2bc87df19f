namespace CareerRelay.Tests.Infrastructure;

/// <summary>A clock tests can move forward (expiry, dedupe windows, hourly fraud windows).</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 21, 1, 0, 0, TimeSpan.Zero);
    private readonly object _gate = new();

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    public void Advance(TimeSpan by) { lock (_gate) _now += by; }
}
