namespace CareerRelay.Web.Infrastructure.Problems;

/// <summary>A use case's answer: a value or an expected failure.</summary>
public readonly struct Result<T>
{
    private Result(T? value, ApiError? error) { Value = value; Error = error; }

    public T? Value { get; }
    public ApiError? Error { get; }
    public bool Failed => Error is not null;

    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(ApiError error) => new(default, error);
}
