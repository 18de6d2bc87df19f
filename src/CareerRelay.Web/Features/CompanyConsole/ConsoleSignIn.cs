using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// Passwordless sign-in: the person asks for a link, the mail brings a single-use link valid 15 minutes, a
/// button on its page (a POST — mail scanners only GET) signs them in. With two-factor on, the same page
/// also asks for the authenticator's code; five wrong codes spend the link.
/// </summary>
internal static class ConsoleSignIn
{
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);
    private const int MaxLinksPerWindow = 5;

    public static Task<IResult> SignInPageAsync([AsParameters] PublicFramePage page) =>
        RenderAsync(page, "SignIn", "/signin", "SignIn.Submit", askEmail: true);

    /// <summary>Always the same answer, whether or not the address is known: the page never tells who has an account.</summary>
    public static async Task<IResult> RequestLinkAsync([AsParameters] PublicFramePage page, CareerRelayDb db, DbWriteGate gate,
        MailOutbox outbox, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var form = await page.Http.Request.ReadFormAsync(ct);
        var email = PersonIdentity.NormaliseEmail(form["email"].ToString());
        var now = clock.GetUtcNow().UtcDateTime;
        var user = email.Length is > 0 and <= 254
            ? await db.TenantUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email && u.DisabledAt == null, ct)
            : null;
        if (user is not null)
        {
            // Lockout for a passwordless sign-in: a handful of links per quarter hour per user, then silence.
            var recent = await db.SignInTokens.CountAsync(t => t.UserId == user.Id && t.ExpiresAt > now, ct); // issued in the last 15 minutes
            if (recent < MaxLinksPerWindow)
            {
                var token = SecretTokens.New(24);
                await gate.RunAsync(db, _ =>
                {
                    db.SignInTokens.Add(new SignInToken { TokenHash = SecretTokens.Hash(token), UserId = user.Id, ExpiresAt = now + LinkLifetime });
                    outbox.Enqueue(db, null, null, "console-sign-in", new MailContent(user.Email,
                        Texts.Get("Mail.SignIn.Subject", lang),
                        Texts.Format("Mail.SignIn.Body", lang, urls.To($"/signin/{token}{Lang.Query(lang)}")), lang), now);
                    return Task.FromResult(0);
                }, ct);
            }
        }
        return await RenderAsync(page, "SignIn.Sent", null, null);
    }

    /// <summary>GET shows a button (and the code field, for two-factor users) and changes nothing: mail scanners open links before people do.</summary>
    public static async Task<IResult> ConfirmPageAsync(string token, [AsParameters] PublicFramePage page, CareerRelayDb db, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(token)) return await RenderAsync(page, "SignIn.Invalid", null, null, status: 404);
        var askCode = await NeedsCodeAsync(db, SecretTokens.Hash(token), ct);
        return await RenderAsync(page, askCode ? "SignIn.ConfirmCode" : "SignIn.Confirm", $"/signin/{token}{Lang.Query(page.Http.Request)}", "SignIn.Confirm.Button", askCode: askCode);
    }

    public static async Task<IResult> ConfirmAsync(string token, [AsParameters] PublicFramePage page, CareerRelayDb db, DbWriteGate gate,
        KeyRing keys, TimeProvider clock, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(token)) return await RenderAsync(page, "SignIn.Invalid", null, null, status: 404);
        var hash = SecretTokens.Hash(token);
        var now = clock.GetUtcNow();
        var code = (await page.Http.Request.ReadFormAsync(ct))["code"].ToString();
        var lang = Lang.FromQuery(page.Http.Request);

        var outcome = await gate.RunAsync(db, async ct2 =>
        {
            var link = await db.SignInTokens.FirstOrDefaultAsync(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now.UtcDateTime
                && t.CodeAttempts < SignInToken.MaxCodeAttempts, ct2);
            var user = link is null ? null : await db.TenantUsers.FirstOrDefaultAsync(u => u.Id == link.UserId && u.DisabledAt == null, ct2);
            if (link is null || user is null) return (SignInOutcome.Invalid, (TenantUser?)null);

            if (user.TotpEnabledAt is not null)
            {
                var step = Totp.Match(Totp.Open(keys, user.TotpSecret!), code, now);
                if (step is null || step <= user.TotpLastStep)
                {
                    link.CodeAttempts++;
                    if (link.CodeAttempts >= SignInToken.MaxCodeAttempts) link.UsedAt = now.UtcDateTime;
                    return (link.UsedAt is null ? SignInOutcome.WrongCode : SignInOutcome.Invalid, null);
                }
                user.TotpLastStep = step;
            }
            // Single use: the conditional update decides, also between two tabs.
            var used = await db.SignInTokens.Where(t => t.TokenHash == hash && t.UsedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now.UtcDateTime), ct2);
            if (used == 0) return (SignInOutcome.Invalid, null);
            user.LastSignInAt = now.UtcDateTime;
            return (SignInOutcome.SignedIn, user);
        }, ct);

        switch (outcome.Item1)
        {
            case SignInOutcome.WrongCode:
                return await RenderAsync(page, "SignIn.ConfirmCode", $"/signin/{token}{Lang.Query(page.Http.Request)}", "SignIn.Confirm.Button", askCode: true, status: 400, error: Texts.Get("SignIn.WrongCode", lang));
            case SignInOutcome.Invalid:
                return await RenderAsync(page, "SignIn.Invalid", null, null, status: 410);
        }
        await page.Http.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.PrincipalFor(outcome.Item2!, now));
        return ConsolePages.RedirectTo(page.Http, TenantTypes.Home(outcome.Item2!.TenantType));
    }

    /// <summary>Where a signed-in person lands when a page is not theirs (a member on an admin page, an agency user on /console).</summary>
    public static IResult Landing(HttpContext http, ConsoleUser user) =>
        ConsolePages.RedirectTo(http, http.User.Identity?.IsAuthenticated != true ? "/signin" : TenantTypes.Home(user.TenantType));

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(ConsoleAuth.Scheme);
        return ConsolePages.RedirectTo(http, "/signin");
    }

    private enum SignInOutcome { SignedIn, WrongCode, Invalid }

    private static async Task<bool> NeedsCodeAsync(CareerRelayDb db, string tokenHash, CancellationToken ct) =>
        await (from t in db.SignInTokens
               join u in db.TenantUsers on t.UserId equals u.Id
               where t.TokenHash == tokenHash && u.TotpEnabledAt != null
               select t).AnyAsync(ct);

    private static Task<IResult> RenderAsync(PublicFramePage page, string key, string? formAction, string? buttonKey, bool askEmail = false,
        bool askCode = false, int status = 200, string? error = null) =>
        SignInPages.RenderAsync(page, key, formAction, buttonKey, askEmail, askCode, status, error);
}

