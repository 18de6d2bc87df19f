using System.Text;
using System.Text.RegularExpressions;

namespace CareerRelay.Tests.Harness;

/// <summary>Reads the real .eml files the app writes to its pickup folder, as a mail client would.</summary>
public sealed partial class MailBox(string directory)
{
    public string Directory { get; } = directory;

    public sealed record Mail(string To, string Subject, string Body, string Raw);

    public IReadOnlyList<Mail> All()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        // In the order they were written: the pickup file names are random.
        return new DirectoryInfo(Directory).GetFiles("*.eml").OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name)
            .Select(f => Parse(File.ReadAllText(f.FullName))).ToList();
    }

    /// <summary>Waits for the background sender to deliver a mail to this address.</summary>
    public async Task<Mail> WaitForAsync(string to, int count = 1, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var mails = All().Where(m => m.To.Equals(to, StringComparison.OrdinalIgnoreCase)).ToList();
            if (mails.Count >= count) return mails[count - 1];
            if (DateTime.UtcNow > until) throw new TimeoutException($"No mail #{count} to {to} in {Directory}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for a mail to this address, after its first <paramref name="after"/>, that <paramref name="match"/> accepts —
    /// for an address that also gets other mail meanwhile (an agency's contact is told of each new candidate).</summary>
    public async Task<Mail> WaitForAsync(string to, Func<Mail, bool> match, int after = 0, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (All().Where(m => m.To.Equals(to, StringComparison.OrdinalIgnoreCase)).Skip(after).FirstOrDefault(match) is { } mail) return mail;
            if (DateTime.UtcNow > until) throw new TimeoutException($"No matching mail to {to} after #{after} in {Directory}.");
            await Task.Delay(50);
        }
    }

    /// <summary>A header as a mail client shows it: unfolded, RFC 2047 words decoded (e.g. a Japanese display name).</summary>
    public static string? Header(Mail mail, string name)
    {
        var headerText = mail.Raw[..mail.Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var line = Regex.Replace(headerText, "\r\n[ \t]+", " ").Split("\r\n")
            .FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        return line is null ? null : DecodeWords(line[(name.Length + 1)..].Trim());
    }

    public static string VerificationCode(Mail mail) => VerifyLink().Match(mail.Body).Groups[1].Value;

    public static Mail Parse(string raw)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = raw[..split];
        var body = raw[(split + 4)..];
        var headers = Regex.Replace(headerText, "\r\n[ \t]+", " ").Split("\r\n")
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (headers.TryGetValue("Content-Transfer-Encoding", out var enc) && enc.Equals("base64", StringComparison.OrdinalIgnoreCase))
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "")));
        else if (enc is not null && enc.Equals("quoted-printable", StringComparison.OrdinalIgnoreCase))
            body = Encoding.UTF8.GetString(QuotedPrintable(body.Replace("=\r\n", "")));
        return new Mail(headers["To"], DecodeWords(headers.GetValueOrDefault("Subject") ?? ""), body, raw);
    }

    private static string DecodeWords(string value) => EncodedWord().Replace(value, m =>
        m.Groups[1].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[2].Value))
            : Encoding.UTF8.GetString(QuotedPrintable(m.Groups[2].Value.Replace('_', ' '))));

    private static byte[] QuotedPrintable(string s)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '=' && i + 2 < s.Length) { bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16)); i += 2; }
            else bytes.Add((byte)s[i]);
        }
        return bytes.ToArray();
    }

    [GeneratedRegex(@"/verify/([A-Za-z0-9_\-]+)")] private static partial Regex VerifyLink();
    // Whitespace between two encoded words is folding, not text (RFC 2047 §6.2); before plain text it stays.
    [GeneratedRegex(@"=\?utf-8\?([BQ])\?([^?]*)\?=(?:\s+(?==\?utf-8\?))?", RegexOptions.IgnoreCase)] private static partial Regex EncodedWord();
}
