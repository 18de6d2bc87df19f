using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>Hands one message to the outside world. Two implementations: SMTP and a pickup folder of .eml files.</summary>
public interface IMailSender
{
    Task SendAsync(MailContent mail, CancellationToken ct);
}

internal static class MailMessages
{
    public static MailMessage Build(MailOptions options, MailContent mail)
    {
        var message = new MailMessage
        {
            From = new MailAddress(options.From, mail.FromName ?? options.FromName, Encoding.UTF8),
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = mail.Body,
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        message.To.Add(new MailAddress(mail.To));
        if (mail.ReplyTo is { } replyTo) message.ReplyToList.Add(new MailAddress(replyTo));
        message.Headers.Add("Content-Language", mail.Lang);
        if (mail.UnsubscribeUrl is { } unsubscribe)
        {
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        return message;
    }
}

public sealed class SmtpMailSender(IOptions<MailOptions> options) : IMailSender
{
    public async Task SendAsync(MailContent mail, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl };
        if (!string.IsNullOrEmpty(smtp.UserName)) client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        using var message = MailMessages.Build(options.Value, mail);
        await client.SendMailAsync(message, ct);
    }
}

/// <summary>Writes each message as an .eml file (RFC 5322) into the pickup folder, as an SMTP relay's pickup service expects.</summary>
public sealed class PickupDirectoryMailSender(IOptions<MailOptions> options, string directory) : IMailSender
{
    public string Directory { get; } = directory;

    public async Task SendAsync(MailContent mail, CancellationToken ct)
    {
        // Written in a private folder, then moved in: a reader (a pickup service, a test) never sees half a file.
        var staging = Path.Combine(Directory, ".staging", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(staging);
        try
        {
            using (var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = staging })
            using (var message = MailMessages.Build(options.Value, mail))
                await client.SendMailAsync(message, ct);
            foreach (var file in System.IO.Directory.GetFiles(staging))
                File.Move(file, Path.Combine(Directory, Path.GetFileName(file)));
        }
        finally
        {
            System.IO.Directory.Delete(staging, recursive: true);
        }
    }
}
