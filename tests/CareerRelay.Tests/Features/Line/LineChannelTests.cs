using System.Net;
using System.Security.Cryptography;
using System.Text;
using CareerRelay.Tests.Features.Messages;
using CareerRelay.Web.Features.Line;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Line;

/// <summary>The app with LINE on, talking to <see cref="FakeLineServer"/> on loopback.</summary>
public class LineApp(Provider provider) : CareerRelayApp(provider)
{
    public const string ChannelSecret = "8c570fa6dd201bb328f1c1eac23a96d8";
    public FakeLineServer Line { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Line:ChannelId"] = "1656000000",
        ["Line:ChannelSecret"] = ChannelSecret,
        ["Line:ChannelAccessToken"] = FakeLineServer.AccessToken,
        ["Line:ApiBaseUrl"] = Line.BaseUrl,
        ["Line:BasicId"] = "@careerrelay",
        ["Line:MaxAttempts"] = "3",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Line.DisposeAsync();
    }
}

public sealed class LineSqliteApp() : LineApp(Provider.Sqlite);
public sealed class LinePostgresApp() : LineApp(Provider.Postgres);

/// <summary>
/// LINE as the person's optional channel: linking with a one-time code sent to the bot, the signed webhook (bad signatures
/// change nothing, redeliveries count once, unfollow unlinks), pushes instead of mail, LINE's 429 honoured, mail when a push fails.
/// </summary>
public abstract class LineChannelTests(LineApp app)
{
    private readonly ApiClient _api = app.Api();
    private FakeLineServer Line => app.Line;

    [Fact]
    public void TheSignature_IsBase64HmacSha256OfTheRawBody_WithTheChannelSecret_AsKnownVectorsSay()
    {
        // Vectors computed outside this code (Python's hmac; openssl dgst -sha256 -hmac), over the exact bytes LINE sends.
        var body = """{"destination":"Uf0c6d4e0d7a1","events":[{"type":"message","message":{"type":"text","id":"1","text":"テスト"},"webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZR","deliveryContext":{"isRedelivery":false},"timestamp":1625665242211,"source":{"type":"user","userId":"U80696558e1aa831a"},"replyToken":"757913772c4646b784d4b7ce46d12671","mode":"active"}]}""";
        Assert.True(LineLinking.SignatureIsValid(LineApp.ChannelSecret, Encoding.UTF8.GetBytes(body), "cYVx0WeTDTyKVFQPl8IsdHICQzBAMQLuvCSC7gt0IEM="));
        Assert.True(LineLinking.SignatureIsValid(LineApp.ChannelSecret, Encoding.UTF8.GetBytes("""{"destination":"U","events":[]}"""), "/If8edLvkWfi9/SdJcrkuK+knrwvfR0RQ5VZsO7gezI="));
        Assert.False(LineLinking.SignatureIsValid(LineApp.ChannelSecret, Encoding.UTF8.GetBytes("""{"destination":"U","events":[] }"""), "/If8edLvkWfi9/SdJcrkuK+knrwvfR0RQ5VZsO7gezI="));
        Assert.False(LineLinking.SignatureIsValid("another-secret", Encoding.UTF8.GetBytes("""{"destination":"U","events":[]}"""), "/If8edLvkWfi9/SdJcrkuK+knrwvfR0RQ5VZsO7gezI="));
        Assert.False(LineLinking.SignatureIsValid(LineApp.ChannelSecret, [], null));
    }

