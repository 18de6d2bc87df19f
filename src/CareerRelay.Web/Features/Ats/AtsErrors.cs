namespace CareerRelay.Web.Features.Ats;

/// <summary>How ATS intake can fail, as values.</summary>
public static class AtsErrors
{
    public static ApiError BadSignature => new(401, ProblemCodes.Unauthorized, "Unauthorized", "The signature does not match this connection's secret.");

    /// <summary>A native webhook's body over <paramref name="maxBytes"/>.</summary>
    public static ApiError WebhookTooLarge(int maxBytes) =>
        new(413, ProblemCodes.PayloadTooLarge, "Payload too large", $"At most {maxBytes / 1024 / 1024} MiB.");

    /// <summary>An imported CSV file over <paramref name="maxBytes"/>.</summary>
    public static ApiError FileTooLarge(int maxBytes) =>
        new(413, ProblemCodes.PayloadTooLarge, "Payload too large", $"At most {maxBytes / 1024 / 1024} MiB per file.");
}
