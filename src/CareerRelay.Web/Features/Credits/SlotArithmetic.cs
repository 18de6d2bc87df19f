namespace CareerRelay.Web.Features.Credits;

/// <summary>
/// The pure rule of SPEC §4: the referral that brings the net qualified count to a multiple of N earns
/// one slot; the reversal that takes the count down from a multiple of N takes one back. So the number
/// of slots earned net of reversals is always floor(count / N).
/// </summary>
public static class SlotArithmetic
{
    public static bool EarnsSlot(int countAfterQualifying, int referralsPerSlot) =>
        countAfterQualifying > 0 && countAfterQualifying % referralsPerSlot == 0;

    public static bool LosesSlot(int countBeforeReversing, int referralsPerSlot) =>
        countBeforeReversing > 0 && countBeforeReversing % referralsPerSlot == 0;

    public static int ProgressToNextSlot(int qualified, int referralsPerSlot) => qualified % referralsPerSlot;

    public static int SlotsFor(int qualified, int referralsPerSlot) => qualified / referralsPerSlot;
}
