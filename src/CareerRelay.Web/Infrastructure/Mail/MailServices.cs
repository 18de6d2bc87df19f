using CareerRelay.Web.Data;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Mail;

public static class MailServices
{
    /// <summary>SMTP when <c>Mail:Smtp:Host</c> is set; otherwise .eml files in the pickup folder (default <c>data/mail</c>).</summary>
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().BindConfiguration("Mail").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MailOutbox>();
        builder.Services.AddSingleton<IMailSender>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MailOptions>>();
            if (!string.IsNullOrWhiteSpace(options.Value.Smtp.Host))
                return new SmtpMailSender(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SmtpMailSender>>());
            var env = sp.GetRequiredService<IHostEnvironment>();
            var dir = options.Value.PickupDirectory is { Length: > 0 } configured
                ? Path.GetFullPath(Path.Combine(env.ContentRootPath, configured))
                : Path.Combine(DataServices.DataDirectory(sp.GetRequiredService<IConfiguration>(), env), "mail");
            return new PickupDirectoryMailSender(options, dir, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton<MailOutboxWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MailOutboxWorker>());
        return builder;
    }
}
