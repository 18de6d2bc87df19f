using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// The company console: sign-in by an emailed single-use link (no password), and the pages under /console.
/// Every form carries an anti-forgery token; every page takes the tenant from the signed-in user.
/// </summary>
public static class ConsoleEndpoints
{
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan InvitationLifetime = TimeSpan.FromHours(72);
    private const int MaxLinksPerWindow = 5;

    public static IEndpointRouteBuilder MapCompanyConsole(this IEndpointRouteBuilder app)
    {
        var signIn = app.MapGroup("").RequireRateLimiting(PublicEndpoints.RateLimitPolicy).ExcludeFromDescription();
        signIn.MapGet("/signin", SignInPageAsync);
        signIn.MapPost("/signin", RequestLinkAsync).DisableAntiforgery();
        signIn.MapGet("/signin/{token}", ConfirmPageAsync);
        signIn.MapPost("/signin/{token}", ConfirmAsync).DisableAntiforgery();
        app.MapPost("/signout", SignOutAsync).DisableAntiforgery().ExcludeFromDescription();

        var console = app.MapGroup("/console").RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
        console.MapGet("", DashboardAsync);
        console.MapGet("/links", LinksPageAsync);
        console.MapPost("/links", CreateLinkAsync).DisableAntiforgery();
        console.MapPost("/links/{id}/pause", (string id, HttpContext http, ConsoleUser user, LinkActions actions, IAntiforgery af, CancellationToken ct) =>
            SetPausedAsync(id, true, http, user, actions, af, ct)).DisableAntiforgery();
        console.MapPost("/links/{id}/resume", (string id, HttpContext http, ConsoleUser user, LinkActions actions, IAntiforgery af, CancellationToken ct) =>
            SetPausedAsync(id, false, http, user, actions, af, ct)).DisableAntiforgery();
        console.MapPost("/invitations", InvitationsCsvAsync).DisableAntiforgery();
        console.MapGet("/ledger", LedgerPageAsync);
        console.MapGet("/templates", TemplatesPageAsync);
        console.MapGet("/jobs", (HttpContext http, CareerRelayDb db, ConsoleUser user, PageRenderer renderer, IAntiforgery af, CancellationToken ct) =>
            RenderJobsAsync(http, db, user, renderer, af, null, 200, ct));
        console.MapPost("/jobs", CreateJobAsync).DisableAntiforgery();
        console.MapPost("/jobs/{id}/close", CloseJobAsync).DisableAntiforgery();
        console.MapPost("/redemptions", SpendSlotAsync).DisableAntiforgery();
        console.MapPost("/redemptions/{id}/cancel", CancelRedemptionAsync).DisableAntiforgery();

        var admin = app.MapGroup("/console").RequireAuthorization(ConsoleAuth.AdminPolicy).ExcludeFromDescription();
        admin.MapGet("/users", (HttpContext http, CareerRelayDb db, ConsoleUser user, PageRenderer renderer, IAntiforgery af, CancellationToken ct) =>
            RenderUsersAsync(http, db, user, renderer, af, null, false, 200, ct));
        admin.MapPost("/users", InviteUserAsync).DisableAntiforgery();
        console.MapGet("/ledger.csv", LedgerCsvAsync);
        return app;
    }

    private static Task<IResult> SignInPageAsync(HttpContext http, PageRenderer renderer, IAntiforgery antiforgery, IOptions<CareerRelayOptions> site) =>
        RenderSignInAsync(http, renderer, antiforgery, site, "SignIn", "/signin", "SignIn.Submit", askEmail: true);

