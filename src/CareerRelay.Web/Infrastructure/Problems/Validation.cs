using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Infrastructure.Problems;

/// <summary>
/// A message about one field, by text key: the API answers it in English (public routes in the request's language), pages
/// show it beside the field in the reader's language. A message is never free text, so no page can show developer English.
/// </summary>
public sealed record FieldMessage(string Key, params object?[] Args)
{
    public string In(string lang) => Texts.Format(Key, lang, Args);
}

/// <summary>Collects field errors for one request; empty means valid.</summary>
public sealed class Validation
{
    private Dictionary<string, List<FieldMessage>>? _errors; // made at the first error: most requests have none

    public bool IsValid => _errors is null;

    public bool Has(string field) => _errors?.ContainsKey(field) == true;

    /// <summary>Adds the message <paramref name="key"/> (a text in Texts.resx) about <paramref name="field"/>.</summary>
    public Validation Add(string field, string key, params object?[] args)
    {
        _errors ??= [];
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(new FieldMessage(key, args));
        return this;
    }

    /// <summary>Required text, trimmed, with a maximum length. Returns the trimmed value.</summary>
    public string Required(string field, string? value, int maxLength, bool multiline = false)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0) Add(field, "Error.Required");
        else Check(field, trimmed, maxLength, multiline);
        return trimmed;
    }

    /// <summary>Optional text: null when absent or blank.</summary>
    public string? Optional(string field, string? value, int maxLength, bool multiline = false)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        Check(field, trimmed, maxLength, multiline);
        return trimmed;
    }

    public List<string> Strings(string field, IEnumerable<string?>? values, int maxItems, int maxLength)
    {
        var list = (values ?? []).Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).Distinct().ToList();
        if (list.Count > maxItems) Add(field, "Error.TooMany", maxItems);
        if (list.Any(v => v.Length > maxLength || HasControlCharacters(v))) Add(field, "Error.ItemTooLong", maxLength);
        return list;
    }

    /// <summary>The errors as a problem: messages in <paramref name="lang"/> for the API's JSON, and by key for pages.</summary>
    public ApiError ToError(string lang = Lang.English) => ApiError.Validation((_errors ?? []).ToDictionary(e => e.Key, e => e.Value.ToArray()), lang);

    private void Check(string field, string trimmed, int maxLength, bool multiline)
    {
        if (trimmed.Length > maxLength) Add(field, "Error.TooLong", maxLength);
        else if (HasControlCharacters(trimmed, multiline)) Add(field, "Error.ControlCharacters");
    }

    private static bool HasControlCharacters(string value, bool multiline = false)
    {
        // A loop: LINQ over the string allocated an enumerator and a closure on every field of every form.
        foreach (var c in value)
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')) return true;
        return false;
    }
}
