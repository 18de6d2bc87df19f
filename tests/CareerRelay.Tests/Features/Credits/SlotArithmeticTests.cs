using CareerRelay.Web.Features.Credits;

namespace CareerRelay.Tests.Features.Credits;

/// <summary>Slots earned and lost as qualified referrals come and go: always count ÷ N, never more, never less.</summary>
public sealed class SlotArithmeticTests
{
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
}