    /// <summary>Always the same answer, whether or not the address is known: the page never tells who has an account.</summary>
    private static async Task<IResult> RequestLinkAsync(HttpContext http, CareerRelayDb db, DbWriteGate gate, IAntiforgery antiforgery,
        MailOutbox outbox, PublicUrls urls, PageRenderer renderer, IOptions<CareerRelayOptions> site, TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return await RenderSignInAsync(http, renderer, antiforgery, site, "SignIn.Forgery", null, null, status: 400);
        var lang = Lang.FromQuery(http.Request);
        var form = await http.Request.ReadFormAsync(ct);
        var email = PersonIdentity.NormaliseEmail(form["email"].ToString());
        var now = clock.GetUtcNow().UtcDateTime;
        var user = email.Length is > 0 and <= 254
            ? await db.CompanyUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email && u.DisabledAt == null, ct)
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
                        Texts.Format("Mail.SignIn.Body", lang, urls.To($"/signin/{token}{(lang == Lang.English ? "?lang=en" : "")}")), lang), now);
                    return Task.FromResult(0);
                }, ct);
            }
        }
        return await RenderSignInAsync(http, renderer, antiforgery, site, "SignIn.Sent", null, null);
    }

    /// <summary>GET shows a button and changes nothing: mail scanners open links before people do.</summary>
    private static Task<IResult> ConfirmPageAsync(string token, HttpContext http, PageRenderer renderer, IAntiforgery antiforgery, IOptions<CareerRelayOptions> site) =>
        SecretTokens.LooksValid(token)
            ? RenderSignInAsync(http, renderer, antiforgery, site, "SignIn.Confirm", $"/signin/{token}{LangSuffix(http)}", "SignIn.Confirm.Button")
            : RenderSignInAsync(http, renderer, antiforgery, site, "SignIn.Invalid", null, null, status: 404);

    private static async Task<IResult> ConfirmAsync(string token, HttpContext http, CareerRelayDb db, DbWriteGate gate, IAntiforgery antiforgery,
        PageRenderer renderer, IOptions<CareerRelayOptions> site, TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return await RenderSignInAsync(http, renderer, antiforgery, site, "SignIn.Forgery", null, null, status: 400);
        if (!SecretTokens.LooksValid(token)) return await RenderSignInAsync(http, renderer, antiforgery, site, "SignIn.Invalid", null, null, status: 404);
        var hash = SecretTokens.Hash(token);
        var now = clock.GetUtcNow();
        var user = await gate.RunAsync(db, async ct2 =>
        {
            // Single use: the conditional update decides, also between two tabs.
            var used = await db.SignInTokens.Where(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now.UtcDateTime)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now.UtcDateTime), ct2);
            if (used == 0) return null;
            var userId = await db.SignInTokens.Where(t => t.TokenHash == hash).Select(t => t.UserId).FirstAsync(ct2);
            var found = await db.CompanyUsers.FirstOrDefaultAsync(u => u.Id == userId && u.DisabledAt == null, ct2);
            if (found is not null) found.LastSignInAt = now.UtcDateTime;
            return found;
        }, ct);
        if (user is null) return await RenderSignInAsync(http, renderer, antiforgery, site, "SignIn.Invalid", null, null, status: 410);

        await http.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.PrincipalFor(user, now));
        return Results.Redirect("/console" + LangSuffix(http));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (await antiforgery.IsRequestValidAsync(http)) await http.SignOutAsync(ConsoleAuth.Scheme);
        return Results.Redirect("/signin");
    }

    private static async Task<IResult> DashboardAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, CompanySummaries summaries,
        PublicUrls urls, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var summary = await summaries.ForCompanyAsync(db, user.CompanyId, ct);
        var links = await LinkEndpoints.PageAsync(db, user.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct);
        return await RenderConsolePageAsync<DashboardPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["Summary"] = summary,
            ["Links"] = links.Items,
        });
    }

    private static async Task<IResult> LinksPageAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct) =>
        await RenderLinksAsync(http, db, user, urls, renderer, antiforgery, null, 200, ct);

    private static async Task<IResult> RenderLinksAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, string? error, int status, CancellationToken ct)
    {
        var links = await LinkEndpoints.PageAsync(db, user.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct);
        return await RenderConsolePageAsync<LinksPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["Links"] = links.Items,
            ["Error"] = error,
        }, status);
    }

    /// <summary>Post/redirect/get: a refresh after creating does not create again.</summary>
    private static async Task<IResult> CreateLinkAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, LinkActions actions, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Forbidden();
        var form = await http.Request.ReadFormAsync(ct);
        var result = await actions.CreateAsync(user.CompanyId, form["label"], ct);
        if (result.Failed) return await RenderLinksAsync(http, db, user, urls, renderer, antiforgery, ErrorText(result.Error!), 400, ct);
        return Results.Redirect("/console/links" + LangSuffix(http));
    }

    private static async Task<IResult> SetPausedAsync(string id, bool paused, HttpContext http, ConsoleUser user, LinkActions actions,
        IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Forbidden();
        return await actions.SetPausedAsync(user.CompanyId, id, paused, ct) is null
            ? Results.NotFound()
            : Results.Redirect("/console/links" + LangSuffix(http));
    }

    /// <summary>Issues the invitations and answers them as a CSV file.</summary>
    private static async Task<IResult> InvitationsCsvAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, LinkActions actions, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Forbidden();
        var form = await http.Request.ReadFormAsync(ct);
        var refs = form["externalRefs"].ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        int? count = refs.Length > 0 ? null : int.TryParse(form["count"], out var n) ? n : 0;
        var result = await actions.MintInvitationsAsync(user.CompanyId, form["linkId"], count, refs.Length > 0 ? refs : null, ct);
        if (result.Failed) return await RenderLinksAsync(http, db, user, urls, renderer, antiforgery, ErrorText(result.Error!), 400, ct);

        var csv = new System.Text.StringBuilder("externalRef,url\r\n");
        foreach (var invitation in result.Value!) csv.Append(Csv.Field(invitation.ExternalRef ?? "")).Append(',').Append(Csv.Field(invitation.Url)).Append("\r\n");
        return Csv.Download(http, csv, $"invitations-{clock.GetUtcNow().AddHours(9):yyyyMMdd-HHmm}.csv");
    }

    private static async Task<(int Balance, List<LedgerEndpoints.EntryItem> Entries)> LedgerAsync(CareerRelayDb db, string companyId, CancellationToken ct)
    {
        var balance = await db.CompanyAccounts.Where(a => a.CompanyId == companyId).Select(a => a.Balance).FirstOrDefaultAsync(ct);
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.CompanyId == companyId).OrderByDescending(e => e.Id)
            .Select(e => new LedgerEndpoints.EntryItem(e.Id, e.Type, e.Amount, e.CreatedAt, e.Reference)).ToListAsync(ct);
        return (balance, entries);
    }

    private static async Task<IResult> LedgerPageAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, CancellationToken ct)
    {
        var (balance, entries) = await LedgerAsync(db, user.CompanyId, ct);
        return await RenderConsolePageAsync<LedgerPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["Balance"] = balance,
            ["Entries"] = entries,
        });
    }

    /// <summary>The whole ledger, oldest first, with reasons in the reader's language and times in JST.</summary>
    private static async Task<IResult> LedgerCsvAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(http.Request);
        var (_, entries) = await LedgerAsync(db, user.CompanyId, ct);
        var csv = new System.Text.StringBuilder("id,createdAtJst,type,reason,amount,reference\r\n");
        foreach (var e in Enumerable.Reverse(entries))
            csv.AppendJoin(',', Csv.Field(e.Id), Csv.Field(ConsoleFormat.Jst(e.CreatedAt)), Csv.Field(e.Type),
                Csv.Field(ConsoleFormat.LedgerReason(e.Type, lang)), e.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), Csv.Field(e.Reference)).Append("\r\n");
        return Csv.Download(http, csv, $"ledger-{clock.GetUtcNow().AddHours(9):yyyyMMdd}.csv");
    }

    private static async Task<IResult> RenderJobsAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, string? error, int status, CancellationToken ct)
    {
        var companyId = user.CompanyId;
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.CompanyId == companyId).OrderByDescending(j => j.Id).Take(200).ToListAsync(ct);
        var redemptions = await db.Redemptions.AsNoTracking().Where(r => r.CompanyId == companyId).OrderByDescending(r => r.Id).Take(200).ToListAsync(ct);
        var available = await db.CompanyAccounts.Where(a => a.CompanyId == companyId).Select(a => a.Balance).FirstOrDefaultAsync(ct);
        return await RenderConsolePageAsync<JobsPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["Jobs"] = jobs,
            ["Redemptions"] = redemptions,
            ["Available"] = available,
            ["Error"] = error,
        }, status);
    }

    private static async Task<IResult> CreateJobAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, Jobs.JobActions actions,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Forbidden();
        var form = await http.Request.ReadFormAsync(ct);
        int? Number(string field) => int.TryParse(form[field], out var n) ? n : null;
        var skills = form["skills"].ToString().Split([',', '、', '，'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = await actions.CreateAsync(user.CompanyId, new Jobs.JobEndpoints.JobRequest(form["title"], form["description"], form["prefecture"],
            [.. skills], form["employmentType"], null, Number("salaryMin"), Number("salaryMax")), ct);
        if (result.Failed)
            return await RenderJobsAsync(http, db, user, renderer, antiforgery, $"{Texts.Get("Jobs.Error", Lang.FromQuery(http.Request))} {ErrorText(result.Error!)}", 400, ct);
        return Results.Redirect("/console/jobs" + LangSuffix(http));
    }

    private static async Task<IResult> CloseJobAsync(string id, HttpContext http, ConsoleUser user, Jobs.JobActions actions, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Forbidden();
        return await actions.CloseAsync(user.CompanyId, id, ct) is null ? Results.NotFound() : Results.Redirect("/console/jobs" + LangSuffix(http));
    }

    private static async Task<IResult> SpendSlotAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, Redemptions.RedemptionActions actions,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Forbidden();
        var form = await http.Request.ReadFormAsync(ct);
        var result = await actions.OpenAsync(user.CompanyId, form["jobId"], ct);
        if (!result.Failed) return Results.Redirect("/console/jobs" + LangSuffix(http));
        if (result.Error!.Code == ProblemCodes.NotFound) return Results.NotFound();
        var lang = Lang.FromQuery(http.Request);
        var message = result.Error.Code == ProblemCodes.InsufficientSlots ? Texts.Get("Jobs.InsufficientSlots", lang) : result.Error.Detail;
        return await RenderJobsAsync(http, db, user, renderer, antiforgery, message, 409, ct);
    }

    private static async Task<IResult> CancelRedemptionAsync(string id, HttpContext http, CareerRelayDb db, ConsoleUser user, Redemptions.RedemptionActions actions,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Forbidden();
        var result = await actions.CancelAsync(user.CompanyId, id, ct);
        if (!result.Failed) return Results.Redirect("/console/jobs" + LangSuffix(http));
        return result.Error!.Code == ProblemCodes.NotFound ? Results.NotFound()
            : await RenderJobsAsync(http, db, user, renderer, antiforgery, result.Error.Detail, result.Error.Status, ct);
    }

    private static async Task<IResult> RenderUsersAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, string? message, bool isError, int status, CancellationToken ct)
    {
        var companyId = user.CompanyId;
        var users = await db.CompanyUsers.AsNoTracking().Where(u => u.CompanyId == companyId && u.DisabledAt == null).OrderBy(u => u.Id).ToListAsync(ct);
        return await RenderConsolePageAsync<UsersPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["Users"] = users,
            ["Message"] = message,
            ["IsError"] = isError,
        }, status);
    }

    /// <summary>An admin adds a member (or admin) and the platform mails them a 72-hour sign-in link.</summary>
    private static async Task<IResult> InviteUserAsync(HttpContext http, CareerRelayDb db, DbWriteGate gate, ConsoleUser user, MailOutbox outbox,
        PublicUrls urls, PageRenderer renderer, IAntiforgery antiforgery, TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Forbidden();
        var lang = Lang.FromQuery(http.Request);
        var form = await http.Request.ReadFormAsync(ct);
        var email = PersonIdentity.NormaliseEmail(form["email"].ToString());
        var role = form["role"] == ConsoleRoles.Admin ? ConsoleRoles.Admin : ConsoleRoles.Member;
        if (!PersonIdentity.IsPlausibleEmail(email))
            return await RenderUsersAsync(http, db, user, renderer, antiforgery, Texts.Get("Error.Email", lang), true, 400, ct);
        if (await db.CompanyUsers.AnyAsync(u => u.Email == email, ct))
            return await RenderUsersAsync(http, db, user, renderer, antiforgery, Texts.Get("Users.Taken", lang), true, 409, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var token = SecretTokens.New(24);
        var companyId = user.CompanyId;
        var companyName = await db.Companies.Where(c => c.Id == companyId).Select(c => c.Name).FirstAsync(ct);
        try
        {
            await gate.RunAsync(db, _ =>
            {
                var invited = new CompanyUser { Id = Ids.New(), CompanyId = companyId, Email = email, Role = role, CreatedAt = now };
                db.CompanyUsers.Add(invited);
                db.SignInTokens.Add(new SignInToken { TokenHash = SecretTokens.Hash(token), UserId = invited.Id, ExpiresAt = now + InvitationLifetime });
                outbox.Enqueue(db, null, null, "console-invitation", new MailContent(email, Texts.Get("Mail.Invite.Subject", lang),
                    Texts.Format("Mail.Invite.Body", lang, companyName, urls.To("/signin"), urls.To($"/signin/{token}{LangSuffix(http)}")), lang), now);
                return Task.FromResult(0);
            }, ct);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            return await RenderUsersAsync(http, db, user, renderer, antiforgery, Texts.Get("Users.Taken", lang), true, 409, ct);
        }
        return await RenderUsersAsync(http, db, user, renderer, antiforgery, Texts.Format("Users.Invited", lang, email), false, 200, ct);
    }

    /// <summary>A GET form: choosing link, tone, syntax and language changes nothing, so it needs no token.</summary>
    private static async Task<IResult> TemplatesPageAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var query = http.Request.Query;
        var links = (await LinkEndpoints.PageAsync(db, user.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct)).Items;
        string Pick(string name, string[] allowed, string fallback) => allowed.Contains(query[name].ToString()) ? query[name].ToString() : fallback;
        var tone = Pick("tone", RejectionTemplate.Tones, "standard");
        var syntax = Pick("syntax", ["plain", "mustache", "percent"], "plain");
        var mailLang = Lang.Normalize(query["mail"].ToString() is { Length: > 0 } m ? m : Lang.FromQuery(http.Request));
        var link = links.FirstOrDefault(l => l.Id == query["link"]) ?? links.FirstOrDefault();
        var parameters = new Dictionary<string, object?>
        {
            ["Links"] = links,
            ["LinkId"] = link?.Id,
            ["Tone"] = tone,
            ["Syntax"] = syntax,
            ["MailLang"] = mailLang,
        };
        if (link is not null)
        {
            var company = await db.Companies.Where(c => c.Id == user.CompanyId).Select(c => c.Name).FirstAsync(ct);
            (parameters["Subject"], parameters["Body"]) = RejectionTemplate.Render(tone, syntax, mailLang, company, link.Url);
            (parameters["PreviewSubject"], parameters["PreviewBody"]) = RejectionTemplate.Render(tone, "preview", mailLang, company, link.Url);
        }
        return await RenderConsolePageAsync<TemplatesPage>(http, user, renderer, antiforgery, parameters);
    }

    private static IResult Forbidden() => Results.Text("The form has expired. Reload the page and try again.", statusCode: 400);

    private static string ErrorText(ApiError error) =>
        string.Join(" ", (error.Errors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));

    /// <summary>Renders a console page with the frame every page needs: language, signed-in user, admin navigation, anti-forgery token.</summary>
    private static async Task<IResult> RenderConsolePageAsync<TPage>(HttpContext http, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, Dictionary<string, object?> parameters, int status = 200) where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        parameters["Lang"] = Lang.FromQuery(http.Request);
        parameters["UserEmail"] = user.Email;
        parameters["IsAdmin"] = user.IsAdmin;
        parameters["AntiforgeryToken"] = antiforgery.GetAndStoreTokens(http).RequestToken;
        return PageRenderer.Html(await renderer.RenderAsync<TPage>(parameters), status);
    }

    private static string LangSuffix(HttpContext http) => Lang.FromQuery(http.Request) == Lang.English ? "?lang=en" : "";

    private static async Task<IResult> RenderSignInAsync(HttpContext http, PageRenderer renderer, IAntiforgery antiforgery,
        IOptions<CareerRelayOptions> site, string key, string? formAction, string? buttonKey, bool askEmail = false, int status = 200)
    {
        var lang = Lang.FromQuery(http.Request);
        var html = await renderer.RenderAsync<SignInPage>(new Dictionary<string, object?>
        {
            ["Lang"] = lang,
            ["Title"] = Texts.Get($"{key}.Title", lang),
            ["Body"] = Texts.Get($"{key}.Body", lang),
            ["Operator"] = site.Value.Operator,
            ["SwitchLanguageUrl"] = "?lang=" + (lang == Lang.English ? "ja" : "en"),
            ["FormAction"] = formAction is null ? null : formAction + (askEmail ? LangSuffix(http) : ""),
            ["ButtonText"] = buttonKey is null ? null : Texts.Get(buttonKey, lang),
            ["AntiforgeryToken"] = formAction is null ? null : antiforgery.GetAndStoreTokens(http).RequestToken,
            ["AskEmail"] = askEmail,
        });
        http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(html, status);
    }
}
