using System.Globalization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Agencies.Pages;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Features.Agencies;

/// <summary>
/// The agency workspace under /agency (same sign-in as the company console): dashboard, candidates with search
/// and filters, the pipeline board, a candidate's page with its next steps, and the redemption inbox. Every
/// action goes through the same <see cref="AgencyWork"/> and <see cref="AgencyCandidates"/> as the API.
/// </summary>
public static class AgencyWorkspace
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapConsolePages("/agency", ConsoleAuth.AgencyPolicy);
        pages.MapGet("", DashboardAsync);
        pages.MapGet("/candidates", CandidatesAsync);
        pages.MapGet("/board", BoardAsync);
        pages.MapGet("/candidates/{id}", CandidateAsync);
        pages.MapGet("/candidates/{id}/resume", ResumeAsync);
        pages.MapPost("/candidates/{id}/events", RecordStepAsync);
        pages.MapPost("/candidates/{id}/introductions", IntroduceAsync);
        pages.MapPost("/candidates/{id}/placements", RecordPlacementAsync);
        pages.MapPost("/candidates/{id}/messages", SendMessageAsync);
        pages.MapPost("/candidates/{id}/interviews", ProposeInterviewAsync);
        pages.MapPost("/interviews/{id}/reschedule", RescheduleInterviewAsync);
        pages.MapPost("/interviews/{id}/cancel", CancelInterviewAsync);
        pages.MapGet("/jobs", JobsAsync);
        pages.MapGet("/jobs/{id}/matches", MatchesAsync);
        pages.MapGet("/redemptions", RedemptionsAsync);
        pages.MapPost("/redemptions/{id}/accept", AcceptAsync);

        // User management is the console's, for the agency's own people (admins only).
        app.MapConsolePages("/agency", ConsoleAuth.AgencyAdminPolicy).MapUserPages();
    }

    public sealed record Stats(IReadOnlyDictionary<string, int> ByStage, double? MedianHoursToFirstContact, int NotContacted,
        int Introductions, int Placements, int RedemptionsFulfilled, Surveys.Satisfaction Satisfaction);

    private static string Actor(ConsoleUser user) => $"{user.AgencyId}/user:{user.Id}";

    private static async Task<IResult> DashboardAsync([AsParameters] ConsolePage page, CareerRelayDb db, AgencyWork work,
        Surveys.SatisfactionSurveys surveys, Retention.RetentionKpis retention, CancellationToken ct)
    {
        var agencyId = page.User.AgencyId;
        // Counts only (no personal data is opened, nothing to audit).
        var ids = await work.ConsentingCandidateIds(agencyId).ToListAsync(ct);
        var states = await db.AgencyCandidates.AsNoTracking().Where(a => a.AgencyId == agencyId && ids.Contains(a.CandidateId)).ToListAsync(ct);
        var byStage = PipelineStages.Board.ToDictionary(s => s, s => s == PipelineStages.New
            ? ids.Count - states.Count(x => x.Stage != PipelineStages.New) : states.Count(x => x.Stage == s));
        var registered = await db.Registrations.Where(r => ids.Contains(r.CandidateId) && db.Consents.Any(c => c.RegistrationId == r.Id && c.AgencyId == agencyId))
            .GroupBy(r => r.CandidateId).Select(g => new { g.Key, At = g.Min(r => r.CreatedAt) }).ToDictionaryAsync(x => x.Key, x => x.At, ct);
        var waits = states.Where(s => s.FirstContactedAt is not null && registered.ContainsKey(s.CandidateId))
            .Select(s => (s.FirstContactedAt!.Value - registered[s.CandidateId]).TotalHours).Order().ToList();
        var stats = new Stats(byStage,
            waits.Count == 0 ? null : waits.Count % 2 == 1 ? waits[waits.Count / 2] : (waits[waits.Count / 2 - 1] + waits[waits.Count / 2]) / 2,
            ids.Count - states.Count(s => s.FirstContactedAt is not null),
            await db.Introductions.CountAsync(i => i.AgencyId == agencyId, ct),
            await db.Placements.CountAsync(p => p.AgencyId == agencyId, ct),
            await db.Placements.CountAsync(p => p.AgencyId == agencyId && p.RedemptionId != null, ct),
            await surveys.ForAgencyAsync(agencyId, ct));
        // Its own placements' 定着率 and 採用リードタイム (Retention reads Agencies' placements; this is the one look back).
        return await page.RenderAsync(PageParameters.For<AgencyDashboardPage>().With(p => p.Stats, stats)
            .With(p => p.Retention, await retention.ForAgencyAsync(agencyId, ct)));
    }

    private static async Task<IResult> CandidatesAsync([AsParameters] ConsolePage page, AgencyCandidates candidates, TimeProvider clock,
        CancellationToken ct)
    {
        var q = page.Http.Request.Query;
        string? Text(string name) => q[name].ToString().Trim() is { Length: > 0 and <= 100 } t ? t : null;
        var since = DateOnly.TryParseExact(Text("since"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-9) : (DateTime?)null;
        var stage = Text("stage") is { } s && PipelineStages.Board.Contains(s) ? s : null;
        var filter = new AgencyCandidates.Filter(stage, Text("prefecture"), Text("occupation"), since, Text("q"));
        var listed = await candidates.ListAsync(page.User.AgencyId, Actor(page.User), filter, new PageRequest(PageRequest.MaxLimit, null), ct);
        return await page.RenderAsync(PageParameters.For<AgencyCandidatesPage>()
            .With(p => p.Filter, filter)
            .With(p => p.SinceText, Text("since"))
            .With(p => p.Rows, listed.Items)
            .With(p => p.Unread, await page.Http.RequestServices.GetRequiredService<Messages.Conversations>().UnreadByCandidateAsync(page.User.AgencyId, ct))
            .With(p => p.Now, clock.GetUtcNow().UtcDateTime));
    }

    private static async Task<IResult> BoardAsync([AsParameters] ConsolePage page, AgencyCandidates candidates, TimeProvider clock,
        CancellationToken ct)
    {
        var listed = await candidates.ListAsync(page.User.AgencyId, Actor(page.User), new AgencyCandidates.Filter(), new PageRequest(PageRequest.MaxLimit, null), ct);
        return await page.RenderAsync(PageParameters.For<AgencyBoardPage>().With(p => p.Rows, listed.Items).With(p => p.Now, clock.GetUtcNow().UtcDateTime));
    }

    private static Task<IResult> CandidateAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db, AgencyCandidates candidates,
        AgencyWork work, TimeProvider clock, CancellationToken ct) =>
        RenderCandidateAsync(id, page, db, candidates, work, clock, null, 200, ct);

    /// <summary>The forms of a candidate's page; a refused one is shown again with its problems beside its fields.</summary>
    private enum CandidateForm { Step, Introduce, Placement, Message, Propose, Reschedule }

    private static async Task<IResult> RenderCandidateAsync(string id, ConsolePage page, CareerRelayDb db, AgencyCandidates candidates,
        AgencyWork work, TimeProvider clock, (CandidateForm Form, ApiError Error)? refused, int status, CancellationToken ct)
    {
        var detail = await candidates.DetailAsync(page.User.AgencyId, Actor(page.User), id, ct);
        if (detail is null) return ConsolePages.NotFound();
        var services = page.Http.RequestServices;
        var conversations = services.GetRequiredService<Messages.Conversations>();
        // The thread is shown whole (a read of personal data, audited) up to the page's limit of the latest 200.
        var thread = await conversations.ThreadForAgencyAsync(page.User.AgencyId, Actor(page.User), id, new PageRequest(PageRequest.MaxLimit, null), ct);
        return await page.RenderAsync(PageParameters.For<AgencyCandidatePage>()
            .With(p => p.Thread, thread.Failed ? [] : thread.Value!.Items)
            .With(p => p.Blocked, await conversations.IsBlockedAsync(page.User.AgencyId, id, ct))
            .With(p => p.Interviews, await services.GetRequiredService<Interviews.InterviewScheduling>().ForAgencyAsync(page.User.AgencyId, id, ct))
            .With(p => p.MessageErrors, refused is (CandidateForm.Message, var e4) ? ConsolePages.Errors(page.Http, e4) : FormErrors.None)
            .With(p => p.ProposeErrors, refused is (CandidateForm.Propose, var e5) ? ConsolePages.Errors(page.Http, e5) : FormErrors.None)
            .With(p => p.RescheduleErrors, refused is (CandidateForm.Reschedule, var e6) ? ConsolePages.Errors(page.Http, e6) : FormErrors.None)
            .With(p => p.RescheduleId, refused is (CandidateForm.Reschedule, _) ? page.Http.GetRouteValue("id") as string : null)
            .With(p => p.Detail, detail)
            .With(p => p.Jobs, await VisibleJobsAsync(db, work, page.User.AgencyId, ct))
            .With(p => p.Inbox, (await work.RedemptionInboxAsync(page.User.AgencyId, ct)).Where(r => r.AcceptedByYou).ToList())
            .With(p => p.Now, clock.GetUtcNow().UtcDateTime)
            .With(p => p.StepErrors, refused is (CandidateForm.Step, var e1) ? ConsolePages.Errors(page.Http, e1) : FormErrors.None)
            .With(p => p.IntroduceErrors, refused is (CandidateForm.Introduce, var e2) ? ConsolePages.Errors(page.Http, e2) : FormErrors.None)
            .With(p => p.PlacementErrors, refused is (CandidateForm.Placement, var e3) ? ConsolePages.Errors(page.Http, e3) : FormErrors.None)
            .With(p => p.Typed, refused is null ? null : (await page.Http.Request.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value.ToString())), status);
    }

    /// <summary>The résumé, for the agency the candidate consented to; audited like every read.</summary>
    private static async Task<IResult> ResumeAsync(string id, HttpContext http, CareerRelayDb db, DbWriteGate gate, ConsoleUser user, AgencyWork work,
        SaveResume resumes, TimeProvider clock, CancellationToken ct)
    {
        if (!await work.SeesCandidateAsync(user.AgencyId, id, ct) || await resumes.ReadAsync(id, ct) is not { } resume) return ConsolePages.NotFound();
        await AuditLog.RecordAsync(db, gate, "agency", Actor(user), AuditActions.CandidateResume, [id], clock.GetUtcNow().UtcDateTime, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(resume.Content, "application/pdf", resume.FileName);
    }

    private static async Task<IResult> RecordStepAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        AgencyCandidates candidates, AgencyWork work, TimeProvider clock, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await work.RecordEventAsync(page.User.AgencyId, Actor(page.User), id, new EventRequest(form["type"], form["note"], null), ct);
        if (!result.Failed) return Redirect(page.Http, id, "step");
        return result.Error!.Code == ProblemCodes.NotFound ? ConsolePages.NotFound()
            : await RenderCandidateAsync(id, page, db, candidates, work, clock, (CandidateForm.Step, result.Error), 400, ct);
    }

    private static async Task<IResult> IntroduceAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        AgencyCandidates candidates, AgencyWork work, TimeProvider clock, CancellationToken ct)
    {
        var result = await work.IntroduceAsync(page.User.AgencyId, id, (await page.Http.Request.ReadFormAsync(ct))["jobId"], ct);
        if (!result.Failed) return Redirect(page.Http, id, "introduced");
        return result.Error!.Code == ProblemCodes.NotFound && !await work.SeesCandidateAsync(page.User.AgencyId, id, ct) ? ConsolePages.NotFound()
            : await RenderCandidateAsync(id, page, db, candidates, work, clock, (CandidateForm.Introduce, result.Error!), 400, ct);
    }

    private static async Task<IResult> RecordPlacementAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        AgencyCandidates candidates, AgencyWork work, TimeProvider clock, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        string? Field(string name) => form[name].ToString() is { Length: > 0 } v ? v : null;
        var result = await work.RecordPlacementAsync(page.User.AgencyId, Actor(page.User),
            new PlacementRequest(id, Field("jobId"), Field("hiringCompanyName"), Field("startDate"), Field("redemptionId"), Field("employmentType")), ct);
        if (!result.Failed) return Redirect(page.Http, id, "placed");
        return result.Error!.Code == ProblemCodes.NotFound && !await work.SeesCandidateAsync(page.User.AgencyId, id, ct) ? ConsolePages.NotFound()
            : await RenderCandidateAsync(id, page, db, candidates, work, clock, (CandidateForm.Placement, result.Error!), result.Error!.Status, ct);
    }

    private static async Task<IResult> SendMessageAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        AgencyCandidates candidates, AgencyWork work, Messages.Conversations conversations, TimeProvider clock, CancellationToken ct)
    {
        var result = await conversations.SendFromAgencyAsync(page.User.AgencyId, Actor(page.User), id, (await page.Http.Request.ReadFormAsync(ct))["text"], ct);
        if (!result.Failed) return Redirect(page.Http, id, "message-sent", "messages");
        return result.Error!.Code == ProblemCodes.NotFound ? ConsolePages.NotFound()
            : await RenderCandidateAsync(id, page, db, candidates, work, clock, (CandidateForm.Message, result.Error), result.Error.Status, ct);
    }

    /// <summary>The filled rows of a slots form (date, start, end in JST) as the API's slots; the first blank row ends them.</summary>
    private static List<Interviews.SlotRequest> Slots(IFormCollection form) =>
        [.. Enumerable.Range(0, Interviews.InterviewScheduling.MaxSlots)
            .Select(n => (Date: form[$"slot{n}.date"].ToString().Trim(), Start: form[$"slot{n}.start"].ToString().Trim(), End: form[$"slot{n}.end"].ToString().Trim()))
            .TakeWhile(r => r.Date.Length + r.Start.Length + r.End.Length > 0)
            .Select(r => new Interviews.SlotRequest($"{r.Date}T{r.Start}", $"{r.Date}T{r.End}"))];

    private static async Task<IResult> ProposeInterviewAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        AgencyCandidates candidates, AgencyWork work, Interviews.InterviewScheduling scheduling, TimeProvider clock, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await scheduling.ProposeAsync(page.User.AgencyId, Actor(page.User), page.User.Email, id,
            new Interviews.InterviewRequest(Slots(form), form["mode"], form["place"], form["anyDay"] == "on"), ct);
        if (!result.Failed) return Redirect(page.Http, id, "interview-proposed", "interviews");
        return result.Error!.Code == ProblemCodes.NotFound ? ConsolePages.NotFound()
            : await RenderCandidateAsync(id, page, db, candidates, work, clock, (CandidateForm.Propose, result.Error), result.Error.Status, ct);
    }

    private static async Task<IResult> RescheduleInterviewAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        AgencyCandidates candidates, AgencyWork work, Interviews.InterviewScheduling scheduling, TimeProvider clock, CancellationToken ct)
    {
        var candidateId = await db.Interviews.Where(i => i.Id == id && i.AgencyId == page.User.AgencyId).Select(i => i.CandidateId).FirstOrDefaultAsync(ct);
        if (candidateId is null) return ConsolePages.NotFound();
        var result = await scheduling.RescheduleAsync(page.User.AgencyId, id, new Interviews.RescheduleRequest(Slots(await page.Http.Request.ReadFormAsync(ct))), ct);
        if (!result.Failed) return Redirect(page.Http, candidateId, "interview-rescheduled", "interviews");
        if (result.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        if (result.Error.Status == StatusCodes.Status409Conflict)
            return ConsolePages.RedirectWithProblem(page.Http, $"/agency/candidates/{candidateId}", result.Error);
        return await RenderCandidateAsync(candidateId, page, db, candidates, work, clock, (CandidateForm.Reschedule, result.Error), result.Error.Status, ct);
    }

    private static async Task<IResult> CancelInterviewAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        Interviews.InterviewScheduling scheduling, CancellationToken ct)
    {
        var result = await scheduling.CancelAsync(page.User.AgencyId, id, ct);
        return result.Failed ? ConsolePages.NotFound() : Redirect(page.Http, result.Value!.CandidateId, "interview-cancelled", "interviews");
    }

    private static async Task<List<AgencyJobItem>> VisibleJobsAsync(CareerRelayDb db, AgencyWork work, string agencyId, CancellationToken ct) =>
        (await work.VisibleJobs(agencyId).Join(db.Companies, j => j.CompanyId, c => c.Id, (j, c) => new { j, c.Name })
            .OrderByDescending(x => x.j.CreatedAt).Take(200).ToListAsync(ct))
        .Select(x => AgencyJobItem.From(x.j, x.Name)).ToList();

    private static async Task<IResult> JobsAsync([AsParameters] ConsolePage page, CareerRelayDb db, AgencyWork work, CancellationToken ct) =>
        await page.RenderAsync(PageParameters.For<AgencyJobsPage>().With(p => p.Jobs, await VisibleJobsAsync(db, work, page.User.AgencyId, ct)));

    /// <summary>Ranks the agency's consenting candidates for the job; the names shown are a read of personal data, so audited.</summary>
    private static async Task<IResult> MatchesAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate,
        AgencyWork work, CandidateVault vault, TimeProvider clock, CancellationToken ct)
    {
        var job = await work.VisibleJobs(page.User.AgencyId).AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return ConsolePages.NotFound();
        var ranked = await work.RankForJobAsync(page.User.AgencyId, job, Lang.FromQuery(page.Http.Request), 50, ct);
        // Names only for the ranked few (the page shows them; each is an audited read).
        var profiles = await vault.OpenManyAsync(db, [.. ranked.Select(m => m.CandidateId)], ct);
        ranked = [.. ranked.Where(m => profiles.ContainsKey(m.CandidateId))];
        await AuditLog.RecordAsync(db, gate, "agency", Actor(page.User), AuditActions.CandidatesMatch, ranked.Select(m => m.CandidateId), clock.GetUtcNow().UtcDateTime, ct);
        var company = await db.Companies.Where(c => c.Id == job.CompanyId).Select(c => c.Name).FirstAsync(ct);
        var ids = ranked.Select(m => m.CandidateId).ToList();
        var stages = await db.AgencyCandidates.AsNoTracking().Where(a => a.AgencyId == page.User.AgencyId && ids.Contains(a.CandidateId))
            .ToDictionaryAsync(a => a.CandidateId, a => a.Stage, ct);
        return await page.RenderAsync(PageParameters.For<AgencyMatchesPage>()
            .With(p => p.Job, AgencyJobItem.From(job, company))
            .With(p => p.Rows, ranked.Select(m => new AgencyMatchesPage.Row(m, profiles[m.CandidateId].Name, stages.GetValueOrDefault(m.CandidateId, PipelineStages.New))).ToList()));
    }

    private static async Task<IResult> RedemptionsAsync([AsParameters] ConsolePage page, AgencyWork work, CancellationToken ct) =>
        await page.RenderAsync(PageParameters.For<AgencyRedemptionsPage>().With(p => p.Items, await work.RedemptionInboxAsync(page.User.AgencyId, ct)));

    private static async Task<IResult> AcceptAsync(string id, HttpContext http, ConsoleUser user, AgencyWork work,
        CancellationToken ct)
    {
        var result = await work.AcceptRedemptionAsync(user.AgencyId, id, ct);
        if (!result.Failed) return ConsolePages.RedirectTo(http, "/agency/redemptions", "redemption-accepted");
        return result.Error!.Code == ProblemCodes.NotFound ? ConsolePages.NotFound() : ConsolePages.RedirectWithProblem(http, "/agency/redemptions", result.Error);
    }

    private static IResult Redirect(HttpContext http, string candidateId, string done, string? section = null) =>
        ConsolePages.RedirectTo(http, $"/agency/candidates/{candidateId}", done, section);
}
