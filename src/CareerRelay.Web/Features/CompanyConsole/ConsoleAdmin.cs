using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Caching.Memory;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>Admin-only pages: the company's console users and its API keys. Members never reach these routes.</summary>
internal static class ConsoleAdmin
{
    private static readonly TimeSpan InvitationLifetime = TimeSpan.FromHours(72);

    /// <summary>User management under an area's admin group (/console, /agency, /school, /provider): the tenant is the signed-in person's.</summary>
    public static RouteGroupBuilder MapUserPages(this RouteGroupBuilder admin)
    {
        admin.MapGet("/users", UsersPageAsync);
        admin.MapPost("/users", InviteUserAsync);
        admin.MapPost("/users/{id}/{change:regex(^(remove|reset-two-factor)$)}", ChangeUserAsync);
        return admin;
    }

    public static Task<IResult> UsersPageAsync([AsParameters] ConsolePage page, CareerRelayDb db, CancellationToken ct) =>
        RenderUsersAsync(page, db, null, FormErrors.None, 200, ct);

    private static async Task<IResult> RenderUsersAsync(ConsolePage page, CareerRelayDb db, string? message, FormErrors errors, int status,
        CancellationToken ct)
    {
        var (type, tenantId) = (page.User.TenantType, page.User.TenantId);
        var users = await db.TenantUsers.AsNoTracking().Where(u => u.TenantType == type && u.TenantId == tenantId && u.DisabledAt == null).OrderBy(u => u.Id).ToListAsync(ct);
        var typed = errors.Any ? (await page.Http.Request.ReadFormAsync(ct))["email"].ToString() : null;
        // The same management for both sides, each in its own frame.
        return type == TenantTypes.Agency
            ? await page.RenderAsync(PageParameters.For<Agencies.Pages.AgencyUsersPage>()
                .With(p => p.Users, users).With(p => p.CurrentUserId, page.User.Id).With(p => p.Message, message).With(p => p.Errors, errors).With(p => p.Typed, typed), status)
            : await page.RenderAsync(PageParameters.For<UsersPage>()
                .With(p => p.Users, users).With(p => p.CurrentUserId, page.User.Id).With(p => p.Message, message).With(p => p.Errors, errors).With(p => p.Typed, typed), status);
    }

