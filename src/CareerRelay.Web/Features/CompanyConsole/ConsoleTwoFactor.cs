using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// /console/security: each person may add an authenticator app (TOTP) to their sign-in. Enrolment shows a QR
/// code and the key; two-factor is on only after a code from the app is confirmed, so nobody locks
/// themself out with a mistyped scan. Turning it off needs a current code too.
/// </summary>
internal static class ConsoleTwoFactor
{
    public static Task<IResult> PageAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, KeyRing keys,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct) =>
        RenderAsync(http, db, user, keys, renderer, antiforgery, null, null, 200, ct);

    /// <summary>Starts (or restarts) enrolment with a fresh secret; two-factor stays off until a code confirms it.</summary>
    public static async Task<IResult> StartAsync(HttpContext http, CareerRelayDb db, DbWriteGate gate, ConsoleUser user, KeyRing keys,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var id = user.Id;
        var sealedSecret = Totp.Seal(keys, Totp.NewSecret());
        // Only while off: an enabled second factor is never silently replaced.
        await gate.RunAsync(db, token => db.TenantUsers.Where(u => u.Id == id && u.TotpEnabledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpSecret, sealedSecret), token), ct);
        return await RenderAsync(http, db, user, keys, renderer, antiforgery, Texts.Get("Security.Started", Lang.FromQuery(http.Request)), null, 200, ct);
    }

    public static async Task<IResult> ConfirmAsync(HttpContext http, CareerRelayDb db, DbWriteGate gate, ConsoleUser user, KeyRing keys,
        PageRenderer renderer, IAntiforgery antiforgery, TimeProvider clock, CancellationToken ct) =>
        await ChangeAsync(http, db, gate, user, keys, renderer, antiforgery, clock, enable: true, ct);

    public static async Task<IResult> DisableAsync(HttpContext http, CareerRelayDb db, DbWriteGate gate, ConsoleUser user, KeyRing keys,
        PageRenderer renderer, IAntiforgery antiforgery, TimeProvider clock, CancellationToken ct) =>
        await ChangeAsync(http, db, gate, user, keys, renderer, antiforgery, clock, enable: false, ct);

    private static async Task<IResult> ChangeAsync(HttpContext http, CareerRelayDb db, DbWriteGate gate, ConsoleUser user, KeyRing keys,
        PageRenderer renderer, IAntiforgery antiforgery, TimeProvider clock, bool enable, CancellationToken ct)
    {
        var lang = Lang.FromQuery(http.Request);
        var code = (await http.Request.ReadFormAsync(ct))["code"].ToString();
        var now = clock.GetUtcNow();
        var id = user.Id;
        var done = await gate.RunAsync(db, async token =>
        {
            var me = await db.TenantUsers.FirstAsync(u => u.Id == id, token);
            if (me.TotpSecret is null || (me.TotpEnabledAt is not null) == enable) return false;
            var step = Totp.Match(Totp.Open(keys, me.TotpSecret), code, now);
            if (step is null || step <= me.TotpLastStep) return false;
            if (enable)
            {
                me.TotpEnabledAt = now.UtcDateTime;
                me.TotpLastStep = step;
            }
            else
            {
                me.TotpSecret = null;
                me.TotpEnabledAt = null;
                me.TotpLastStep = null;
            }
            return true;
        }, ct);
        return done
            ? await RenderAsync(http, db, user, keys, renderer, antiforgery, Texts.Get(enable ? "Security.Enabled" : "Security.Disabled", lang), null, 200, ct)
            : await RenderAsync(http, db, user, keys, renderer, antiforgery, null, Texts.Get("SignIn.WrongCode", lang), 400, ct);
    }

    private static async Task<IResult> RenderAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, KeyRing keys,
        PageRenderer renderer, IAntiforgery antiforgery, string? message, string? error, int status, CancellationToken ct)
    {
        var id = user.Id;
        var me = await db.TenantUsers.AsNoTracking().FirstAsync(u => u.Id == id, ct);
        string? key = null, uri = null;
        if (me.TotpSecret is not null && me.TotpEnabledAt is null)
        {
            var secret = Totp.Open(keys, me.TotpSecret);
            key = Totp.Base32(secret);
            uri = Totp.Uri(Texts.Get("Site.Name", "en"), me.Email, secret);
        }
        return await ConsolePages.RenderAsync<SecurityPage>(http, user, renderer, antiforgery, PageParameters.For<SecurityPage>()
            .With(p => p.Enabled, me.TotpEnabledAt is not null)
            .With(p => p.EnabledAt, me.TotpEnabledAt)
            .With(p => p.EnrolKey, key)
            .With(p => p.EnrolQrSvg, uri is null ? null : QrSvg.For(uri))
            .With(p => p.Message, message)
            .With(p => p.Error, error), status);
    }
}
