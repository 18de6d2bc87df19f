using System.Security.Cryptography;
using System.Text;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Tests.Infrastructure.Security;

/// <summary>
/// Lookup hashes, address hashes and token hashes are stored: a database written by an earlier release is searched with
/// the hashes computed now. They are computed on the stack now (issue 23); each must equal the formula it was written
/// with, for short, long, Japanese and empty input.
/// </summary>
public sealed class StoredHashesTests
{
    private static readonly KeyRing Keys = new(RandomNumberGenerator.GetBytes(32));

    public static TheoryData<string> Values => new()
    {
        "", "hanako.yamada+test@example.jp", "09012345678", "山田花子@例え.jp", new string('あ', 300), new string('x', 2000), "203.0.113.7", "2001:db8::1",
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void APersonsHash_IsTheHmacOfThePrefixAndTheValue_InLowerCaseHex(string value)
    {
        var hasher = new LookupHasher(Keys);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Keys.LookupKey, Encoding.UTF8.GetBytes("email:" + value)));
        Assert.Equal(expected, hasher.Person("email:", value));
        Assert.Equal(expected, hasher.Person("email:" + value));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void AnAddressHash_IsTheFirst32HexCharactersOfItsHmac(string value)
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Keys.IpKey, Encoding.UTF8.GetBytes(value)))[..32];
        Assert.Equal(expected, new LookupHasher(Keys).Ip(value));
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Keys.IpKey, "unknown"u8))[..32], new LookupHasher(Keys).Ip(null));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void ATokensHash_IsItsSha256_InLowerCaseHex(string token) =>
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), SecretTokens.Hash(token));

    [Theory]
    [InlineData(16, "")]
    [InlineData(24, "")]
    [InlineData(32, "cr_co_")]
    [InlineData(100, "x")]
    public void ANewToken_IsItsBytesInBase64UrlWithoutPadding_AfterItsPrefix(int bytes, string prefix)
    {
        var token = SecretTokens.New(bytes, prefix);
        Assert.StartsWith(prefix, token, StringComparison.Ordinal);
        var body = token[prefix.Length..];
        Assert.True(SecretTokens.LooksValid(body, maxLength: 200));
        var padded = body.Replace('-', '+').Replace('_', '/') + new string('=', (4 - body.Length % 4) % 4);
        Assert.Equal(bytes, Convert.FromBase64String(padded).Length);
        Assert.NotEqual(token, SecretTokens.New(bytes, prefix));
    }
}
