using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Redemptions;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>An anonymised candidate for a redemption: what fits, never who (no name, contact or employer).</summary>
public sealed record AnonymousMatch(int Number, string? DesiredOccupation, string? Prefecture, int? Years, double Score, IReadOnlyList<string> Reasons);

/// <summary>Jobs (post, edit, close) and redemptions (spend a free hire slot on a job, cancel, follow).</summary>
internal static class ConsoleJobs
{
    public static Task<IResult> JobsPageAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, CancellationToken ct) =>
        RenderJobsAsync(http, db, user, renderer, antiforgery, null, null, 200, ct);

    private static async Task<IResult> RenderJobsAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, string? error, JobEndpoints.JobRequest? typed, int status, CancellationToken ct)
    {
        var companyId = user.CompanyId;
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.CompanyId == companyId).OrderByDescending(j => j.Id).Take(200).ToListAsync(ct);
        var redemptions = await db.Redemptions.AsNoTracking().Where(r => r.CompanyId == companyId).OrderByDescending(r => r.Id).Take(200).ToListAsync(ct);
        var available = await db.CompanyAccounts.Where(a => a.CompanyId == companyId).Select(a => a.Balance).FirstOrDefaultAsync(ct);
        return await ConsolePages.RenderAsync<JobsPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["Jobs"] = jobs,
            ["Redemptions"] = redemptions,
            ["Available"] = available,
            ["Error"] = error,
            ["Values"] = typed,
        }, status);
    }

    public static async Task<IResult> CreateJobAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, JobActions actions,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        var typed = await ReadJobFormAsync(http, ct);
        var result = await actions.CreateAsync(user.CompanyId, typed, ct);
        if (result.Failed)
            return await RenderJobsAsync(http, db, user, renderer, antiforgery, JobError(http, result.Error!), typed, 400, ct);
        return ConsolePages.RedirectTo(http, "/console/jobs");
    }

    public static async Task<IResult> EditJobPageAsync(string id, HttpContext http, CareerRelayDb db, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, CancellationToken ct)
    {
        var companyId = user.CompanyId;
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && j.CompanyId == companyId, ct);
        if (job is null) return ConsolePages.NotFound();
        var values = new JobEndpoints.JobRequest(job.Title, job.Description, job.Prefecture, [.. job.Skills], job.EmploymentType,
            job.OccupationCode, job.SalaryMin, job.SalaryMax, [.. job.PreferredSkills], job.RemoteAllowed, job.YearsRequired);
        return await RenderEditAsync(http, user, renderer, antiforgery, id, values, null, 200);
    }

    public static async Task<IResult> UpdateJobAsync(string id, HttpContext http, ConsoleUser user, JobActions actions,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        var typed = await ReadJobFormAsync(http, ct);
        var result = await actions.UpdateAsync(user.CompanyId, id, typed, ct);
        if (!result.Failed) return ConsolePages.RedirectTo(http, "/console/jobs");
        if (result.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        return await RenderEditAsync(http, user, renderer, antiforgery, id, typed, JobError(http, result.Error), 400);
    }

    private static Task<IResult> RenderEditAsync(HttpContext http, ConsoleUser user, PageRenderer renderer, IAntiforgery antiforgery,
        string id, JobEndpoints.JobRequest values, string? error, int status) =>
        ConsolePages.RenderAsync<JobEditPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["JobId"] = id,
            ["Values"] = values,
            ["Error"] = error,
        }, status);

    public static async Task<IResult> CloseJobAsync(string id, HttpContext http, ConsoleUser user, JobActions actions, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        return await actions.CloseAsync(user.CompanyId, id, ct) is null ? ConsolePages.NotFound() : ConsolePages.RedirectTo(http, "/console/jobs");
    }

    public static async Task<IResult> SpendSlotAsync(HttpContext http, CareerRelayDb db, ConsoleUser user, RedemptionActions actions,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        var form = await http.Request.ReadFormAsync(ct);
        var result = await actions.OpenAsync(user.CompanyId, form["jobId"], ct);
        if (!result.Failed) return ConsolePages.RedirectTo(http, "/console/jobs");
        if (result.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        var lang = Lang.FromQuery(http.Request);
        var message = result.Error.Code == ProblemCodes.InsufficientSlots ? Texts.Get("Jobs.InsufficientSlots", lang) : ConsolePages.ErrorText(result.Error);
        return await RenderJobsAsync(http, db, user, renderer, antiforgery, message, null, 409, ct);
    }

    public static async Task<IResult> CancelRedemptionAsync(string id, HttpContext http, CareerRelayDb db, ConsoleUser user, RedemptionActions actions,
        PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ConsolePages.FormExpired(http);
        var result = await actions.CancelAsync(user.CompanyId, id, ct);
        if (!result.Failed) return ConsolePages.RedirectTo(http, "/console/jobs");
        return result.Error!.Code == ProblemCodes.NotFound ? ConsolePages.NotFound()
            : await RenderJobsAsync(http, db, user, renderer, antiforgery, ConsolePages.ErrorText(result.Error), null, result.Error.Status, ct);
    }

    /// <summary>
    /// For an open redemption an agency accepted: that agency's consenting candidates ranked for the job, shown
    /// without anything that identifies them. The company sees a profile only after an introduction is agreed.
    /// </summary>
    public static async Task<IResult> RedemptionCandidatesAsync(string id, HttpContext http, CareerRelayDb db, ConsoleUser user,
        Agencies.AgencyWork work, Candidates.CandidateVault vault, PageRenderer renderer, IAntiforgery antiforgery, CancellationToken ct)
    {
        var companyId = user.CompanyId;
        var redemption = await db.Redemptions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.CompanyId == companyId, ct);
        if (redemption is null) return ConsolePages.NotFound();
        var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == redemption.JobId, ct);
        var agency = redemption.AcceptedByAgencyId is { } agencyId ? await db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agencyId, ct) : null;
        var matches = new List<AnonymousMatch>();
        if (agency is not null && redemption.Status == RedemptionStatus.Open)
        {
            var ranked = await work.RankForJobAsync(agency.Id, job, Lang.FromQuery(http.Request), 10, ct);
            var profiles = await vault.OpenManyAsync(db, [.. ranked.Select(m => m.CandidateId)], ct);
            ranked = [.. ranked.Where(m => profiles.ContainsKey(m.CandidateId))];
            matches = [.. ranked.Select((m, i) => new AnonymousMatch(i + 1, profiles[m.CandidateId].DesiredOccupation, profiles[m.CandidateId].Prefecture,
                profiles[m.CandidateId].YearsOfExperience, m.Score, m.Reasons))];
        }
        return await ConsolePages.RenderAsync<RedemptionCandidatesPage>(http, user, renderer, antiforgery, new Dictionary<string, object?>
        {
            ["Job"] = job, ["Redemption"] = redemption, ["AgencyName"] = agency?.Name, ["Matches"] = matches,
        });
    }

    private static async Task<JobEndpoints.JobRequest> ReadJobFormAsync(HttpContext http, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        int? Number(string field) => int.TryParse(form[field], out var n) ? n : null;
        List<string?> List(string field) => [.. form[field].ToString().Split([',', '、', '，'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        return new JobEndpoints.JobRequest(form["title"], form["description"], form["prefecture"], List("skills"), form["employmentType"],
            form["occupationCode"].ToString() is { Length: > 0 } code ? code : null,
            Number("salaryMin"), Number("salaryMax"), List("preferredSkills"), form["remoteAllowed"] == "on", Number("yearsRequired"));
    }

    private static string JobError(HttpContext http, ApiError error) =>
        $"{Texts.Get("Jobs.Error", Lang.FromQuery(http.Request))} {ConsolePages.ErrorText(error)}";
}
