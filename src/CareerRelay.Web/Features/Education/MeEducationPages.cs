using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;

namespace CareerRelay.Web.Features.Education;

/// <summary>The forms the education part of /me posts (Pages/MeEducation): each redirects back to /me, or shows it again with the reason.</summary>
internal static class MeEducationPages
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var me = app.MapFormPages("/me", SignInPages.FormExpiredAsync).RequireAuthorization(CandidateAccess.Policy);
        me.MapPost("/school", SaveSchoolAsync);
        me.MapPost("/courses/suggestions", SuggestionsAsync);
        me.MapPost("/courses/{id}/request", RequestAsync);
        me.MapPost("/completions/{id}/{answer:regex(^(confirm|decline)$)}", AnswerAsync);
    }

    private static async Task<IResult> SaveSchoolAsync([AsParameters] PublicFramePage page, MyEducation education, SchoolOutcomes outcomes,
        ShowCandidateData show, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var yearText = form["graduationYear"].ToString().Trim();
        int? year = int.TryParse(yearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : null;
        var lang = Lang.FromQuery(page.Http.Request);
        if (yearText.Length > 0 && year is null)
            return await MePages.RefusedAsync(page, show, ApiError.InvalidIn(lang, "graduationYear", "Error.FiscalYear", SchoolOutcomes.FirstGraduationYear, outcomes.LastGraduationYear), form);
        var result = await education.SetSchoolAsync(MePages.Id(page.Http), new SchoolChoice(form["schoolId"], form["schoolName"], year,
            form["shareOutcomes"] == "on", form["shareName"] == "on"), lang, ct);
        return result.Failed ? await MePages.RefusedAsync(page, show, result.Error!, form) : MePages.Done(page.Http, "school-saved", "school");
    }

    private static async Task<IResult> SuggestionsAsync([AsParameters] PublicFramePage page, MyEducation education, CancellationToken ct)
    {
        var on = (await page.Http.Request.ReadFormAsync(ct))["on"] == "on";
        await education.SetSuggestionsAsync(MePages.Id(page.Http), on, ct);
        return MePages.Done(page.Http, on ? "suggestions-on" : "suggestions-off", "courses");
    }

    private static async Task<IResult> RequestAsync(string id, [AsParameters] PublicFramePage page, MyEducation education, ShowCandidateData show,
        CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var lang = Lang.FromQuery(page.Http.Request);
        var result = await education.RequestInfoAsync(MePages.Id(page.Http), id, [.. form["send"].Select(s => s ?? "")], form["message"], lang, ct);
        if (!result.Failed) return MePages.Done(page.Http, "course-requested", "courses");
        if (result.Error!.Code == ProblemCodes.NotFound) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        // Several request forms share the page: each one's messages sit beside its own fields.
        var error = result.Error with
        {
            Fields = result.Error.Fields?.ToDictionary(f => f.Key switch { "send" => $"send-{id}", "message" => $"courseMessage-{id}", _ => f.Key }, f => f.Value),
        };
        return await MePages.RefusedAsync(page, show, error, form);
    }

    private static async Task<IResult> AnswerAsync(string id, string answer, [AsParameters] PublicFramePage page, MyEducation education, CancellationToken ct) =>
        await education.AnswerCompletionAsync(MePages.Id(page.Http), id, answer == "confirm", ct)
            ? MePages.Done(page.Http, answer == "confirm" ? "completion-confirmed" : "completion-declined", "courses")
            : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
}