    [Fact]
    public async Task ThePerson_LinksLine_WithTheCodeFromTheirPage_AndNoticesThenComeByPush_NotByMail()
    {
        var person = await People.RegisterAsync(app, _api, "中村 蓮");
        var (userId, _) = await LinkAsync(person, "れん");

        var me = await CandidateAsync(app, _api, person.Email);
        var page = await me.GetStringAsync("/me");
        Assert.Contains("data-state=\"linked\"", page);
        Assert.Contains("LINE（れん）と連携しています", page);

        // A message from the agency: a push to the linked account — who wrote and where to read, never the text — and no mail.
        var mailsBefore = app.Mail.All().Count(m => m.To == person.Email);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{person.CandidateId}/messages", new { text = "極秘の求人についてご相談です" }, person.Agency.Key)).Status);
        var push = await WaitAsync(() => Line.Pushes.FirstOrDefault(p => p.Body!["to"]!.GetValue<string>() == userId));
        Assert.Contains("新しいメッセージ", FakeLineServer.TextOf(push));
        Assert.DoesNotContain("極秘", FakeLineServer.TextOf(push));
        Assert.True(Guid.TryParse(push.RetryKey, out _));
        await WaitAsync(() => app.WithDbAsync(db => db.LinePushes.AnyAsync(p => p.CandidateId == person.CandidateId && p.Status == LinePushStatus.Sent)));
        await Task.Delay(500);
        Assert.Equal(mailsBefore, app.Mail.All().Count(m => m.To == person.Email));

        // An invitation goes by mail too (only mail carries the calendar file), and by push.
        var start = Web.Infrastructure.Localization.JapanCalendar.NextBusinessDayAt(app.Clock.GetUtcNow().UtcDateTime.AddDays(2), new TimeOnly(10, 0));
        var jst = new DateTimeOffset(start).ToOffset(TimeSpan.FromHours(9));
        var (_, proposed) = await _api.PostAsync($"/api/v1/agency/candidates/{person.CandidateId}/interviews",
            new { slots = new[] { new { start = jst.ToString("yyyy-MM-dd'T'HH:mmzzz"), end = jst.AddHours(1).ToString("yyyy-MM-dd'T'HH:mmzzz") } }, mode = "online" }, person.Agency.Key);
        await WaitAsync(() => Line.Pushes.FirstOrDefault(p => p.Body!["to"]!.GetValue<string>() == userId && FakeLineServer.TextOf(p).Contains("候補日時")));
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/public/me/interviews/{proposed!["id"]}/choose", new { token = person.Me, slotId = proposed["slots"]![0]!["id"]!.GetValue<string>() })).Status);
        await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("確定しました", StringComparison.Ordinal) && m.Raw.Contains("text/calendar"));
        await WaitAsync(() => Line.Pushes.FirstOrDefault(p => p.Body!["to"]!.GetValue<string>() == userId && FakeLineServer.TextOf(p).Contains("確定しました")));

