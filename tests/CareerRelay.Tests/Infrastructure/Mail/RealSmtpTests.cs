using CareerRelay.Tests.Harness.Smtp;
using CareerRelay.Web.Infrastructure.Mail;

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
        Assert.Equal("base64", MailBox.Header(mail, "Content-Transfer-Encoding"));
        Assert.Equal("ja", MailBox.Header(mail, "Content-Language"));
        // Every header line is 7-bit ASCII (Japanese only as encoded words), and the body decodes as UTF-8 Japanese.
        var headerBlock = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.All(headerBlock, c => Assert.True(c < 128, $"Non-ASCII character in the header: {c}"));
        Assert.Matches("(?m)^Subject: =\\?utf-8\\?[BQ]\\?", headerBlock);
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
}
