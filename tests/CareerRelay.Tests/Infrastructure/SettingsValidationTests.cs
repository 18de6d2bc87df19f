using Microsoft.Extensions.Options;

namespace CareerRelay.Tests.Infrastructure;

/// <summary>
/// A wrong setting stops the app at start, naming the setting — including those nested one level down (the fraud thresholds,
/// the operator details every candidate page must show by law, the SMTP port), which data-annotation validation skips unless
/// the nested object is marked — instead of a running service that holds nobody, shows a blank notice or cannot mail.
/// </summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("Relay:Fraud:CompaniesPerPerson", "-1", "CompaniesPerPerson")]
    [InlineData("Relay:Fraud:CompanyDomain", "2", "CompanyDomain")]
    [InlineData("CareerRelay:Operator:NotificationNumber", "", "NotificationNumber")]
    [InlineData("CareerRelay:Operator:ComplaintContact", "", "ComplaintContact")]
    [InlineData("Mail:Smtp:Port", "70000", "Port")]
    [InlineData("Imports:MaxRows", "0", "MaxRows")]
    [InlineData("Relay:ReferralsPerSlot", "0", "ReferralsPerSlot")]
    public async Task AWrongSetting_StopsStartUp_NamingIt(string key, string value, string named)
    {
        await using var app = new MisconfiguredApp(key, value);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.InitializeAsync().AsTask());
        var validation = Unwrap(failure);
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaults_WithTheTestSettings_Start()
    {
        await using var app = new MisconfiguredApp("Relay:Fraud:CompaniesPerPerson", "3");
        await app.InitializeAsync();
        Assert.NotNull(app.Server);
    }

    private static OptionsValidationException Unwrap(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is OptionsValidationException found) return found;
            if (x is AggregateException { InnerExceptions: [var only] }) return Unwrap(only);
        }
        throw new Xunit.Sdk.XunitException($"Start-up failed, but not by options validation: {e}");
    }

    private sealed class MisconfiguredApp(string key, string value) : CareerRelayApp(Provider.Sqlite)
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [key] = value };
    }
}
