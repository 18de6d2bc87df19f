namespace CareerRelay.Web.Infrastructure.Problems;

/// <summary>Collects field errors for one request; empty means valid.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    /// <summary>Required text, trimmed, with a maximum length. Returns the trimmed value.</summary>
    public string Required(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0) Add(field, "This field is required.");
        else if (trimmed.Length > maxLength) Add(field, $"Must be at most {maxLength} characters.");
        else if (HasControlCharacters(trimmed)) Add(field, "Must not contain control characters.");
        return trimmed;
    }

    /// <summary>Optional text: null when absent or blank.</summary>
    public string? Optional(string field, string? value, int maxLength, bool multiline = false)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        if (trimmed.Length > maxLength) Add(field, $"Must be at most {maxLength} characters.");
        else if (HasControlCharacters(trimmed, multiline)) Add(field, "Must not contain control characters.");
        return trimmed;
    }

    public List<string> Strings(string field, IEnumerable<string?>? values, int maxItems, int maxLength)
    {
        var list = (values ?? []).Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).Distinct().ToList();
        if (list.Count > maxItems) Add(field, $"At most {maxItems} items.");
        if (list.Any(v => v.Length > maxLength || HasControlCharacters(v))) Add(field, $"Each item must be text of at most {maxLength} characters.");
        return list;
    }

    public ApiError ToError() => ApiError.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public IReadOnlyDictionary<string, List<string>> Errors => _errors;

    private static bool HasControlCharacters(string value, bool multiline = false) =>
        value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'));
}
