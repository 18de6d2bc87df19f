using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Matching;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// The person's side of education partners, from /me: naming their school and choosing what it may see; turning course suggestions
/// on or off; asking a provider about a course (what they send is their choice, recorded as a provision); answering a completion a
/// provider recorded — a confirmed one adds the course's skills to what they hold, with its source, and matching uses them.
/// </summary>
public sealed class MyEducation(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, PersonalDataCipher cipher, MatchIndexer matchIndex,
    SchoolOutcomes outcomes, PartnerSchools partnerSchools, MailOutbox outbox, PublicUrls urls, TimeProvider clock)
{
    public const int MaxMessage = 1000;

    /// <summary>What a person may send a provider: contact details from their profile and a message typed with the request.</summary>
    public static readonly string[] Sendable = [ProvisionItems.Name, ProvisionItems.Email, ProvisionItems.Phone, ProvisionItems.Message];

    public async Task<Result<bool>> SetSchoolAsync(string candidateId, SchoolChoice choice, string lang, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return ApiError.NotFound("candidate");
        var v = new Validation();
        var (school, other) = PartnerSchools.Check(v, choice, await partnerSchools.AllAsync(ct), outcomes.LastGraduationYear);
        if (!v.IsValid) return v.ToError(lang);

        var now = clock.GetUtcNow().UtcDateTime;
        var profile = opened.Profile with { School = school?.Name ?? other };
        var sealedProfile = vault.Seal(opened.DataKey, profile);
        await gate.RunAsync(db, async t =>
        {
            await LinkAsync(db, candidateId, school?.Id, choice, now, t);
            var candidate = await db.Candidates.FirstAsync(c => c.Id == candidateId, t);
            candidate.Profile = sealedProfile;
            candidate.UpdatedAt = now;
            return 0;
        }, ct);
        return true;
    }

    /// <summary>
    /// Saves the person's tie to a partner school (none: removed) with their consents, inside the caller's transaction; a name shared
    /// anew is a provision record. Used by /me and, for a school named at registration, when the person confirms it.
    /// </summary>
    internal static async Task LinkAsync(CareerRelayDb db, string candidateId, string? schoolId, SchoolChoice choice, DateTime now, CancellationToken ct)
    {
        var link = await db.SchoolLinks.FirstOrDefaultAsync(l => l.CandidateId == candidateId, ct);
        if (schoolId is null)
        {
            if (link is not null) db.SchoolLinks.Remove(link);
            return;
        }
        var nameBefore = link is { ShareName: true } && link.SchoolId == schoolId;
        var sharedBefore = link is { ShareOutcomes: true } && link.SchoolId == schoolId;
        if (link is null) db.SchoolLinks.Add(link = new SchoolLink { CandidateId = candidateId, SchoolId = schoolId });
        link.SchoolId = schoolId;
        link.GraduationYear = choice.GraduationYear;
        link.ShareOutcomes = choice.ShareOutcomes;
        link.ShareName = choice.ShareName;
        link.ConsentedAt = !choice.ShareOutcomes ? null : sharedBefore ? link.ConsentedAt ?? now : now;
        link.UpdatedAt = now;
        if (choice.ShareName && !nameBefore)
            db.ProvisionRecords.Add(new ProvisionRecord
            {
                Id = Ids.New(), CandidateId = candidateId, RecipientType = TenantRecipients.School, RecipientId = schoolId,
                Items = ProvisionItems.Join([ProvisionItems.Name]), Basis = ProvisionBasis.Consent, CreatedAt = now,
            });
    }

    public async Task<bool> SetSuggestionsAsync(string candidateId, bool on, CancellationToken ct) =>
        await gate.RunAsync(db, t => db.Candidates.Where(c => c.Id == candidateId).ExecuteUpdateAsync(s => s.SetProperty(c => c.CourseSuggestions, on), t), ct) > 0;

    /// <summary>
    /// 資料請求: the person sends a provider what they ticked (at least a way to reach them) about one open course. Sealed with their
    /// key, with a provision record, and the provider's contact is told (no personal data in that mail). Asking again answers the
    /// first request.
    /// </summary>
    public async Task<Result<CourseRequest>> RequestInfoAsync(string candidateId, string courseId, IReadOnlyList<string> send, string? message,
        string lang, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return ApiError.NotFound("candidate");
        var course = await db.Courses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == courseId, ct);
        if (course is null) return ApiError.NotFound("course");
        var existing = await db.CourseRequests.AsNoTracking().FirstOrDefaultAsync(r => r.CourseId == courseId && r.CandidateId == candidateId, ct);
        if (existing is not null) return existing;
        if (course.ClosedAt is not null) return EducationErrors.CourseClosed;

        var v = new Validation();
        var items = Sendable.Where(send.Contains).ToList();
        var text = items.Contains(ProvisionItems.Message) ? v.Optional("message", message, MaxMessage, multiline: true) : null;
        if (items.Contains(ProvisionItems.Message) && text is null && !v.Has("message")) v.Add("message", "Error.Required");
        if (items.Contains(ProvisionItems.Phone) && opened.Profile.Phone is null) v.Add("send", "Education.Error.NoPhone");
        if (!items.Contains(ProvisionItems.Email) && !items.Contains(ProvisionItems.Phone)) v.Add("send", "Education.Error.Contact");
        if (!v.IsValid) return v.ToError(lang);

        var p = opened.Profile;
        var details = new SentDetails(items.Contains(ProvisionItems.Name) ? p.Name : null, items.Contains(ProvisionItems.Email) ? p.Email : null,
            items.Contains(ProvisionItems.Phone) ? p.Phone : null, text);
        var now = clock.GetUtcNow().UtcDateTime;
        var request = new CourseRequest
        {
            Id = Ids.New(), CourseId = course.Id, ProviderId = course.ProviderId, CandidateId = candidateId, Items = ProvisionItems.Join(items),
            Details = cipher.SealJson(opened.DataKey, details), CreatedAt = now,
        };
        var provider = await db.EducationPartners.AsNoTracking().FirstAsync(x => x.Id == course.ProviderId, ct);
        try
        {
            await gate.RunAsync(db, _ =>
            {
                db.CourseRequests.Add(request);
                db.ProvisionRecords.Add(new ProvisionRecord
                {
                    Id = Ids.New(), CandidateId = candidateId, RecipientType = TenantRecipients.Provider, RecipientId = course.ProviderId,
                    Items = request.Items, Basis = ProvisionBasis.Consent, CreatedAt = now,
                });
                outbox.Enqueue(db, null, null, "provider-request", new MailContent(provider.ContactEmail,
                    Texts.Format("Mail.CourseRequest.Subject", Lang.Japanese, course.Title),
                    Texts.Format("Mail.CourseRequest.Body", Lang.Japanese, course.Title, urls.To("/provider/requests")), Lang.Japanese), now);
                return Task.FromResult(0);
            }, ct);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            return await db.CourseRequests.AsNoTracking().FirstAsync(r => r.CourseId == courseId && r.CandidateId == candidateId, ct); // a double click
        }
        return request;
    }

    /// <summary>
    /// The person answers a completion a provider recorded. Confirmed: the course joins their profile's completed courses, so its skills
    /// count as held — shown to agencies as 「受講修了: course, provider」 and used by matching from now on. Declined: nothing counts.
    /// False when there is no such waiting completion of theirs.
    /// </summary>
    public async Task<bool> AnswerCompletionAsync(string candidateId, string requestId, bool confirm, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return false;
        var row = await (from r in db.CourseRequests.AsNoTracking()
                         join c in db.Courses on r.CourseId equals c.Id
                         join p in db.EducationPartners on r.ProviderId equals p.Id
                         where r.Id == requestId && r.CandidateId == candidateId && r.CompletionRecordedAt != null
                             && r.CompletionConfirmedAt == null && r.CompletionDeclinedAt == null
                         select new { Request = r, Course = c, Provider = p.Name }).FirstOrDefaultAsync(ct);
        if (row is null) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        var completed = new CompletedCourse(row.Request.Id, row.Course.Title, row.Provider, row.Course.Skills, row.Request.CompletedOn!.Value);
        var profile = opened.Profile with { CompletedCourses = [.. (opened.Profile.CompletedCourses ?? []).Where(c => c.RequestId != requestId), completed] };
        var sealedProfile = confirm ? vault.Seal(opened.DataKey, profile) : null;
        var answered = await gate.RunAsync(db, async t =>
        {
            var changed = await db.CourseRequests.Where(r => r.Id == requestId && r.CompletionConfirmedAt == null && r.CompletionDeclinedAt == null)
                .ExecuteUpdateAsync(s =>
                {
                    if (confirm) s.SetProperty(r => r.CompletionConfirmedAt, now);
                    else s.SetProperty(r => r.CompletionDeclinedAt, now);
                }, t);
            if (changed == 0 || sealedProfile is null) return changed > 0;
            var candidate = await db.Candidates.FirstAsync(c => c.Id == candidateId, t);
            candidate.Profile = sealedProfile;
            candidate.UpdatedAt = now;
            return true;
        }, ct);
        if (answered && confirm) matchIndex.Forget(candidateId); // other nodes follow candidates.updated_at
        return answered;
    }

    /// <summary>What /me shows: the school part, suggestions (only when turned on), the requests sent and where their completions stand.</summary>
    public async Task<MeEducationView> ViewAsync(string candidateId, CandidateProfile profile, bool suggestionsOn,
        IReadOnlyList<JobRecommendations.Recommendation> recommended, string lang, CancellationToken ct)
    {
        var schools = await partnerSchools.AllAsync(ct);
        var link = await db.SchoolLinks.AsNoTracking().FirstOrDefaultAsync(l => l.CandidateId == candidateId, ct);
        var requests = await (from r in db.CourseRequests.AsNoTracking()
                              join c in db.Courses on r.CourseId equals c.Id
                              join p in db.EducationPartners on r.ProviderId equals p.Id
                              where r.CandidateId == candidateId
                              orderby r.CreatedAt descending
                              select new { r, c.Title, p.Name }).ToListAsync(ct);
        IReadOnlyList<CourseSuggestions.Suggestion> suggestions = [];
        IReadOnlyList<CourseSuggestions.Gap> gaps = [];
        if (suggestionsOn && recommended.Count > 0)
        {
            var person = CandidateFeatures.From(candidateId, profile);
            var jobs = recommended.Select(r => r.Job).ToList();
            gaps = CourseSuggestions.Gaps(person, jobs);
            var courses = (await (from c in db.Courses.AsNoTracking()
                                  join p in db.EducationPartners on c.ProviderId equals p.Id
                                  where c.ClosedAt == null
                                  orderby c.CreatedAt descending
                                  select new { c, p.Name }).Take(2000).ToListAsync(ct)).Select(x => (x.c, x.Name)).ToList();
            suggestions = CourseSuggestions.Rank(person, jobs, courses, lang);
        }
        return new MeEducationView(schools, link, link is null ? profile.School : null, suggestionsOn, suggestions, gaps,
            [.. requests.Select(x => new MyCourseRequest(x.r.Id, x.r.CourseId, x.Title, x.Name, ProvisionItems.Split(x.r.Items), x.r.CreatedAt,
                CompletionStates.Of(x.r), x.r.CompletedOn))],
            profile.CompletedCourses ?? [], outcomes.LastGraduationYear) { HasRecommendations = recommended.Count > 0 };
    }

    /// <summary>What the person's data export holds of schools and providers: their school tie and consents, whether suggestions are on,
    /// and each request with exactly what they sent and where its completion stands.</summary>
    internal static async Task<ExportedEducation> ExportAsync(CareerRelayDb db, string candidateId, byte[] dataKey, bool suggestionsOn, CancellationToken ct)
    {
        var school = await (from l in db.SchoolLinks
                            join p in db.EducationPartners on l.SchoolId equals p.Id
                            where l.CandidateId == candidateId
                            select new ExportedSchool(p.Name, l.GraduationYear, l.ShareOutcomes, l.ShareName, l.ConsentedAt)).FirstOrDefaultAsync(ct);
        var rows = await (from r in db.CourseRequests
                          join c in db.Courses on r.CourseId equals c.Id
                          join p in db.EducationPartners on r.ProviderId equals p.Id
                          where r.CandidateId == candidateId
                          orderby r.CreatedAt
                          select new { r, c.Title, p.Name }).ToListAsync(ct);
        return new ExportedEducation(school, suggestionsOn, [.. rows.Select(x => new ExportedCourseRequest(x.r.Id, x.Title, x.Name,
            System.Text.Json.JsonSerializer.Deserialize<SentDetails>(PersonalDataCipher.Open(dataKey, x.r.Details))!, x.r.CreatedAt, CompletionStates.Of(x.r), x.r.CompletedOn))]);
    }

    /// <summary>
    /// Erasure: the person leaves every partner — their school tie and their requests (with what they sent) go. The partners that
    /// received personal data are told by mail, without any, so they delete what they kept: a provider by the request (its id,
    /// course and day), a school that saw their name as "one of the graduates who shared their name".
    /// </summary>
    internal static async Task EraseAsync(CareerRelayDb db, MailOutbox outbox, string candidateId, DateTime now, CancellationToken ct)
    {
        var requests = await (from r in db.CourseRequests
                              join c in db.Courses on r.CourseId equals c.Id
                              join p in db.EducationPartners on r.ProviderId equals p.Id
                              where r.CandidateId == candidateId
                              select new { r.Id, c.Title, r.CreatedAt, p.ContactEmail }).ToListAsync(ct);
        foreach (var r in requests)
            outbox.Enqueue(db, null, null, "provider-request-erased", new MailContent(r.ContactEmail, Texts.Get("Mail.RequestErased.Subject", Lang.Japanese),
                Texts.Format("Mail.RequestErased.Body", Lang.Japanese, r.Title, DateOnly.FromDateTime(r.CreatedAt + Companies.CompanyActivity.JapanOffset).ToString("yyyy-MM-dd"), r.Id), Lang.Japanese), now);
        var namedTo = await (from l in db.SchoolLinks
                             join p in db.EducationPartners on l.SchoolId equals p.Id
                             where l.CandidateId == candidateId && l.ShareName
                             select p.ContactEmail).ToListAsync(ct);
        foreach (var contact in namedTo)
            outbox.Enqueue(db, null, null, "school-graduate-erased", new MailContent(contact, Texts.Get("Mail.GraduateErased.Subject", Lang.Japanese),
                Texts.Get("Mail.GraduateErased.Body", Lang.Japanese), Lang.Japanese), now);
        await db.SchoolLinks.Where(l => l.CandidateId == candidateId).ExecuteDeleteAsync(ct);
        await db.CourseRequests.Where(r => r.CandidateId == candidateId).ExecuteDeleteAsync(ct);
    }
}