/// <summary>The one-form pages of passwordless sign-in (ask for a link, link sent, confirm, invalid) for the console and for /me.</summary>
public static class SignInPages
{
    /// <summary>
    /// A sign-in form (console or /me) posted with a stale or missing token: the error page says so in the reader's language,
    /// with the way back to where the person starts again (/signin or /me) — not the form's own address, which is no page.
    /// </summary>
    public static Task<IResult> FormExpiredAsync(HttpContext http) =>
        Task.FromResult<IResult>(new ErrorPages.ErrorPageResult(StatusCodes.Status400BadRequest, "SignIn.Forgery.Body", "SignIn.Forgery.Title"));

    public static async Task<IResult> RenderAsync(PublicFramePage page, string key, string? formAction, string? buttonKey, bool askEmail = false,
        bool askCode = false, int status = 200, string? error = null)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var html = await page.Renderer.RenderAsync<SignInPage>(PageParameters.For<SignInPage>()
            .With(p => p.Lang, lang)
            .With(p => p.Title, Texts.Get($"{key}.Title", lang))
            .With(p => p.Body, Texts.Get($"{key}.Body", lang))
            .With(p => p.Operator, page.Site.Value.Operator)
            .With(p => p.SwitchLanguageUrl, "?lang=" + (lang == Lang.English ? "ja" : "en"))
            .With(p => p.FormAction, formAction is null ? null : formAction + (askEmail ? Lang.Query(page.Http.Request) : ""))
            .With(p => p.ButtonText, buttonKey is null ? null : Texts.Get(buttonKey, lang))
            .With(p => p.AntiforgeryToken, formAction is null ? null : page.Antiforgery.GetAndStoreTokens(page.Http).RequestToken)
            .With(p => p.AskEmail, askEmail)
            .With(p => p.AskCode, askCode)
            .With(p => p.Error, error));
        page.Http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(html, status);
    }
}
