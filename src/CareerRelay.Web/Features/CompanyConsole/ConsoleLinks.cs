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
public sealed record IntroducedCandidate(string Id, string AgencyName, string JobTitle, DateTime DecidedAt, Candidates.CandidateProfile Profile);

/// <summary>The dashboard, relay links with their invitations, the rejection email templates, introduced candidates.</summary>
internal static class ConsoleLinks
{
    public const int TrendWeeks = 12;

    /// <summary>People this company rejected who ask to be considered again, with only what they chose to share. Audited.</summary>
    public static async Task<IResult> ReapplicationsAsync(HttpContext http, ConsoleUser user, Candidates.Reapplications reapplications,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct) =>
        await ConsolePages.RenderAsync<ReapplicationsPage>(http, user, renderer, antiforgery, PageParameters.For<ReapplicationsPage>()
            .With(p => p.Items, await reapplications.ForCompanyAsync(user.CompanyId, $"{user.CompanyId}/{user.Id}", ct)));

    /// <summary>Candidates introduced to this company who agreed to it — the only personal data a company ever sees. Audited per view.</summary>
    public static async Task<IResult> IntroductionsAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, Candidates.CandidateVault vault,
        DbWriteGate gate, PageRenderer renderer, IAntiforgery antiforgery, TimeProvider clock, CancellationToken ct)
    {
        var companyId = user.CompanyId;
        var rows = await (from i in db.Introductions
                          join j in db.Jobs on i.JobId equals j.Id
                          join a in db.Agencies on i.AgencyId equals a.Id
                          where i.CompanyId == companyId && i.Status == Agencies.IntroductionStatus.Consented
                          orderby i.DecidedAt descending
                          select new { i.Id, i.CandidateId, AgencyName = a.Name, j.Title, i.DecidedAt }).Take(200).ToListAsync(ct);
        var profiles = await vault.OpenManyAsync(db, rows.Select(r => r.CandidateId).Distinct().ToList(), ct);
        var items = rows.Where(r => profiles.ContainsKey(r.CandidateId))
            .Select(r => new IntroducedCandidate(r.Id, r.AgencyName, r.Title, r.DecidedAt!.Value, profiles[r.CandidateId])).ToList();
        await Candidates.AuditLog.RecordAsync(db, gate, "company", $"{companyId}/{user.Id}", AuditActions.IntroductionsList,
            rows.Select(r => r.CandidateId).Where(profiles.ContainsKey), clock.GetUtcNow().UtcDateTime, ct);
        return await ConsolePages.RenderAsync<IntroductionsPage>(http, user, renderer, antiforgery, PageParameters.For<IntroductionsPage>().With(p => p.Items, items));
    }

    public static async Task<IResult> DashboardAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, CompanySummaries summaries,
        PublicUrls urls, Surveys.SatisfactionSurveys surveys, Candidates.Reapplications reapplications, PageRenderer renderer, IAntiforgery antiforgery, TimeProvider clock, CancellationToken ct)
    {
        var summary = await summaries.ForCompanyAsync(db, user.CompanyId, ct);
        var links = await LinkEndpoints.PageAsync(db, user.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct);
        var weeks = CompanyActivity.WeekBoundaries(CompanyActivity.TodayInJapan(clock), TrendWeeks);
        return await ConsolePages.RenderAsync<DashboardPage>(http, user, renderer, antiforgery, PageParameters.For<DashboardPage>()
            .With(p => p.Summary, summary)
            .With(p => p.Links, links.Items)
            .With(p => p.Trend, await CompanyActivity.ForPeriodsAsync(db, user.CompanyId, weeks, ct))
            .With(p => p.Satisfaction, await surveys.ForCompanyAsync(user.CompanyId, ct))
            .With(p => p.Reapplications, await reapplications.RateAsync(user.CompanyId, ct))
            .With(p => p.Loop, await LoopFigures.ForCompanyAsync(db, user.CompanyId, ct)));
    }

    public static Task<IResult> LinksPageAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct) =>
        RenderLinksAsync(http, db, user, urls, renderer, antiforgery, null, null, 200, ct);

    private static async Task<IResult> RenderLinksAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, ApiError? createError, ApiError? invitationError, int status, CancellationToken ct)
    {
        var links = await LinkEndpoints.PageAsync(db, user.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct);
        return await ConsolePages.RenderAsync<LinksPage>(http, user, renderer, antiforgery, PageParameters.For<LinksPage>()
            .With(p => p.Links, links.Items)
            .With(p => p.CreateErrors, ConsolePages.Errors(http, createError))
            .With(p => p.InvitationErrors, ConsolePages.Errors(http, invitationError))
            .With(p => p.Typed, status == 200 ? null : (await http.Request.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value.ToString())), status);
    }

    /// <summary>Post/redirect/get: a refresh after creating does not create again.</summary>
    public static async Task<IResult> CreateLinkAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, LinkActions actions, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var result = await actions.CreateAsync(user.CompanyId, form["label"], ct);
        if (result.Failed) return await RenderLinksAsync(http, db, user, urls, renderer, antiforgery, result.Error, null, 400, ct);
        return ConsolePages.RedirectTo(http, "/console/links", "link-created");
    }

    public static async Task<IResult> SetPausedAsync(string id, bool paused, HttpContext http, ConsoleUser user, LinkActions actions,
        CancellationToken ct)
    {
        return await actions.SetPausedAsync(user.CompanyId, id, paused, ct) is null
            ? ConsolePages.NotFound()
            : ConsolePages.RedirectTo(http, "/console/links", paused ? "link-paused" : "link-resumed");
    }

    /// <summary>Issues the invitations and answers them as a CSV file.</summary>
    public static async Task<IResult> InvitationsCsvAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, LinkActions actions, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, TimeProvider clock, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var refs = form["externalRefs"].ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        int? count = refs.Length > 0 ? null : int.TryParse(form["count"], out var n) ? n : 0;
        var result = await actions.MintInvitationsAsync(user.CompanyId, form["linkId"], count, refs.Length > 0 ? refs : null, ct);
        if (result.Failed) return await RenderLinksAsync(http, db, user, urls, renderer, antiforgery, null, result.Error, 400, ct);

        var csv = new System.Text.StringBuilder("externalRef,url\r\n");
        foreach (var invitation in result.Value!) csv.Append(Csv.Field(invitation.ExternalRef ?? "")).Append(',').Append(Csv.Field(invitation.Url)).Append("\r\n");
        return Csv.Download(http, csv, $"invitations-{clock.GetUtcNow().AddHours(9):yyyyMMdd-HHmm}.csv");
    }

    /// <summary>A GET form: choosing link, tone, syntax and language changes nothing, so it needs no token.</summary>
    public static async Task<IResult> TemplatesPageAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PublicUrls urls,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var query = http.Request.Query;
        var links = (await LinkEndpoints.PageAsync(db, user.CompanyId, new PageRequest(PageRequest.MaxLimit, null), urls, ct)).Items;
        string Pick(string name, string[] allowed, string fallback) => allowed.Contains(query[name].ToString()) ? query[name].ToString() : fallback;
        var tone = Pick("tone", RejectionTemplate.Tones, "standard");
        var syntax = Pick("syntax", ["plain", "mustache", "percent"], "plain");
        var mailLang = Lang.Normalize(query["mail"].ToString() is { Length: > 0 } m ? m : Lang.FromQuery(http.Request));
        var link = links.FirstOrDefault(l => l.Id == query["link"]) ?? links.FirstOrDefault();
        var parameters = PageParameters.For<TemplatesPage>()
            .With(p => p.Links, links)
            .With(p => p.LinkId, link?.Id)
            .With(p => p.Tone, tone)
            .With(p => p.Syntax, syntax)
            .With(p => p.MailLang, mailLang);
        if (link is not null)
        {
            var company = await db.Companies.Where(c => c.Id == user.CompanyId).Select(c => c.Name).FirstAsync(ct);
            var (subject, body) = RejectionTemplate.Render(tone, syntax, mailLang, company, link.Url);
            var (previewSubject, previewBody) = RejectionTemplate.Render(tone, "preview", mailLang, company, link.Url);
            parameters.With(p => p.Subject, subject).With(p => p.Body, body).With(p => p.PreviewSubject, previewSubject).With(p => p.PreviewBody, previewBody);
        }
        return await ConsolePages.RenderAsync<TemplatesPage>(http, user, renderer, antiforgery, parameters);
    }
}
