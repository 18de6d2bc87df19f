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
    /// <summary><paramref name="bytes"/> random bytes in base64url without padding, after <paramref name="prefix"/>.</summary>
    public static string New(int bytes = 24, string prefix = "")
    {
        Span<byte> random = bytes <= 64 ? stackalloc byte[bytes] : new byte[bytes];
        RandomNumberGenerator.Fill(random);
        if (prefix.Length == 0) return System.Buffers.Text.Base64Url.EncodeToString(random);
        Span<char> text = stackalloc char[System.Buffers.Text.Base64Url.GetEncodedLength(random.Length)];
        System.Buffers.Text.Base64Url.EncodeToChars(random, text);
        return string.Concat(prefix, text);
    }

    /// <summary>hex(SHA-256(UTF-8(token))), hashed on the stack (issue 23: the arrays were bytes of every registration).</summary>
    public static string Hash(string token)
    {
        var most = Encoding.UTF8.GetMaxByteCount(token.Length);
        Span<byte> text = most <= 512 ? stackalloc byte[most] : new byte[most];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text[..Encoding.UTF8.GetBytes(token, text)], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Token-shaped input only: guards lookups against junk before any database read.</summary>
    public static bool LooksValid(string? token, int maxLength = 80) =>
        !string.IsNullOrEmpty(token) && token.Length <= maxLength && !token.AsSpan().ContainsAnyExcept(TokenCharacters);

    private static readonly System.Buffers.SearchValues<char> TokenCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
