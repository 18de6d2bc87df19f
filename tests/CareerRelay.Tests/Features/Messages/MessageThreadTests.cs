using System.Net;
using CareerRelay.Web.Features.Messages;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Messages;

/// <summary>
/// The thread between an agency and a person, end to end: consent decides who may write, the person is told without the text,
/// the first message is first contact, every agency read is audited, the person can block, withdrawal closes it, erasure removes it.
/// </summary>
public abstract class MessageThreadTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private async Task<(ApiClient.Tenant Agency, string Email, string CandidateId, string Me)> PersonAsync(string name = "佐藤 花子")
    {
        var person = await People.RegisterAsync(app, _api, name);
        return (person.Agency, person.Email, person.CandidateId, person.Me);
    }

    [Fact]
    public async Task AThread_EndToEnd_TellsThePersonWithoutTheText_CountsAsFirstContact_AndAuditsEveryAgencyRead()
    {
        var (agency, email, candidateId, me) = await PersonAsync();
        const string hello = "はじめまして。ご登録ありがとうございます。火曜に15分ほどお電話できますか。";

        var (status, sent) = await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = hello }, agency.Key);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("agency", sent!["sender"]!.GetValue<string>());
        Assert.Equal(hello, sent["text"]!.GetValue<string>());

        // The person hears of it by mail: that there is a message and where — never the text.
        var notice = await app.Mail.WaitForAsync(email, m => m.Subject.Contains("新しいメッセージ", StringComparison.Ordinal));
        Assert.DoesNotContain("火曜", notice.Body);
        Assert.Contains("https://localhost/me", notice.Body);

        // The first message is the agency's first contact: the pipeline and the dashboard's median count it.
        var (_, detail) = await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agency.Key);
        Assert.Equal("contacted", detail!["stage"]!.GetValue<string>());
        Assert.NotNull(detail["firstContactedAt"]);
        Assert.Contains(detail["history"]!.AsArray(), h => h!["type"]!.GetValue<string>() == "contacted");

        // A second message while the first is unread is not another mail.
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "追伸です。" }, agency.Key)).Status);
        await Task.Delay(1500);
        Assert.Single(app.Mail.All(), m => m.To == email && m.Subject.Contains("新しいメッセージ", StringComparison.Ordinal));

        // The person reads on /me (the agency's messages become read) and answers through the public route.
        var browser = await CandidateAsync(app, _api, email);
        var page = await browser.GetStringAsync("/me");
        Assert.Contains(hello, page);
        Assert.Contains($"data-thread-agency-id=\"{agency.Id}\"", page);
        var (replied, reply) = await _api.PostAsync("/api/v1/public/me/messages", new { token = me, agencyId = agency.Id, text = "火曜の午後なら大丈夫です。" });
        Assert.Equal(HttpStatusCode.Created, replied);
        Assert.Equal("person", reply!["sender"]!.GetValue<string>());

        // The agency hears of the answer by mail (pseudonymous id only) and reads it; the read is audited and marks it read.
        var contact = await app.WithDbAsync(db => db.Agencies.Where(a => a.Id == agency.Id).Select(a => a.ContactEmail).FirstAsync());
        var agencyNotice = await app.Mail.WaitForAsync(contact, m => m.Subject.Contains("返信", StringComparison.Ordinal) && m.Body.Contains(candidateId, StringComparison.Ordinal));
        Assert.DoesNotContain("火曜", agencyNotice.Body);
        var (_, thread) = await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}/messages", agency.Key);
        var items = thread!["items"]!.AsArray();
        Assert.Equal(["agency", "agency", "person"], items.Select(i => i!["sender"]!.GetValue<string>()));
        Assert.NotNull(items[0]!["readAt"]); // the person opened /me
        Assert.Equal("火曜の午後なら大丈夫です。", items[2]!["text"]!.GetValue<string>());
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.CandidateId == candidateId && a.Action == "messages.read" && a.ActorId.StartsWith(agency.Id))));
        var unread = await app.WithDbAsync(db => db.Messages.CountAsync(m => m.CandidateId == candidateId && m.ReadAt == null));
        Assert.Equal(0, unread);

        // Sealed with the person's key: the stored bytes are not the text.
        var stored = await app.WithDbAsync(db => db.Messages.Where(m => m.CandidateId == candidateId).Select(m => m.Body).ToListAsync());
        Assert.All(stored, b => Assert.DoesNotContain("火曜", System.Text.Encoding.UTF8.GetString(b)));
    }

    [Fact]
    public async Task OnlyTheAgencyThePersonChose_CanWriteOrRead_AndBadTextIsRefusedWithItsField()
    {
        var (agency, _, candidateId, me) = await PersonAsync();
        var other = await _api.CreateAgencyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "こんにちは" }, other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}/messages", other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/v1/public/me/messages", new { token = me, agencyId = other.Id, text = "こんにちは" })).Status);

        var (empty, problem) = await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "  " }, agency.Key);
        Assert.Equal(HttpStatusCode.BadRequest, empty);
        Assert.NotNull(problem!["errors"]!["text"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = new string('あ', 4001) }, agency.Key)).Status);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = new string('あ', 4000) }, agency.Key)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/v1/public/me/messages", new { token = "me_nope", agencyId = agency.Id, text = "x" })).Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.CandidateId == candidateId && m.Sender == MessageSenders.Person)));
    }

    [Fact]
    public async Task EachSender_HasAnHourlyLimit_ThenA429_UntilTheHourHasPassed()
    {
        var (agency, email, candidateId, me) = await PersonAsync();
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/public/me/messages", new { token = me, agencyId = agency.Id, text = $"{i}" })).Status);
        var (status, problem) = await _api.PostAsync("/api/v1/public/me/messages", new { token = me, agencyId = agency.Id, text = "21" });
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("rate_limited", problem!["code"]!.GetValue<string>());

        // The agency's key is its own sender with its own limit (60 an hour, over all its threads).
        for (var i = 0; i < 60; i++)
            Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = $"{i}" }, agency.Key)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "61" }, agency.Key)).Status);

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/public/me/messages", new { token = await _api.MeTokenAsync(email), agencyId = agency.Id, text = "again" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "again" }, agency.Key)).Status);
    }

    [Fact]
    public async Task ThePersonBlocksAnAgency_OnTheirPage_ThenItCannotWrite_UntilTheyAllowItAgain()
    {
        var (agency, email, candidateId, _) = await PersonAsync();
        var browser = await CandidateAsync(app, _api, email);
        var page = await browser.GetStringAsync("/me");
        var blocked = await browser.PostAsync($"/me/messages/{agency.Id}/block", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);

        var (status, problem) = await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "ご連絡です" }, agency.Key);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("invalid_state", problem!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/interviews",
            new { slots = new[] { new { start = "2027-01-12T10:00", end = "2027-01-12T11:00" } }, mode = "online" }, agency.Key)).Status);
        page = await browser.GetStringAsync("/me");
        Assert.Contains("data-state=\"blocked\"", page);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/me/messages/{agency.Id}/unblock", Form(page))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "ご連絡です" }, agency.Key)).Status);
    }

    [Fact]
    public async Task Withdrawal_ClosesTheThreadForBoth_AndErasure_LeavesNoRowOfIt()
    {
        var (agency, email, candidateId, me) = await PersonAsync();
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "はじめまして" }, agency.Key)).Status);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/public/me/messages", new { token = me, agencyId = agency.Id, text = "よろしくお願いします" })).Status);

        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = agency.Id })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "まだですか" }, agency.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}/messages", agency.Key)).Status);
        var (closed, problem) = await _api.PostAsync("/api/v1/public/me/messages", new { token = me, agencyId = agency.Id, text = "やっぱり" });
        Assert.Equal(HttpStatusCode.Conflict, closed);
        Assert.Equal("invalid_state", problem!["code"]!.GetValue<string>());
        // The person still reads what was said, on a thread that says it is closed.
        var browser = await CandidateAsync(app, _api, email);
        var page = await browser.GetStringAsync("/me");
        Assert.Contains("よろしくお願いします", page);
        Assert.Contains("data-state=\"closed\"", page);
        var export = System.Text.Json.Nodes.JsonNode.Parse(await browser.GetStringAsync("/me/export.json"))!;
        Assert.Equal(2, export["messages"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/erase", new { token = me })).Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.CandidateId == candidateId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.MessageBlocks.CountAsync(m => m.CandidateId == candidateId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.OutboxMails.CountAsync(m => m.CandidateId == candidateId)));
    }

    [Fact]
    public async Task TheWorkspace_ShowsTheThreadAndUnreadCounts_AndSendsFromTheCandidatePage()
    {
        var (agency, email, candidateId, me) = await PersonAsync("鈴木 一郎");
        var contact = await app.WithDbAsync(db => db.Agencies.Where(a => a.Id == agency.Id).Select(a => a.ContactEmail).FirstAsync());
        var (workspace, _) = await SignInAsync(app, contact, "/agency");
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/public/me/messages", new { token = me, agencyId = agency.Id, text = "相談したいことがあります" })).Status);

        var list = await workspace.GetStringAsync("/agency/candidates");
        Assert.Matches($"data-candidate-id=\"{candidateId}\"[^§]*?data-field=\"unread\"[^>]*>未読 1<", list);

        var page = await workspace.GetStringAsync($"/agency/candidates/{candidateId}");
        Assert.Contains("相談したいことがあります", page);
        var refused = await workspace.PostAsync($"/agency/candidates/{candidateId}/messages", Form(page, ("text", "")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("入力してください", await refused.Content.ReadAsStringAsync());
        var sent = await workspace.PostAsync($"/agency/candidates/{candidateId}/messages", Form(page, ("text", "ご相談ください。")));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Contains("#messages", sent.Headers.Location!.ToString());
        Assert.DoesNotContain("data-field=\"unread\"", await workspace.GetStringAsync("/agency/candidates"));
        // Found using the list in English: its occupation column and filter were labelled in lower case ("desired occupation").
        var english = await workspace.GetStringAsync("/agency/candidates?lang=en");
        Assert.Contains("<th>Desired occupation</th>", english);
        Assert.DoesNotContain(">desired occupation<", english);
        var sender = await app.WithDbAsync(db => db.Messages.Where(m => m.CandidateId == candidateId && m.Sender == MessageSenders.Agency).Select(m => m.SenderId).FirstAsync());
        Assert.Contains("/user:", sender);
    }
}

public sealed class MessageThreadTestsOnSqlite(SqliteApp app) : MessageThreadTests(app), IClassFixture<SqliteApp>;
public sealed class MessageThreadTestsOnPostgres(PostgresApp app) : MessageThreadTests(app), IClassFixture<PostgresApp>;
