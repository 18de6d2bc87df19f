using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Links;

/// <summary>
/// The rejection email (お祈りメール) with the relay link inserted, in three tones, ja or en, with the
/// candidate's name written in the variable syntax of the company's ATS (or none, or a sample for preview).
/// Texts live in Texts.resx as <c>Template.{tone}.Subject|Body</c> and <c>Salutation.{syntax}</c>.
/// </summary>
public static class RejectionTemplate
{
    [TextKeys("Tone.{0}"), TextKeys("Template.{0}.Subject"), TextKeys("Template.{0}.Body")]
    public static readonly string[] Tones = ["standard", Warm, "graduate"];
    public const string Warm = "warm";
    /// <summary><c>plain</c>: no variable; <c>mustache</c>: {{CANDIDATE_NAME}}; <c>percent</c>: %CANDFULLNAME%; <c>preview</c>: a sample name.</summary>
    [TextKeys("Syntax.{0}"), TextKeys("Salutation.{0}")]
    public static readonly string[] Syntaxes = ["plain", "mustache", "percent", "preview"];

    /// <summary>Where the company's own wording puts the link.</summary>
    public const string LinkPlaceholder = "{{link}}";
    public const int MaxText = 2000;

    /// <summary>A wording (a tone, or the company's own text with <see cref="LinkPlaceholder"/>) in the ATS's variable syntax.</summary>
    public static (string Subject, string Body) Render(RejectionWording wording, string syntax, string lang, string companyName, string relayUrl) =>
        wording.Text is null ? Render(wording.Tone ?? "standard", syntax, lang, companyName, relayUrl) : Own(wording.Text, lang, companyName, relayUrl);

    /// <summary>The entrusted mail in a wording: the company's own text as written (its greeting included), or a tone with the person's name.</summary>
    public static (string Subject, string Body) RenderFor(RejectionWording wording, string lang, string companyName, string invitationUrl, string? candidateName) =>
        wording.Text is null ? RenderFor(wording.Tone ?? "standard", lang, companyName, invitationUrl, candidateName) : Own(wording.Text, lang, companyName, invitationUrl);

    private static (string Subject, string Body) Own(string text, string lang, string companyName, string url) =>
        (Texts.Format("Template.standard.Subject", lang, companyName), text.Replace(LinkPlaceholder, url, StringComparison.Ordinal));

    public static (string Subject, string Body) Render(string tone, string syntax, string lang, string companyName, string relayUrl)
    {
        var salutation = Texts.Get($"Salutation.{syntax}", lang);
        return Compose(tone, lang, companyName, relayUrl, salutation);
    }

    /// <summary>The mail we send for the company (委託): the candidate's own name when the ATS gave one, else a plain salutation.</summary>
    public static (string Subject, string Body) RenderFor(string tone, string lang, string companyName, string invitationUrl, string? candidateName) =>
        Compose(tone, lang, companyName, invitationUrl,
            candidateName is null ? Texts.Get("Salutation.plain", lang) : Texts.Format("Salutation.named", lang, candidateName));

    private static (string Subject, string Body) Compose(string tone, string lang, string companyName, string url, string salutation) =>
        (Texts.Format($"Template.{tone}.Subject", lang, companyName), Texts.Format($"Template.{tone}.Body", lang, companyName, url, salutation));
}

/// <summary>What a rejection mail says: one of <see cref="RejectionTemplate.Tones"/>, or the company's own text (which wins when both are set).</summary>
public sealed record RejectionWording(string? Tone, string? Text)
{
    public static readonly RejectionWording Standard = new("standard", null);
}
