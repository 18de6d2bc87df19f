using System.Net.Mail;
using System.Text;

namespace CareerRelay.Web.Features.Registrations;

/// <summary>
/// How a person is recognised across registrations (SPEC §4): email trimmed, Unicode NFKC, lower-cased;
/// phone reduced to digits with +81 and a leading 0 folded, so 090-1234-5678, ０９０１２３４５６７８ and
/// +81 90 1234 5678 are one person.
/// </summary>
public static class PersonIdentity
{
    public static string NormaliseEmail(string email) =>
        email.Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    public static string? NormalisePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var folded = phone.Trim().Normalize(NormalizationForm.FormKC);
        var digits = AsciiDigits(folded);
        if (folded.StartsWith('+') && digits.StartsWith("81", StringComparison.Ordinal)) digits = digits[2..];
        else if (digits.StartsWith("0081", StringComparison.Ordinal)) digits = digits[4..];
        digits = digits.TrimStart('0');
        return digits.Length == 0 ? null : digits;
    }

    /// <summary>A plausible address: one @, a dotted domain, no spaces, at most 254 characters.</summary>
    public static bool IsPlausibleEmail(string normalised)
    {
        if (normalised.Length is < 3 or > 254 || HasWhiteSpace(normalised)) return false;
        var at = normalised.IndexOf('@');
        if (at <= 0 || at != normalised.LastIndexOf('@') || at == normalised.Length - 1) return false;
        var domain = normalised.AsSpan(at + 1); // a span, not a substring: this runs on every registration
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal)) return false;
        // Most addresses are plain ASCII words joined by dots, which the parser below always accepts as they are; only the
        // others pay for it (it built an object and three strings: ~1 µs of every registration, issue 23).
        if (Infrastructure.Mail.PlainAddress.Is(normalised)) return true;
        return MailAddress.TryCreate(normalised, out var parsed) && parsed.Address == normalised;
    }

    /// <summary>Digits, spaces, hyphens, parentheses and a leading + only; 7 to 15 digits.</summary>
    public static bool IsPlausiblePhone(string phone)
    {
        var folded = phone.Normalize(NormalizationForm.FormKC);
        if (folded.AsSpan().ContainsAnyExcept(PhoneCharacters) || folded.LastIndexOf('+') > 0) return false;
        var digits = 0;
        foreach (var c in folded)
            if (char.IsAsciiDigit(c)) digits++;
        return digits is >= 7 and <= 15;
    }

    // Loops rather than LINQ over the string: these run on every registration, and LINQ allocated an enumerator and a
    // delegate per call (issue 23's allocation profile).
    private static readonly System.Buffers.SearchValues<char> PhoneCharacters = System.Buffers.SearchValues.Create("0123456789 -()+");

    private static string AsciiDigits(string text)
    {
        Span<char> digits = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var n = 0;
        foreach (var c in text)
            if (char.IsAsciiDigit(c)) digits[n++] = c;
        return new string(digits[..n]);
    }

    private static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
            if (char.IsWhiteSpace(c)) return true;
        return false;
    }

    public static string DomainOf(string normalisedEmail) => normalisedEmail[(normalisedEmail.LastIndexOf('@') + 1)..];
}
