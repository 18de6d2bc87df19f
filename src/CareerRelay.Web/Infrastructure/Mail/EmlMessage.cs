using System.Buffers;
using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>
/// One message as an RFC 5322 / MIME file (.eml) for the pickup folder: UTF-8 text as 8bit (readable in any editor, links
/// whole; quoted-printable when a line is too long for 8bit), headers in RFC 2047 encoded words, a Message-ID and a Date. Written by hand rather than through <see cref="SmtpClient"/>'s pickup mode,
/// which cost more CPU than the rest of sending a registration's mail together (docs/benchmarks.md) and wrote no
/// Message-ID. The SMTP sender builds the same message with MimeKit (<see cref="MimeMessages"/>).
/// </summary>
public static class EmlMessage
{
    // Bytes per encoded word, so that each header line fits 78 characters (RFC 5322 §2.1.1): 42 → 68 characters after
    // "Subject: "; 45 → the longest word RFC 2047 allows (75) after "From: ", so a display name of up to 15 Japanese
    // characters stays one word (some readers, Python's among them, keep the space between two words of a name).
    private const int SubjectWordBytes = 42, NameWordBytes = 45;
    private const int MaxLineBytes = 998; // RFC 5322 §2.1.1: a line of an 8bit body
    private const int QuotedLineLength = 76; // RFC 2045 §6.7

    /// <summary>
    /// The message's bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>: the caller writes the first
    /// <c>Length</c> bytes and returns the buffer. Built in a per-thread text buffer and encoded straight from it: a
    /// registration's mail was a fifth of the bytes a registration allocated, most of them copies of the same text (the
    /// builder's chunks, its string, the body with its line endings replaced, the UTF-8 array; issue 23's allocation profile).
    /// </summary>
    public static (byte[] Buffer, int Length) Render(MailOptions options, MailContent mail, DateTimeOffset date, string messageId)
    {
        var text = t_text ?? new StringBuilder(4096);
        t_text = null; // this thread's builder is ours until we give it back (Render does not re-enter)
        try
        {
            Write(text, options, mail, date, messageId);
            var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
            var encoder = t_encoder ??= Encoding.UTF8.GetEncoder();
            encoder.Reset();
            var length = 0;
            foreach (var chunk in text.GetChunks()) length += encoder.GetBytes(chunk.Span, buffer.AsSpan(length), flush: false);
            length += encoder.GetBytes([], buffer.AsSpan(length), flush: true);
            return (buffer, length);
        }
        finally
        {
            // The text holds a person's address and message: cleared before the builder is kept for the next one.
            text.Clear();
            if (text.Capacity <= 64 * 1024) t_text = text;
        }
    }

    [ThreadStatic] private static StringBuilder? t_text;
    [ThreadStatic] private static Encoder? t_encoder;

