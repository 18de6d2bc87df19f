using System.Net;
using System.Text.Json;
using CareerRelay.Tests.Features.Messages;
using CareerRelay.Web.Features.Interviews;
using CareerRelay.Web.Infrastructure.Localization;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Interviews;

/// <summary>
/// 面談 scheduling end to end: proposed → chosen → both sides get an invitation that an independent parser (Python's
/// icalendar, from Debian) reads → rescheduled (same UID, SEQUENCE up) → cancelled (METHOD:CANCEL); the rules of times;
/// the reminder the day before at 18:00 JST; the pipeline's 面談 entry.
/// </summary>
public abstract class InterviewSchedulingTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    /// <summary>A business day at least two days ahead, <paramref name="hour"/>:00 JST, as the API takes it (with an offset).</summary>
    private (string Start, string End, DateTime StartUtc) Slot(int hour, int daysAhead = 2)
    {
        var at = JapanCalendar.NextBusinessDayAt(app.Clock.GetUtcNow().UtcDateTime.AddDays(daysAhead), new TimeOnly(hour, 0));
        var jst = new DateTimeOffset(at).ToOffset(TimeSpan.FromHours(9));
        return (jst.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), jst.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz"), at);
    }

    [Fact]
    public async Task Proposed_Chosen_Rescheduled_Cancelled_EachInvitationReadByAnIndependentParser()
    {
        var person = await People.RegisterAsync(app, _api, "高橋 美咲");
        var (s1, e1, _) = Slot(10);
        var (s2, e2, start2) = Slot(14);
        var (status, proposed) = await _api.PostAsync($"/api/v1/agency/candidates/{person.CandidateId}/interviews",
            new { slots = new[] { new { start = s1, end = e1 }, new { start = s2, end = e2 } }, mode = "online", place = "Zoom" }, person.Agency.Key);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("proposed", proposed!["status"]!.GetValue<string>());
        var slots = proposed["slots"]!.AsArray();
        Assert.Equal(2, slots.Count);
        Assert.EndsWith("+09:00", slots[0]!["start"]!.GetValue<string>());
        var interviewId = proposed["id"]!.GetValue<string>();

        // The proposal is the agency's first contact; the person is told, with the times, and has nothing to add to a calendar yet.
        var told = await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("面談日程のご提案", StringComparison.Ordinal));
        Assert.Contains(InterviewTimes.Format(new InterviewSlot { Id = "x", InterviewId = "x", StartAt = start2, EndAt = start2.AddHours(1) }, Lang.Japanese), told.Body);
        Assert.DoesNotContain("text/calendar", told.Raw);
        var (_, detail) = await _api.GetAsync($"/api/v1/agency/candidates/{person.CandidateId}", person.Agency.Key);
        Assert.NotNull(detail!["firstContactedAt"]);

        // The person chooses the second time: the invitation goes to them and to the agency (its contact, for an API key).
        var slot2 = slots[1]!["id"]!.GetValue<string>();
        var (chosen, answer) = await _api.PostAsync($"/api/v1/public/me/interviews/{interviewId}/choose", new { token = person.Me, slotId = slot2 });
        Assert.Equal(HttpStatusCode.OK, chosen);
        Assert.Equal("scheduled", answer!["status"]!.GetValue<string>());
        var invitation = await ReadCalendarAsync(await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("確定しました", StringComparison.Ordinal)));
        Assert.Equal("REQUEST", invitation.GetProperty("method").GetString());
        Assert.Equal("REQUEST", invitation.GetProperty("partMethod").GetString());
        Assert.Equal(0, invitation.GetProperty("sequence").GetInt32());
        Assert.Equal(start2, invitation.GetProperty("start").GetDateTime().ToUniversalTime());
        Assert.Equal("CONFIRMED", invitation.GetProperty("status").GetString());
        Assert.Equal("mailto:" + person.Email, invitation.GetProperty("attendee").GetString());
        Assert.Equal("invite.ics", invitation.GetProperty("attachment").GetString());
        var uid = invitation.GetProperty("uid").GetString()!;
        Assert.Contains(interviewId, uid);
        var organizerCopy = await ReadCalendarAsync(await app.Mail.WaitForAsync(person.AgencyContact, m => m.Subject.Contains("面談日時が確定", StringComparison.Ordinal)));
        Assert.Equal(uid, organizerCopy.GetProperty("uid").GetString());
        Assert.Equal("mailto:" + person.AgencyContact, organizerCopy.GetProperty("organizer").GetString());

        // The pipeline records 面談 with the chosen time.
        (_, detail) = await _api.GetAsync($"/api/v1/agency/candidates/{person.CandidateId}", person.Agency.Key);
        Assert.Equal("interviewed", detail!["stage"]!.GetValue<string>());
        var entry = detail["history"]!.AsArray().Last(h => h!["type"]!.GetValue<string>() == "interviewed")!;
        Assert.Contains(new DateTimeOffset(start2).ToOffset(TimeSpan.FromHours(9)).ToString("HH:mm"), entry["note"]!.GetValue<string>());

        // Choosing again, or a time of another interview, is refused without a change.
        Assert.Equal(HttpStatusCode.Conflict, (await _api.PostAsync($"/api/v1/public/me/interviews/{interviewId}/choose", new { token = person.Me, slotId = slot2 })).Status);

        // Rescheduled: new times; once the person chooses again the calendar entry is replaced — same UID, SEQUENCE 1.
        var (s3, e3, start3) = Slot(11, daysAhead: 4);
        var (rescheduled, again) = await _api.PostAsync($"/api/v1/agency/interviews/{interviewId}/reschedule", new { slots = new[] { new { start = s3, end = e3 } } }, person.Agency.Key);
        Assert.Equal(HttpStatusCode.OK, rescheduled);
        Assert.Equal(1, again!["sequence"]!.GetValue<int>());
        Assert.Null(again["chosenSlotId"]);
        await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("新しい候補日時", StringComparison.Ordinal));
        var before = app.Mail.All().Count(m => m.To == person.Email);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/public/me/interviews/{interviewId}/choose", new { token = person.Me, slotId = again["slots"]![0]!["id"]!.GetValue<string>() })).Status);
        var updated = await ReadCalendarAsync(await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("確定しました", StringComparison.Ordinal), after: before));
        Assert.Equal(uid, updated.GetProperty("uid").GetString());
        Assert.Equal(1, updated.GetProperty("sequence").GetInt32());
        Assert.Equal(start3, updated.GetProperty("start").GetDateTime().ToUniversalTime());

        // Cancelled: METHOD:CANCEL for the same UID with a higher SEQUENCE, to both.
        var (cancelled, gone) = await _api.PostAsync($"/api/v1/agency/interviews/{interviewId}/cancel", null, person.Agency.Key);
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal("cancelled", gone!["status"]!.GetValue<string>());
        var cancel = await ReadCalendarAsync(await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("取り消されました", StringComparison.Ordinal)));
        Assert.Equal("CANCEL", cancel.GetProperty("method").GetString());
        Assert.Equal(uid, cancel.GetProperty("uid").GetString());
        Assert.Equal(2, cancel.GetProperty("sequence").GetInt32());
        Assert.Equal("CANCELLED", cancel.GetProperty("status").GetString());
        Assert.Equal("CANCEL", (await ReadCalendarAsync(await app.Mail.WaitForAsync(person.AgencyContact, m => m.Subject.Contains("取り消しました", StringComparison.Ordinal)))).GetProperty("method").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await _api.PostAsync($"/api/v1/agency/interviews/{interviewId}/reschedule", new { slots = new[] { new { start = s3, end = e3 } } }, person.Agency.Key)).Status);
    }

    [Fact]
    public async Task Times_AreJst_InTheFuture_OnBusinessDays_UnlessTheAgencyAllowsAnyDay()
    {
        var person = await People.RegisterAsync(app, _api);
        var path = $"/api/v1/agency/candidates/{person.CandidateId}/interviews";
        async Task<(HttpStatusCode, System.Text.Json.Nodes.JsonNode?)> ProposeAsync(object slot, bool? anyDay = null, string mode = "online", string? place = null) =>
            await _api.PostAsync(path, new { slots = new[] { slot }, mode, place, anyDay }, person.Agency.Key);

        // 元日 2027 is a holiday (and 2027-01-11 成人の日, the second Monday): refused unless any day is allowed.
        var (holiday, problem) = await ProposeAsync(new { start = "2027-01-11T10:00", end = "2027-01-11T11:00" });
        Assert.Equal(HttpStatusCode.BadRequest, holiday);
        Assert.Contains("2027-01-11", problem!["errors"]!["slots[0].start"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await ProposeAsync(new { start = "2027-01-11T10:00", end = "2027-01-11T11:00" }, anyDay: true)).Item1);
        Assert.Equal(HttpStatusCode.BadRequest, (await ProposeAsync(new { start = "2027-01-10T10:00", end = "2027-01-10T11:00" })).Item1); // a Sunday
        // Without an offset a time is JST: 2027-01-12T10:00 is 01:00Z.
        var (_, created) = await ProposeAsync(new { start = "2027-01-12T10:00", end = "2027-01-12T11:00" });
        Assert.Equal("2027-01-12T10:00:00+09:00", created!["slots"]![0]!["start"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await ProposeAsync(new { start = "2027-01-12T01:00:00Z", end = "2027-01-12T02:00:00Z" })).Item1);

        var past = app.Clock.GetUtcNow().AddHours(-1).ToOffset(TimeSpan.FromHours(9));
        Assert.Equal(HttpStatusCode.BadRequest, (await ProposeAsync(new { start = past.ToString("yyyy-MM-dd'T'HH:mmzzz"), end = past.AddHours(1).ToString("yyyy-MM-dd'T'HH:mmzzz") }, anyDay: true)).Item1);
        Assert.Equal(HttpStatusCode.BadRequest, (await ProposeAsync(new { start = "2027-01-12T10:00", end = "2027-01-12T10:05" })).Item1); // 5 minutes
        Assert.Equal(HttpStatusCode.BadRequest, (await ProposeAsync(new { start = "tomorrow", end = "2027-01-12T10:05" })).Item1);
        Assert.Equal(HttpStatusCode.BadRequest, (await ProposeAsync(new { start = "2027-01-12T10:00", end = "2027-01-12T11:00" }, mode: "in_person")).Item1); // no place
        Assert.Equal(HttpStatusCode.Created, (await ProposeAsync(new { start = "2027-01-12T10:00", end = "2027-01-12T11:00" }, mode: "in_person", place: "東京都千代田区丸の内1-1 5階")).Item1);
        var six = Enumerable.Range(0, 6).Select(i => new { start = $"2027-01-1{3 + (i % 2)}T1{i}:00", end = $"2027-01-1{3 + (i % 2)}T1{i}:30" }).ToArray();
        var (tooMany, many) = await _api.PostAsync(path, new { slots = six, mode = "online" }, person.Agency.Key);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        Assert.NotNull(many!["errors"]!["slots"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync(path, new { slots = Array.Empty<object>(), mode = "online" }, person.Agency.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync(path, new { slots = new[] { new { start = "2027-01-12T10:00", end = "2027-01-12T11:00" } }, mode = "online" }, (await _api.CreateAgencyAsync()).Key)).Status);
    }

    [Fact]
    public async Task TwoChoicesAtOnce_OneWins_AndOneInvitationGoes()
    {
        var person = await People.RegisterAsync(app, _api);
        var (s1, e1, _) = Slot(10);
        var (s2, e2, _) = Slot(15);
        var (_, proposed) = await _api.PostAsync($"/api/v1/agency/candidates/{person.CandidateId}/interviews",
            new { slots = new[] { new { start = s1, end = e1 }, new { start = s2, end = e2 } }, mode = "online" }, person.Agency.Key);
        var id = proposed!["id"]!.GetValue<string>();
        var answers = await Task.WhenAll(proposed["slots"]!.AsArray().Select(slot =>
            app.Api().PostAsync($"/api/v1/public/me/interviews/{id}/choose", new { token = person.Me, slotId = slot!["id"]!.GetValue<string>() })));
        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Single(answers, a => a.Status == HttpStatusCode.Conflict);
        await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("確定しました", StringComparison.Ordinal));
        await Task.Delay(1000);
        Assert.Single(app.Mail.All(), m => m.To == person.Email && m.Subject.Contains("確定しました", StringComparison.Ordinal));
        Assert.Equal(1, await app.WithDbAsync(db => db.PipelineEvents.CountAsync(e => e.CandidateId == person.CandidateId && e.Type == "interviewed")));
    }

    [Fact]
    public async Task TheDayBefore_At18Jst_ThePersonAndTheOrganiserAreReminded_Once()
    {
        var person = await People.RegisterAsync(app, _api);
        var (start, end, startUtc) = Slot(10, daysAhead: 3);
        var (_, proposed) = await _api.PostAsync($"/api/v1/agency/candidates/{person.CandidateId}/interviews",
            new { slots = new[] { new { start, end } }, mode = "online" }, person.Agency.Key);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/public/me/interviews/{proposed!["id"]}/choose", new { token = person.Me, slotId = proposed["slots"]![0]!["id"]!.GetValue<string>() })).Status);

        var reminders = app.Service<InterviewReminders>();
        var remindAt = InterviewTimes.ReminderFor(startUtc);
        Assert.Equal(new TimeOnly(18, 0), TimeOnly.FromDateTime(JapanCalendar.ToJst(remindAt)));
        Assert.Equal(DateOnly.FromDateTime(JapanCalendar.ToJst(startUtc)).AddDays(-1), DateOnly.FromDateTime(JapanCalendar.ToJst(remindAt)));
        app.Clock.MoveForwardTo(new DateTimeOffset(remindAt.AddMinutes(-1), TimeSpan.Zero));
        await reminders.RunOnceAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == person.Email && m.Subject.Contains("明日は", StringComparison.Ordinal));

        app.Clock.MoveForwardTo(new DateTimeOffset(remindAt, TimeSpan.Zero));
        await reminders.RunOnceAsync(CancellationToken.None);
        await reminders.RunOnceAsync(CancellationToken.None);
        var reminder = await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("明日は", StringComparison.Ordinal));
        Assert.Contains("10:00", reminder.Body);
        await app.Mail.WaitForAsync(person.AgencyContact, m => m.Subject.Contains("明日の面談", StringComparison.Ordinal));
        await Task.Delay(500);
        Assert.Single(app.Mail.All(), m => m.To == person.Email && m.Subject.Contains("明日は", StringComparison.Ordinal));
        // Found running the app: the job's batch was taken without an order (EF warns; the batch was arbitrary).
        Assert.DoesNotContain(app.Logs, l => l.Contains("row limiting operator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnAPhoneSizedPage_ThePersonPicksATime_OrAsksForOthers_AndTheWorkspaceProposesAndCancels()
    {
        var person = await People.RegisterAsync(app, _api, "伊藤 葵");
        var (workspace, _) = await SignInAsync(app, person.AgencyContact, "/agency");
        var page = await workspace.GetStringAsync($"/agency/candidates/{person.CandidateId}");
        var (_, _, startUtc) = Slot(13);
        var jst = new DateTimeOffset(startUtc).ToOffset(TimeSpan.FromHours(9));

        // A refused proposal (a Sunday) comes back with the typed rows and the problem beside the row.
        var refused = await workspace.PostAsync($"/agency/candidates/{person.CandidateId}/interviews", Form(page, ("mode", "online"), ("place", ""),
            ("slot0.date", "2027-01-10"), ("slot0.start", "10:00"), ("slot0.end", "11:00")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Contains("土日・祝日", refusedPage);
        Assert.Contains("value=\"2027-01-10\"", refusedPage);

        var proposed = await workspace.PostAsync($"/agency/candidates/{person.CandidateId}/interviews", Form(page, ("mode", "online"), ("place", "Google Meet"),
            ("slot0.date", jst.ToString("yyyy-MM-dd")), ("slot0.start", jst.ToString("HH:mm")), ("slot0.end", jst.AddHours(1).ToString("HH:mm"))));
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        var organizer = await app.WithDbAsync(db => db.Interviews.Where(i => i.CandidateId == person.CandidateId).Select(i => i.OrganizerEmail).FirstAsync());
        Assert.Equal(person.AgencyContact, organizer); // the signed-in user proposed: their copy goes to them

        var me = await CandidateAsync(app, _api, person.Email);
        var mePage = await me.GetStringAsync("/me");
        Assert.Contains("data-status=\"proposed\"", mePage);
        var interviewId = System.Text.RegularExpressions.Regex.Match(mePage, "data-interview-id=\"([0-9a-f]+)\"").Groups[1].Value;
        var slotId = System.Text.RegularExpressions.Regex.Match(mePage, "name=\"slotId\" value=\"([0-9a-f]+)\"").Groups[1].Value;
        var noChoice = await me.PostAsync($"/me/interviews/{interviewId}/choose", Form(mePage));
        Assert.Equal(HttpStatusCode.BadRequest, noChoice.StatusCode);
        Assert.Contains("候補の中から日時を選んでください", await noChoice.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await me.PostAsync($"/me/interviews/{interviewId}/other-times", Form(mePage))).StatusCode);
        await app.Mail.WaitForAsync(person.AgencyContact, m => m.Subject.Contains("別の日時", StringComparison.Ordinal));
        mePage = await me.GetStringAsync("/me");
        Assert.Contains("data-status=\"other_times\"", mePage);
        var picked = await me.PostAsync($"/me/interviews/{interviewId}/choose", Form(mePage, ("slotId", slotId)));
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        mePage = await me.GetStringAsync("/me");
        Assert.Contains("data-status=\"scheduled\"", mePage);
        var ics = await me.GetStringAsync($"/me/interviews/{interviewId}/calendar.ics");
        Assert.Contains("METHOD:REQUEST", ics);

        page = await workspace.GetStringAsync($"/agency/candidates/{person.CandidateId}");
        Assert.Contains("data-status=\"scheduled\"", page);
        Assert.Equal(HttpStatusCode.Redirect, (await workspace.PostAsync($"/agency/interviews/{interviewId}/cancel", Form(page))).StatusCode);
        Assert.Contains("data-status=\"cancelled\"", await me.GetStringAsync("/me"));
        Assert.Equal(HttpStatusCode.NotFound, (await me.GetAsync($"/me/interviews/{interviewId}/calendar.ics")).StatusCode);
    }

    /// <summary>Reads a mailed invitation as a mail program would: Python's email package finds the parts, icalendar reads the object.</summary>
    private static async Task<JsonElement> ReadCalendarAsync(MailBox.Mail mail)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, mail.Raw);
        const string script = """
            import sys, json, email
            from email import policy
            from icalendar import Calendar
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
            part = next(p for p in m.walk() if p.get_content_type() == 'text/calendar')
            attachment = next((p.get_filename() for p in m.walk() if p.get_content_disposition() == 'attachment'), None)
            cal = Calendar.from_ical(part.get_content())
            event = next(c for c in cal.walk() if c.name == 'VEVENT')
            print(json.dumps({
                'method': str(cal['METHOD']), 'partMethod': part.get_param('method'),
                'uid': str(event['UID']), 'sequence': int(event['SEQUENCE']),
                'start': event.decoded('DTSTART').isoformat(), 'end': event.decoded('DTEND').isoformat(),
                'status': str(event['STATUS']), 'organizer': str(event['ORGANIZER']), 'attendee': str(event['ATTENDEE']),
                'summary': str(event['SUMMARY']), 'attachment': attachment,
            }, ensure_ascii=False))
            """;
        try
        {
            return await Python.ReadJsonAsync(script, path, "the invitation (python3-icalendar)");
        }
        finally { File.Delete(path); }
    }
}

public sealed class InterviewSchedulingTestsOnSqlite(SqliteApp app) : InterviewSchedulingTests(app), IClassFixture<SqliteApp>;
public sealed class InterviewSchedulingTestsOnPostgres(PostgresApp app) : InterviewSchedulingTests(app), IClassFixture<PostgresApp>;
