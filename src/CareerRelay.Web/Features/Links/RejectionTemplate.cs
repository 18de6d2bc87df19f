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
