using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// A training provider's work, the same for its API and its pages: publishing and closing courses, reading the requests people
/// sent (only what each chose to send; every read audited), and recording a completion, which the person then confirms on /me.
/// </summary>
public sealed class ProviderWork(CareerRelayDb db, DbWriteGate gate, PersonalDataCipher cipher, MailOutbox outbox, PublicUrls urls,
    TimeProvider clock)
{
    public const int MaxSkills = 20;

    public async Task<Result<Course>> CreateCourseAsync(string providerId, CourseRequestBody body, string lang, CancellationToken ct)
    {
        var v = new Validation();
        var title = v.Required("title", body.Title, 200);
        var description = v.Required("description", body.Description, 4000, multiline: true);
        var skills = v.Strings("skills", body.Skills, MaxSkills, 100);
        if (skills.Count == 0 && !v.Has("skills")) v.Add("skills", "Error.Required");
        if (body.Hours is not (>= 1 and <= 5000)) v.Add("hours", "Education.Error.Hours");
        if (body.PriceYen is not (>= 0 and <= 10_000_000)) v.Add("priceYen", "Education.Error.Price");
        var mode = body.Mode?.Trim() ?? "";
        if (!CourseModes.All.Contains(mode)) v.Add("mode", "Error.OneOf");
        var prefecture = string.IsNullOrWhiteSpace(body.Prefecture) ? null : body.Prefecture.Trim();
        if (prefecture is not null && !Prefectures.IsValid(prefecture)) v.Add("prefecture", "Error.Prefecture");
        // Where an in-person course is held is what makes it reachable or not; an online one has no place.
        if (mode == CourseModes.InPerson && prefecture is null && !v.Has("prefecture")) v.Add("prefecture", "Education.Error.PlaceRequired");
        if (!v.IsValid) return v.ToError(lang);

        var course = new Course
        {
            Id = Ids.New(), ProviderId = providerId, Title = title, Description = description, Skills = skills, Hours = body.Hours!.Value,
            PriceYen = body.PriceYen!.Value, Mode = mode, Prefecture = mode == CourseModes.InPerson ? prefecture : null,
            BenefitEligible = body.BenefitEligible == true, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await gate.RunAsync(db, _ =>
        {
            db.Courses.Add(course);
            return Task.FromResult(0);
        }, ct);
        return course;
    }

    public async Task<IReadOnlyList<CourseItem>> CoursesAsync(string providerId, CancellationToken ct)
    {
        var courses = await db.Courses.AsNoTracking().Where(c => c.ProviderId == providerId).OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(ct);
        var counts = await db.CourseRequests.Where(r => r.ProviderId == providerId).GroupBy(r => r.CourseId)
            .Select(g => new { g.Key, Requests = g.Count(), Completions = g.Count(r => r.CompletionConfirmedAt != null) }).ToDictionaryAsync(x => x.Key, ct);
        return [.. courses.Select(c => Item(c, counts.TryGetValue(c.Id, out var n) ? n.Requests : 0, counts.TryGetValue(c.Id, out var m) ? m.Completions : 0))];
    }

    public async Task<CourseItem?> CloseCourseAsync(string providerId, string courseId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, t => db.Courses.Where(c => c.Id == courseId && c.ProviderId == providerId && c.ClosedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedAt, now), t), ct);
        return (await CoursesAsync(providerId, ct)).FirstOrDefault(c => c.Id == courseId);
    }

    /// <summary>The requests people sent, newest first, each with only what that person chose to send. Every read is audited.</summary>
    public async Task<IReadOnlyList<CourseRequestItem>> RequestsAsync(string providerId, string actorId, CancellationToken ct)
    {
        var rows = await (from r in db.CourseRequests.AsNoTracking()
                          join c in db.Courses on r.CourseId equals c.Id
                          join k in db.CandidateKeys on r.CandidateId equals k.CandidateId
                          where r.ProviderId == providerId
                          orderby r.CreatedAt descending
                          select new { r, c.Title, k.WrappedKey }).Take(500).ToListAsync(ct);
        var items = rows.Select(x =>
        {
            var sent = cipher.OpenJson<SentDetails>(cipher.UnwrapKey(x.WrappedKey), x.r.Details);
            return new CourseRequestItem(x.r.Id, x.r.CourseId, x.Title, ProvisionItems.Split(x.r.Items), sent.Name, sent.Email, sent.Phone, sent.Message,
                x.r.CreatedAt, x.r.CompletedOn, CompletionStates.Of(x.r));
        }).ToList();
        await AuditLog.RecordAsync(db, gate, ActorTypes.Provider, actorId, AuditActions.CourseRequestsRead, rows.Select(x => x.r.CandidateId), clock.GetUtcNow().UtcDateTime, ct);
        return items;
    }

    /// <summary>
    /// The provider says the person completed the course on a day (not before they asked, not in the future). It counts once the person
    /// confirms on /me; they are mailed. A completion the person already answered cannot change.
    /// </summary>
    public async Task<Result<string>> RecordCompletionAsync(string providerId, string requestId, string? completedOn, string lang, CancellationToken ct)
    {
        var row = await (from r in db.CourseRequests.AsNoTracking()
                         join c in db.Courses on r.CourseId equals c.Id
                         join k in db.CandidateKeys on r.CandidateId equals k.CandidateId
                         join cand in db.Candidates on r.CandidateId equals cand.Id
                         where r.Id == requestId && r.ProviderId == providerId
                         select new { r, c.Title, k.WrappedKey, cand.Profile }).FirstOrDefaultAsync(ct);
        if (row is null) return ApiError.NotFound("request");
        if (row.r.CompletionConfirmedAt is not null || row.r.CompletionDeclinedAt is not null) return EducationErrors.CompletionSettled;
        var today = CompanyActivity.TodayInJapan(clock);
        var asked = DateOnly.FromDateTime(row.r.CreatedAt + CompanyActivity.JapanOffset);
        if (!DateOnly.TryParseExact(completedOn?.Trim(), "yyyy-MM-dd", out var day)) return ApiError.InvalidIn(lang, "completedOn", "Error.Date");
        if (day < asked || day > today) return ApiError.InvalidIn(lang, "completedOn", "Education.Error.CompletedOn", asked.ToString("yyyy-MM-dd"), today.ToString("yyyy-MM-dd"));

        var dataKey = cipher.UnwrapKey(row.WrappedKey);
        var person = cipher.OpenJson<CandidateProfile>(dataKey, row.Profile);
        var personLang = await db.Registrations.Where(r => r.CandidateId == row.r.CandidateId).OrderByDescending(r => r.CreatedAt).Select(r => r.Lang).FirstOrDefaultAsync(ct) ?? Lang.Japanese;
        var provider = await db.EducationPartners.Where(p => p.Id == providerId).Select(p => p.Name).FirstAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var recorded = await gate.RunAsync(db, async t =>
        {
            var changed = await db.CourseRequests.Where(r => r.Id == requestId && r.CompletionConfirmedAt == null && r.CompletionDeclinedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.CompletedOn, day).SetProperty(r => r.CompletionRecordedAt, now), t);
            if (changed > 0)
                outbox.Enqueue(db, row.r.CandidateId, dataKey, "course-completion", new MailContent(person.Email,
                    Texts.Get("Mail.Completion.Subject", personLang),
                    Texts.Format("Mail.Completion.Body", personLang, person.Name, provider, row.Title, urls.To("/me" + Lang.Query(personLang) + "#courses")), personLang), now);
            return changed > 0;
        }, ct);
        return recorded ? CompletionStates.Waiting : EducationErrors.CompletionSettled;
    }

    public static CourseItem Item(Course c, int requests, int completions) => new(c.Id, c.Title, c.Description, c.Skills, c.Hours, c.PriceYen, c.Mode,
        c.Prefecture, c.BenefitEligible, c.CreatedAt, c.ClosedAt, requests, completions);
}
