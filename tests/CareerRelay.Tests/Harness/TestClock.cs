namespace CareerRelay.Tests.Harness;

/// <summary>A clock tests can move forward (expiry, dedupe windows, hourly fraud windows).</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 21, 1, 0, 0, TimeSpan.Zero);
    private readonly object _gate = new();

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    public void Advance(TimeSpan by) { lock (_gate) _now += by; }

    /// <summary>Moves forward to a fixed instant; tests of one class share the clock and run in any order, so a test that
    /// needs a particular weekday moves to a date later than any other test advances to.</summary>
    public void MoveForwardTo(DateTimeOffset instant)
    {
        lock (_gate)
        {
            if (instant < _now) throw new InvalidOperationException($"The test clock already stands at {_now:O}, after {instant:O}.");
            _now = instant;
        }
    }
}
