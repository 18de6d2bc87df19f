using System.Text.Json;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.Extensions.Options;

namespace CareerRelay.Tests.Infrastructure.Mail;

/// <summary>
/// The .eml files we write by hand, read by an independent mail parser (Python's standard <c>email</c> package, as a
/// pickup service or mail client would): every header and the Japanese body come back exactly, with no defects.
/// </summary>
public sealed class EmlMessageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("careerrelay-eml-").FullName;

    /// <summary>A plain address is written as it is without the parser (issue 23); anything else still goes through it.</summary>
    [Theory]
    [InlineData("taro.yamada@example.jp")]
    [InlineData("Hanako.Yamada+test@Example.JP")]
    [InlineData("a_b-c@sub.example.co.jp")]
    [InlineData("x@localhost")]
    [InlineData("\"quoted name\"@example.jp")]
    [InlineData("山田 <taro@example.jp>")]
    [InlineData("taro@example.jp\r\nBcc: victim@example.jp")]
    [InlineData("a@b@c.jp")]
    [InlineData(".a@example.jp")]
    [InlineData("a.@example.jp")]
    [InlineData("a..b@example.jp")]
    [InlineData("a@example..jp")]
    [InlineData("a@.example.jp")]
    [InlineData("@example.jp")]
    [InlineData("a@")]
    [InlineData("taro@例え.jp")]
    public void OneAddress_AnswersAsTheMailAddressParserDoes(string text)
    {
        string? parsed;
        try { parsed = new System.Net.Mail.MailAddress(text).Address; }
        catch (FormatException) { parsed = null; }
        if (parsed is null) Assert.Throws<FormatException>(() => EmlMessage.OneAddress(text));
        else Assert.Equal(parsed, EmlMessage.OneAddress(text));
    }

    [Fact]
    public async Task AMailClient_ReadsEveryHeaderAndTheJapaneseBody_AsWritten()
    {
        var subject = "【キャリアリレー】選考結果のご連絡と、ほかの企業をご紹介できるキャリア支援のご案内（無料）";
        var body = "山田 太郎 様\n\nこのたびはご応募いただき、誠にありがとうございました。\n次のリンクからご登録ください。\nhttps://relay.example/r/abc?lang=ja\n\n-- \n株式会社リレー商事 採用チーム";
        var mail = new MailContent("taro.yamada@example.jp", subject, body, "ja", UnsubscribeUrl: "https://relay.example/unsubscribe/xyz",
            FromName: "株式会社リレー商事 採用チーム", ReplyTo: "jinji@relay-shoji.example.co.jp");

        var parsed = await ReadWithPythonAsync(await SendAsync(mail));

        Assert.Equal("[]", parsed.GetProperty("defects").GetRawText());
        Assert.Equal("株式会社リレー商事 採用チーム", parsed.GetProperty("fromName").GetString());
        Assert.Equal("no-reply@careerrelay.example", parsed.GetProperty("fromAddress").GetString());
        Assert.Equal("taro.yamada@example.jp", parsed.GetProperty("to").GetString());
        Assert.Equal("jinji@relay-shoji.example.co.jp", parsed.GetProperty("replyTo").GetString());
        Assert.Equal(subject, parsed.GetProperty("subject").GetString());
        Assert.Equal(body, parsed.GetProperty("body").GetString());
        Assert.Equal("ja", parsed.GetProperty("language").GetString());
        Assert.Equal("text/plain; charset=\"utf-8\"", parsed.GetProperty("contentType").GetString());
        Assert.Equal("<https://relay.example/unsubscribe/xyz>", parsed.GetProperty("unsubscribe").GetString());
        Assert.Equal("List-Unsubscribe=One-Click", parsed.GetProperty("unsubscribePost").GetString());
        Assert.Equal(new TestClock().GetUtcNow(), DateTimeOffset.Parse(parsed.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches("^<[0-9a-f]{32}@careerrelay.example>$", parsed.GetProperty("messageId").GetString());
        Assert.True(parsed.GetProperty("longestHeaderLine").GetInt32() <= 78, "header lines fold within 78 characters (RFC 5322 §2.1.1)");
        Assert.Equal("8bit", parsed.GetProperty("transferEncoding").GetString());
    }

    [Fact]
    public async Task TheFile_ReadsAsPlainText_InAnyEditor_WithTheLinkWhole()
    {
        var body = "佐藤 花子 様\n\n次のリンクを開き、ボタンを押してください。\nhttps://relay.example/verify/Abc-123_xyz?lang=ja\n";
        var raw = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(await SendAsync(new MailContent("hanako@example.jp", "確認", body, "ja"))));
        Assert.Contains("https://relay.example/verify/Abc-123_xyz?lang=ja\r\n", raw);
        Assert.Contains("次のリンクを開き、ボタンを押してください。", raw);
    }

    [Fact]
    public async Task ALineTooLongFor8Bit_IsWrittenQuotedPrintable_AndReadsBackExactly()
    {
        var body = "職務経歴：" + string.Concat(Enumerable.Repeat("法人営業として新規開拓を担当。", 40)) + "\nhttps://relay.example/me/token=with=equals";
        var parsed = await ReadWithPythonAsync(await SendAsync(new MailContent("hanako@example.jp", "長文", body, "ja")));
        Assert.Equal("[]", parsed.GetProperty("defects").GetRawText());
        Assert.Equal("quoted-printable", parsed.GetProperty("transferEncoding").GetString());
        Assert.Equal(body, parsed.GetProperty("body").GetString());
        Assert.True(parsed.GetProperty("longestLine").GetInt32() <= 78);
    }

    [Fact]
    public async Task LineBreaksInASubjectOrName_CannotAddHeaders_AndABadAddressIsRefused()
    {
        var mail = new MailContent("taro@example.jp", "ご案内\r\nBcc: everyone@example.jp", "本文", "ja", FromName: "採用\r\nX-Evil: 1");

        var parsed = await ReadWithPythonAsync(await SendAsync(mail));

        Assert.Equal("ご案内Bcc: everyone@example.jp", parsed.GetProperty("subject").GetString());
        Assert.Equal("採用X-Evil: 1", parsed.GetProperty("fromName").GetString());
        Assert.Equal(JsonValueKind.Null, parsed.GetProperty("bcc").ValueKind);
        await Assert.ThrowsAsync<FormatException>(() => SendAsync(mail with { To = "taro@example.jp\r\nBcc: everyone@example.jp" }));
        Assert.Single(Directory.GetFiles(_folder, "*.eml", SearchOption.AllDirectories)); // the refused one left nothing behind
    }

    private async Task<string> SendAsync(MailContent mail)
    {
        var sender = new PickupDirectoryMailSender(Options.Create(new MailOptions()), _folder, new TestClock());
        var before = Directory.GetFiles(_folder, "*.eml").ToHashSet();
        await sender.SendAsync(mail, CancellationToken.None);
        return Assert.Single(Directory.GetFiles(_folder, "*.eml"), f => !before.Contains(f));
    }

    private static async Task<JsonElement> ReadWithPythonAsync(string path)
    {
        const string script = """
            import email, email.policy, email.utils, json, sys
            raw = open(sys.argv[1], 'rb').read()
            m = email.message_from_bytes(raw, policy=email.policy.default)
            defects = [type(d).__name__ for d in m.defects]
            for name in m.keys():
                defects += [f"{name}: {type(d).__name__}" for d in m[name].defects]
            sender = m['From'].addresses[0]
            print(json.dumps({
                'defects': defects,
                'fromName': sender.display_name, 'fromAddress': sender.addr_spec,
                'to': m['To'].addresses[0].addr_spec, 'replyTo': m['Reply-To'] and m['Reply-To'].addresses[0].addr_spec,
                'subject': str(m['Subject']), 'body': m.get_content().replace('\r\n', '\n'),
                'language': str(m['Content-Language']), 'contentType': str(m['Content-Type']),
                'unsubscribe': m['List-Unsubscribe'] and str(m['List-Unsubscribe']),
                'unsubscribePost': m['List-Unsubscribe-Post'] and str(m['List-Unsubscribe-Post']),
                'date': m['Date'].datetime.isoformat(), 'messageId': str(m['Message-ID']),
                'bcc': m['Bcc'] and str(m['Bcc']),
                'longestLine': max(len(line) for line in raw.split(b'\r\n')),
                'longestHeaderLine': max(len(line) for line in raw.split(b'\r\n\r\n')[0].split(b'\r\n')),
                'transferEncoding': str(m['Content-Transfer-Encoding']),
            }, ensure_ascii=False))
            """;
        return await Python.ReadJsonAsync(script, path, "the message");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