/// <summary>The recipient types of provision records made here (beside <c>agency</c> and <c>company</c>).</summary>
public static class TenantRecipients
{
    public const string School = "school";
    public const string Provider = "provider";
}

public sealed record SchoolChoice(string? SchoolId, string? OtherName, int? GraduationYear, bool ShareOutcomes, bool ShareName);
public sealed record SchoolOption(string Id, string Name, string Kind);
public sealed record MyCourseRequest(string Id, string CourseId, string CourseTitle, string ProviderName, IReadOnlyList<string> Sent, DateTime CreatedAt,
    string Completion, DateOnly? CompletedOn);

public sealed record ExportedSchool(string School, int? GraduationYear, bool ShareOutcomes, bool ShareName, DateTime? ConsentedAt);
public sealed record ExportedCourseRequest(string Id, string Course, string Provider, SentDetails Sent, DateTime CreatedAt, string Completion, DateOnly? CompletedOn);
/// <summary>The education part of the person's data export.</summary>
public sealed record ExportedEducation(ExportedSchool? School, bool CourseSuggestions, IReadOnlyList<ExportedCourseRequest> CourseRequests);

/// <summary>The education part of /me.</summary>
public sealed record MeEducationView(IReadOnlyList<SchoolOption> Schools, SchoolLink? Link, string? OtherSchool, bool SuggestionsOn,
    IReadOnlyList<CourseSuggestions.Suggestion> Suggestions, IReadOnlyList<CourseSuggestions.Gap> Gaps, IReadOnlyList<MyCourseRequest> Requests,
    IReadOnlyList<CompletedCourse> Completed, int LastGraduationYear)
{
    /// <summary>Jobs are recommended to them (with none, there is no gap to close yet).</summary>
    public bool HasRecommendations { get; init; }
}