    private static void Write(StringBuilder text, MailOptions options, MailContent mail, DateTimeOffset date, string messageId)
    {
        var from = FromAddress(options.From);
        var to = OneAddress(mail.To);
        void Header(string name, string value) => text.Append(name).Append(": ").Append(value).Append("\r\n");

        // The envelope, as pickup services (IIS SMTP, and SmtpClient's own pickup files) read it.
        Header("X-Sender", from.Address);
        Header("X-Receiver", to);
        text.Append("Message-ID: <").Append(messageId).Append('@').Append(from.Host).Append(">\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Date: {date.ToUniversalTime():ddd, dd MMM yyyy HH:mm:ss '+0000'}\r\n");
        // The address goes on the name's (last) line when it fits in 78 characters, else on a folded line of its own.
        var lineStart = text.Length;
        text.Append("From: ");
        AppendEncodedWords(text, mail.FromName ?? options.FromName, NameWordBytes);
        for (var i = text.Length - 1; i > lineStart; i--)
            if (text[i] == '\n') { lineStart = i + 1; break; }
        text.Append(text.Length - lineStart + from.Address.Length + 3 > 78 ? "\r\n " : " ").Append('<').Append(from.Address).Append(">\r\n");
        Header("To", to);
        if (mail.ReplyTo is { } replyTo) Header("Reply-To", new MailAddress(replyTo).Address);
        text.Append("Subject: ");
        AppendEncodedWords(text, mail.Subject, SubjectWordBytes);
        text.Append("\r\n");
        Header("MIME-Version", "1.0");
        // Text lines end in CRLF in MIME's canonical form (RFC 2046 §4.1.1): written line by line (AppendText), not copied first.
        var body = mail.Body;
        var eightBit = Fits8Bit(body);
        if (mail.Calendar is null)
        {
            Header("Content-Type", "text/plain; charset=utf-8");
            Header("Content-Transfer-Encoding", eightBit ? "8bit" : "quoted-printable");
        }
        else
        {
            text.Append("Content-Type: multipart/mixed; boundary=\"=_").Append(messageId).Append("m\"\r\n");
            // A multipart holding an 8bit part is itself 8bit (RFC 2045 §6.4).
            if (eightBit) Header("Content-Transfer-Encoding", "8bit");
        }
        Header("Content-Language", mail.Lang);
        if (mail.UnsubscribeUrl is { } unsubscribe)
        {
            Header("List-Unsubscribe", $"<{HeaderSafe(unsubscribe)}>");
            Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        text.Append("\r\n");
        if (mail.Calendar is { } calendar)
        {
            var boundary = $"=_{messageId}";
            // As calendar services send invitations (RFC 6047): the text and the calendar object as alternatives — a mail
            // program that knows calendars shows the invitation, any other the text — and the same object as invite.ics to keep.
            var method = calendar.Method.All(char.IsAsciiLetterUpper) ? calendar.Method : throw new FormatException("An iTIP method is a word.");
            text.Append($"--{boundary}m\r\nContent-Type: multipart/alternative; boundary=\"{boundary}a\"\r\n")
                .Append(eightBit ? "Content-Transfer-Encoding: 8bit\r\n\r\n" : "\r\n");
            text.Append($"--{boundary}a\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: {(eightBit ? "8bit" : "quoted-printable")}\r\n\r\n");
            AppendText(text, body, eightBit);
            text.Append($"\r\n--{boundary}a\r\nContent-Type: text/calendar; charset=utf-8; method={method}\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            AppendBase64(text, Encoding.UTF8.GetBytes(calendar.Ics));
            text.Append($"--{boundary}a--\r\n--{boundary}m\r\nContent-Type: application/ics; name=\"invite.ics\"\r\n")
                .Append("Content-Disposition: attachment; filename=\"invite.ics\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            AppendBase64(text, Encoding.UTF8.GetBytes(calendar.Ics));
            text.Append($"--{boundary}m--\r\n");
        }
        else AppendText(text, body, eightBit);
    }

    /// <summary>The one address <paramref name="text"/> holds, or FormatException for anything else (no header injection).</summary>
    internal static string OneAddress(string text) => PlainAddress.Is(text) ? text : new MailAddress(text).Address;

    /// <summary>The configured sender, parsed once per configured value rather than once per message.</summary>
    private static MailAddress FromAddress(string from)
    {
        if (s_from is { } cached && ReferenceEquals(cached.Text, from)) return cached.Address;
        var parsed = new MailAddress(from);
        s_from = new ParsedFrom(from, parsed);
        return parsed;
    }

    private sealed record ParsedFrom(string Text, MailAddress Address);
    private static ParsedFrom? s_from;

    /// <summary>The body with every line ending as CRLF (as <see cref="string.ReplaceLineEndings(string)"/> would make it).</summary>
    private static void AppendText(StringBuilder text, string body, bool eightBit)
    {
        var first = true;
        foreach (var line in body.AsSpan().EnumerateLines())
        {
            if (!first) text.Append("\r\n");
            first = false;
            if (eightBit) text.Append(line);
            else AppendQuotedPrintable(text, line);
        }
    }

    /// <summary>Base64 in lines of 76 characters (RFC 2045 §6.8), each ending in CRLF.</summary>
    private static void AppendBase64(StringBuilder text, byte[] bytes)
    {
        var encoded = Convert.ToBase64String(bytes);
        for (var i = 0; i < encoded.Length; i += 76) text.Append(encoded, i, Math.Min(76, encoded.Length - i)).Append("\r\n");
    }

    /// <summary>8bit allows any UTF-8 text without NUL or bare control characters, in lines of at most 998 bytes.</summary>
    private static bool Fits8Bit(string body)
    {
        foreach (var line in body.AsSpan().EnumerateLines())
            if (Encoding.UTF8.GetByteCount(line) > MaxLineBytes || ContainsControl(line)) return false;
        return true;
    }

    private static bool ContainsControl(ReadOnlySpan<char> line)
    {
        foreach (var c in line)
            if (char.IsControl(c) && c != '\t') return true;
        return false;
    }

    /// <summary>Quoted-printable (RFC 2045 §6.7) of one line of the UTF-8 text: soft line breaks at 76 characters.</summary>
    private static void AppendQuotedPrintable(StringBuilder text, ReadOnlySpan<char> line)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var column = 0;
        for (var i = 0; i < line.Length;)
        {
            Rune.DecodeFromUtf16(line[i..], out var rune, out var consumed);
            var bytes = rune.EncodeToUtf8(utf8);
            var last = i + consumed == line.Length;
            var literal = rune.Value is >= 33 and <= 126 and not '=' || (rune.Value is ' ' or '\t' && !last);
            var width = literal ? 1 : 3 * bytes;
            if (column + width > QuotedLineLength - 1)
            {
                text.Append("=\r\n");
                column = 0;
            }
            if (literal) text.Append((char)rune.Value);
            else
                foreach (var b in utf8[..bytes]) text.Append('=').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            column += width;
            i += consumed;
        }
    }

    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>
    /// Appends a phrase as RFC 2047 "B" encoded words in UTF-8, folded onto continuation lines. Encoding every phrase
    /// (even plain ASCII) means no character of it can be read as header syntax. Words split between characters, never
    /// inside one; control characters (line breaks among them) are left out.
    /// </summary>
    internal static void AppendEncodedWords(StringBuilder text, string phrase, int wordBytes)
    {
        Span<byte> word = stackalloc byte[wordBytes];
        Span<char> base64 = stackalloc char[(wordBytes + 2) / 3 * 4];
        var length = 0;
        var words = 0;
        foreach (var rune in phrase.EnumerateRunes())
        {
            if (Rune.IsControl(rune)) continue;
            if (length + rune.Utf8SequenceLength > wordBytes)
            {
                AppendWord(text, word[..length], base64, words++);
                length = 0;
            }
            length += rune.EncodeToUtf8(word[length..]);
        }
        if (length > 0) AppendWord(text, word[..length], base64, words);
    }

    private static void AppendWord(StringBuilder text, ReadOnlySpan<byte> word, Span<char> base64, int wordsBefore)
    {
        Convert.TryToBase64Chars(word, base64, out var written);
        text.Append(wordsBefore == 0 ? "" : "\r\n ").Append("=?utf-8?B?").Append(base64[..written]).Append("?=");
    }

    private static string HeaderSafe(string value) =>
        value.All(c => c is > ' ' and < '\x7f' and not '>' and not '<')
            ? value
            : throw new FormatException("A header value must be printable ASCII without spaces or angle brackets.");
}
