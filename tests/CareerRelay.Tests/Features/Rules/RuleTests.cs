using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Tests.Features.Rules;

/// <summary>The pure rules, without a database.</summary>
public sealed class RuleTests
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

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    [InlineData(19, false)]
    [InlineData(20, true)]
    [InlineData(0, false)]
    public void EarnsSlot_OnlyOnReachingAMultipleOfTen(int countAfter, bool earns) =>
        Assert.Equal(earns, SlotArithmetic.EarnsSlot(countAfter, 10));

    [Theory]
    [InlineData(10, true)]
    [InlineData(11, false)]
    [InlineData(20, true)]
    [InlineData(9, false)]
    public void LosesSlot_OnlyWhenDroppingBelowAMultiple(int countBefore, bool loses) =>
        Assert.Equal(loses, SlotArithmetic.LosesSlot(countBefore, 10));

    [Fact]
    public void SlotArithmetic_AnySequenceOfQualifiesAndReversals_KeepsSlotsAtCountDivN()
    {
        var random = new Random(42);
        for (var run = 0; run < 200; run++)
        {
            int count = 0, slots = 0, n = random.Next(1, 12);
            for (var step = 0; step < 300; step++)
            {
                if (count > 0 && random.NextDouble() < 0.3)
                {
                    if (SlotArithmetic.LosesSlot(count, n)) slots--;
                    count--;
                }
                else
                {
                    count++;
                    if (SlotArithmetic.EarnsSlot(count, n)) slots++;
                }
                Assert.Equal(SlotArithmetic.SlotsFor(count, n), slots);
            }
        }
    }

    [Theory]
    [InlineData("staff@acme.co.jp", "acme.co.jp", true)]
    [InlineData("staff@tokyo.acme.co.jp", "acme.co.jp", true)]
    [InlineData("me@notacme.co.jp", "acme.co.jp", false)]
    [InlineData("me@gmail.com", "gmail.com", false)]
    public void IsCompanyDomain_MatchesDomainAndSubdomainsButNeverFreeMail(string email, string companyDomain, bool expected) =>
        Assert.Equal(expected, FraudSignals.IsCompanyDomain(PersonIdentity.DomainOf(email), companyDomain));
}
