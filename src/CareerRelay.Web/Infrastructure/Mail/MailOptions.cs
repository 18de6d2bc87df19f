using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>The <c>Mail:*</c> settings. Without an SMTP host, mail is written as .eml files.</summary>
public sealed class MailOptions
{
    [Required, EmailAddress] public string From { get; set; } = "no-reply@careerrelay.example";
    public string FromName { get; set; } = "キャリアリレー";
    /// <summary>Where .eml files go when no SMTP host is set. Default: <c>{DataDirectory}/mail</c>.</summary>
    public string? PickupDirectory { get; set; }
    [ValidateObjectMembers] public SmtpOptions Smtp { get; set; } = new();
    [Range(1, 3650)] public int EntrustedRetentionDays { get; set; } = 30;
    [ValidateObjectMembers] public DkimOptions Dkim { get; set; } = new();
    public BounceOptions Bounces { get; set; } = new();

    /// <summary>Bounces reported later (POST /mail/bounces): the shared secret a mail provider's webhook sends; none turns the route off.</summary>
    public sealed class BounceOptions
    {
        public string? WebhookSecret { get; set; }
    }

    public sealed class SmtpOptions
    {
        public string? Host { get; set; }
        [Range(1, 65535)] public int Port { get; set; } = 587;
        public string? UserName { get; set; }
        public string? Password { get; set; }
        /// <summary>With <see cref="Security"/> Auto: STARTTLS required (true) or no TLS at all (false, a local relay).</summary>
        public bool EnableSsl { get; set; } = true;
        /// <summary>Auto (implicit TLS on 465, else by <see cref="EnableSsl"/>), SslOnConnect, StartTls or None.</summary>
        public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
        /// <summary>A connection left unused this long is closed; the next mail opens a new one.</summary>
        [Range(1, 3600)] public int IdleSeconds { get; set; } = 30;
        [Range(1, 600)] public int TimeoutSeconds { get; set; } = 30;
        /// <summary>A PEM certificate trusted besides the system's roots (a relay with a private CA or its own certificate).</summary>
        public string? TrustedCertificateFile { get; set; }
    }

    /// <summary>DKIM signing of SMTP mail: the signing domain, the selector published in DNS, and the PEM private key's path.</summary>
    public sealed class DkimOptions
    {
        public string? Domain { get; set; }
        public string? Selector { get; set; }
        public string? PrivateKeyFile { get; set; }
    }
}

public enum SmtpSecurity { Auto, SslOnConnect, StartTls, None }
