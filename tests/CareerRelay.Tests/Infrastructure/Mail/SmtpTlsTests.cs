using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CareerRelay.Tests.Harness.Smtp;
using CareerRelay.Web.Infrastructure.Mail;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CareerRelay.Tests.Infrastructure.Mail;

/// <summary>
/// The MailKit sender over TLS to the real aiosmtpd: STARTTLS demanded by the server, and TLS from the first byte (SMTPS),
/// each with a throwaway certificate for 127.0.0.1 that the sender trusts through <c>Mail:Smtp:TrustedCertificateFile</c>
/// — and refuses to trust without it.
/// </summary>
public sealed class SmtpTlsTests : IDisposable
{
    private readonly string _directory = Databases.NewTempDirectory();
    private readonly (string Cert, string Key) _certificate;
    private readonly (string Cert, string Key) _stranger;

    public SmtpTlsTests()
    {
        _certificate = WriteSelfSigned("relay");
        _stranger = WriteSelfSigned("stranger");
    }

    [Theory]
    [InlineData(AiosmtpdServer.Tls.StartTlsRequired, SmtpSecurity.StartTls)]
    [InlineData(AiosmtpdServer.Tls.Implicit, SmtpSecurity.SslOnConnect)]
    public async Task MailGoesOverTls_ToARelayWhoseCertificateIsTrusted(AiosmtpdServer.Tls tls, SmtpSecurity security)
    {
        using var server = new AiosmtpdServer(tls, _certificate);
        await using var sender = Sender(server, security, _certificate.Cert);
        await sender.SendAsync(new MailContent("tls@example.jp", "TLS確認", "暗号化された接続で届きます。", "ja"), TestContext.Current.CancellationToken);

        var raw = Assert.Single(server.Messages());
        Assert.Contains("tls@example.jp", raw);
        Assert.Contains("暗号化された接続で届きます。", raw);
    }

    [Theory]
    [InlineData(AiosmtpdServer.Tls.StartTlsRequired, SmtpSecurity.StartTls)]
    [InlineData(AiosmtpdServer.Tls.Implicit, SmtpSecurity.SslOnConnect)]
    public async Task ARelayWithAnUntrustedCertificate_GetsNoMail_AndTheFailureIsTransient(AiosmtpdServer.Tls tls, SmtpSecurity security)
    {
        using var server = new AiosmtpdServer(tls, _certificate);
        // Trusting another certificate (or none: the system's roots do not know this one) must not let this relay through.
        await using var sender = Sender(server, security, _stranger.Cert);
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            sender.SendAsync(new MailContent("tls@example.jp", "件名", "本文", "ja"), TestContext.Current.CancellationToken));
        Assert.IsType<SslHandshakeException>(error); // retried by the outbox later, never a bounce
        Assert.Empty(server.Messages());
    }

    private static SmtpMailSender Sender(AiosmtpdServer server, SmtpSecurity security, string trusted) => new(Options.Create(new MailOptions
    {
        Smtp = new MailOptions.SmtpOptions
        {
            Host = "127.0.0.1", Port = server.Port, Security = security, TrustedCertificateFile = trusted, TimeoutSeconds = 10,
        },
    }), TimeProvider.System, NullLogger<SmtpMailSender>.Instance);

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, written as PEM files aiosmtpd (Python's ssl) can load.</summary>
    private (string Cert, string Key) WriteSelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}.careerrelay.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var cert = Path.Combine(_directory, name + ".crt");
        var keyFile = Path.Combine(_directory, name + ".key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (cert, keyFile);
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
