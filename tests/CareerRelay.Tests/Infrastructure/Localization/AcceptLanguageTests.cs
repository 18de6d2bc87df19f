using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http;

namespace CareerRelay.Tests.Infrastructure.Localization;

/// <summary>An API answer's language from Accept-Language: the reader's first language of the highest quality, Japanese when none is ours.</summary>
public sealed class AcceptLanguageTests
{
    [Theory]
    [InlineData(null, "ja")]
    [InlineData("", "ja")]
    [InlineData("en", "en")]
    [InlineData("en-US,en;q=0.9,ja;q=0.8", "en")]
    [InlineData("ja,en-US;q=0.9", "ja")]
    [InlineData("en;q=0.5, ja", "ja")]
    [InlineData("en;q=0.8, ja;q=0.8", "en")]
    [InlineData("ja;q=0.8, en;q=0.8", "ja")]
    [InlineData("fr, en;q=0.5", "ja")]
    [InlineData("not a header;;;", "ja")]
    public void TheFirstLanguageOfTheHighestQuality_Decides(string? header, string expected)
    {
        var http = new DefaultHttpContext();
        if (header is not null) http.Request.Headers.AcceptLanguage = header;
        Assert.Equal(expected, Lang.FromAcceptLanguage(http.Request));
        Assert.Equal(expected, Lang.FromRequest(http.Request));
    }
}
