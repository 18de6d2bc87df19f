using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CareerRelay.Web.Features.Ats;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Tests.Features.Ats;

/// <summary>SPEC §6 ATS intake: rejection events, the entrusted mail they cause, and Greenhouse and Lever's native webhooks.</summary>
public abstract class AtsIntakeTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private static object Rejection(string eventId, string applicationId, string? email, string type = "rejected", string? outcome = null,
        string? source = null, string? sendAt = null, string lang = "ja") => new
    {
        eventId, type, applicationId, outcome, source, jobTitle = "経理", occurredAt = "2026-11-20T06:00:00Z", sendAt, lang,
        candidate = email is null ? null : new { name = "佐藤 花子", email },
    };

    [Fact]
    public async Task Rejection_WithAnAddress_MailsTheCompanysTemplateWithAPersonalInvitation_FromTheCompanysName()
    {
        var company = await _api.CreateCompanyAsync("株式会社リレー商事", "jinji@relay-shoji.example.co.jp");
        var email = $"{ApiClient.Unique("gh")}@example.jp";
        var (status, answer) = await _api.PostAsync("/api/v1/company/ats/events", Rejection("evt-1", "app-1", email), company.Key);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("scheduled", answer!["mail"]!.GetValue<string>());
        var url = answer["invitationUrl"]!.GetValue<string>();
        Assert.StartsWith("https://localhost/r/", url);

        var mail = await app.Mail.WaitForAsync(email);
        Assert.Contains(url, mail.Body);
        Assert.Contains("佐藤 花子 様", mail.Body);
        Assert.Contains("株式会社リレー商事", mail.Subject + mail.Body);
        Assert.Equal("株式会社リレー商事 <no-reply@careerrelay.example>", MailBox.Header(mail, "From"));
        Assert.Equal("jinji@relay-shoji.example.co.jp", MailBox.Header(mail, "Reply-To"));

        // The invitation is a working, single-use entry to the relay; it counts as an invitation sent.
        var landing = await _api.Http.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));
        var (_, mails) = await _api.GetAsync("/api/v1/company/ats/mails", company.Key);
        var item = Assert.Single(mails!["items"]!.AsArray());
        Assert.Equal("app-1", item!["applicationId"]!.GetValue<string>());
        await Poll.UntilAsync(async () => (await _api.GetAsync("/api/v1/company/ats/mails", company.Key)).Body!["items"]![0]!["status"]!.GetValue<string>() == "sent");
    }

    [Fact]
    public async Task SameEventId_Again_AnswersTheSame_AndChangesNothing_EvenWhenConcurrent()
    {
        var company = await _api.CreateCompanyAsync();
        var email = $"{ApiClient.Unique("twice")}@example.jp";
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _api.PostAsync("/api/v1/company/ats/events", Rejection("evt-same", "app-same", email), company.Key)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Single(answers.Select(a => a.Body!["invitationUrl"]!.GetValue<string>()).Distinct());
        var later = await _api.PostAsync("/api/v1/company/ats/events", Rejection("evt-same", "app-same", email), company.Key);
        Assert.Equal(answers[0].Body!["invitationUrl"]!.GetValue<string>(), later.Body!["invitationUrl"]!.GetValue<string>());

        // A second rejection event for the same application reuses the invitation and sends no second mail.
        var again = await _api.PostAsync("/api/v1/company/ats/events", Rejection("evt-other", "app-same", email), company.Key);
        Assert.Equal(later.Body["invitationUrl"]!.GetValue<string>(), again.Body!["invitationUrl"]!.GetValue<string>());
        Assert.Equal("none", again.Body["mail"]!.GetValue<string>());

        await app.Mail.WaitForAsync(email);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));
        Assert.Equal(1, await app.WithDbAsync(db => db.EntrustedMails.CountAsync(m => m.ApplicationId == "app-same")));
    }

    [Theory]
    [InlineData("withdrawn", null, null)]
    [InlineData("rejected", "candidate_withdrew", null)]
    [InlineData("rejected", "company_rejected", "agency")]
    public async Task Withdrawals_AndAgencySourcedApplications_GetNoInvitation(string type, string? outcome, string? source)
    {
        var company = await _api.CreateCompanyAsync();
        var email = $"{ApiClient.Unique("none")}@example.jp";
        var (status, answer) = await _api.PostAsync("/api/v1/company/ats/events", Rejection($"evt-{type}-{outcome}-{source}", "app-x", email, type, outcome, source), company.Key);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Null(answer!["invitationUrl"]?.GetValue<string>());
        Assert.Equal("none", answer["mail"]!.GetValue<string>());
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(company.Key), "invitationsSent"));
        Assert.Equal(0, await app.WithDbAsync(db => db.EntrustedMails.CountAsync(m => m.CompanyId == company.Id)));
    }

    [Fact]
    public async Task Unreject_BeforeTheScheduledTime_CancelsTheMail_WhichIsNeverSent()
    {
        var company = await _api.CreateCompanyAsync();
        var email = $"{ApiClient.Unique("unreject")}@example.jp";
        var sendAt = app.Clock.GetUtcNow().UtcDateTime.AddHours(2).ToString("O");
        var (_, first) = await _api.PostAsync("/api/v1/company/ats/events", Rejection("evt-r", "app-u", email, sendAt: sendAt), company.Key);
        Assert.Equal("scheduled", first!["mail"]!.GetValue<string>());

        var (status, undo) = await _api.PostAsync("/api/v1/company/ats/events", Rejection("evt-u", "app-u", null, type: "unrejected"), company.Key);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, undo!["cancelledMails"]!.GetValue<int>());

        app.Clock.Advance(TimeSpan.FromHours(3));
        await app.Service<MailOutboxWorker>().SendDueAsync(CancellationToken.None);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == email);
        var (_, mails) = await _api.GetAsync("/api/v1/company/ats/mails", company.Key);
        Assert.Equal("cancelled", mails!["items"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task NextWeekday10_SkipsTheWeekendAndTheNationalHoliday()
    {
        // Saturday 2027-03-20 10:00 JST: Sunday is 春分の日, so Monday 03-22 is a 振替休日 and the mail waits until Tuesday.
        // (The class's tests share one clock and run in any order; another test advances it by a month.)
        app.Clock.MoveForwardTo(new DateTimeOffset(2027, 3, 20, 1, 0, 0, TimeSpan.Zero));
        var company = await _api.CreateCompanyAsync();
        var (saved, settings) = await _api.PutAsync("/api/v1/company/ats/settings", new { tone = "warm", sendTime = "next_weekday_10", senderName = "リレー商事 採用チーム" }, company.Key);
        Assert.Equal(HttpStatusCode.OK, saved);
        Assert.Equal("next_weekday_10", settings!["sendTime"]!.GetValue<string>());

        await _api.PostAsync("/api/v1/company/ats/events", Rejection("evt-w", "app-w", $"{ApiClient.Unique("weekday")}@example.jp"), company.Key);
        var (_, mails) = await _api.GetAsync("/api/v1/company/ats/mails", company.Key);
        Assert.Equal(new DateTime(2027, 3, 23, 1, 0, 0, DateTimeKind.Utc), mails!["items"]![0]!["sendAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("scheduled", mails["items"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadEvents_Answer400_WithEachField_AndWriteNothing()
    {
        var company = await _api.CreateCompanyAsync();
        var (status, problem) = await _api.PostAsync("/api/v1/company/ats/events", new
        {
            eventId = "", type = "fired", applicationId = "a", outcome = "maybe", source = "fax", occurredAt = "yesterday", lang = "fr",
            candidate = new { name = "x", email = "not-an-address" },
        }, company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        var fields = problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "eventId", "type", "outcome", "source", "occurredAt", "lang", "candidate.email" }, fields);
        Assert.Equal(0, await app.WithDbAsync(db => db.AtsEvents.CountAsync(e => e.CompanyId == company.Id)));

        var (malformed, _) = await _api.SendAsync(HttpMethod.Post, "/api/v1/company/ats/events", "{\"eventId\": [1,2", company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
    }

    [Fact]
    public async Task Greenhouse_SignedRejectAndUnreject_FromTheirPublishedShape()
    {
        var company = await _api.CreateCompanyAsync();
        var (created, connection) = await _api.PostAsync("/api/v1/company/ats/connections", new { system = "greenhouse" }, company.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        var path = new Uri(connection!["url"]!.GetValue<string>()).AbsolutePath;
        Assert.Equal($"/api/v1/company/ats/greenhouse/{connection["id"]!.GetValue<string>()}", path);
        var secret = connection["secret"]!.GetValue<string>();
        await _api.PutAsync("/api/v1/company/ats/settings", new { sendTime = "next_weekday_10" }, company.Key);
        // The unreject below must find the mail still waiting. Earlier tests move the shared clock (+31 days after a
        // Saturday lands on a Tuesday at 10:00 JST exactly, when "next weekday 10:00" is now): step to 12:00 JST first.
        app.Clock.Advance(TimeSpan.FromHours((27 - app.Clock.GetUtcNow().Hour) % 24));

        var email = $"{ApiClient.Unique("greenhouse")}@example.jp";
        var reject = Fixture("greenhouse-reject-candidate.json");
        reject["payload"]!["application"]!["candidate"]!["email_addresses"]![0]!["value"] = email;
        var body = reject.ToJsonString();

        var (forged, _) = await PostGreenhouseAsync(path, body, "sha256 " + new string('0', 64), "gh-evt-1");
        Assert.Equal(HttpStatusCode.Unauthorized, forged);
        var (ok, answer) = await PostGreenhouseAsync(path, body, GreenhouseSignature(secret, body), "gh-evt-1");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("scheduled", answer!["mail"]!.GetValue<string>());
        Assert.NotNull(answer["invitationUrl"]?.GetValue<string>());
        var (_, replay) = await PostGreenhouseAsync(path, body, GreenhouseSignature(secret, body), "gh-evt-1");
        Assert.Equal(answer["invitationUrl"]!.GetValue<string>(), replay!["invitationUrl"]!.GetValue<string>());

        var unreject = Fixture("greenhouse-unreject-candidate.json").ToJsonString();
        var (undone, cancelled) = await PostGreenhouseAsync(path, unreject, GreenhouseSignature(secret, unreject), "gh-evt-2");
        Assert.Equal(HttpStatusCode.OK, undone);
        Assert.Equal(1, cancelled!["cancelledMails"]!.GetValue<int>());

        // "They rejected us" is the candidate's own withdrawal: no invitation.
        var withdrew = Fixture("greenhouse-reject-candidate.json");
        withdrew["payload"]!["application"]!["id"] = 999001;
        withdrew["payload"]!["application"]!["rejection_reason"]!["type"]!["name"] = "They rejected us";
        var withdrewBody = withdrew.ToJsonString();
        var (_, none) = await PostGreenhouseAsync(path, withdrewBody, GreenhouseSignature(secret, withdrewBody), "gh-evt-3");
        Assert.Null(none!["invitationUrl"]?.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await PostGreenhouseAsync("/api/v1/company/ats/greenhouse/nope", body, GreenhouseSignature(secret, body), "x")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostGreenhouseAsync(path.Replace("greenhouse", "lever"), body, GreenhouseSignature(secret, body), "x")).Status);
    }

    [Fact]
    public async Task Lever_SignedArchiveChange_AnswersTheInvitationUrl_AndSendsNoMail()
    {
        var company = await _api.CreateCompanyAsync();
        var (_, connection) = await _api.PostAsync("/api/v1/company/ats/connections", new { system = "lever" }, company.Key);
        var path = new Uri(connection!["url"]!.GetValue<string>()).AbsolutePath;
        var secret = connection["secret"]!.GetValue<string>();

        var archived = Fixture("lever-candidate-archive-change.json");
        archived["token"] = "tok-" + Guid.NewGuid().ToString("N");
        archived["signature"] = LeverSignature(secret, archived["token"]!.GetValue<string>(), archived["triggeredAt"]!.ToJsonString());
        var (ok, answer) = await _api.SendAsync(HttpMethod.Post, path, archived.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.StartsWith("https://localhost/r/", answer!["invitationUrl"]!.GetValue<string>());
        Assert.Equal("none", answer["mail"]!.GetValue<string>());

        archived["signature"] = LeverSignature("wrong", archived["token"]!.GetValue<string>(), archived["triggeredAt"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.SendAsync(HttpMethod.Post, path, archived.ToJsonString())).Status);

        // Revoked: the URL stops working.
        await _api.PostAsync($"/api/v1/company/ats/connections/{connection["id"]!.GetValue<string>()}/revoke", null, company.Key);
        archived["signature"] = LeverSignature(secret, archived["token"]!.GetValue<string>(), archived["triggeredAt"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Post, path, archived.ToJsonString())).Status);
    }

    [Fact]
    public async Task EntrustedAddresses_AreDeletedAfterTheRetentionPeriod_KeepingOnlyHowTheSendEnded()
    {
        var company = await _api.CreateCompanyAsync();
        var email = $"{ApiClient.Unique("retention")}@example.jp";
        await _api.PostAsync("/api/v1/company/ats/events", Rejection("evt-ret", "app-ret", email), company.Key);
        await app.Mail.WaitForAsync(email);
        await Poll.UntilAsync(async () => await app.WithDbAsync(db => db.OutboxMails.AnyAsync(o => o.Kind == "entrusted" && o.Status == OutboxStatus.Sent)));
        var outboxId = await app.WithDbAsync(db => db.EntrustedMails.Where(m => m.CompanyId == company.Id).Select(m => m.OutboxMailId).SingleAsync());

        var retention = app.Service<EntrustedRetention>();
        await retention.RunOnceAsync(CancellationToken.None);
        Assert.True(await app.WithDbAsync(db => db.OutboxMails.AnyAsync(o => o.Id == outboxId)));

        app.Clock.Advance(TimeSpan.FromDays(31));
        Assert.True(await retention.RunOnceAsync(CancellationToken.None) >= 1);
        Assert.False(await app.WithDbAsync(db => db.OutboxMails.AnyAsync(o => o.Id == outboxId)));
        var (_, mails) = await _api.GetAsync("/api/v1/company/ats/mails", company.Key);
        Assert.Equal("sent", mails!["items"]![0]!["status"]!.GetValue<string>());
        // The purge reads its batches in a stated order: EF warned of an unordered Take on every start before.
        Assert.DoesNotContain(app.Logs, l => l.Contains("row limiting operator", StringComparison.Ordinal));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostGreenhouseAsync(string path, string body, string signature, string eventId) =>
        await _api.SendAsync(HttpMethod.Post, path, body, null, new Dictionary<string, string> { ["Signature"] = signature, ["Greenhouse-Event-ID"] = eventId });

    private static JsonNode Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Ats", "Fixtures", name)))!;

    private static string GreenhouseSignature(string secret, string body) =>
        "sha256 " + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static string LeverSignature(string secret, string token, string triggeredAt) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(token + triggeredAt)));
}

public sealed class AtsIntakeTestsOnSqlite(SqliteApp app) : AtsIntakeTests(app), IClassFixture<SqliteApp>;
public sealed class AtsIntakeTestsOnPostgres(PostgresApp app) : AtsIntakeTests(app), IClassFixture<PostgresApp>;
