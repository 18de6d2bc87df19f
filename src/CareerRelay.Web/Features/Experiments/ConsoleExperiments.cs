using CareerRelay.Web.Data;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Experiments.Pages;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;

namespace CareerRelay.Web.Features.Experiments;

/// <summary>/console/experiments: start an experiment on a link; each experiment's variants side by side, the verdict, promote or stop.</summary>
internal static class ConsoleExperiments
{
    /// <summary>The variant rows of the start form, in order; the first two are needed.</summary>
    public static readonly string[] Keys = ["A", "B", "C", "D"];

    internal static void Map(IEndpointRouteBuilder app)
    {
        var console = app.MapConsolePages("/console/experiments", ConsoleAuth.Policy);
        console.MapGet("", ([AsParameters] ConsolePage page, ManageExperiments experiments, CareerRelayDb db, CancellationToken ct) =>
            ListAsync(page, experiments, db, null, 200, ct));
        console.MapPost("", StartAsync);
        console.MapGet("/{id}", ShowAsync);
        console.MapPost("/{id}/promote", async (string id, [AsParameters] ConsolePage page, ManageExperiments experiments, CancellationToken ct) =>
            Ended(page, id, await experiments.PromoteAsync(page.User.CompanyId, id, (await page.Http.Request.ReadFormAsync(ct))["key"], ct), "experiment-promoted"));
        console.MapPost("/{id}/stop", async (string id, [AsParameters] ConsolePage page, ManageExperiments experiments, CancellationToken ct) =>
            Ended(page, id, await experiments.StopAsync(page.User.CompanyId, id, ct), "experiment-stopped"));
    }

    private static async Task<IResult> ListAsync(ConsolePage page, ManageExperiments experiments, CareerRelayDb db, ApiError? error, int status,
        CancellationToken ct, IReadOnlyDictionary<string, string>? typed = null)
    {
        var companyId = page.User.CompanyId;
        return await page.RenderAsync(PageParameters.For<ExperimentsPage>()
            .With(p => p.Items, await experiments.ListAsync(companyId, ct))
            .With(p => p.Links, await db.RelayLinks.AsNoTracking().Where(l => l.CompanyId == companyId && !l.Paused).OrderBy(l => l.Label).ThenBy(l => l.Id)
                .Select(l => new ValueTuple<string, string>(l.Id, l.Label)).ToListAsync(ct))
            .With(p => p.Errors, ConsolePages.Errors(page.Http, error))
            .With(p => p.Typed, typed), status);
    }

    private static async Task<IResult> StartAsync([AsParameters] ConsolePage page, ManageExperiments experiments, CareerRelayDb db, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        // A row left on "not used" is no variant; the rest are sent as typed, so the rules are the API's.
        var variants = Keys.Select((key, i) => (key, tone: form[$"tone{i}"].ToString(), text: form[$"text{i}"].ToString()))
            .Where(r => r.tone.Length > 0)
            .Select(r => (VariantInput?)(r.tone == "text" ? new VariantInput(r.key, null, r.text) : new VariantInput(r.key, r.tone, null)))
            .ToList();
        var started = await experiments.CreateAsync(page.User.CompanyId, new ExperimentRequest(form["linkId"], form["name"], variants), ct);
        return started.Failed
            ? await ListAsync(page, experiments, db, started.Error, started.Error!.Status == 404 ? 400 : started.Error.Status, ct,
                form.ToDictionary(f => f.Key, f => f.Value.ToString()))
            : ConsolePages.RedirectTo(page.Http, $"/console/experiments/{started.Value!.Id}", "experiment-started");
    }

    private static async Task<IResult> ShowAsync(string id, [AsParameters] ConsolePage page, ManageExperiments experiments, CareerRelayDb db,
        PublicUrls urls, CancellationToken ct)
    {
        var result = await experiments.ResultAsync(page.User.CompanyId, id, ct);
        if (result is null) return ConsolePages.NotFound();
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == page.User.CompanyId).Select(c => c.Name).FirstAsync(ct);
        var token = await db.RelayLinks.AsNoTracking().Where(l => l.Id == result.LinkId).Select(l => l.Token).FirstAsync(ct);
        var lang = Lang.FromQuery(page.Http.Request);
        // Each variant's mail as the candidate reads it (a sample name, the link's address).
        var previews = result.Variants.ToDictionary(v => v.Key,
            v => RejectionTemplate.Render(new RejectionWording(v.Tone, v.Text), "preview", lang, company, urls.To($"/r/{token}")).Body);
        return await page.RenderAsync(PageParameters.For<ExperimentPage>()
            .With(p => p.Result, result)
            .With(p => p.Previews, previews));
    }

    private static IResult Ended(ConsolePage page, string id, Result<ExperimentResult> result, string done) =>
        !result.Failed ? ConsolePages.RedirectTo(page.Http, $"/console/experiments/{id}", done)
        : result.Error!.Status == 404 ? ConsolePages.NotFound()
        : ConsolePages.RedirectWithProblem(page.Http, $"/console/experiments/{id}", result.Error);
}
