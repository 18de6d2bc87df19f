using CareerRelay.Web.Data;
using Microsoft.Extensions.Caching.Memory;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// The partner schools a person may name — on the relay landing page (cached with it) and at registration, so neither asks the
/// database each time: a minute old at most, and fresh at once on this node after the operator adds a school.
/// </summary>
public sealed class PartnerSchools(IServiceScopeFactory scopes, IMemoryCache cache)
{
    private long _generation;

    public void Invalidate() => Interlocked.Increment(ref _generation);

    public async Task<IReadOnlyList<SchoolOption>> AllAsync(CancellationToken ct) =>
        (await cache.GetOrCreateAsync(("partner-schools", Interlocked.Read(ref _generation)), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            return (IReadOnlyList<SchoolOption>)await db.EducationPartners.AsNoTracking().Where(p => p.Kind != EducationKinds.TrainingProvider)
                .OrderBy(p => p.Name).Select(p => new SchoolOption(p.Id, p.Name, p.Kind)).ToListAsync(ct);
        }))!;

    /// <summary>
    /// The one rule for naming a school (registration and /me): a partner picked from the list, or the person's own words; a 卒業年度
    /// from 1950 to six years ahead; outcomes shared only with a partner; a name only with outcomes, and never to a high school.
    /// </summary>
    /// <param name="otherField">The name of the own-words field in this form (the registration API calls it <c>school</c>).</param>
    /// <param name="shareField">The name of the outcomes box in this form (the registration API: <c>shareSchoolOutcomes</c>).</param>
    public static (SchoolOption? School, string? OtherName) Check(Validation v, SchoolChoice choice, IReadOnlyList<SchoolOption> schools, int lastYear,
        string otherField = "schoolName", string shareField = "shareOutcomes")
    {
        var schoolId = string.IsNullOrWhiteSpace(choice.SchoolId) ? null : choice.SchoolId.Trim();
        var school = schoolId is null ? null : schools.FirstOrDefault(s => s.Id == schoolId);
        if (schoolId is not null && school is null) v.Add("schoolId", "Error.Invalid");
        var other = school is null ? v.Optional(otherField, choice.OtherName, 200) : null;
        if (choice.GraduationYear is int year && (year < SchoolOutcomes.FirstGraduationYear || year > lastYear))
            v.Add("graduationYear", "Error.FiscalYear", SchoolOutcomes.FirstGraduationYear, lastYear);
        if (choice.ShareOutcomes && school is null && !v.Has("schoolId")) v.Add(shareField, "Education.Error.PartnerOnly");
        if (choice.ShareName && !choice.ShareOutcomes) v.Add("shareName", "Education.Error.NameNeedsOutcomes");
        else if (choice.ShareName && school is not null && !EducationKinds.MaySeeNames(school.Kind)) v.Add("shareName", "Education.Error.HighSchoolNames");
        return (school, other);
    }
}
