using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Tests.Features.Registrations;

/// <summary>
/// A registration's life and what each step means for its company's figures (the summary's verified and held counts, the
/// qualified referrals that earn slots): the rules the HTTP tests see through the summary, here one step at a time.
/// </summary>
public sealed class RegistrationTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 9, 0, 0, DateTimeKind.Utc);

    private static Registration Fresh() => new()
    {
        Id = "r1", CompanyId = "c1", LinkId = "l1", CandidateId = "p1", EmailHash = "e", CodeHash = "h", IpHash = "i",
        SubmittedProfile = [], Lang = "ja",
    };

    private static Registration Verified()
    {
        var r = Fresh();
        r.Verify(Now);
        return r;
    }

    [Fact]
    public void Verify_CountsOneVerified_AndRemembersWhen()
    {
        var r = Fresh();
        Assert.Equal(new CounterChange(Verified: 1), r.Verify(Now));
        Assert.Equal(RegistrationStatus.Verified, r.Status);
        Assert.Equal(Now, r.VerifiedAt);
    }

    [Fact]
    public void Qualify_CountsTowardASlot()
    {
        var r = Verified();
        Assert.Equal(new CounterChange(Qualified: 1), r.Qualify(Now));
        Assert.Equal(RegistrationStatus.Qualified, r.Status);
        Assert.Equal(Now, r.QualifiedAt);
    }

    [Fact]
    public void Hold_CountsOneHeld_WithItsReason_AndReleasingIt_CountsTheReferralInstead()
    {
        var r = Verified();
        Assert.Equal(new CounterChange(Held: 1), r.Hold(HoldReasons.IpBurst));
        Assert.Equal(HoldReasons.IpBurst, r.HoldReason);

        Assert.Equal(new CounterChange(Held: -1, Qualified: 1), r.Release(boundFirst: true, Now));
        Assert.Equal(RegistrationStatus.Qualified, r.Status);
        Assert.Null(r.HoldReason);
    }

    [Fact]
    public void ReleasingAHold_OfAPersonWhoCountedElsewhereMeanwhile_IsADuplicate_ThatNeverCounts()
    {
        var r = Verified();
        r.Hold(HoldReasons.CompanyDomain);
        Assert.Equal(new CounterChange(Held: -1), r.Release(boundFirst: false, Now));
        Assert.Equal(RegistrationStatus.Duplicate, r.Status);
    }

    [Fact]
    public void ReversingAQualifiedReferral_TakesItsCountBack()
    {
        var r = Verified();
        r.Qualify(Now);
        Assert.Equal(new CounterChange(Qualified: -1), r.Reverse("fraud", Now));
        Assert.Equal(RegistrationStatus.Reversed, r.Status);
        Assert.Equal("fraud", r.ReverseReason);
        Assert.Equal(Now, r.ReversedAt);
    }

    [Fact]
    public void ReversingAHeldReferral_EndsTheHold_AndTakesNoCountBack()
    {
        var r = Verified();
        r.Hold(HoldReasons.LinkBurst);
        Assert.Equal(new CounterChange(Held: -1), r.Reverse("fraud", Now));
    }

    [Fact]
    public void ReversingAReferralWaitingForAgencyContact_ChangesNoCount()
    {
        Assert.Equal(default, Verified().Reverse("mistake", Now));
    }

    [Fact]
    public void AStepFromTheWrongStatus_IsRefused_AndChangesNothing()
    {
        var pending = Fresh();
        Assert.Throws<InvalidOperationException>(() => pending.Qualify(Now));
        Assert.Throws<InvalidOperationException>(() => pending.Reverse("x", Now));
        Assert.Equal(RegistrationStatus.PendingVerification, pending.Status);

        var qualified = Verified();
        qualified.Qualify(Now);
        Assert.Throws<InvalidOperationException>(() => qualified.Verify(Now));
        Assert.Throws<InvalidOperationException>(() => qualified.Release(true, Now));
        Assert.Throws<InvalidOperationException>(() => qualified.Hold(HoldReasons.IpBurst));
        Assert.Equal(RegistrationStatus.Qualified, qualified.Status);
    }
}
