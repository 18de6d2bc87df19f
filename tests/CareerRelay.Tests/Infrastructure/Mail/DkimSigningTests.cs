using System.Security.Cryptography;
using CareerRelay.Tests.Harness.Smtp;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CareerRelay.Tests.Infrastructure.Mail;

/// <summary>
/// DKIM signing (<c>Mail:Dkim:*</c>) checked the way a receiving server checks it: the mail goes through the real aiosmtpd,
/// and an independent verifier — dkimpy (Debian's python3-dkim), given the selector's DNS record — verifies the message as
/// received, Japanese subject and body included. A body changed after signing must fail the same verifier.
/// </summary>
public sealed class DkimSigningTests : IDisposable
{
    private readonly string _directory = Databases.NewTempDirectory();

    private const string Verify = """
        import dkim, json, sys
        raw = open(sys.argv[1], 'rb').read().replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
        record = open(sys.argv[1] + '.dns', 'rb').read()
        def dns(name, timeout=5):
            return record if name == b'relay2026._domainkey.careerrelay.example.' else None
        signature = [l for l in raw.split(b'\r\n') if l.lower().startswith(b'dkim-signature:')]
        print(json.dumps({'ok': dkim.verify(raw, dnsfunc=dns), 'signed': len(signature),
                          'tampered': dkim.verify(raw.rstrip(b'\r\n') + b'\r\nP.S. changed on the way\r\n', dnsfunc=dns)}))
        """;

    [Fact]
    public async Task SignedMail_VerifiesAtTheReceiver_AndABodyChangedOnTheWayDoesNot()
    {
        using var key = RSA.Create(2048);
        var keyFile = Path.Combine(_directory, "dkim.pem");
        await File.WriteAllTextAsync(keyFile, key.ExportRSAPrivateKeyPem(), TestContext.Current.CancellationToken);
        using var server = new AiosmtpdServer();
        await using var sender = new SmtpMailSender(Options.Create(new MailOptions
        {
            From = "no-reply@careerrelay.example",
            Smtp = new MailOptions.SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None },
            Dkim = new MailOptions.DkimOptions { Domain = "careerrelay.example", Selector = "relay2026", PrivateKeyFile = keyFile },
        }), TimeProvider.System, NullLogger<SmtpMailSender>.Instance);

        await sender.SendAsync(new MailContent("dkim@example.jp", "面談のご案内", "面談の日程をお知らせします。\nよろしくお願いいたします。", "ja"),
            TestContext.Current.CancellationToken);

        var received = Path.Combine(_directory, "received.eml");
        await File.WriteAllTextAsync(received, Assert.Single(server.Messages()), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(received + ".dns", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
            TestContext.Current.CancellationToken);
        var result = await Harness.Python.ReadJsonAsync(Verify, received, "the received mail with dkimpy");
        Assert.Equal(1, result.GetProperty("signed").GetInt32());
        Assert.True(result.GetProperty("ok").GetBoolean(), "dkimpy did not verify the signature");
        Assert.False(result.GetProperty("tampered").GetBoolean(), "a changed body still verified");
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
