using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Demo;

/// <summary>
/// On the first run against an empty database, creates a demo company, agency and relay link (and a hiring company with a job, a
/// partner school and a training provider with courses) and prints
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

        // Another company hiring through every agency, a partner school and a training provider with two courses (Features/Education),
        // so a person who registers sees a recommended job, and — with suggestions on — a course for the skill it asks and they lack.
        var hiring = new Company { Id = Ids.New(), Name = "株式会社みどり物流", ContactEmail = "saiyo@midori-butsuryu.example", EmailDomain = "midori-butsuryu.example", CreatedAt = now };
        var job = new Jobs.Job
        {
            Id = Ids.New(), CompanyId = hiring.Id, Title = "営業事務（データ集計）", Description = "受発注の管理と、Excel・Python を使った売上データの集計をお任せします。",
            Prefecture = "13", Skills = ["Excel", "Python"], EmploymentType = "full_time", Status = "open", SalaryMin = 3_600_000, SalaryMax = 4_800_000, CreatedAt = now,
        };
        var school = new Education.EducationPartner { Id = Ids.New(), Name = "みどり大学 キャリアセンター", Kind = Education.EducationKinds.University, ContactEmail = "career@midori-u.example", CreatedAt = now };
        var provider = new Education.EducationPartner { Id = Ids.New(), Name = "リスキル・アカデミー", Kind = Education.EducationKinds.TrainingProvider, ContactEmail = "info@reskill-academy.example", CreatedAt = now };
        var courses = new[]
        {
            new Education.Course
            {
                Id = Ids.New(), ProviderId = provider.Id, Title = "Excel業務の自動化（Python入門）", Description = "毎日の集計作業を Python で自動化します。全24時間、夜間・週末のオンライン講座です。",
                Skills = ["Python"], Hours = 24, PriceYen = 59_800, Mode = Education.CourseModes.Online, BenefitEligible = true, CreatedAt = now,
            },
            new Education.Course
            {
                Id = Ids.New(), ProviderId = provider.Id, Title = "日商簿記2級 速習講座", Description = "経理・財務の仕事を目指す方のための対面講座（東京・新宿）。",
                Skills = ["簿記2級"], Hours = 60, PriceYen = 88_000, Mode = Education.CourseModes.InPerson, Prefecture = "13", CreatedAt = now,
            },
        };
        TenantUser Admin(string type, string tenantId, string email) => new()
        {
            Id = Ids.New(), TenantType = type, TenantId = tenantId, Email = email, Role = CareerRelay.Web.Features.CompanyConsole.ConsoleRoles.Admin, CreatedAt = now,
        };
        db.AddRange(hiring, job, SlotLedger.NewAccount(hiring.Id), school, provider, Admin(CareerRelay.Web.Features.CompanyConsole.TenantTypes.Company, hiring.Id, hiring.ContactEmail),
            Admin(CareerRelay.Web.Features.CompanyConsole.TenantTypes.School, school.Id, school.ContactEmail),
            Admin(CareerRelay.Web.Features.CompanyConsole.TenantTypes.Provider, provider.Id, provider.ContactEmail));
        db.AddRange(courses);
        await db.SaveChangesAsync(ct);

        // Printed once, on purpose: these are demo keys for a local database, the way a newcomer tries the product.
        Console.WriteLine($"""

            ── CareerRelay demo data (first run) ──────────────────────────────
              Start here:  {urls.To("/")}
              Relay link (open in a browser):  {urls.To($"/r/{link.Token}")}
              Mail (verification links) is written as .eml files under {DataServices.DataDirectory(scope.ServiceProvider.GetRequiredService<IConfiguration>(), scope.ServiceProvider.GetRequiredService<IHostEnvironment>())}/mail
              Company console:   {urls.To("/signin")}  (sign in as {company.ContactEmail}; the link arrives as .eml)
              Agency workspace:  {urls.To("/signin")}  (sign in as {agency.ContactEmail})
              School workspace:  {urls.To("/signin")}  (sign in as {school.ContactEmail})
              Provider workspace: {urls.To("/signin")}  (sign in as {provider.ContactEmail})
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
