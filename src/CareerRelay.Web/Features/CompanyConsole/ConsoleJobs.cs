using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole.Pages;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Redemptions;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>An anonymised candidate for a redemption: what fits, never who (no name, contact or employer).</summary>
public sealed record AnonymousMatch(int Number, string? DesiredOccupation, string? Prefecture, int? Years, double Score, IReadOnlyList<string> Reasons);

/// <summary>Jobs (post, edit, close) and redemptions (spend a free hire slot on a job, cancel, follow).</summary>
internal static class ConsoleJobs
{
    public static Task<IResult> JobsPageAsync([AsParameters] ConsolePage page, CareerRelayDb db, CancellationToken ct) =>
        RenderJobsAsync(page, db, FormErrors.None, null, 200, ct);

    private static async Task<IResult> RenderJobsAsync(ConsolePage page, CareerRelayDb db, FormErrors errors, JobRequest? typed,
        int status, CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.CompanyId == companyId).OrderByDescending(j => j.Id).Take(200).ToListAsync(ct);
        var redemptions = await db.Redemptions.AsNoTracking().Where(r => r.CompanyId == companyId).OrderByDescending(r => r.Id).Take(200).ToListAsync(ct);
        var available = await db.CompanyAccounts.Where(a => a.CompanyId == companyId).Select(a => a.Balance).FirstOrDefaultAsync(ct);
        return await page.RenderAsync(PageParameters.For<JobsPage>()
            .With(p => p.Jobs, jobs)
            .With(p => p.Redemptions, redemptions)
            .With(p => p.Available, available)
            .With(p => p.Errors, errors)
            .With(p => p.Values, typed), status);
    }

    public static async Task<IResult> CreateJobAsync([AsParameters] ConsolePage page, CareerRelayDb db, JobActions actions, CancellationToken ct)
    {
        var typed = await ReadJobFormAsync(page.Http, ct);
        var result = await actions.CreateAsync(page.User.CompanyId, typed, ct);
        if (result.Failed)
            return await RenderJobsAsync(page, db, ConsolePages.Errors(page.Http, result.Error), typed, 400, ct);
        return ConsolePages.RedirectTo(page.Http, "/console/jobs", "job-created");
    }

    public static async Task<IResult> EditJobPageAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db, CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && j.CompanyId == companyId, ct);
        if (job is null) return ConsolePages.NotFound();
        var values = new JobRequest(job.Title, job.Description, job.Prefecture, [.. job.Skills], job.EmploymentType,
            job.OccupationCode, job.SalaryMin, job.SalaryMax, [.. job.PreferredSkills], job.RemoteAllowed, job.YearsRequired);
        return await RenderEditAsync(page, id, values, FormErrors.None, 200);
    }

    public static async Task<IResult> UpdateJobAsync(string id, [AsParameters] ConsolePage page, JobActions actions, CancellationToken ct)
    {
        var typed = await ReadJobFormAsync(page.Http, ct);
        var result = await actions.UpdateAsync(page.User.CompanyId, id, typed, ct);
        if (!result.Failed) return ConsolePages.RedirectTo(page.Http, "/console/jobs", "job-updated");
        if (result.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        return await RenderEditAsync(page, id, typed, ConsolePages.Errors(page.Http, result.Error), 400);
    }

    private static Task<IResult> RenderEditAsync(ConsolePage page, string id, JobRequest values, FormErrors errors, int status) =>
        page.RenderAsync(PageParameters.For<JobEditPage>()
            .With(p => p.JobId, id)
            .With(p => p.Values, values)
            .With(p => p.Errors, errors), status);

    public static async Task<IResult> CloseJobAsync(string id, HttpContext http, ConsoleUser user, JobActions actions, CancellationToken ct)
    {
        return await actions.CloseAsync(user.CompanyId, id, ct) is null ? ConsolePages.NotFound() : ConsolePages.RedirectTo(http, "/console/jobs", "job-closed");
    }

    /// <summary>
    /// Spending a free hire slot is a decision, not a click: this page says what it does (one slot now, the agencies are told,
    /// cancellable until a hire fills it) and asks to confirm; with no slot available it says so instead.
    /// </summary>
    public static async Task<IResult> ConfirmSpendPageAsync([AsParameters] ConsolePage page, CareerRelayDb db, CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        var jobId = page.Http.Request.Query["jobId"].ToString();
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId && j.CompanyId == companyId && j.Status == "open", ct);
        if (job is null) return ConsolePages.NotFound();
        var available = await db.CompanyAccounts.Where(a => a.CompanyId == companyId).Select(a => a.Balance).FirstOrDefaultAsync(ct);
        return await page.RenderAsync(PageParameters.For<SpendSlotPage>()
            .With(p => p.Job, job)
            .With(p => p.Available, available));
    }

    public static async Task<IResult> SpendSlotAsync(HttpContext http, ConsoleUser user, RedemptionActions actions, CancellationToken ct)
    {
        var jobId = (await http.Request.ReadFormAsync(ct))["jobId"].ToString();
        var result = await actions.OpenAsync(user.CompanyId, jobId, ct);
        if (!result.Failed) return ConsolePages.RedirectTo(http, "/console/jobs", "slot-spent");
        if (result.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        // Post/redirect/get also for a refusal: the address bar shows the page that explains it, not the form's target.
        return ConsolePages.RedirectWithProblem(http, $"/console/redemptions/new?jobId={Uri.EscapeDataString(jobId)}", result.Error);
    }

    public static async Task<IResult> CancelRedemptionAsync(string id, HttpContext http, ConsoleUser user, RedemptionActions actions,
        CancellationToken ct)
    {
        var result = await actions.CancelAsync(user.CompanyId, id, ct);
        if (!result.Failed) return ConsolePages.RedirectTo(http, "/console/jobs", "redemption-cancelled");
        return result.Error!.Code == ProblemCodes.NotFound ? ConsolePages.NotFound() : ConsolePages.RedirectWithProblem(http, "/console/jobs", result.Error);
    }

    /// <summary>
    /// For an open redemption an agency accepted: that agency's consenting candidates ranked for the job, shown
    /// without anything that identifies them. The company sees a profile only after an introduction is agreed.
    /// </summary>
    public static async Task<IResult> RedemptionCandidatesAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        Agencies.AgencyWork work, Candidates.CandidateVault vault, CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        var redemption = await db.Redemptions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.CompanyId == companyId, ct);
        if (redemption is null) return ConsolePages.NotFound();
        var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == redemption.JobId, ct);
        var agency = redemption.AcceptedByAgencyId is { } agencyId ? await db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agencyId, ct) : null;
        var matches = new List<AnonymousMatch>();
        if (agency is not null && redemption.Status == RedemptionStatus.Open)
        {
            var ranked = await work.RankForJobAsync(agency.Id, job, Lang.FromQuery(page.Http.Request), 10, ct);
            var profiles = await vault.OpenManyAsync(db, [.. ranked.Select(m => m.CandidateId)], ct);
            ranked = [.. ranked.Where(m => profiles.ContainsKey(m.CandidateId))];
            matches = [.. ranked.Select((m, i) => new AnonymousMatch(i + 1, profiles[m.CandidateId].DesiredOccupation, profiles[m.CandidateId].Prefecture,
                profiles[m.CandidateId].YearsOfExperience, m.Score, m.Reasons))];
        }
        return await page.RenderAsync(PageParameters.For<RedemptionCandidatesPage>()
            .With(p => p.Job, job)
            .With(p => p.Redemption, redemption)
            .With(p => p.AgencyName, agency?.Name)
            .With(p => p.Matches, matches));
    }

    private static async Task<JobRequest> ReadJobFormAsync(HttpContext http, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        int? Number(string field) => int.TryParse(form[field], out var n) ? n : null;
        List<string?> List(string field) => [.. form[field].ToString().Split([',', '、', '，'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        return new JobRequest(form["title"], form["description"], form["prefecture"], List("skills"), form["employmentType"],
            form["occupationCode"].ToString() is { Length: > 0 } code ? code : null,
            Number("salaryMin"), Number("salaryMax"), List("preferredSkills"), form["remoteAllowed"] == "on", Number("yearsRequired"));
    }
}
