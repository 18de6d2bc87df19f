using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>
/// One message as an RFC 5322 / MIME file (.eml) for the pickup folder: UTF-8 text in base64, headers in RFC 2047
/// encoded words, a Message-ID and a Date. Written by hand rather than through <see cref="SmtpClient"/>'s pickup mode,
/// which cost more CPU than the rest of sending a registration's mail together (docs/benchmarks.md) and wrote no
/// Message-ID. The SMTP sender still builds a <see cref="MailMessage"/> (<see cref="MailMessages"/>) with the same headers.
/// </summary>
public static class EmlMessage
{
    // Bytes per encoded word, so that each header line fits 78 characters (RFC 5322 §2.1.1): 42 → 68 characters after
    // "Subject: "; 45 → the longest word RFC 2047 allows (75) after "From: ", so a display name of up to 15 Japanese
    // characters stays one word (some readers, Python's among them, keep the space between two words of a name).
    private const int SubjectWordBytes = 42, NameWordBytes = 45;

    public static byte[] Render(MailOptions options, MailContent mail, DateTimeOffset date, string messageId)
    {
        var from = new MailAddress(options.From);
        var to = new MailAddress(mail.To); // throws FormatException for anything that is not one address (no header injection)
        var text = new StringBuilder(1024 + mail.Body.Length * 2);
        void Header(string name, string value) => text.Append(name).Append(": ").Append(value).Append("\r\n");

        // The envelope, as pickup services (IIS SMTP, and SmtpClient's own pickup files) read it.
        Header("X-Sender", from.Address);
        Header("X-Receiver", to.Address);
        Header("Message-ID", $"<{messageId}@{from.Host}>");
        Header("Date", date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        // The address goes on the name's (last) line when it fits in 78 characters, else on a folded line of its own.
        var fromName = EncodedWords(mail.FromName ?? options.FromName, NameWordBytes);
        var nameLine = fromName.Contains('\n') ? fromName.Length - fromName.LastIndexOf('\n') - 1 : "From: ".Length + fromName.Length;
        Header("From", $"{fromName}{(nameLine + from.Address.Length + 3 > 78 ? "\r\n " : " ")}<{from.Address}>");
        Header("To", to.Address);
        if (mail.ReplyTo is { } replyTo) Header("Reply-To", new MailAddress(replyTo).Address);
        Header("Subject", EncodedWords(mail.Subject, SubjectWordBytes));
        Header("MIME-Version", "1.0");
        Header("Content-Type", "text/plain; charset=utf-8");
        Header("Content-Transfer-Encoding", "base64");
        Header("Content-Language", mail.Lang);
        if (mail.UnsubscribeUrl is { } unsubscribe)
        {
            Header("List-Unsubscribe", $"<{HeaderSafe(unsubscribe)}>");
            Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        text.Append("\r\n");

        // Text lines end in CRLF in MIME's canonical form (RFC 2046 §4.1.1), before the base64.
        var body = Encoding.UTF8.GetBytes(mail.Body.ReplaceLineEndings("\r\n"));
        var base64 = Convert.ToBase64String(body, Base64FormattingOptions.InsertLineBreaks); // 76-character lines, CRLF
        text.Append(base64).Append("\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// A phrase as RFC 2047 "B" encoded words in UTF-8, folded onto continuation lines. Encoding every phrase (even plain
    /// ASCII) means no character of it can be read as header syntax. Words split between characters, never inside one.
    /// </summary>
    internal static string EncodedWords(string phrase, int wordBytes)
    {
        if (phrase.Length == 0) return "";
        var words = new List<string>();
        var bytes = new List<byte>(wordBytes);
        var utf8 = new byte[8];
        foreach (var rune in phrase.EnumerateRunes())
        {
            if (Rune.IsControl(rune)) continue; // no line breaks or other controls in a header
            var n = rune.EncodeToUtf8(utf8);
            if (bytes.Count + n > wordBytes)
            {
                words.Add(Word(bytes));
                bytes.Clear();
            }
            bytes.AddRange(utf8.AsSpan(0, n));
        }
        if (bytes.Count > 0) words.Add(Word(bytes));
        return string.Join("\r\n ", words);

        static string Word(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String(bytes.ToArray()) + "?=";
    }

    private static string HeaderSafe(string value) =>
        value.All(c => c is > ' ' and < '\x7f' and not '>' and not '<')
            ? value
            : throw new FormatException("A header value must be printable ASCII without spaces or angle brackets.");
}