    /// <summary>An admin adds a member (or admin) and the platform mails them a 72-hour sign-in link.</summary>
    public static async Task<IResult> InviteUserAsync([AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate,
        MailOutbox outbox, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var form = await page.Http.Request.ReadFormAsync(ct);
        var email = PersonIdentity.NormaliseEmail(form["email"].ToString());
        var role = form["role"] == ConsoleRoles.Admin ? ConsoleRoles.Admin : ConsoleRoles.Member;
        if (!PersonIdentity.IsPlausibleEmail(email))
            return await RenderUsersAsync(page, db, null, InviteError(page.Http, "Error.Email"), 400, ct);
        if (await db.TenantUsers.AnyAsync(u => u.Email == email, ct))
            return await RenderUsersAsync(page, db, null, InviteError(page.Http, "Users.Taken"), 409, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var token = SecretTokens.New(24);
        var (type, tenantId) = (page.User.TenantType, page.User.TenantId);
        var tenantName = type switch
        {
            TenantTypes.Agency => await db.Agencies.Where(a => a.Id == tenantId).Select(a => a.Name).FirstAsync(ct),
            TenantTypes.School or TenantTypes.Provider => await db.EducationPartners.Where(p => p.Id == tenantId).Select(p => p.Name).FirstAsync(ct),
            _ => await db.Companies.Where(c => c.Id == tenantId).Select(c => c.Name).FirstAsync(ct),
        };
        try
        {
            await gate.RunAsync(db, _ =>
            {
                var invited = new TenantUser { Id = Ids.New(), TenantType = type, TenantId = tenantId, Email = email, Role = role, CreatedAt = now };
                db.TenantUsers.Add(invited);
                db.SignInTokens.Add(new SignInToken { TokenHash = SecretTokens.Hash(token), UserId = invited.Id, ExpiresAt = now + InvitationLifetime });
                outbox.Enqueue(db, null, null, "console-invitation", new MailContent(email, Texts.Get("Mail.Invite.Subject", lang),
                    Texts.Format("Mail.Invite.Body", lang, tenantName, urls.To("/signin"), urls.To($"/signin/{token}{Lang.Query(page.Http.Request)}")), lang), now);
                return Task.FromResult(0);
            }, ct);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            return await RenderUsersAsync(page, db, null, InviteError(page.Http, "Users.Taken"), 409, ct);
        }
        return await RenderUsersAsync(page, db, Texts.Format("Users.Invited", lang, email), FormErrors.None, 200, ct);
    }

    /// <summary>
    /// Removes a person's access (someone leaves the company) or resets their two-factor sign-in (a lost phone).
    /// An admin cannot remove themself, so a company never locks itself out of user management.
    /// </summary>
    public static async Task<IResult> ChangeUserAsync(string id, string change, [AsParameters] ConsolePage page, CareerRelayDb db,
        DbWriteGate gate, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var (type, tenantId) = (page.User.TenantType, page.User.TenantId);
        if (change == "remove" && id == page.User.Id)
            return await RenderUsersAsync(page, db, null, FormErrors.Message(Texts.Get("Users.NotYourself", lang)), 409, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await gate.RunAsync(db, async token =>
        {
            var target = await db.TenantUsers.FirstOrDefaultAsync(u => u.Id == id && u.TenantType == type && u.TenantId == tenantId && u.DisabledAt == null, token);
            if (target is null) return null;
            if (change == "remove")
            {
                target.DisabledAt = now;
                // Their unused sign-in links die with the access.
                await db.SignInTokens.Where(t => t.UserId == id && t.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), token);
            }
            else
            {
                target.TotpSecret = null;
                target.TotpEnabledAt = null;
                target.TotpLastStep = null;
            }
            return target;
        }, ct);
        if (changed is null) return ConsolePages.NotFound();
        return await RenderUsersAsync(page, db, Texts.Format(change == "remove" ? "Users.Removed" : "Users.TwoFactorReset", lang, changed.Email), FormErrors.None, 200, ct);
    }

    private static FormErrors InviteError(HttpContext http, string key) => ConsolePages.Errors(http, ApiError.Invalid("email", key));

    public static Task<IResult> KeysPageAsync([AsParameters] ConsolePage page, KeyManagement keys, TimeProvider clock, CancellationToken ct) =>
        RenderKeysAsync(page, keys, clock, null, null, FormErrors.None, 200, ct);

    private static async Task<IResult> RenderKeysAsync(ConsolePage page, KeyManagement keys, TimeProvider clock, string? newKey,
        string? message, FormErrors errors, int status, CancellationToken ct) =>
        await page.RenderAsync(PageParameters.For<KeysPage>()
            .With(p => p.Keys, await keys.ListAsync(Roles.Company, page.User.CompanyId, ct))
            .With(p => p.NewKey, newKey)
            .With(p => p.Message, message)
            .With(p => p.Errors, errors)
            .With(p => p.Now, clock.GetUtcNow().UtcDateTime), status);

    /// <summary>Creates a key (read or write) and shows it in this one answer only; the page is not cached and the key is never shown again.</summary>
    public static async Task<IResult> CreateKeyAsync([AsParameters] ConsolePage page, KeyManagement keys, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var form = await page.Http.Request.ReadFormAsync(ct);
        var created = await keys.CreateAsync(Roles.Company, page.User.CompanyId, form["name"], form["scope"].ToString() is { Length: > 0 } s ? s : null, ct);
        if (created.Failed)
            return await RenderKeysAsync(page, keys, clock, null, null, ConsolePages.Errors(page.Http, created.Error), 400, ct);
        return await RenderKeysAsync(page, keys, clock, created.Value!.ApiKey, Texts.Format("Keys.Created", lang, created.Value.Name), FormErrors.None, 201, ct);
    }

    public static async Task<IResult> RevokeKeyAsync(string id, [AsParameters] ConsolePage page, KeyManagement keys, TimeProvider clock,
        CancellationToken ct)
    {
        var key = await keys.RevokeAsync(Roles.Company, page.User.CompanyId, id, ct);
        if (key is null) return ConsolePages.NotFound();
        return await RenderKeysAsync(page, keys, clock, null, Texts.Format("Keys.Revoked", Lang.FromQuery(page.Http.Request), key.Name), FormErrors.None, 200, ct);
    }

    /// <summary>A successor key, shown once; the old one works for 24 hours more so the ATS can switch without downtime.</summary>
    public static async Task<IResult> RotateKeyAsync(string id, [AsParameters] ConsolePage page, KeyManagement keys, TimeProvider clock,
        CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var rotated = await keys.RotateAsync(Roles.Company, page.User.CompanyId, id, null, ct);
        if (rotated.Failed && rotated.Error!.Status == 404) return ConsolePages.NotFound();
        if (rotated.Failed) return await RenderKeysAsync(page, keys, clock, null, null, FormErrors.Message(ConsolePages.ErrorText(page.Http, rotated.Error!)), 409, ct);
        var until = ConsoleFormat.Jst(clock.GetUtcNow().UtcDateTime.AddHours(24));
        return await RenderKeysAsync(page, keys, clock, rotated.Value!.ApiKey, Texts.Format("Keys.Rotated", lang, rotated.Value.Name, until), FormErrors.None, 201, ct);
    }
}
