using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>How a person is recognised again: addresses and phone numbers folded the way people type them.</summary>
public sealed class PersonIdentityTests
{
    [Theory]
    [InlineData(" Taro.Yamada@Example.JP ", "taro.yamada@example.jp")]
    [InlineData("ＴＡＲＯ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp")]
    [InlineData("hanako@例え.jp", "hanako@例え.jp")]
    public void NormaliseEmail_TrimsFoldsWidthAndCase(string input, string expected) =>
        Assert.Equal(expected, PersonIdentity.NormaliseEmail(input));

    [Theory]
    [InlineData("090-1234-5678")]
    [InlineData("09012345678")]
    [InlineData("+81 90 1234 5678")]
    [InlineData("+81-(0)90-1234-5678")]
    [InlineData("０９０－１２３４－５６７８")]
    [InlineData("0081 90 1234 5678")]
    public void NormalisePhone_FoldsCountryCodeLeadingZeroAndWidth(string input) =>
        Assert.Equal("9012345678", PersonIdentity.NormalisePhone(input));

    [Theory]
    [InlineData("a@b.jp", true)]
    [InlineData("a@b", false)]
    [InlineData("a b@c.jp", false)]
    [InlineData("@c.jp", false)]
    [InlineData("a@@c.jp", false)]
    public void IsPlausibleEmail_AcceptsOnlyAddresses(string input, bool expected) =>
        Assert.Equal(expected, PersonIdentity.IsPlausibleEmail(input));

    /// <summary>The shortcut for plain addresses accepts exactly what the full mail-address parser accepts.</summary>
    [Theory]
    [InlineData("taro.yamada@example.jp")]
    [InlineData("a.b+tag@mail-1.example.co.jp")]
    [InlineData("first_last-2@sub.example.jp")]
    [InlineData("-a-@b.jp")]
    [InlineData("a@-b-.jp")]
    [InlineData("a.@b.jp")]
    [InlineData(".a@b.jp")]
    [InlineData("a..b@c.jp")]
    [InlineData("a@b..jp")]
    [InlineData("a@b_c.jp")]
    [InlineData("a\"b@c.jp")]
    [InlineData("\"a b\"@c.jp")]
    [InlineData("a(comment)@c.jp")]
    [InlineData("a@[127.0.0.1]")]
    [InlineData("o'brien@c.jp")]
    [InlineData("hanako@例え.jp")]
    [InlineData("はなこ@example.jp")]
    [InlineData("a@b.c.d.e.jp")]
    [InlineData("1@2.3")]
    public void IsPlausibleEmail_AgreesWithTheMailAddressParser(string address)
    {
        var at = address.IndexOf('@');
        var domain = address[(at + 1)..];
        var byParser = address.Length is >= 3 and <= 254 && !address.Any(char.IsWhiteSpace) && at > 0 && at == address.LastIndexOf('@') && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.')
            && !domain.Contains("..") && System.Net.Mail.MailAddress.TryCreate(address, out var parsed) && parsed.Address == address;
        Assert.Equal(byParser, PersonIdentity.IsPlausibleEmail(address));
    }
}
