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
}
