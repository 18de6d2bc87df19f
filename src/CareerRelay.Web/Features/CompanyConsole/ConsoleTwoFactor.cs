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
    public static Task<IResult> PageAsync([AsParameters] ConsolePage page, CareerRelayDb db, KeyRing keys, CancellationToken ct) =>
        RenderAsync(page, db, keys, null, null, 200, ct);

    /// <summary>Starts (or restarts) enrolment with a fresh secret; two-factor stays off until a code confirms it.</summary>
    public static async Task<IResult> StartAsync([AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate, KeyRing keys,
        CancellationToken ct)
    {
        var id = page.User.Id;
        var sealedSecret = Totp.Seal(keys, Totp.NewSecret());
        // Only while off: an enabled second factor is never silently replaced.
        await gate.RunAsync(db, token => db.TenantUsers.Where(u => u.Id == id && u.TotpEnabledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpSecret, sealedSecret), token), ct);
        return await RenderAsync(page, db, keys, Texts.Get("Security.Started", Lang.FromQuery(page.Http.Request)), null, 200, ct);
    }

    public static async Task<IResult> ConfirmAsync([AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate, KeyRing keys,
        TimeProvider clock, CancellationToken ct) =>
        await ChangeAsync(page, db, gate, keys, clock, enable: true, ct);

    public static async Task<IResult> DisableAsync([AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate, KeyRing keys,
        TimeProvider clock, CancellationToken ct) =>
        await ChangeAsync(page, db, gate, keys, clock, enable: false, ct);

    private static async Task<IResult> ChangeAsync([AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate, KeyRing keys,
        TimeProvider clock, bool enable, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var code = (await page.Http.Request.ReadFormAsync(ct))["code"].ToString();
        var now = clock.GetUtcNow();
        var id = page.User.Id;
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
            ? await RenderAsync(page, db, keys, Texts.Get(enable ? "Security.Enabled" : "Security.Disabled", lang), null, 200, ct)
            : await RenderAsync(page, db, keys, null, Texts.Get("SignIn.WrongCode", lang), 400, ct);
    }

    private static async Task<IResult> RenderAsync(ConsolePage page, CareerRelayDb db, KeyRing keys, string? message, string? error,
        int status, CancellationToken ct)
    {
        var id = page.User.Id;
        var me = await db.TenantUsers.AsNoTracking().FirstAsync(u => u.Id == id, ct);
        string? key = null, uri = null;
        if (me.TotpSecret is not null && me.TotpEnabledAt is null)
        {
            var secret = Totp.Open(keys, me.TotpSecret);
            key = Totp.Base32(secret);
            uri = Totp.Uri(Texts.Get("Site.Name", "en"), me.Email, secret);
        }
        return await page.RenderAsync(PageParameters.For<SecurityPage>()
            .With(p => p.Enabled, me.TotpEnabledAt is not null)
            .With(p => p.EnabledAt, me.TotpEnabledAt)
            .With(p => p.EnrolKey, key)
            .With(p => p.EnrolQrSvg, uri is null ? null : QrSvg.For(uri))
            .With(p => p.Message, message)
            .With(p => p.Error, error), status);
    }
}
