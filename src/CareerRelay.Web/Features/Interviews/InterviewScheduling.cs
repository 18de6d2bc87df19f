using System.Globalization;
using System.Text.RegularExpressions;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Agencies;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Messages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Interviews;

/// <summary>
/// 面談 scheduling: the agency proposes 1–5 times (JST, in the future, on Japanese business days unless it allows any day), the
/// person picks one on /me or asks for others, the agency reschedules or cancels. The person and the agency's organiser get an
/// iCalendar invitation when a time is chosen (<see cref="InterviewCalendar"/>), a cancellation when a chosen one is cancelled,
/// and a reminder the day before at 18:00 JST (<see cref="InterviewReminders"/>). A proposal is the agency's first contact when
/// nothing came before; the chosen time goes into the pipeline as 面談.
/// </summary>
public sealed class InterviewScheduling(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, AgencyWork work, PersonNotices notices,
    MailOutbox outbox, Infrastructure.Webhooks.WebhookOutbox webhooks, PublicUrls urls, TimeProvider clock)
{
    public const int MaxSlots = 5;
    public const int MaxPlace = 300;
    public static readonly TimeSpan ShortestSlot = TimeSpan.FromMinutes(15), LongestSlot = TimeSpan.FromHours(4);
    public static readonly TimeSpan FurthestAhead = TimeSpan.FromDays(180);

    public static ApiError NotOpen => new(409, ProblemCodes.InvalidState, "Interview not open", "The interview was cancelled or its time already chosen.");
    public static ApiError SlotPast => new(409, ProblemCodes.InvalidState, "Time passed", "That time has passed; choose another or ask for other times.");

    public async Task<Result<InterviewItem>> ProposeAsync(string agencyId, string actor, string organizerEmail, string candidateId, InterviewRequest body,
        CancellationToken ct)
    {
        var v = new Validation();
        var now = clock.GetUtcNow().UtcDateTime;
        var slots = CheckSlots(v, body.Slots, body.AnyDay == true, now);
        var mode = v.Required("mode", body.Mode, 20);
        if (mode.Length > 0 && !InterviewModes.All.Contains(mode)) v.Add("mode", "Error.OneOf", string.Join(", ", InterviewModes.All));
        var place = mode == InterviewModes.InPerson ? v.Required("place", body.Place, MaxPlace) : v.Optional("place", body.Place, MaxPlace);
        if (!v.IsValid) return v.ToError();
        if (!await work.SeesCandidateAsync(agencyId, candidateId, ct)) return ApiError.NotFound("candidate");
        if (await Conversations.IsBlockedAsync(db, agencyId, candidateId, ct)) return Conversations.Blocked;

        var interview = new Interview
        {
            Id = Ids.New(), AgencyId = agencyId, CandidateId = candidateId, Status = InterviewStatus.Proposed, Mode = mode, Place = place,
            ProposedBy = actor, OrganizerEmail = organizerEmail, CreatedAt = now, UpdatedAt = now,
        };
        var rows = slots.Select(s => new InterviewSlot { Id = Ids.New(), InterviewId = interview.Id, StartAt = s.Start, EndAt = s.End }).ToList();
        var agencyName = await AgencyNameAsync(agencyId, ct);
        await gate.RunAsync(db, async t =>
        {
            db.Interviews.Add(interview);
            db.InterviewSlots.AddRange(rows);
            await work.MarkFirstContactAsync(agencyId, candidateId, actor, now, t);
            await TellTimesAsync(interview, rows, agencyName, InterviewNotices.Proposed, t);
            return 0;
        }, ct);
        return ToItem(interview, rows);
    }

    public async Task<Result<InterviewItem>> RescheduleAsync(string agencyId, string interviewId, RescheduleRequest body, CancellationToken ct)
    {
        var v = new Validation();
        var now = clock.GetUtcNow().UtcDateTime;
        var slots = CheckSlots(v, body.Slots, body.AnyDay == true, now);
        if (!v.IsValid) return v.ToError();
        var seen = await db.Interviews.AsNoTracking().FirstOrDefaultAsync(i => i.Id == interviewId && i.AgencyId == agencyId, ct);
        if (seen is null || !await work.SeesCandidateAsync(agencyId, seen.CandidateId, ct)) return ApiError.NotFound("interview");
        var rows = slots.Select(s => new InterviewSlot { Id = Ids.New(), InterviewId = seen.Id, StartAt = s.Start, EndAt = s.End }).ToList();
        var agencyName = await AgencyNameAsync(agencyId, ct);
        var done = await gate.RunAsync(db, async t =>
        {
            if (await ClaimAsync(seen, [InterviewStatus.Proposed, InterviewStatus.OtherTimes, InterviewStatus.Scheduled], now, t) is not { } interview) return null;
            await db.InterviewSlots.Where(s => s.InterviewId == interview.Id).ExecuteDeleteAsync(t);
            db.InterviewSlots.AddRange(rows);
            // The calendar entry (if any) keeps its UID; the next invitation, once a new time is chosen, replaces it.
            interview.Sequence++;
            interview.Status = InterviewStatus.Proposed;
            interview.ChosenSlotId = null;
            interview.RemindAt = null;
            interview.RemindedAt = null;
            await TellTimesAsync(interview, rows, agencyName, InterviewNotices.Rescheduled, t);
            return interview;
        }, ct);
        return done is null ? NotOpen : ToItem(done, rows);
    }

    public async Task<Result<InterviewItem>> CancelAsync(string agencyId, string interviewId, CancellationToken ct)
    {
        var seen = await db.Interviews.AsNoTracking().FirstOrDefaultAsync(i => i.Id == interviewId && i.AgencyId == agencyId, ct);
        if (seen is null || !await work.SeesCandidateAsync(agencyId, seen.CandidateId, ct)) return ApiError.NotFound("interview");
        var slots = await db.InterviewSlots.AsNoTracking().Where(s => s.InterviewId == seen.Id).OrderBy(s => s.StartAt).ToListAsync(ct);
        if (seen.Status == InterviewStatus.Cancelled) return ToItem(seen, slots);
        var now = clock.GetUtcNow().UtcDateTime;
        var agencyName = await AgencyNameAsync(agencyId, ct);
        var done = await gate.RunAsync(db, async t =>
        {
            if (await ClaimAsync(seen, [InterviewStatus.Proposed, InterviewStatus.OtherTimes, InterviewStatus.Scheduled], now, t) is not { } interview) return null;
            var chosen = slots.FirstOrDefault(s => s.Id == interview.ChosenSlotId);
            interview.Status = InterviewStatus.Cancelled;
            interview.Sequence++;
            interview.RemindAt = null;
            if (interview.Invited && chosen is not null) await SendCalendarAsync(interview, chosen, "CANCEL", agencyName, now, t);
            else await TellTimesAsync(interview, slots, agencyName, InterviewNotices.Cancelled, t);
            return interview;
        }, ct);
        return done is null ? NotOpen : ToItem(done, slots);
    }

    /// <summary>
    /// Takes the interview for one change inside the caller's transaction: only while nobody changed it since it was read (its
    /// UpdatedAt) and it is in one of <paramref name="from"/>. The row, tracked — or null when another request won (two
    /// choices at once, a cancellation racing a choice); the loser changes nothing and sends nothing.
    /// </summary>
    private async Task<Interview?> ClaimAsync(Interview seen, string[] from, DateTime now, CancellationToken ct)
    {
        var claimed = await db.Interviews.Where(i => i.Id == seen.Id && i.UpdatedAt == seen.UpdatedAt && from.Contains(i.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UpdatedAt, now), ct);
        return claimed == 0 ? null : await db.Interviews.FirstAsync(i => i.Id == seen.Id, ct);
    }

    public async Task<IReadOnlyList<InterviewItem>> ForAgencyAsync(string agencyId, string candidateId, CancellationToken ct) =>
        await ItemsAsync(db.Interviews.Where(i => i.AgencyId == agencyId && i.CandidateId == candidateId), ct);

    /// <summary>The person's interviews with an agency's name each, newest first.</summary>
    public async Task<IReadOnlyList<(InterviewItem Interview, string AgencyName)>> ForPersonAsync(string candidateId, CancellationToken ct)
    {
        var items = await ItemsAsync(db.Interviews.Where(i => i.CandidateId == candidateId), ct);
        var agencies = await db.Interviews.Where(i => i.CandidateId == candidateId).Join(db.Agencies, i => i.AgencyId, a => a.Id, (i, a) => new { i.Id, a.Name })
            .ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        return [.. items.Select(i => (i, agencies[i.Id]))];
    }

    /// <summary>The person picks one of the proposed times: the invitation goes to both sides and the pipeline records 面談.</summary>
    public async Task<Result<InterviewItem>> ChooseAsync(string candidateId, string interviewId, string? slotId, CancellationToken ct)
    {
        var seen = await db.Interviews.AsNoTracking().FirstOrDefaultAsync(i => i.Id == interviewId && i.CandidateId == candidateId, ct);
        if (seen is null) return ApiError.NotFound("interview");
        if (!await work.SeesCandidateAsync(seen.AgencyId, candidateId, ct)) return Conversations.Closed;
        if (seen.Status is not (InterviewStatus.Proposed or InterviewStatus.OtherTimes)) return NotOpen;
        var slots = await db.InterviewSlots.AsNoTracking().Where(s => s.InterviewId == seen.Id).OrderBy(s => s.StartAt).ToListAsync(ct);
        var slot = slots.FirstOrDefault(s => s.Id == slotId);
        if (slot is null) return ApiError.Invalid("slotId", "Interview.Error.Slot");
        var now = clock.GetUtcNow().UtcDateTime;
        if (slot.StartAt <= now) return SlotPast;
        var agencyName = await AgencyNameAsync(seen.AgencyId, ct);
        var key = await db.CandidateKeys.AsNoTracking().FirstAsync(k => k.CandidateId == candidateId, ct);
        // The note is read in either language: the time in figures only (the entry itself says 面談 / Interviewed).
        var note = PersonalDataCipher.Seal(vault.Unwrap(key), System.Text.Encoding.UTF8.GetBytes(InterviewTimes.Figures(slot)));
        var done = await gate.RunAsync(db, async t =>
        {
            if (await ClaimAsync(seen, [InterviewStatus.Proposed, InterviewStatus.OtherTimes], now, t) is not { } interview) return null;
            interview.Status = InterviewStatus.Scheduled;
            interview.ChosenSlotId = slot.Id;
            interview.Invited = true;
            var remindAt = InterviewTimes.ReminderFor(slot.StartAt);
            // Chosen after the reminder's moment: the invitation that just arrived is the reminder.
            (interview.RemindAt, interview.RemindedAt) = remindAt > now ? (remindAt, (DateTime?)null) : (remindAt, now);
            await work.RecordInterviewAsync(interview.AgencyId, candidateId, interview.ProposedBy, note, now, t);
            await SendCalendarAsync(interview, slot, "REQUEST", agencyName, now, t);
            await webhooks.EnqueueAsync(db, "agency", interview.AgencyId, Infrastructure.Webhooks.AgencyEvents.InterviewAnswered,
                new { candidateId, interviewId = interview.Id, status = InterviewStatus.Scheduled, slotId = slot.Id }, t);
            return interview;
        }, ct);
        return done is null ? NotOpen : ToItem(done, slots);
    }

    /// <summary>None of the times suits the person: the agency is told (mail and webhook) and proposes others.</summary>
    public async Task<Result<InterviewItem>> AskOtherTimesAsync(string candidateId, string interviewId, CancellationToken ct)
    {
        var seen = await db.Interviews.AsNoTracking().FirstOrDefaultAsync(i => i.Id == interviewId && i.CandidateId == candidateId, ct);
        if (seen is null) return ApiError.NotFound("interview");
        if (!await work.SeesCandidateAsync(seen.AgencyId, candidateId, ct)) return Conversations.Closed;
        var slots = await db.InterviewSlots.AsNoTracking().Where(s => s.InterviewId == seen.Id).OrderBy(s => s.StartAt).ToListAsync(ct);
        if (seen.Status == InterviewStatus.OtherTimes) return ToItem(seen, slots); // asked already: once is enough
        var now = clock.GetUtcNow().UtcDateTime;
        var done = await gate.RunAsync(db, async t =>
        {
            if (await ClaimAsync(seen, [InterviewStatus.Proposed], now, t) is not { } interview) return null;
            interview.Status = InterviewStatus.OtherTimes;
            outbox.Enqueue(db, null, null, "agency-interview-other-times", new MailContent(interview.OrganizerEmail, Texts.Get("Mail.InterviewOtherTimes.Subject", Lang.Japanese),
                Texts.Format("Mail.InterviewOtherTimes.Body", Lang.Japanese, candidateId, urls.To($"/agency/candidates/{candidateId}#interviews")), Lang.Japanese), now);
            await webhooks.EnqueueAsync(db, "agency", interview.AgencyId, Infrastructure.Webhooks.AgencyEvents.InterviewAnswered,
                new { candidateId, interviewId = interview.Id, status = InterviewStatus.OtherTimes, slotId = (string?)null }, t);
            return interview;
        }, ct);
        return done is null ? NotOpen : ToItem(done, slots);
    }

    /// <summary>The person's confirmed interview as the calendar file their invitation carried (null: not theirs, or not confirmed).</summary>
    public async Task<string?> CalendarFileAsync(string candidateId, string interviewId, string lang, CancellationToken ct)
    {
        var interview = await db.Interviews.AsNoTracking().FirstOrDefaultAsync(i => i.Id == interviewId && i.CandidateId == candidateId && i.Status == InterviewStatus.Scheduled, ct);
        var slot = interview is null ? null : await db.InterviewSlots.AsNoTracking().FirstOrDefaultAsync(s => s.Id == interview.ChosenSlotId, ct);
        var opened = slot is null ? null : await vault.OpenAsync(db, candidateId, ct);
        if (interview is null || slot is null || opened is null) return null;
        var agencyName = await AgencyNameAsync(interview.AgencyId, ct);
        var said = Said(opened.Profile, lang, InterviewNotices.Invitation, agencyName, InterviewTimes.Format(slot, lang), interview);
        return InterviewCalendar.Build(interview, slot, "REQUEST", Texts.Format("Interview.Summary", lang, agencyName), said.Mail.Body, agencyName,
            opened.Profile.Name, opened.Profile.Email, interview.UpdatedAt, new Uri(urls.Base).Host).Ics;
    }

    /// <summary>The invitation (or cancellation) to the person — in their language, by mail even when they use LINE — and to the organiser.</summary>
    internal async Task SendCalendarAsync(Interview interview, InterviewSlot slot, string method, string agencyName, DateTime now, CancellationToken ct)
    {
        var host = new Uri(urls.Base).Host;
        var textKey = method == "CANCEL" ? InterviewNotices.Cancelled : InterviewNotices.Invitation;
        var opened = await vault.OpenAsync(db, interview.CandidateId, ct);
        if (opened is null) return;
        var profile = opened.Profile;
        await notices.TellAsync(interview.CandidateId, "candidate-interview", (lang, p) =>
        {
            var said = Said(p, lang, textKey, agencyName, InterviewTimes.Format(slot, lang), interview);
            var calendar = InterviewCalendar.Build(interview, slot, method, Texts.Format("Interview.Summary", lang, agencyName),
                said.Mail.Body, agencyName, p.Name, p.Email, now, host);
            return said with { Mail = said.Mail with { Calendar = calendar } };
        }, ct, mailAlso: true);
        var when = InterviewTimes.Format(slot, Lang.Japanese);
        var organizerBody = Texts.Format(method == "CANCEL" ? "Mail.InterviewOrganizer.CancelBody" : "Mail.InterviewOrganizer.Body", Lang.Japanese,
            interview.CandidateId, when, urls.To($"/agency/candidates/{interview.CandidateId}#interviews"));
        var organizerCalendar = InterviewCalendar.Build(interview, slot, method, Texts.Format("Interview.OrganizerSummary", Lang.Japanese, profile.Name),
            organizerBody, agencyName, profile.Name, profile.Email, now, host);
        // Sealed with the person's key: it names them, and their erasure drops it if it has not gone yet.
        outbox.Enqueue(db, interview.CandidateId, opened.DataKey, "agency-interview", new MailContent(interview.OrganizerEmail,
            Texts.Format(method == "CANCEL" ? "Mail.InterviewOrganizer.CancelSubject" : "Mail.InterviewOrganizer.Subject", Lang.Japanese, when),
            organizerBody, Lang.Japanese, Calendar: organizerCalendar), now);
    }

    private Task TellTimesAsync(Interview interview, IReadOnlyList<InterviewSlot> slots, string agencyName, string textKey, CancellationToken ct) =>
        notices.TellAsync(interview.CandidateId, "candidate-interview", (lang, profile) =>
            Said(profile, lang, textKey, agencyName, string.Join("\n", slots.Select(s => "・" + InterviewTimes.Format(s, lang))), interview), ct);

    /// <summary>A notice in the person's language: <c>Mail.{key}.Subject/Body</c> and <c>Line.{key}</c>.</summary>
    internal PersonNotices.Said Said(CandidateProfile profile, string lang, string textKey, string agencyName, string times, Interview? interview)
    {
        var link = urls.To("/me" + Lang.Query(lang) + "#interviews");
        var how = interview is null ? "" : Texts.Get($"Interview.Mode.{interview.Mode}", lang)
            + (interview.Place is not { } place ? "" : lang == Lang.English ? $" ({place})" : $"（{place}）");
        return new PersonNotices.Said(
            new MailContent(profile.Email, Texts.Format($"Mail.{textKey}.Subject", lang, agencyName), Texts.Format($"Mail.{textKey}.Body", lang, profile.Name, agencyName, times, how, link), lang),
            Texts.Format($"Line.{textKey}", lang, agencyName, times, link));
    }

    private Task<string> AgencyNameAsync(string agencyId, CancellationToken ct) => db.Agencies.Where(a => a.Id == agencyId).Select(a => a.Name).FirstAsync(ct);

    private async Task<IReadOnlyList<InterviewItem>> ItemsAsync(IQueryable<Interview> query, CancellationToken ct)
    {
        var interviews = await query.AsNoTracking().OrderByDescending(i => i.CreatedAt).Take(50).ToListAsync(ct);
        var ids = interviews.Select(i => i.Id).ToList();
        var slots = await db.InterviewSlots.AsNoTracking().Where(s => ids.Contains(s.InterviewId)).OrderBy(s => s.StartAt).ToListAsync(ct);
        return [.. interviews.Select(i => ToItem(i, [.. slots.Where(s => s.InterviewId == i.Id)]))];
    }

    private static InterviewItem ToItem(Interview i, IReadOnlyList<InterviewSlot> slots) =>
        new(i.Id, i.CandidateId, i.Status, i.Mode, i.Place, [.. slots.Select(s => new SlotItem(s.Id, InterviewTimes.Jst(s.StartAt), InterviewTimes.Jst(s.EndAt)))],
            i.ChosenSlotId, i.Sequence, i.CreatedAt);

    /// <summary>Each slot's start and end, checked into <paramref name="v"/> under <c>slots[i].start</c> / <c>slots[i].end</c>.</summary>
    private static List<(DateTime Start, DateTime End)> CheckSlots(Validation v, IReadOnlyList<SlotRequest>? slots, bool anyDay, DateTime now)
    {
        var result = new List<(DateTime, DateTime)>();
        if (slots is null || slots.Count is 0 or > MaxSlots)
        {
            v.Add("slots", "Interview.Error.SlotCount", MaxSlots);
            return result;
        }
        for (var i = 0; i < slots.Count; i++)
        {
            var start = InterviewTimes.Parse(slots[i]?.Start);
            var end = InterviewTimes.Parse(slots[i]?.End);
            if (start is null) v.Add($"slots[{i}].start", "Interview.Error.Time");
            if (end is null) v.Add($"slots[{i}].end", "Interview.Error.Time");
            if (start is null || end is null) continue;
            if (end - start < ShortestSlot || end - start > LongestSlot) v.Add($"slots[{i}].end", "Interview.Error.Length", (int)ShortestSlot.TotalMinutes, (int)LongestSlot.TotalHours);
            else if (start <= now) v.Add($"slots[{i}].start", "Interview.Error.Past");
            else if (start > now + FurthestAhead) v.Add($"slots[{i}].start", "Interview.Error.TooFar", (int)FurthestAhead.TotalDays);
            else if (!anyDay && !JapanCalendar.IsBusinessDay(DateOnly.FromDateTime(JapanCalendar.ToJst(start.Value))))
                v.Add($"slots[{i}].start", "Interview.Error.Holiday", DateOnly.FromDateTime(JapanCalendar.ToJst(start.Value)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            else if (result.Any(r => r.Item1 == start)) v.Add($"slots[{i}].start", "Interview.Error.Duplicate");
            else result.Add((start.Value, end.Value));
        }
        return result;
    }
}

/// <summary>Interview times: parsed from the API's strings, shown in JST in the reader's language.</summary>
public static partial class InterviewTimes
{
    /// <summary>ISO 8601 date and time; with <c>Z</c> or an offset as given, without one as JST. Null when it is not one.</summary>
    public static DateTime? Parse(string? value)
    {
        var text = value?.Trim() ?? "";
        if (text.Length is 0 or > 40) return null;
        if (WithOffset().IsMatch(text))
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at.UtcDateTime : null;
        return Local().IsMatch(text) && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? DateTime.SpecifyKind(local - JapanCalendar.Offset, DateTimeKind.Utc) : null;
    }

    public static DateTimeOffset Jst(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(JapanCalendar.Offset);

    /// <summary>2026/12/08(火) 10:00–11:00 / Tue 8 Dec 2026, 10:00–11:00 JST.</summary>
    public static string Format(InterviewSlot slot, string lang) => Format(Jst(slot.StartAt), Jst(slot.EndAt), lang);

    public static string Format(DateTimeOffset start, DateTimeOffset end, string lang)
    {
        return lang == Lang.English
            ? $"{start.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture)}–{end:HH:mm} JST"
            : $"{start.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)}({"日月火水木金土"[(int)start.DayOfWeek]}) {start:HH:mm}–{end:HH:mm}";
    }

    /// <summary>2026-12-10 15:00–15:45 JST: the same in every language.</summary>
    public static string Figures(InterviewSlot slot) =>
        $"{Jst(slot.StartAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}–{Jst(slot.EndAt).ToString("HH:mm", CultureInfo.InvariantCulture)} JST";

    /// <summary>The day before the interview (in JST), 18:00 JST.</summary>
    public static DateTime ReminderFor(DateTime startUtc)
    {
        var day = DateOnly.FromDateTime(JapanCalendar.ToJst(startUtc)).AddDays(-1);
        return DateTime.SpecifyKind(day.ToDateTime(new TimeOnly(18, 0)) - JapanCalendar.Offset, DateTimeKind.Utc);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")] private static partial Regex WithOffset();
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$")] private static partial Regex Local();
}
