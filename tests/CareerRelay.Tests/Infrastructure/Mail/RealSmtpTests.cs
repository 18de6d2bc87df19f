using CareerRelay.Tests.Harness.Smtp;
using System.Net;
using CareerRelay.Web.Infrastructure.Mail;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Infrastructure.Mail;

/// <summary>The app sending through its SMTP sender to a real SMTP server (aiosmtpd) started for the test run.</summary>
public sealed class AiosmtpdApp() : CareerRelayApp(Provider.Sqlite)
{
    public AiosmtpdServer Smtp { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = Smtp.Port.ToString(),
        ["Mail:Smtp:EnableSsl"] = "false",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Smtp.Dispose();
    }
}

public sealed class RealSmtpTests(AiosmtpdApp app) : IClassFixture<AiosmtpdApp>
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task EntrustedRejectionMail_ReachesARealSmtpServer_WithItsHeadersAndJapaneseBodyIntact()
    {
        var company = await _api.CreateCompanyAsync("株式会社エスエムティーピー", "saiyo@smtp-test.example.co.jp");
        var email = $"{ApiClient.Unique("smtp")}@example.jp";
        var (_, answer) = await _api.PostAsync("/api/v1/company/ats/events", new
        {
            eventId = "smtp-1", type = "rejected", applicationId = "smtp-app-1", occurredAt = "2026-11-20T06:00:00Z",
            candidate = new { name = "送信 確認", email },
        }, company.Key);
        var url = answer!["invitationUrl"]!.GetValue<string>();

        await Poll.UntilAsync(() => Task.FromResult(app.Smtp.Messages().Any(m => m.Contains(email))));
        var raw = app.Smtp.Messages().Single(m => m.Contains(email)).Replace("\r\n", "\n").Replace("\n", "\r\n");
        var mail = MailBox.Parse(raw);

        Assert.Equal(email, mail.To);
        Assert.Equal("株式会社エスエムティーピー <no-reply@careerrelay.example>", MailBox.Header(mail, "From"));
        Assert.Equal("saiyo@smtp-test.example.co.jp", MailBox.Header(mail, "Reply-To"));
        Assert.Equal("選考結果のご連絡", mail.Subject);
        Assert.Equal("text/plain; charset=utf-8", MailBox.Header(mail, "Content-Type"));
        // aiosmtpd offers 8BITMIME, so MailKit sends the UTF-8 text as it is — as the .eml writer does.
        Assert.Equal("8bit", MailBox.Header(mail, "Content-Transfer-Encoding"));
        Assert.Equal("ja", MailBox.Header(mail, "Content-Language"));
        // Every header line is 7-bit ASCII (Japanese only as encoded words), and the body decodes as UTF-8 Japanese.
        var headerBlock = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.All(headerBlock, c => Assert.True(c < 128, $"Non-ASCII character in the header: {c}"));
        Assert.Matches("(?mi)^Subject: =\\?utf-8\\?[BQ]\\?", headerBlock); // encoded words are case-insensitive (RFC 2047); MimeKit writes "b"
        Assert.Contains("送信 確認 様", mail.Body);
        Assert.Contains(url, mail.Body);
    }

    [Fact]
    public async Task ARecipientTheServerRefuses_IsRecordedAsABounce_AndNotRetried()
    {
        var company = await _api.CreateCompanyAsync();
        var email = $"bounce-{ApiClient.Unique("x")}@example.jp";
        await _api.PostAsync("/api/v1/company/ats/events", new
        {
            eventId = "smtp-bounce", type = "rejected", applicationId = "smtp-app-2", occurredAt = "2026-11-20T06:00:00Z",
            candidate = new { email },
        }, company.Key);

        await Poll.UntilAsync(async () => (await _api.GetAsync("/api/v1/company/ats/mails", company.Key)).Body!["items"]![0]!["status"]!.GetValue<string>() == "bounced");
        var outbox = await app.WithDbAsync(db => db.OutboxMails.SingleAsync(o => o.Kind == "entrusted" && o.Status == OutboxStatus.Bounced));
        Assert.Equal(1, outbox.Attempts);
        Assert.StartsWith("bounced: SMTP 550", outbox.LastError);
        Assert.DoesNotContain(app.Logs, l => l.Contains(email));
    }

    [Fact]
    public async Task ATemporaryRefusal_IsTriedAgainLater_AndDelivered()
    {
        var company = await _api.CreateCompanyAsync();
        var email = $"tempfail-{ApiClient.Unique("x")}@example.jp";
        await _api.PostAsync("/api/v1/company/ats/events", new
        {
            eventId = "smtp-grey", type = "rejected", applicationId = "smtp-app-3", occurredAt = "2026-11-20T06:00:00Z", candidate = new { email },
        }, company.Key);
        await Poll.UntilAsync(() => app.WithDbAsync(db => db.OutboxMails.AnyAsync(o => o.Kind == "entrusted" && o.Attempts == 1 && o.Status == OutboxStatus.Pending)));
        Assert.DoesNotContain(app.Smtp.Messages(), m => m.Contains(email));
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // past the first backoff
        await Poll.UntilAsync(() => Task.FromResult(app.Smtp.Messages().Any(m => m.Contains(email))));
        // A 4xx is not a bounce: the address does not go on the suppression list.
        var hash = app.Service<CareerRelay.Web.Infrastructure.Security.LookupHasher>().Person("email:" + email);
        Assert.False(await app.WithDbAsync(db => db.MailSuppressions.AnyAsync(x => x.AddressHash == hash)));
    }

    [Fact]
    public async Task MailInARow_GoesOverOneConnection()
    {
        var company = await _api.CreateCompanyAsync();
        var before = app.Smtp.Sessions().Count;
        for (var i = 0; i < 5; i++)
            await _api.PostAsync("/api/v1/company/ats/events", new
            {
                eventId = $"smtp-row-{i}", type = "rejected", applicationId = $"smtp-row-{i}", occurredAt = "2026-11-20T06:00:00Z",
                candidate = new { email = $"{ApiClient.Unique("row")}@example.jp" },
            }, company.Key);
        await Poll.UntilAsync(() => Task.FromResult(app.Smtp.Sessions().Count >= before + 5));
        Assert.Single(app.Smtp.Sessions().Skip(before).Distinct());
    }

    [Fact]
    public async Task AMailboxThatStopsWorking_IsSuppressed_ShownToThePersonAndTheAgency_AndLiftedWhenALinkGetsThrough()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("stops")}@example.jp";
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(token, email, agency.Id, await _api.NoticeVersionAsync(token))).Status);
        var verification = MailBox.Parse(await SmtpMailToAsync(email, "/verify/"));
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/verifications", new { code = MailBox.VerificationCode(verification) })).Status);
        var candidateId = (await _api.GetAsync("/api/v1/agency/candidates?limit=100", agency.Key)).Body!["items"]!.AsArray()
            .Single(c => c!["email"]!.GetValue<string>() == email)!["id"]!.GetValue<string>();
        var me = await SignInAsync(email);

        // The mailbox stops working: the agency's message notice is refused for good (550) and the address is suppressed.
        app.Smtp.Refuse(email);
        var hash = app.Service<CareerRelay.Web.Infrastructure.Security.LookupHasher>().Person("email:" + email);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "ご連絡です" }, agency.Key)).Status);
        await Poll.UntilAsync(() => app.WithDbAsync(db => db.MailSuppressions.AnyAsync(x => x.AddressHash == hash)));
        var (_, detail) = await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agency.Key);
        Assert.NotNull(detail!["mailRefusedSince"]);
        Assert.Contains("data-field=\"mailRefused\"", await me.GetStringAsync("/me"));

        // Mail the person did not ask for is not tried again; a sign-in link they ask for is (and is refused while the box is broken).
        var sessions = app.Smtp.Sessions().Count;
        await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/interviews", new
        {
            slots = new[] { new { start = "2027-01-12T10:00", end = "2027-01-12T11:00" } }, mode = "online",
        }, agency.Key);
        await Poll.UntilAsync(() => app.WithDbAsync(db => db.OutboxMails.AnyAsync(o => o.CandidateId == candidateId && o.Status == OutboxStatus.Suppressed)));
        Assert.Equal(sessions, app.Smtp.Sessions().Count);

        // The box works again: a sign-in link gets through, the person opens it, and the address leaves the list.
        app.Smtp.Refuse(email, refuse: false);
        await SignInAsync(email);
        Assert.False(await app.WithDbAsync(db => db.MailSuppressions.AnyAsync(x => x.AddressHash == hash)));
        Assert.DoesNotContain("data-field=\"mailRefused\"", await me.GetStringAsync("/me"));
        Assert.DoesNotContain(app.Logs, l => l.Contains(email, StringComparison.OrdinalIgnoreCase));

        // Refused again and then erased: the address's entry goes with the person.
        app.Smtp.Refuse(email);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/agency/candidates/{candidateId}/messages", new { text = "もう一度" }, agency.Key)).Status);
        await Poll.UntilAsync(() => app.WithDbAsync(db => db.MailSuppressions.AnyAsync(x => x.AddressHash == hash)));
        var erase = await me.PostAsync("/me/erase", Form(await me.GetStringAsync("/me"), ("confirm", "on")));
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.MailSuppressions.AnyAsync(x => x.AddressHash == hash)));
    }

    /// <summary>Signs in to /me with a link read from the SMTP server's mailbox.</summary>
    private async Task<HttpClient> SignInAsync(string email)
    {
        var before = app.Smtp.Messages().Count(m => m.Contains(email) && m.Contains("/me/"));
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/public/me/link", new { email })).Status);
        await Poll.UntilAsync(() => Task.FromResult(app.Smtp.Messages().Count(m => m.Contains(email) && m.Contains("/me/")) > before));
        var mail = MailBox.Parse(app.Smtp.Messages().Where(m => m.Contains(email) && m.Contains("/me/")).Last().Replace("\r\n", "\n").Replace("\n", "\r\n"));
        var token = System.Text.RegularExpressions.Regex.Match(mail.Body, @"/me/([A-Za-z0-9_\-]+)").Groups[1].Value;
        var browser = Browser(app);
        var page = await browser.GetStringAsync($"/me/{token}");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/me/{token}", Form(page))).StatusCode);
        return browser;
    }

    private async Task<string> SmtpMailToAsync(string email, string containing)
    {
        await Poll.UntilAsync(() => Task.FromResult(app.Smtp.Messages().Any(m => m.Contains(email) && m.Contains(containing))));
        return app.Smtp.Messages().Last(m => m.Contains(email) && m.Contains(containing)).Replace("\r\n", "\n").Replace("\n", "\r\n");
    }
}
