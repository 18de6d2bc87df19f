using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>A candidate introduced to the company who agreed to it, as the console shows them.</summary>
public sealed record IntroducedCandidate(string Id, string AgencyName, string JobTitle, DateTime DecidedAt, Candidates.CandidateProfile Profile,
    string CandidateId);

/// <summary>The dashboard, relay links with their invitations, the rejection email templates, introduced candidates.</summary>
internal static class ConsoleLinks
{
    public const int TrendWeeks = 12;

    /// <summary>People this company rejected who ask to be considered again, with only what they chose to share. Audited.</summary>
    public static async Task<IResult> ReapplicationsAsync([AsParameters] ConsolePage page, Candidates.Reapplications reapplications,
        CancellationToken ct) =>
        await page.RenderAsync(PageParameters.For<ReapplicationsPage>()
            .With(p => p.Items, await reapplications.ForCompanyAsync(page.User.CompanyId, $"{page.User.CompanyId}/{page.User.Id}", ct)));

    /// <summary>Candidates introduced to this company who agreed to it — the only personal data a company ever sees. Audited per view.</summary>
    public static async Task<IResult> IntroductionsAsync([AsParameters] ConsolePage page, CareerRelayDb db,
        Candidates.CandidateVault vault, DbWriteGate gate, Retention.ShowPlacement placements, TimeProvider clock, CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        var rows = await (from i in db.Introductions
                          join j in db.Jobs on i.JobId equals j.Id
                          join a in db.Agencies on i.AgencyId equals a.Id
                          where i.CompanyId == companyId && i.Status == Agencies.IntroductionStatus.Consented
                          orderby i.DecidedAt descending
                          select new { i.Id, i.CandidateId, AgencyName = a.Name, j.Title, i.DecidedAt }).Take(200).ToListAsync(ct);
        var profiles = await vault.OpenManyAsync(db, rows.Select(r => r.CandidateId).Distinct().ToList(), ct);
        var items = rows.Where(r => profiles.ContainsKey(r.CandidateId))
            .Select(r => new IntroducedCandidate(r.Id, r.AgencyName, r.Title, r.DecidedAt!.Value, profiles[r.CandidateId], r.CandidateId)).ToList();
        await Candidates.AuditLog.RecordAsync(db, gate, "company", $"{companyId}/{page.User.Id}", AuditActions.IntroductionsList,
            rows.Select(r => r.CandidateId).Where(profiles.ContainsKey), clock.GetUtcNow().UtcDateTime, ct);
        return await page.RenderAsync(PageParameters.For<IntroductionsPage>().With(p => p.Items, items)
            .With(p => p.Left, await placements.LeftAtCompanyAsync(companyId, ct)));
    }

    public static async Task<IResult> DashboardAsync([AsParameters] ConsolePage page, CareerRelayDb db, CompanySummaries summaries,
        PublicUrls urls, Surveys.SatisfactionSurveys surveys, Candidates.Reapplications reapplications, Retention.RetentionKpis retention,
        Alumni.AlumniKpis alumni, TimeProvider clock, CancellationToken ct)
    {
        var summary = await summaries.ForCompanyAsync(db, page.User.CompanyId, ct);
        var links = await LinkEndpoints.PageAsync(db, page.User.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct);
        var weeks = CompanyActivity.WeekBoundaries(CompanyActivity.TodayInJapan(clock), TrendWeeks);
        return await page.RenderAsync(PageParameters.For<DashboardPage>()
            .With(p => p.Summary, summary)
            .With(p => p.Links, links.Items)
            .With(p => p.Sources, await SourceFigures.ForCompanyAsync(db, page.User.CompanyId, null, null, ct))
            .With(p => p.Trend, await CompanyActivity.ForPeriodsAsync(db, page.User.CompanyId, weeks, ct))
            .With(p => p.Satisfaction, await surveys.ForCompanyAsync(page.User.CompanyId, ct))
            .With(p => p.Reapplications, await reapplications.RateAsync(page.User.CompanyId, ct))
            .With(p => p.Loop, await LoopFigures.ForCompanyAsync(db, page.User.CompanyId, ct))
            .With(p => p.Retention, await retention.ForCompanyAsync(page.User.CompanyId, ct))
            .With(p => p.Alumni, await alumni.ForCompanyAsync(page.User.CompanyId, ct)));
    }