        // Unlinked on /me: notices are mail again.
        page = await me.GetStringAsync("/me");
        Assert.Equal(HttpStatusCode.Redirect, (await me.PostAsync("/me/line/unlink", Form(page))).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.LineLinks.AnyAsync(l => l.CandidateId == person.CandidateId)));
    }

    [Fact]
    public async Task LinesTooManyRequests_IsWaitedOut_AsRetryAfterSays_WithTheSameRetryKey()
    {
        var person = await People.RegisterAsync(app, _api);
        var (userId, _) = await LinkAsync(person, null);
        Line.PushFailures.Enqueue((429, 30));
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{person.CandidateId}/messages", new { text = "こんにちは" }, person.Agency.Key)).Status);
        var first = await WaitAsync(() => Line.Pushes.FirstOrDefault(p => p.Body!["to"]!.GetValue<string>() == userId));

        // Not before LINE's Retry-After (30 s on the app's clock) …
        var row = await WaitAsync(() => app.WithDbAsync(db => db.LinePushes.FirstOrDefaultAsync(p => p.CandidateId == person.CandidateId && p.Attempts == 1)));
        Assert.Equal(LinePushStatus.Pending, row!.Status);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(30), row.NextAttemptAt, TimeSpan.FromSeconds(2));
        await Task.Delay(1500);
        Assert.Single(Line.Pushes, p => p.Body!["to"]!.GetValue<string>() == userId);

        // … then again, as the same push (same retry key), and delivered.
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await WaitAsync(() => app.WithDbAsync(db => db.LinePushes.AnyAsync(p => p.CandidateId == person.CandidateId && p.Status == LinePushStatus.Sent)));
        var pushes = Line.Pushes.Where(p => p.Body!["to"]!.GetValue<string>() == userId).ToList();
        Assert.Equal(2, pushes.Count);
        Assert.Equal(first.RetryKey, pushes[1].RetryKey);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == person.Email && m.Subject.Contains("新しいメッセージ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APushLineRefuses_OrThatKeepsFailing_GoesByMailInstead()
    {
        var person = await People.RegisterAsync(app, _api);
        var (userId, _) = await LinkAsync(person, null);
        Line.PushFailures.Enqueue((400, null));
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{person.CandidateId}/messages", new { text = "こんにちは" }, person.Agency.Key)).Status);
        var mail = await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("新しいメッセージ", StringComparison.Ordinal));
        Assert.DoesNotContain("こんにちは", mail.Body);
        Assert.Equal(LinePushStatus.FellBack, await app.WithDbAsync(db => db.LinePushes.Where(p => p.CandidateId == person.CandidateId).Select(p => p.Status).FirstAsync()));

        // Three failures (Line:MaxAttempts) of a server error: mail too.
        var other = await People.RegisterAsync(app, _api);
        await LinkAsync(other, null);
        for (var i = 0; i < 3; i++) Line.PushFailures.Enqueue((500, null));
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{other.CandidateId}/messages", new { text = "こんにちは" }, other.Agency.Key)).Status);
        for (var i = 0; i < 3 && !app.Mail.All().Any(m => m.To == other.Email && m.Subject.Contains("新しいメッセージ", StringComparison.Ordinal)); i++)
        {
            await WaitAsync(() => app.WithDbAsync(db => db.LinePushes.AnyAsync(p => p.CandidateId == other.CandidateId && (p.Attempts > i || p.Status != LinePushStatus.Pending))));
            app.Clock.Advance(TimeSpan.FromMinutes(10));
        }
        await app.Mail.WaitForAsync(other.Email, m => m.Subject.Contains("新しいメッセージ", StringComparison.Ordinal));
        Assert.Equal(3, await app.WithDbAsync(db => db.LinePushes.Where(p => p.CandidateId == other.CandidateId).Select(p => p.Attempts).FirstAsync()));
    }

    [Fact]
    public async Task TheWebhook_RefusesABadSignature_CountsARedeliveryOnce_AndUnfollowUnlinks()
    {
        var person = await People.RegisterAsync(app, _api);
        var me = await CandidateAsync(app, _api, person.Email);
        var code = await ShowCodeAsync(me);
        var userId = "U" + Guid.NewGuid().ToString("N");
        var body = MessageEvent(userId, code, "01H" + Guid.NewGuid().ToString("N")[..20]);

        // A bad signature: 401, and nothing changes (the code still works afterwards).
        var forged = await SendAsync(body, Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("not-the-secret"), Encoding.UTF8.GetBytes(body))));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(body, null)).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.LineLinks.AnyAsync(l => l.CandidateId == person.CandidateId)));
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync("not json", Sign("not json"))).StatusCode);

        // Signed: linked. LINE redelivers the same event: handled once (one reply).
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(body, Sign(body))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(body, Sign(body))).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.LineLinks.AnyAsync(l => l.CandidateId == person.CandidateId)));
        var replyToken = System.Text.Json.Nodes.JsonNode.Parse(body)!["events"]![0]!["replyToken"]!.GetValue<string>();
        Assert.Single(Line.Replies, r => r.Body!["replyToken"]!.GetValue<string>() == replyToken);

        // The code was used up: sent again by someone else, it links nobody.
        var stranger = "U" + Guid.NewGuid().ToString("N");
        var again = MessageEvent(stranger, code, "01H" + Guid.NewGuid().ToString("N")[..20]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(again, Sign(again))).StatusCode);
        Assert.Contains("連携コードが違う", FakeLineServer.TextOf(Line.Replies.Last()));
        Assert.Equal(1, await app.WithDbAsync(db => db.LineLinks.CountAsync(l => l.CandidateId == person.CandidateId)));

        // Unfollow (the person blocked or removed the account): unlinked; notices are mail again.
        var unfollow = $$$"""{"destination":"Ubot","events":[{"type":"unfollow","mode":"active","timestamp":1,"source":{"type":"user","userId":"{{{userId}}}"},"webhookEventId":"01U{{{Guid.NewGuid():N}}}","deliveryContext":{"isRedelivery":false}}]}""";
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(unfollow, Sign(unfollow))).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.LineLinks.AnyAsync(l => l.CandidateId == person.CandidateId)));
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{person.CandidateId}/messages", new { text = "こんにちは" }, person.Agency.Key)).Status);
        await app.Mail.WaitForAsync(person.Email, m => m.Subject.Contains("新しいメッセージ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACodeExpiresAfterThirtyMinutes_AndErasureRemovesTheLink()
    {
        var person = await People.RegisterAsync(app, _api);
        var me = await CandidateAsync(app, _api, person.Email);
        var code = await ShowCodeAsync(me);
        Assert.Matches("^[A-HJ-NP-Z2-9]{8}$", code);
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        var late = MessageEvent("U" + Guid.NewGuid().ToString("N"), code, "01E" + Guid.NewGuid().ToString("N")[..20]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(late, Sign(late))).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.LineLinks.AnyAsync(l => l.CandidateId == person.CandidateId)));

        await LinkAsync(person, null);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/erase", new { token = await _api.MeTokenAsync(person.Email) })).Status);
        Assert.False(await app.WithDbAsync(db => db.LineLinks.AnyAsync(l => l.CandidateId == person.CandidateId)));
        Assert.False(await app.WithDbAsync(db => db.LineLinkCodes.AnyAsync(l => l.CandidateId == person.CandidateId)));
    }

    [Fact]
    public async Task APersonOnLine_WhoDidNotConfirmANewRegistration_IsRemindedThereOnce_AfterADay()
    {
        var person = await People.RegisterAsync(app, _api);
        var (userId, _) = await LinkAsync(person, null);
        // Rejected again elsewhere, the person registers through that company's link and leaves the confirmation mail unopened.
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(token, person.Email, agency.Id, await _api.NoticeVersionAsync(token))).Status);
        var reminders = app.Service<LineConfirmReminders>();
        await reminders.RunOnceAsync(CancellationToken.None);
        await Task.Delay(1500);
        Assert.DoesNotContain(Line.Pushes, p => p.Body!["to"]!.GetValue<string>() == userId && FakeLineServer.TextOf(p).Contains("確認がまだ"));

        app.Clock.Advance(TimeSpan.FromHours(25));
        await reminders.RunOnceAsync(CancellationToken.None);
        await reminders.RunOnceAsync(CancellationToken.None);
        var push = await WaitAsync(() => Line.Pushes.FirstOrDefault(p => p.Body!["to"]!.GetValue<string>() == userId && FakeLineServer.TextOf(p).Contains("確認がまだ")));
        Assert.Contains("メールアドレスの確認をお願いします", FakeLineServer.TextOf(push)); // which mail to look for
        await Task.Delay(1500);
        Assert.Single(Line.Pushes, p => p.Body!["to"]!.GetValue<string>() == userId && FakeLineServer.TextOf(p).Contains("確認がまだ"));
        Assert.DoesNotContain(app.Logs, l => l.Contains("row limiting operator", StringComparison.Ordinal));

        // Writing to the bot once linked: told where conversations happen, not that a code failed.
        var chat = MessageEvent(userId, "こんにちは、質問があります", "01C" + Guid.NewGuid().ToString("N")[..20]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(chat, Sign(chat))).StatusCode);
        Assert.Contains("通知専用", FakeLineServer.TextOf(Line.Replies.Last()));
    }

    /// <summary>Signs in, shows a code on /me, and sends it to the bot as a LINE user (with a display name when given).</summary>
    private async Task<(string UserId, string Code)> LinkAsync(Person person, string? displayName)
    {
        var me = await CandidateAsync(app, _api, person.Email);
        var code = await ShowCodeAsync(me);
        var userId = "U" + Guid.NewGuid().ToString("N");
        if (displayName is not null) Line.Profiles[userId] = displayName;
        // Typed on a phone: lower case, full-width, with a space — still the code.
        var typed = code[..4].ToLowerInvariant() + " " + string.Concat(code[4..].Select(c => (char)(c + 0xFEE0)));
        var body = MessageEvent(userId, typed, "01L" + Guid.NewGuid().ToString("N")[..20]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(body, Sign(body))).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.LineLinks.AnyAsync(l => l.CandidateId == person.CandidateId)));
        Assert.Contains("連携が完了", FakeLineServer.TextOf(Line.Replies.Last()));
        return (userId, code);
    }

    private async Task<string> ShowCodeAsync(HttpClient me)
    {
        var page = await me.GetStringAsync("/me");
        Assert.Contains("line.me/R/ti/p/%40careerrelay", page);
        var shown = await me.PostAsync("/me/line/code", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, shown.StatusCode);
        page = await me.GetStringAsync("/me");
        return System.Text.RegularExpressions.Regex.Match(page, "data-field=\"lineCode\">([A-Z0-9]{8})<").Groups[1].Value;
    }

    private static string MessageEvent(string userId, string text, string eventId) =>
        $$$"""{"destination":"Ubot","events":[{"type":"message","message":{"type":"text","id":"468789577898262530","quoteToken":"q","text":{{{System.Text.Json.JsonSerializer.Serialize(text)}}}},"webhookEventId":"{{{eventId}}}","deliveryContext":{"isRedelivery":false},"timestamp":1692251666727,"source":{"type":"user","userId":"{{{userId}}}"},"replyToken":"{{{Guid.NewGuid():N}}}","mode":"active"}]}""";

    private static string Sign(string body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(LineApp.ChannelSecret), Encoding.UTF8.GetBytes(body)));

    private Task<HttpResponseMessage> SendAsync(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/line/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add("X-Line-Signature", signature);
        return _api.Http.SendAsync(request);
    }

    private static async Task<T> WaitAsync<T>(Func<T?> probe)
    {
        for (var i = 0; i < 200; i++, await Task.Delay(50)) if (probe() is { } found) return found;
        throw new TimeoutException("LINE did not see it.");
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe)
    {
        for (var i = 0; i < 200; i++, await Task.Delay(50)) if (await probe() is { } found && !found.Equals(false)) return found;
        throw new TimeoutException("It did not happen.");
    }
}

public sealed class LineChannelTestsOnSqlite(LineSqliteApp app) : LineChannelTests(app), IClassFixture<LineSqliteApp>;
public sealed class LineChannelTestsOnPostgres(LinePostgresApp app) : LineChannelTests(app), IClassFixture<LinePostgresApp>;
