using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Problems;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>The profile a person types at registration: skills as they meant them, once each, and the limits the form states.</summary>
public sealed class ProfileBasicsTests
{
    private static (CandidateProfile Profile, Validation Errors) Basics(IEnumerable<string?>? skills, string email = "Hanako@Example.JP")
    {
        var errors = new Validation();
        return (CandidateProfile.Basics(errors, "佐藤 花子", email, null, null, "13", "経理", skills), errors);
    }

    [Fact]
    public void Skills_AreTrimmed_BlanksDropped_AndEachKeptOnce_InTheOrderTyped()
    {
        var (profile, errors) = Basics([" 経理 ", "簿記2級", "", null, "経理", "Excel", "簿記2級 "]);
        Assert.True(errors.IsValid);
        Assert.Equal(["経理", "簿記2級", "Excel"], profile.Skills);
        Assert.Equal("hanako@example.jp", profile.Email);
    }

    [Fact]
    public void ALongListWithRepeats_KeepsTheFirstOfEach_InOrder()
    {
        // Past sixteen the check goes through a set: the answer must be the same as for a short list.
        var typed = Enumerable.Range(0, 40).Select(i => $"skill{i % 25}").ToArray();
        var (profile, errors) = Basics(typed);
        Assert.True(errors.IsValid);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"skill{i}"), profile.Skills);
        // Not only lists: any sequence of skills gives the same.
        Assert.Equal(profile.Skills, Basics(typed.Select(s => s)).Profile.Skills);
    }

    [Theory]
    [InlineData(51, 10, false)]
    [InlineData(50, 100, true)]
    [InlineData(1, 101, false)]
    public void MoreThanFiftySkills_OrOneLongerThanAHundred_IsRefused(int count, int length, bool valid)
    {
        var skills = Enumerable.Range(0, count).Select(i => i.ToString("D3") + new string('x', length - 3)).ToList<string?>();
        var (_, errors) = Basics(skills);
        Assert.Equal(valid, errors.IsValid);
        Assert.Equal(!valid, errors.Has("skills"));
    }

    [Fact]
    public void ASkillWithAControlCharacter_IsRefused()
    {
        var (_, errors) = Basics(["経理", "簿記\u00072級"]);
        Assert.True(errors.Has("skills"));
    }
}