    /// <summary>
    /// The link's QR code for print (a job fair's poster, a flyer): SVG or PNG of its public address, or with <c>?src=</c> one of
    /// its sources, so people who scan that poster count under it. A source the link does not list is refused: a printed code
    /// that silently counts as "other" would be found out only after the fair.
    /// </summary>
    public static async Task<IResult> QrAsync(string id, string format, string? src, HttpContext http, ConsoleUser user, CareerRelayDb db, PublicUrls urls,
        CancellationToken ct)
    {
        var link = await db.RelayLinks.AsNoTracking().Where(l => l.Id == id && l.CompanyId == user.CompanyId).Select(l => new { l.Token, l.Sources }).FirstOrDefaultAsync(ct);
        if (link is null || (src is not null && !link.Sources.Contains(src))) return ConsolePages.NotFound();
        return src is null
            ? QrSvg.Download(http, urls.To($"/r/{link.Token}"), format, $"relay-link-{id}")
            : QrSvg.Download(http, urls.To($"/r/{link.Token}?src={src}"), format, $"relay-link-{id}-{src}");
    }

    /// <summary>The link's sources as typed (comma or space separated); the same rules as the API's.</summary>
    public static async Task<IResult> SetSourcesAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db, LinkActions actions, PublicUrls urls,
        CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var sources = form["sources"].ToString().Split([',', '、', ' ', '\n', '\t'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(x => (string?)x.ToLowerInvariant()).ToList();
        var result = await actions.UpdateAsync(page.User.CompanyId, id, null, sources, ct);
        if (result.Failed && result.Error!.Status == 404) return ConsolePages.NotFound();
        if (result.Failed) return await RenderLinksAsync(page, db, urls, null, null, 400, ct, (id, result.Error!));
        return ConsolePages.RedirectTo(page.Http, "/console/links", "sources-saved");
    }

    public static Task<IResult> LinksPageAsync([AsParameters] ConsolePage page, CareerRelayDb db, PublicUrls urls, CancellationToken ct) =>
        RenderLinksAsync(page, db, urls, null, null, 200, ct);

    private static async Task<IResult> RenderLinksAsync(ConsolePage page, CareerRelayDb db, PublicUrls urls, ApiError? createError,
        ApiError? invitationError, int status, CancellationToken ct, (string LinkId, ApiError Error)? sourcesError = null)
    {
        var links = await LinkEndpoints.PageAsync(db, page.User.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct);
        return await page.RenderAsync(PageParameters.For<LinksPage>()
            .With(p => p.Links, links.Items)
            .With(p => p.SourcesErrorFor, sourcesError?.LinkId)
            .With(p => p.SourcesErrors, ConsolePages.Errors(page.Http, sourcesError?.Error))
            .With(p => p.CreateErrors, ConsolePages.Errors(page.Http, createError))
            .With(p => p.InvitationErrors, ConsolePages.Errors(page.Http, invitationError))
            .With(p => p.Typed, status == 200 ? null : (await page.Http.Request.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value.ToString())), status);
    }

    /// <summary>Post/redirect/get: a refresh after creating does not create again.</summary>
    public static async Task<IResult> CreateLinkAsync([AsParameters] ConsolePage page, CareerRelayDb db, LinkActions actions,
        PublicUrls urls, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await actions.CreateAsync(page.User.CompanyId, form["label"], ct);
        if (result.Failed) return await RenderLinksAsync(page, db, urls, result.Error, null, 400, ct);
        return ConsolePages.RedirectTo(page.Http, "/console/links", "link-created");
    }

    public static async Task<IResult> SetPausedAsync(string id, bool paused, HttpContext http, ConsoleUser user, LinkActions actions,
        CancellationToken ct)
    {
        return await actions.SetPausedAsync(user.CompanyId, id, paused, ct) is null
            ? ConsolePages.NotFound()
            : ConsolePages.RedirectTo(http, "/console/links", paused ? "link-paused" : "link-resumed");
    }

    /// <summary>Issues the invitations and answers them as a CSV file.</summary>
    public static async Task<IResult> InvitationsCsvAsync([AsParameters] ConsolePage page, CareerRelayDb db, LinkActions actions,
        PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var refs = form["externalRefs"].ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        int? count = refs.Length > 0 ? null : int.TryParse(form["count"], out var n) ? n : 0;
        var result = await actions.MintInvitationsAsync(page.User.CompanyId, form["linkId"], count, refs.Length > 0 ? refs : null, ct);
        if (result.Failed) return await RenderLinksAsync(page, db, urls, null, result.Error, 400, ct);

        var csv = new System.Text.StringBuilder("externalRef,url\r\n");
        foreach (var invitation in result.Value!) csv.Append(Csv.Field(invitation.ExternalRef ?? "")).Append(',').Append(Csv.Field(invitation.Url)).Append("\r\n");
        return Csv.Download(page.Http, csv, $"invitations-{clock.GetUtcNow().AddHours(9):yyyyMMdd-HHmm}.csv");
    }

    /// <summary>The templates page's "tone" for the wording a link's mail test adopted.</summary>
    public const string OwnWording = "own";

    /// <summary>A GET form: choosing link, tone, syntax and language changes nothing, so it needs no token.</summary>
    public static async Task<IResult> TemplatesPageAsync([AsParameters] ConsolePage page, CareerRelayDb db, PublicUrls urls, CancellationToken ct)
    {
        var query = page.Http.Request.Query;
        var links = (await LinkEndpoints.PageAsync(db, page.User.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct)).Items;
        string Pick(string name, string[] allowed, string fallback) => allowed.Contains(query[name].ToString()) ? query[name].ToString() : fallback;
        var syntax = Pick("syntax", ["plain", "mustache", "percent"], "plain");
        var mailLang = Lang.Normalize(query["mail"].ToString() is { Length: > 0 } m ? m : Lang.FromQuery(page.Http.Request));
        var link = links.FirstOrDefault(l => l.Id == query["link"]) ?? links.FirstOrDefault();
        // A link whose mail test adopted a wording shows that wording first ("own"); a tone can still be chosen.
        var own = link is null ? null : (await LinkEndpoints.FindForTemplateAsync(db, page.User.CompanyId, link.Id, ct))?.Wording;
        var tone = own is not null && (query["tone"] == OwnWording || query["tone"].Count == 0) ? OwnWording : Pick("tone", RejectionTemplate.Tones, "standard");
        var wording = tone == OwnWording ? own! : new RejectionWording(tone, null);
        var parameters = PageParameters.For<TemplatesPage>()
            .With(p => p.Links, links)
            .With(p => p.LinkId, link?.Id)
            .With(p => p.Tone, tone)
            .With(p => p.Syntax, syntax)
            .With(p => p.MailLang, mailLang)
            .With(p => p.HasOwnWording, own is not null);
        if (link is not null)
        {
            var company = await db.Companies.Where(c => c.Id == page.User.CompanyId).Select(c => c.Name).FirstAsync(ct);
            var (subject, body) = RejectionTemplate.Render(wording, syntax, mailLang, company, link.Url);
            var (previewSubject, previewBody) = RejectionTemplate.Render(wording, "preview", mailLang, company, link.Url);
            parameters.With(p => p.Subject, subject).With(p => p.Body, body).With(p => p.PreviewSubject, previewSubject).With(p => p.PreviewBody, previewBody);
        }
        return await page.RenderAsync<TemplatesPage>(parameters);
    }
}
