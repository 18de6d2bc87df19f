using MailKit;
using MailKit.Net.Smtp;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Security;
using MimeKit;
using MimeKit.Cryptography;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>The receiving server refused a recipient for good (5xx): retrying cannot help; the address goes on the suppression list.</summary>
public sealed class MailRefusedException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>
/// SMTP through MailKit: implicit TLS or STARTTLS (<c>Mail:Smtp:Security</c>), authentication when a user is set, one
/// connection reused across a batch (closed after <c>Mail:Smtp:IdleSeconds</c> without mail, and opened again after any
/// failure), delivery status notifications (NOTIFY=FAILURE,DELAY) where the server offers DSN, optional DKIM signing. A
/// recipient refused with 5xx throws <see cref="MailRefusedException"/>; anything else (4xx, a timeout, a dropped
/// connection) is transient and the outbox tries again later.
/// </summary>
public sealed class SmtpMailSender(IOptions<MailOptions> options, TimeProvider clock, ILogger<SmtpMailSender> logger) : IMailSender, IAsyncDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private NotifyingClient? _client;
    private long _lastUsed;

    public async Task SendAsync(MailContent mail, CancellationToken ct)
    {
        var message = MimeMessages.Build(options.Value, mail, clock.GetUtcNow());
        Sign(message);
        await _one.WaitAsync(ct);
        try
        {
            var client = await ConnectedAsync(ct);
            try
            {
                await client.SendAsync(message, ct);
                _lastUsed = clock.GetTimestamp();
            }
            catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode is >= 500 and < 600)
            {
                // The connection is still good (the server answered the RCPT); reset it for the next message.
                await ResetOrDropAsync(client);
                throw new MailRefusedException((int)ex.StatusCode, $"SMTP {(int)ex.StatusCode}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await DropAsync();
                throw;
            }
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<NotifyingClient> ConnectedAsync(CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var idle = clock.GetElapsedTime(_lastUsed) > TimeSpan.FromSeconds(smtp.IdleSeconds);
        if (_client is { IsConnected: true } open && !idle) return open;
        await DropAsync();
        var client = new NotifyingClient { Timeout = smtp.TimeoutSeconds * 1000 };
        if (_trusted.Value is { } trusted) client.ServerCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(trusted, certificate, errors);
        await client.ConnectAsync(smtp.Host!, smtp.Port, SecurityOf(smtp), ct);
        if (!string.IsNullOrEmpty(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
        _lastUsed = clock.GetTimestamp();
        Connections++;
        return _client = client;
    }

    /// <summary>
    /// <c>Mail:Smtp:TrustedCertificateFile</c>: a PEM certificate (a private CA's, or the relay's own) trusted besides the
    /// system's roots — for a relay inside the network. The host name must still match.
    /// </summary>
    private readonly Lazy<X509Certificate2?> _trusted = new(() => options.Value.Smtp.TrustedCertificateFile is { Length: > 0 } file
        ? X509Certificate2.CreateFromPem(File.ReadAllText(file)) : null);

    private static bool TrustedBy(X509Certificate2 root, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>How many connections this sender opened (one per batch when mail flows; the tests read it).</summary>
    public int Connections { get; private set; }

    private static SecureSocketOptions SecurityOf(MailOptions.SmtpOptions smtp) => smtp.Security switch
    {
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.None => SecureSocketOptions.None,
        // Auto: implicit TLS on 465; elsewhere STARTTLS, required unless EnableSsl is off (a local relay without TLS).
        _ => smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : smtp.EnableSsl ? SecureSocketOptions.StartTls : SecureSocketOptions.None,
    };

    private async Task ResetOrDropAsync(SmtpClient client)
    {
        try { await client.NoOpAsync(); }
        catch (Exception ex) when (ex is not OperationCanceledException) { await DropAsync(); }
    }

    private async Task DropAsync()
    {
        if (_client is null) return;
        try { if (_client.IsConnected) await _client.DisconnectAsync(quit: true); }
        catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogDebug("Closing the SMTP connection failed: {Error}", ex.GetType().Name); }
        _client.Dispose();
        _client = null;
    }

    /// <summary>DKIM (RFC 6376) with relaxed canonicalisation over the headers a receiver shows, when <c>Mail:Dkim:*</c> is set.</summary>
    private void Sign(MimeMessage message)
    {
        var dkim = options.Value.Dkim;
        if (string.IsNullOrEmpty(dkim.Domain) || string.IsNullOrEmpty(dkim.Selector) || string.IsNullOrEmpty(dkim.PrivateKeyFile)) return;
        var signer = new DkimSigner(dkim.PrivateKeyFile, dkim.Domain, dkim.Selector)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ReplyTo, HeaderId.ContentType]);
    }

    public async ValueTask DisposeAsync()
    {
        await DropAsync();
        _one.Dispose();
    }

    /// <summary>Asks for a report of failure or delay when the server offers DSN (RFC 3461); MailKit asks only then.</summary>
    private sealed class NotifyingClient : SmtpClient
    {
        protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
            DeliveryStatusNotification.Failure | DeliveryStatusNotification.Delay;
    }
}

/// <summary>The same message as the .eml writer's (<see cref="EmlMessage"/>), as a MimeKit message for SMTP.</summary>
internal static class MimeMessages
{
    public static MimeMessage Build(MailOptions options, MailContent mail, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = mail.Subject, Date = date };
        message.From.Add(new MailboxAddress(mail.FromName ?? options.FromName, options.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        if (mail.ReplyTo is { } replyTo) message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(new System.Net.Mail.MailAddress(options.From).Host);
        message.Headers.Add("Content-Language", mail.Lang);
        if (mail.UnsubscribeUrl is { } unsubscribe)
        {
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        var text = new TextPart("plain") { Text = mail.Body.ReplaceLineEndings("\r\n") };
        text.ContentType.Charset = "utf-8";
        if (mail.Calendar is not { } calendar)
        {
            message.Body = text;
            return message;
        }
        // As calendar services send invitations (RFC 6047): text and calendar as alternatives, and the calendar as invite.ics.
        var ics = new TextPart("calendar") { Text = calendar.Ics, ContentTransferEncoding = ContentEncoding.Base64 };
        ics.ContentType.Charset = "utf-8";
        ics.ContentType.Parameters.Add("method", calendar.Method);
        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(calendar.Ics))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "invite.ics" },
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "invite.ics",
        };
        message.Body = new Multipart("mixed") { new MultipartAlternative { text, ics }, attachment };
        return message;
    }
}
