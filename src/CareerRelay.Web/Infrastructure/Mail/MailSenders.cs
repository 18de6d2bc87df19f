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
/// <remarks>
/// A message is written into this sender's own staging folder and then moved in, so a reader (a pickup service, a test)
/// never sees half a file. The staging folder lives as long as the sender: making and deleting one per message cost more
/// CPU than writing the message (profile in docs/benchmarks.md). Sends take turns, so the folder only ever holds the
/// message being written. A staging folder left by a crashed process may hold half a message (personal data), so a new
/// sender deletes staging folders nobody has written to for a day.
/// </remarks>
public sealed class PickupDirectoryMailSender : IMailSender
{
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);
    private readonly IOptions<MailOptions> _options;
    private readonly string _staging;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public PickupDirectoryMailSender(IOptions<MailOptions> options, string directory)
    {
        _options = options;
        Directory = directory;
        var stagingRoot = Path.Combine(directory, ".staging");
        _staging = Path.Combine(stagingRoot, Guid.NewGuid().ToString("N"));
        // "A day" by the file system's own clock (our new folder's time), the clock that stamped the others.
        var now = System.IO.Directory.CreateDirectory(_staging).LastWriteTimeUtc;
        DeleteAbandoned(stagingRoot, now - AbandonedAfter);
    }

    public string Directory { get; }

    public async Task SendAsync(MailContent mail, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            System.IO.Directory.CreateDirectory(_staging); // again each time: another node's clean-up may have taken it while idle
            try
            {
                using var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = _staging };
                using var message = MailMessages.Build(_options.Value, mail);
                await client.SendMailAsync(message, ct);
            }
            catch
            {
                foreach (var partial in System.IO.Directory.GetFiles(_staging)) File.Delete(partial);
                throw;
            }
            foreach (var file in System.IO.Directory.GetFiles(_staging))
                File.Move(file, Path.Combine(Directory, Path.GetFileName(file)));
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private static void DeleteAbandoned(string stagingRoot, DateTime untouchedSince)
    {
        if (!System.IO.Directory.Exists(stagingRoot)) return;
        foreach (var folder in System.IO.Directory.GetDirectories(stagingRoot))
        {
            try
            {
                if (System.IO.Directory.GetLastWriteTimeUtc(folder) < untouchedSince) System.IO.Directory.Delete(folder, recursive: true);
            }
            catch (IOException) { } // another node cleaning up at the same moment
        }
    }
}
