using System.Security.Cryptography;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Tests.Infrastructure.Security;

/// <summary>
/// The key-encryption key's cipher is set up once per thread (issue 23). Two key rings on one thread (two nodes' test
/// hosts, a key rotated in a tool) must each wrap under their own key, never under the one set up first.
/// </summary>
public sealed class KeyWrapTests
{
    [Fact]
    public void TwoKeyRingsOnOneThread_EachWrapsUnderItsOwnKey()
    {
        var first = new PersonalDataCipher(new KeyRing(RandomNumberGenerator.GetBytes(32)));
        var second = new PersonalDataCipher(new KeyRing(RandomNumberGenerator.GetBytes(32)));
        var dataKey = first.NewDataKey();

        var underFirst = first.WrapKey(dataKey);
        var underSecond = second.WrapKey(dataKey);

        Assert.Equal(dataKey, first.UnwrapKey(underFirst));
        Assert.Equal(dataKey, second.UnwrapKey(underSecond));
        Assert.ThrowsAny<CryptographicException>(() => second.UnwrapKey(underFirst));
        Assert.ThrowsAny<CryptographicException>(() => first.UnwrapKey(underSecond));
        Assert.Equal(dataKey, first.UnwrapKey(underFirst)); // and back again
    }
}
