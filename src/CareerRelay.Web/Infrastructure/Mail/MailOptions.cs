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

    public sealed class SmtpOptions
    {
        public string? Host { get; set; }
        [Range(1, 65535)] public int Port { get; set; } = 587;
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public bool EnableSsl { get; set; } = true;
    }
}
