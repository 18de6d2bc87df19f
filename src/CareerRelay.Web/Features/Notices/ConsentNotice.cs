namespace CareerRelay.Web.Features.Notices;

/// <summary>A version of the consent notice (同意文). Consents record the version the candidate saw.</summary>
public sealed class ConsentNotice
{
    public int Version { get; init; }
    public required string TextJa { get; init; }
    public required string TextEn { get; init; }
    public DateTime CreatedAt { get; init; }

    public string TextFor(string lang) => lang == "en" ? TextEn : TextJa;
}
