using CareerRelay.Web.Data;

namespace CareerRelay.Web.Infrastructure.Security;

public static class SecurityServices
{
    /// <summary>The master key from configuration, or generated once under data/keys/ so the one-command run needs no setup.</summary>
    public static WebApplicationBuilder AddKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            var options = config.GetSection("CareerRelay:Keys").Get<KeyOptions>() ?? new KeyOptions();
            return KeyRing.Load(options, DataServices.DataDirectory(config, sp.GetRequiredService<IHostEnvironment>()));
        });
        builder.Services.AddSingleton<PersonalDataCipher>();
        builder.Services.AddSingleton<LookupHasher>();
        return builder;
    }
}
