using System.Security.Cryptography;
using System.Text;

namespace CareerRelay.Web.Infrastructure.Security;

/// <summary>
/// Random URL tokens (≥ 128 bits, base64url) and their stored form. Secrets (verification codes,
/// invitation tokens, API keys) are stored as SHA-256 hashes: they carry 192+ bits of entropy, so a
/// fast hash is enough and lookups stay a single indexed read.
/// </summary>
public static class SecretTokens
{
    public static string New(int bytes = 24, string prefix = "") =>
        prefix + Base64Url(RandomNumberGenerator.GetBytes(bytes));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Token-shaped input only: guards lookups against junk before any database read.</summary>
    public static bool LooksValid(string? token, int maxLength = 80) =>
        !string.IsNullOrEmpty(token) && token.Length <= maxLength && !token.AsSpan().ContainsAnyExcept(TokenCharacters);

    private static readonly System.Buffers.SearchValues<char> TokenCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
