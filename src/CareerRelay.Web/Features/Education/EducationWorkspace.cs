using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Education.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// The workspaces of education partners, signed in like companies and agencies and drawn in the console's frame: /school (outcome
/// figures by 卒業年度, and — not for high schools — the graduates who agreed to be seen by name) and /provider (figures, courses,
/// requests and completions). Every action goes through the same use cases as the API; the tenant is the signed-in person's.
/// </summary>
public static class EducationWorkspace
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var school = app.MapConsolePages("/school", ConsoleAuth.SchoolPolicy);
        school.MapGet("", OutcomesAsync);

        var provider = app.MapConsolePages("/provider", ConsoleAuth.ProviderPolicy);
        provider.MapGet("", ProviderDashboardAsync);
        provider.MapGet("/courses", CoursesAsync);
        provider.MapPost("/courses", CreateCourseAsync);
        provider.MapPost("/courses/{id}/close", CloseCourseAsync);
        provider.MapGet("/requests", RequestsAsync);
        provider.MapPost("/requests/{id}/completion", RecordCompletionAsync);

        // Their own people, managed as companies and agencies manage theirs (admins only).
        app.MapConsolePages("/school", ConsoleAuth.SchoolAdminPolicy).MapUserPages();
        app.MapConsolePages("/provider", ConsoleAuth.ProviderAdminPolicy).MapUserPages();
    }

    private static string Actor(ConsoleUser user) => $"{user.TenantId}/user:{user.Id}";

    private static async Task<IResult> OutcomesAsync([AsParameters] ConsolePage page, SchoolOutcomes outcomes, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var year = outcomes.ParseFiscalYear(page.Http.Request.Query["fiscalYear"]);
        var figures = await outcomes.ForAsync(page.User.SchoolId, year.Failed ? null : year.Value, ct);
        if (figures is null) return ConsolePages.NotFound();
        var named = await outcomes.NamedAsync(page.User.SchoolId, Actor(page.User), ct);
        return await page.RenderAsync(PageParameters.For<SchoolOutcomesPage>()
            .With(p => p.Outcomes, figures).With(p => p.Named, named ?? [])
            .With(p => p.YearError, year.Failed ? ConsolePages.ErrorText(page.Http, year.Error!) : null), year.Failed ? 400 : 200);
    }

    private static async Task<IResult> ProviderDashboardAsync([AsParameters] ConsolePage page, EducationKpis kpis, CareerRelayDb db, CancellationToken ct)
    {
        var name = await db.EducationPartners.Where(p => p.Id == page.User.ProviderId).Select(p => p.Name).FirstAsync(ct);
        return await page.RenderAsync(PageParameters.For<ProviderDashboardPage>()
            .With(p => p.Name, name).With(p => p.Kpis, await kpis.ForProviderAsync(page.User.ProviderId, ct))
            .With(p => p.OpenCourses, await db.Courses.CountAsync(c => c.ProviderId == page.User.ProviderId && c.ClosedAt == null, ct))
            .With(p => p.WaitingRequests, await db.CourseRequests.CountAsync(r => r.ProviderId == page.User.ProviderId && r.CompletionRecordedAt == null, ct)));
    }

    private static Task<IResult> CoursesAsync([AsParameters] ConsolePage page, ProviderWork work, CancellationToken ct) =>
        RenderCoursesAsync(page, work, FormErrors.None, null, 200, ct);

    private static async Task<IResult> RenderCoursesAsync(ConsolePage page, ProviderWork work, FormErrors errors, IFormCollection? typed, int status,
        CancellationToken ct) =>
        await page.RenderAsync(PageParameters.For<ProviderCoursesPage>()
            .With(p => p.Courses, await work.CoursesAsync(page.User.ProviderId, ct)).With(p => p.Errors, errors).With(p => p.Typed, typed), status);

    private static async Task<IResult> CreateCourseAsync([AsParameters] ConsolePage page, ProviderWork work, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        int? Number(string field) => int.TryParse(form[field].ToString().Replace(",", "").Trim(), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        var body = new CourseRequestBody(form["title"], form["description"],
            [.. form["skills"].ToString().Split([',', '、', '，', ';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            Number("hours"), Number("priceYen"), form["mode"], form["prefecture"], form["benefitEligible"] == "on");
        var result = await work.CreateCourseAsync(page.User.ProviderId, body, Lang.FromQuery(page.Http.Request), ct);
        return result.Failed
            ? await RenderCoursesAsync(page, work, ConsolePages.Errors(page.Http, result.Error), form, 400, ct)
            : ConsolePages.RedirectTo(page.Http, "/provider/courses", "course-created");
    }

    private static async Task<IResult> CloseCourseAsync(string id, [AsParameters] ConsolePage page, ProviderWork work, CancellationToken ct) =>
        await work.CloseCourseAsync(page.User.ProviderId, id, ct) is null
            ? ConsolePages.NotFound()
            : ConsolePages.RedirectTo(page.Http, "/provider/courses", "course-closed");

    private static Task<IResult> RequestsAsync([AsParameters] ConsolePage page, ProviderWork work, TimeProvider clock, CancellationToken ct) =>
        RenderRequestsAsync(page, work, clock, FormErrors.None, null, 200, ct);

    private static async Task<IResult> RenderRequestsAsync(ConsolePage page, ProviderWork work, TimeProvider clock, FormErrors errors, string? failedId,
        int status, CancellationToken ct) =>
        await page.RenderAsync(PageParameters.For<ProviderRequestsPage>()
            .With(p => p.Requests, await work.RequestsAsync(page.User.ProviderId, Actor(page.User), ct))
            .With(p => p.Today, Companies.CompanyActivity.TodayInJapan(clock)).With(p => p.Errors, errors).With(p => p.FailedId, failedId), status);

    private static async Task<IResult> RecordCompletionAsync(string id, [AsParameters] ConsolePage page, ProviderWork work, TimeProvider clock,
        CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await work.RecordCompletionAsync(page.User.ProviderId, id, form["completedOn"], Lang.FromQuery(page.Http.Request), ct);
        if (!result.Failed) return ConsolePages.RedirectTo(page.Http, "/provider/requests", "completion-recorded");
        if (result.Error!.Code == ProblemCodes.NotFound) return ConsolePages.NotFound();
        if (result.Error.Fields is null) return ConsolePages.RedirectWithProblem(page.Http, "/provider/requests", result.Error);
        return await RenderRequestsAsync(page, work, clock, ConsolePages.Errors(page.Http, result.Error), id, result.Error.Status, ct);
    }
}
