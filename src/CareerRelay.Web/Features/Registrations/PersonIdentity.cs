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
        var digits = new string(folded.Where(char.IsAsciiDigit).ToArray());
        if (folded.StartsWith('+') && digits.StartsWith("81", StringComparison.Ordinal)) digits = digits[2..];
        else if (digits.StartsWith("0081", StringComparison.Ordinal)) digits = digits[4..];
        digits = digits.TrimStart('0');
        return digits.Length == 0 ? null : digits;
    }

    /// <summary>A plausible address: one @, a dotted domain, no spaces, at most 254 characters.</summary>
    public static bool IsPlausibleEmail(string normalised)
    {
        if (normalised.Length is < 3 or > 254 || normalised.Any(char.IsWhiteSpace)) return false;
        var at = normalised.IndexOf('@');
        if (at <= 0 || at != normalised.LastIndexOf('@') || at == normalised.Length - 1) return false;
        var domain = normalised[(at + 1)..];
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..")) return false;
        return MailAddress.TryCreate(normalised, out var parsed) && parsed.Address == normalised;
    }

    /// <summary>Digits, spaces, hyphens, parentheses and a leading + only; 7 to 15 digits.</summary>
    public static bool IsPlausiblePhone(string phone)
    {
        var folded = phone.Normalize(NormalizationForm.FormKC);
        if (folded.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '+'))) return false;
        if (folded.LastIndexOf('+') > 0) return false;
        var digits = folded.Count(char.IsAsciiDigit);
        return digits is >= 7 and <= 15;
    }

    public static string DomainOf(string normalisedEmail) => normalisedEmail[(normalisedEmail.LastIndexOf('@') + 1)..];
}
