using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Alumni.Pages;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;

namespace CareerRelay.Web.Features.Alumni;

/// <summary>
/// /console/alumni: the figures, alumni links (create, pause, resume), members with what they shared, recording a re-hire or
/// contract, making a member a referrer, and the welcome-back mail of chosen open jobs.
/// </summary>
internal static class ConsoleAlumni
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var console = app.MapConsolePages("/console/alumni", ConsoleAuth.Policy);
        console.MapGet("", ([AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, CancellationToken ct) =>
            RenderAsync(page, alumni, kpis, db, null, null, 200, ct));
        console.MapPost("/links", CreateLinkAsync);
        console.MapPost("/links/{id}/pause", (string id, [AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, CancellationToken ct) =>
            PauseAsync(id, true, page, alumni, kpis, db, ct));
        console.MapPost("/links/{id}/resume", (string id, [AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, CancellationToken ct) =>
            PauseAsync(id, false, page, alumni, kpis, db, ct));
        console.MapPost("/{id}/rehire", RehireAsync);
        console.MapPost("/{id}/referrer", MakeReferrerAsync);
        console.MapPost("/welcome-back", WelcomeBackAsync);
    }

    /// <summary>Which form of the page a refusal belongs to: its problems are shown beside that form's fields.</summary>
    internal enum Form { Link, Rehire, Referrer, Mail }

    private static async Task<IResult> RenderAsync([AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, string? message,
        (Form Form, ApiError Error, string? MemberId)? refused, int status, CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        FormErrors For(Form form) => refused is { } r && r.Form == form ? ConsolePages.Errors(page.Http, r.Error) : FormErrors.None;
        return await page.RenderAsync(PageParameters.For<AlumniPage>()
            .With(p => p.Figures, await kpis.ForCompanyAsync(companyId, ct))
            .With(p => p.Links, (await alumni.LinksAsync(companyId, new PageRequest(PageRequest.MaxLimit, null), ct)).Items)
            .With(p => p.Members, (await alumni.MembersAsync(companyId, $"{companyId}/{page.User.Id}", new PageRequest(PageRequest.MaxLimit, null), ct)).Items)
            .With(p => p.Programmes, await db.ReferralProgrammes.AsNoTracking().Where(p => p.CompanyId == companyId).OrderBy(p => p.Id)
                .Select(p => new ValueTuple<string, string>(p.Id, p.Name)).ToListAsync(ct))
            .With(p => p.Jobs, await db.Jobs.AsNoTracking().Where(j => j.CompanyId == companyId && j.Status == "open").OrderBy(j => j.Title)
                .Select(j => new ValueTuple<string, string>(j.Id, j.Title)).ToListAsync(ct))
            .With(p => p.Reach, await alumni.JobMailReachAsync(companyId, ct))
            .With(p => p.Message, message)
            .With(p => p.LinkErrors, For(Form.Link))
            .With(p => p.RehireErrors, For(Form.Rehire))
            .With(p => p.MailErrors, For(Form.Mail))
            .With(p => p.Problem, refused is { Form: Form.Referrer } r ? ConsolePages.ErrorText(page.Http, r.Error) : null)
            .With(p => p.ErrorsFor, refused?.MemberId)
            .With(p => p.Typed, refused is null ? null : (await page.Http.Request.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value.ToString())), status);
    }

    private static string Say([AsParameters] ConsolePage page, string key, params object?[] args) => Texts.Format(key, Lang.FromQuery(page.Http.Request), args);

    private static async Task<IResult> CreateLinkAsync([AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var created = await alumni.CreateLinkAsync(page.User.CompanyId, form["label"], form["message"], ct);
        return created.Failed
            ? await RenderAsync(page, alumni, kpis, db, null, (Form.Link, created.Error!, null), 400, ct)
            : await RenderAsync(page, alumni, kpis, db, Say(page, "Alumni.Console.LinkCreated", created.Value!.Label), null, 201, ct);
    }

    private static async Task<IResult> PauseAsync(string id, bool paused, [AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, CancellationToken ct) =>
        await alumni.SetPausedAsync(page.User.CompanyId, id, paused, ct) is { } link
            ? await RenderAsync(page, alumni, kpis, db, Say(page, paused ? "Alumni.Console.Paused" : "Alumni.Console.Resumed", link.Label), null, 200, ct)
            : ConsolePages.NotFound();

    private static async Task<IResult> RehireAsync(string id, [AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await alumni.RecordRehireAsync(page.User.CompanyId, id, new RehireRequest(form["on"], form["kind"]), ct);
        if (result.Failed && result.Error!.Status == 404) return ConsolePages.NotFound();
        return result.Failed
            ? await RenderAsync(page, alumni, kpis, db, null, (Form.Rehire, result.Error!, id), 400, ct)
            : await RenderAsync(page, alumni, kpis, db, Say(page, "Alumni.Console.Recorded", Texts.Get($"Alumni.Kind.{result.Value.Item.Kind}", Lang.FromQuery(page.Http.Request)),
                result.Value.Item.On.ToString("yyyy-MM-dd")), null, result.Value.Created ? 201 : 200, ct);
    }

    private static async Task<IResult> MakeReferrerAsync(string id, [AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await alumni.MakeReferrerAsync(page.User.CompanyId, id, form["programmeId"], ct);
        if (result.Failed && result.Error!.Status == 404) return ConsolePages.NotFound();
        return result.Failed
            ? await RenderAsync(page, alumni, kpis, db, null, (Form.Referrer, result.Error!, id), result.Error!.Status, ct)
            : await RenderAsync(page, alumni, kpis, db, Say(page, "Alumni.Console.ReferrerMade", result.Value!.Name), null, 201, ct);
    }

    private static async Task<IResult> WelcomeBackAsync([AsParameters] ConsolePage page, ManageAlumni alumni, AlumniKpis kpis, CareerRelayDb db, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var sent = await alumni.SendWelcomeBackAsync(page.User.CompanyId, [.. form["jobIds"].Select(v => v ?? "")], form["note"], ct);
        return sent.Failed
            ? await RenderAsync(page, alumni, kpis, db, null, (Form.Mail, sent.Error!, null), 400, ct)
            : await RenderAsync(page, alumni, kpis, db, Say(page, "Alumni.Console.Sent", sent.Value), null, 200, ct);
    }
}
