using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Tests.Infrastructure.Security;

/// <summary>The authenticator-app codes must be the ones every app computes: RFC 6238's own test vectors.</summary>
public sealed class TotpTests
{
    private static readonly byte[] RfcSecret = "12345678901234567890"u8.ToArray();

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Code_MatchesRfc6238(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(RfcSecret, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));

    [Fact]
    public void Match_AcceptsOneStepOfClockDriftEitherSide_AndTypedSpacesOrFullWidthDigits_ButNothingOlder()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = Totp.StepAt(now);
        Assert.Equal(step - 1, Totp.Match(RfcSecret, Totp.Code(RfcSecret, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(RfcSecret, Totp.Code(RfcSecret, step + 1), now));
        Assert.Null(Totp.Match(RfcSecret, Totp.Code(RfcSecret, step - 2), now));
        var code = Totp.Code(RfcSecret, step);
        Assert.Equal(step, Totp.Match(RfcSecret, $"{code[..3]} {code[3..]}", now));
        Assert.Equal(step, Totp.Match(RfcSecret, new string(code.Select(c => (char)(c - '0' + '０')).ToArray()), now));
        Assert.Null(Totp.Match(RfcSecret, "12345", now));
        Assert.Null(Totp.Match(RfcSecret, null, now));
    }

    [Theory]
    [InlineData("f", "MY")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_IsRfc4648WithoutPadding(string text, string expected) =>
        Assert.Equal(expected, Totp.Base32(System.Text.Encoding.ASCII.GetBytes(text)));
}

public sealed class RoiSimulatorTests
{
    [Theory]
    [InlineData(1000, 5, 80, 5_000_000, 35, 50, 40, 4, 7_000_000)]
    [InlineData(100, 19, 100, 4_000_000, 30, 19, 19, 1, 1_200_000)]
    [InlineData(0, 5, 80, 5_000_000, 35, 0, 0, 0, 0)]
    [InlineData(10_000_000, 100, 100, 100_000_000, 100, 10_000_000, 10_000_000, 1_000_000, 100_000_000_000_000)]
    public void Estimate_CountsWholePeopleAndWholeSlots(int rejections, int rate, int qualify, int salary, int fee,
        int registrations, int qualified, int slots, long saved)
    {
        var e = RoiSimulator.Estimate(new RoiInputs(rejections, rate, qualify, salary, fee), 10);
        Assert.Equal((registrations, qualified, slots, saved), (e.Registrations, e.QualifiedReferrals, e.Slots, e.YenSaved));
    }
}
