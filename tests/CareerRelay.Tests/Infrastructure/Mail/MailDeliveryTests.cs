using System.Net;
using System.Text;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Tests.Infrastructure.Mail;

/// <summary>An app whose mail goes to a real SMTP conversation on loopback, with a server that starts out down.</summary>
public sealed class SmtpApp() : CareerRelayApp(Provider.Sqlite)
{
    public FakeSmtpServer Smtp { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = Smtp.Port.ToString(),
        ["Mail:Smtp:EnableSsl"] = "false",
    };

    public override async ValueTask DisposeAsync()
    {
        await Smtp.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class MailDeliveryTests(SmtpApp app) : IClassFixture<SmtpApp>
{
    [Fact]
    public async Task VerificationMail_WhileSmtpIsDown_IsKeptAndRetriedUntilDelivered()
    {
        var api = app.Api();
        var (_, agency, _, token) = await api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("smtp")}@example.jp";

        // The registration is accepted although the mail server is down: sending never blocks it.
        var (status, _) = await api.RegisterAsync(token, email, agency.Id);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await Poll.UntilAsync(async () => await app.WithDbAsync(db => db.OutboxMails.AnyAsync(m => m.Attempts >= 1 && m.Status == OutboxStatus.Pending)));
        var failed = await app.WithDbAsync(db => db.OutboxMails.FirstAsync(m => m.Attempts >= 1));
        Assert.Equal("SocketException", failed.LastError); // connection refused: only the type is kept (messages can echo addresses)

        // The server comes up; after the backoff the mail goes out through a real SMTP conversation.
        app.Smtp.Start();
        app.Clock.Advance(TimeSpan.FromHours(1));
        await Poll.UntilAsync(() => Task.FromResult(!app.Smtp.Messages.IsEmpty));
        var (from, to, data) = app.Smtp.Messages.First();
        Assert.Contains("no-reply@careerrelay.example", from);
        Assert.Contains(email, Assert.Single(to));
        Assert.Contains("/verify/", Encoding.UTF8.GetString(Convert.FromBase64String(
            string.Concat(data[(data.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..].Split("\r\n")))));
        await Poll.UntilAsync(async () => await app.WithDbAsync(db => db.OutboxMails.AllAsync(m => m.Status == OutboxStatus.Sent)));
    }

}
