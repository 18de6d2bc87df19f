using CareerRelay.Web.Infrastructure.Web;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// The company console's routes: sign-in by an emailed single-use link (no password) at /signin, and the
/// pages under /console. Every form carries an anti-forgery token (checked in each handler, so a refused
/// form gets a page, not a bare 400); every page takes the tenant from the signed-in user only.
/// Handlers live beside this file, one class per area.
/// </summary>
public static class ConsoleEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var signIn = app.MapFormPages("", SignInPages.FormExpiredAsync).RequireRateLimiting(Registrations.PublicEndpoints.RateLimitPolicy);
        signIn.MapGet("/signin", ConsoleSignIn.SignInPageAsync);
        signIn.MapPost("/signin", ConsoleSignIn.RequestLinkAsync);
        signIn.MapGet("/signin/{token}", ConsoleSignIn.ConfirmPageAsync);
        signIn.MapPost("/signin/{token}", ConsoleSignIn.ConfirmAsync);
        // Signing out with a stale form just goes back to the sign-in page; the session stays until it ends.
        app.MapFormPages("", http => Task.FromResult(ConsolePages.RedirectTo(http, "/signin"))).MapPost("/signout", (Delegate)ConsoleSignIn.SignOutAsync);
        app.MapGet("/signin/landing", ConsoleSignIn.Landing).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { AuthenticationSchemes = ConsoleAuth.Scheme }).ExcludeFromDescription();

        var console = app.MapConsolePages("/console", ConsoleAuth.Policy);
        console.MapGet("", ConsoleLinks.DashboardAsync);
        console.MapGet("/links", ConsoleLinks.LinksPageAsync);
        console.MapPost("/links", ConsoleLinks.CreateLinkAsync);
        console.MapPost("/links/{id}/pause", (string id, HttpContext http, ConsoleUser user, Links.LinkActions actions, CancellationToken ct) =>
            ConsoleLinks.SetPausedAsync(id, true, http, user, actions, ct));
        console.MapPost("/links/{id}/resume", (string id, HttpContext http, ConsoleUser user, Links.LinkActions actions, CancellationToken ct) =>
            ConsoleLinks.SetPausedAsync(id, false, http, user, actions, ct));
        console.MapPost("/links/{id}/sources", ConsoleLinks.SetSourcesAsync);
        console.MapPost("/invitations", ConsoleLinks.InvitationsCsvAsync);
        console.MapGet("/links/{id}/qr.{format:regex(^(svg|png)$)}", ConsoleLinks.QrAsync);
        console.MapGet("/templates", ConsoleLinks.TemplatesPageAsync);
        console.MapGet("/introductions", ConsoleLinks.IntroductionsAsync);
        console.MapGet("/reapplications", ConsoleLinks.ReapplicationsAsync);

        console.MapGet("/jobs", ConsoleJobs.JobsPageAsync);
        console.MapPost("/jobs", ConsoleJobs.CreateJobAsync);
        console.MapGet("/jobs/{id}", ConsoleJobs.EditJobPageAsync);
        console.MapPost("/jobs/{id}", ConsoleJobs.UpdateJobAsync);
        console.MapPost("/jobs/{id}/close", ConsoleJobs.CloseJobAsync);
        console.MapGet("/redemptions/new", ConsoleJobs.ConfirmSpendPageAsync);
        console.MapPost("/redemptions", ConsoleJobs.SpendSlotAsync);
        console.MapPost("/redemptions/{id}/cancel", ConsoleJobs.CancelRedemptionAsync);
        console.MapGet("/redemptions/{id}", ConsoleJobs.RedemptionCandidatesAsync);

        console.MapGet("/ledger", ConsoleReports.LedgerPageAsync);
        console.MapGet("/ledger.csv", ConsoleReports.LedgerCsvAsync);
        console.MapGet("/reports", ConsoleReports.MonthlyPageAsync);
        console.MapGet("/reports.csv", ConsoleReports.MonthlyCsvAsync);
        console.MapGet("/reports/sources.csv", ConsoleReports.SourcesCsvAsync);
        console.MapGet("/roi", ConsoleReports.RoiPageAsync);

        // Sign-in security is every person's own, company or agency.
        var security = app.MapConsolePages("/console/security", ConsoleAuth.AnyTenantPolicy);
        security.MapGet("", ConsoleTwoFactor.PageAsync);
        security.MapPost("/totp", ConsoleTwoFactor.StartAsync);
        security.MapPost("/totp/confirm", ConsoleTwoFactor.ConfirmAsync);
        security.MapPost("/totp/disable", ConsoleTwoFactor.DisableAsync);

        var admin = app.MapConsolePages("/console", ConsoleAuth.AdminPolicy);
        admin.MapUserPages();
        admin.MapGet("/keys", ConsoleAdmin.KeysPageAsync);
        admin.MapPost("/keys", ConsoleAdmin.CreateKeyAsync);
        admin.MapPost("/keys/{id}/revoke", ConsoleAdmin.RevokeKeyAsync);
        admin.MapPost("/keys/{id}/rotate", ConsoleAdmin.RotateKeyAsync);
    }
}
