using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Demo;

/// <summary>
/// On the first run against an empty database, creates a demo company, agency and relay link and prints
/// how to try them, so a newcomer can click through the relay within a minute of <c>dotnet run</c>.
/// </summary>
public static class DemoSeeder
{
    public static async Task SeedIfEmptyAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        if (await db.Companies.AnyAsync(ct) || await db.Agencies.AnyAsync(ct)) return;

        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var urls = scope.ServiceProvider.GetRequiredService<PublicUrls>();
        var company = new Company { Id = Ids.New(), Name = "株式会社サンプル商事", ContactEmail = "hr@sample-shoji.example", EmailDomain = "sample-shoji.example", CreatedAt = now };
        var agency = new Agency
        {
            Id = Ids.New(), Name = "みらいキャリア株式会社", LicenseNumber = "13-ユ-300000", ContactEmail = "info@mirai-career.example",
            Occupations = ["営業", "事務", "ITエンジニア"], Fees = "求職者の方からは手数料をいただきません（無料）。",
            ComplaintContact = "苦情受付: 03-0000-0000 / complaints@mirai-career.example",
            PrivacyPolicyUrl = "https://mirai-career.example/privacy", CreatedAt = now,
        };
        var link = new RelayLink { Id = Ids.New(), CompanyId = company.Id, Token = SecretTokens.New(16), Label = "2026年度 新卒採用", CreatedAt = now };
        var (companyKey, companyPlain) = ApiKeys.Issue(Roles.Company, company.Id, "demo", now);
        var (agencyKey, agencyPlain) = ApiKeys.Issue(Roles.Agency, agency.Id, "demo", now);
        var (operatorKey, operatorPlain) = ApiKeys.Issue(Roles.Operator, Roles.Operator, "demo", now);
        var admin = new CareerRelay.Web.Features.CompanyConsole.TenantUser
        {
            Id = Ids.New(), TenantId = company.Id, Email = company.ContactEmail, Role = CareerRelay.Web.Features.CompanyConsole.ConsoleRoles.Admin, CreatedAt = now,
        };
        var agencyAdmin = new CareerRelay.Web.Features.CompanyConsole.TenantUser
        {
            Id = Ids.New(), TenantType = CareerRelay.Web.Features.CompanyConsole.TenantTypes.Agency, TenantId = agency.Id, Email = agency.ContactEmail,
            Role = CareerRelay.Web.Features.CompanyConsole.ConsoleRoles.Admin, CreatedAt = now,
        };
        db.AddRange(company, agency, link, companyKey, agencyKey, operatorKey, admin, agencyAdmin, SlotLedger.NewAccount(company.Id));
        await db.SaveChangesAsync(ct);

        // Printed once, on purpose: these are demo keys for a local database, the way a newcomer tries the product.
        Console.WriteLine($"""

            ── CareerRelay demo data (first run) ──────────────────────────────
              Start here:  {urls.To("/")}
              Relay link (open in a browser):  {urls.To($"/r/{link.Token}")}
              Mail (verification links) is written as .eml files under {DataServices.DataDirectory(scope.ServiceProvider.GetRequiredService<IConfiguration>(), scope.ServiceProvider.GetRequiredService<IHostEnvironment>())}/mail
              Company console:   {urls.To("/signin")}  (sign in as {company.ContactEmail}; the link arrives as .eml)
              Agency workspace:  {urls.To("/signin")}  (sign in as {agency.ContactEmail})
              Candidate page:    {urls.To("/me")}  (after registering: the address you used; the link arrives as .eml)
              Operator pages:    {urls.To("/operator")}  (sign in with the operator API key below)
              Company API key:   {companyPlain}
              Agency API key:    {agencyPlain}
              Operator API key:  {operatorPlain}
              Try:  curl -H "Authorization: Bearer {companyPlain}" {urls.To("/api/v1/company/summary")}
              API reference: {urls.To("/api/docs")}
            ────────────────────────────────────────────────────────────────────

            """);
        logger.LogInformation("Created demo company, agency and relay link");
    }
}
