using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Infrastructure.Web.Forms;

/// <summary>
/// What was wrong with one submitted form, in the reader's language: each field's messages (shown beside the field, which
/// points at them with <c>aria-describedby</c>), and what was wrong with the request as a whole. Built from the use case's
/// <see cref="ApiError"/>, whose field messages are text keys — so a page can only show words from Texts.resx/Texts.en.resx.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, List<string>> _fields;

    private FormErrors(Dictionary<string, List<string>> fields, string? general)
    {
        _fields = fields;
        General = general;
    }

    public static FormErrors None { get; } = new([], null);

    /// <summary>The failure as a page shows it; a failure without field messages reads as its problem code's sentence.</summary>
    public static FormErrors From(ApiError? error, string lang)
    {
        if (error is null) return None;
        if (error.Fields is { Count: > 0 } fields)
            return new(fields.ToDictionary(f => f.Key, f => f.Value.Select(m => m.In(lang)).ToList()), null);
        return new([], ProblemText(error, lang));
    }

    /// <summary>One message for the form as a whole (a text key, or words already in the reader's language).</summary>
    public static FormErrors Message(string text) => new([], text);

    /// <summary>A failure in one sentence of the reader's language: the field messages, or the problem code's sentence.</summary>
    public static string ProblemText(ApiError error, string lang) =>
        error.Fields is { Count: > 0 } fields
            ? string.Join(" ", fields.Values.SelectMany(m => m).Select(m => m.In(lang)).Distinct())
            : Texts.Get($"Problem.{error.Code}", lang);

    public bool Any => _fields.Count > 0 || General is not null;

    /// <summary>A message about the whole request (a conflict, an expired form), shown at the top.</summary>
    public string? General { get; }

    public IReadOnlyCollection<string> Fields => _fields.Keys;

    public bool Has(string field) => _fields.ContainsKey(field);

    public IReadOnlyList<string> For(string field) => _fields.TryGetValue(field, out var messages) ? messages : [];

    /// <summary>The id of the element that holds the field's messages.</summary>
    public static string MessageId(string field) => Anchor(field) + "-error";

    /// <summary>An element id for a field name ("workHistory[0]" → "workHistory-0").</summary>
    public static string Anchor(string field) => new string([.. field.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]).TrimEnd('-');

    /// <summary>For <c>aria-describedby</c>: the field's message (when it has one) and the hint the field already points at.</summary>
    public string? DescribedBy(string field, string? hintId = null) =>
        Has(field) ? hintId is null ? MessageId(field) : $"{MessageId(field)} {hintId}" : hintId;

    /// <summary>For <c>aria-invalid</c>.</summary>
    public string? Invalid(string field) => Has(field) ? "true" : null;
}
