using System.Text;
using System.Text.Json.Serialization.Metadata;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Registrations.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Registrations;

/// <summary>The candidate's side: landing page, registration, verification — as pages and as JSON. No key; rate-limited per IP.</summary>
public static class PublicEndpoints
{
    public const string RateLimitPolicy = "public";

    internal static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapPublicPages("");
        pages.MapMethods("/r/{token}", [HttpMethods.Get, HttpMethods.Head], LandingAsync);
        pages.MapPost("/r/{token}", SubmitLandingFormAsync);
        pages.MapGet("/r/{token}/sent", SentPageAsync);
        pages.MapGet("/verify/{code}", VerifyPageAsync);
        pages.MapPost("/verify/{code}", ConfirmVerifyFormAsync);

        var api = app.MapGroup("/api/v1/public").RequireRateLimiting(RateLimitPolicy).WithTags("Public");
        api.MapGet("/links/{token}", LinkInfoAsync).WithErrors(RegistrationErrors.LinkPaused)
            .WithSummary("What the landing page shows before consent: the company, the notice, and each agency's disclosures.")
            .WithExamples(response: $$"""{"company":{"name":"株式会社サンプル"},"notice":{"version":1,"text":"ご登録にあたり…"},"agencies":[{"id":"{{Id}}","name":"エージェントA","licenseNumber":"13-ユ-123456","occupations":["営業"],"fees":"求職者は無料","complaintContact":"03-0000-0000","privacyPolicyUrl":"https://agency.example/privacy"}]}""");
        // The busiest route takes its two singletons here, once: a service parameter is resolved per request from the request's
        // services, which opens a service scope for it (and TypedResults look up a logger and the JSON options there) — issue 23.
        var register = app.ServiceProvider.GetRequiredService<RegisterCandidate>();
        var urls = app.ServiceProvider.GetRequiredService<PublicUrls>();
        // Its body is read whole and parsed in one pass (RequestBodies.ReadJsonAsync), with the framework's JSON options and
        // two converters that read nested values without a frame each (RegistrationBody); Accepts keeps the OpenAPI request body.
        var body = RegistrationBody.TypeInfo(app.ServiceProvider.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
        api.MapPost("/registrations", (HttpContext http, CancellationToken ct) => RegisterAsync(http, body, register, urls, ct))
            .Accepts<RegistrationRequest>("application/json")
            .WithErrors(RegistrationErrors.ConsentRequiredExample, PublicFormGuard.CrossSiteError,
            RegistrationErrors.LinkNotFound, RegistrationErrors.InvitationUsed, RegistrationErrors.LinkPaused)
            .WithSummary("Register with consent to the named agencies; mails a verification link.")
            .WithExamples(request: $$$$"""{"token":"Xk3v9QpL0aZ2","name":"佐藤 花子","email":"hanako@example.jp","nameKana":"サトウ ハナコ","phone":"090-0000-0000","prefecture":"13","desiredOccupation":"経理","skills":["経理","簿記2級"],"schoolId":null,"school":"みどり大学","graduationYear":2025,"consent":{"noticeVersion":1,"agencyIds":["{{{{Id}}}}"]}}""", response: $$"""{"registrationId":"{{Id}}","status":"pending_verification"}""");
        api.MapPost("/verifications", VerifyAsync).WithErrors(RegistrationErrors.CodeNotFound, RegistrationErrors.CodeExpired)
            .WithSummary("Confirm the address with the mailed code (again: 200, no change).")
            .WithExamples(request: """{"code":"vQ8…"}""", response: """{"status":"verified"}""");
    }

    /// <summary>
    /// The public pages (/r, /verify, /ref, /survey): rate-limited per address, cacheable, so their forms carry no per-visitor
    /// token; a form posted from another site gets the "CrossSite" page (403) before any handler runs.
    /// </summary>
    public static RouteGroupBuilder MapPublicPages(this IEndpointRouteBuilder app, string prefix) =>
        app.MapPublicFormPages(prefix, http => MessageAsync(http.RequestServices.GetRequiredService<PageRenderer>(),
                http.RequestServices.GetRequiredService<IOptions<CareerRelayOptions>>(), Lang.FromQuery(http.Request), "CrossSite", 403, null))
            .RequireRateLimiting(RateLimitPolicy);

    // ---- JSON API ----

    private static async Task<Results<Ok<LinkInfo>, ProblemHttpResult>> LinkInfoAsync(
        string token, HttpRequest request, RelayEntries entries, CancellationToken ct)
    {
        var entry = await entries.ResolveAsync(token, ct);
        if (entry is null) return ApiError.NotFound("link").ToResult();
        var lang = Lang.FromRequest(request);
        var notice = await entries.CurrentNoticeAsync(ct);
        var agencies = await entries.OfferedAgenciesAsync(entry.CompanyId, ct);
        return TypedResults.Ok(new LinkInfo(new CompanyName(entry.CompanyName), new NoticeInfo(notice.Version, notice.TextFor(lang)),
            agencies.Select(a => new AgencyDisclosure(a.Id, a.Name, a.LicenseNumber, a.Occupations, a.Fees, a.ComplaintContact, a.PrivacyPolicyUrl)).ToList(),
            entry.Paused));
    }

    /// <summary>Reads its own body: one async method between the framework and the handler, not two (a state machine each).</summary>
    private static async Task<Results<AcceptedRegistration, ProblemHttpResult>> RegisterAsync(
        HttpContext http, JsonTypeInfo<RegistrationRequest> bodyType, RegisterCandidate register, PublicUrls urls, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync(http.Request, bodyType, ct);
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var result = await register.HandleAsync(body, http.Connection.RemoteIpAddress?.ToString(), Lang.FromRequest(http.Request), ct);
        return result.Failed ? result.Error!.ToResult() : new AcceptedRegistration(result.Value!);
    }

    /// <summary>
    /// 202 with the registration's id, written through the source-generated metadata: unlike <c>TypedResults.Accepted</c> it
    /// needs nothing from the request's services (no scope opened, no logger or JSON options looked up per request).
    /// </summary>
    public sealed class AcceptedRegistration(RegistrationAccepted value) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<RegistrationAccepted>,
        IEndpointMetadataProvider
    {
        public int? StatusCode => StatusCodes.Status202Accepted;
        public RegistrationAccepted Value => value;
        object? IValueHttpResult.Value => value;

        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return http.Response.WriteAsJsonAsync(value, RegistrationJson.Default.RegistrationAccepted, cancellationToken: http.RequestAborted);
        }

        public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status202Accepted, typeof(RegistrationAccepted), ["application/json"]));
    }

    private static async Task<Results<Ok<VerificationResult>, ProblemHttpResult>> VerifyAsync(
        VerificationRequest body, HttpContext http, VerifyRegistration verify, PublicUrls urls, CancellationToken ct)
    {
        if (PublicFormGuard.IsCrossSite(http.Request, urls)) return PublicFormGuard.CrossSiteError.ToResult();
        var result = await verify.HandleAsync(body.Code, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }


    // ---- Pages ----

    private static async Task<IResult> LandingAsync(string token, [AsParameters] PublicFramePage page, RelayEntries entries,
        Education.PartnerSchools schools, ClickCounter clicks, IMemoryCache cache, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var entry = await entries.ResolveAsync(token, ct);
        if (entry is null) return await MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        if (entry.Paused) return await MessageAsync(page.Renderer, page.Site, lang, "Paused", 410, null);
        if (entry.InvitationUsed) return await MessageAsync(page.Renderer, page.Site, lang, "InvitationUsed", 409, null);

        var source = entry.SourceOf(page.Http.Request.Query["src"]);
        clicks.Record(page.Http.Request, entry, source);
        page.Http.Response.Headers.CacheControl = "no-store";
        if (entry.InvitationId is not null)
            return PageRenderer.Html(await RenderLandingAsync(page.Renderer, entries, schools, page.Site, entry, lang, source, ct));

        // Campaign links: the same bytes for everyone, rendered once per language, source (one of the link's few) and generation.
        var html = await cache.GetOrCreateAsync(("landing", token, lang, source, entries.Generation), async e =>
        {
            e.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10);
            return Encoding.UTF8.GetBytes(await RenderLandingAsync(page.Renderer, entries, schools, page.Site, entry, lang, source, ct));
        });
        return Results.Bytes(html!, "text/html; charset=utf-8");
    }

    private static async Task<string> RenderLandingAsync(PageRenderer renderer, RelayEntries entries, Education.PartnerSchools schools,
        IOptions<CareerRelayOptions> site, RelayEntry entry, string lang, string source, CancellationToken ct, LandingModel? withInput = null)
    {
        var model = withInput ?? await LandingModelAsync(entries, schools, entry, lang, source, ct);
        return await renderer.RenderAsync<LandingPage>(PageParameters.For<LandingPage>().With(p => p.Model, model).With(p => p.Operator, site.Value.Operator));
    }

    private static async Task<LandingModel> LandingModelAsync(RelayEntries entries, Education.PartnerSchools schools, RelayEntry entry, string lang,
        string source, CancellationToken ct)
    {
        var notice = await entries.CurrentNoticeAsync(ct);
        var agencies = await entries.OfferedAgenciesAsync(entry.CompanyId, ct);
        var path = $"/r/{entry.Token}";
        // The other language keeps the source (the form carries it in a hidden field).
        var other = Lang.Query(lang == Lang.English ? Lang.Japanese : Lang.English);
        var switchUrl = path + other + (source == LinkSources.Other ? "" : (other.Length == 0 ? "?" : "&") + "src=" + source);
        return new LandingModel(lang, entry.CompanyName, path + Lang.Query(lang), switchUrl, notice.Version, notice.TextFor(lang), agencies)
        {
            Source = source,
            Schools = await schools.AllAsync(ct),
        };
    }

    private static async Task<IResult> SubmitLandingFormAsync(string token, [AsParameters] PublicFramePage page, RelayEntries entries,
        Education.PartnerSchools schools, RegisterCandidate register, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        if (!page.Http.Request.HasFormContentType) return await MessageAsync(page.Renderer, page.Site, lang, "NotFound", 415, null);
        var form = await page.Http.Request.ReadFormAsync(ct);
        lang = Lang.Normalize(form["lang"].FirstOrDefault() ?? lang);

        var entry = await entries.ResolveAsync(token, ct);
        if (entry is null) return await MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);

        var chosen = form["agencyIds"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var yearText = form["graduationYear"].ToString().Trim();
        int? year = int.TryParse(yearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : null;
        var body = new RegistrationRequest(token, form["name"], form["email"], form["nameKana"], form["phone"], form["prefecture"],
            form["desiredOccupation"], SplitSkills(form["skills"]),
            new ConsentInput(int.TryParse(form["noticeVersion"], out var v) ? v : null, chosen), form["src"],
            form["schoolId"], form["school"], year, form["shareSchoolOutcomes"] == "on");

        // The form shows every problem at once: field errors, the agency choice and the agreement box.
        var errors = new Validation();
        Candidates.CandidateProfile.Basics(errors, body.Name, body.Email, body.NameKana, body.Phone, body.Prefecture, body.DesiredOccupation, body.Skills);
        var lastYear = Education.SchoolOutcomes.LastGraduationYearOn(clock);
        Education.PartnerSchools.Check(errors, new Education.SchoolChoice(body.SchoolId, body.School, year, body.ShareSchoolOutcomes == true, false),
            await schools.AllAsync(ct), lastYear, otherField: "school", shareField: "shareSchoolOutcomes");
        if (yearText.Length > 0 && year is null) errors.Add("graduationYear", "Error.FiscalYear", Education.SchoolOutcomes.FirstGraduationYear, lastYear);
        if (chosen.Count == 0) errors.Add("consent", "Error.Agencies");
        if (form["agree"] != "yes") errors.Add("agree", "Error.Agree");

        ApiError? failure = errors.IsValid ? null : errors.ToError(lang);
        if (failure is null)
        {
            var result = await register.HandleAsync(body, page.Http.Connection.RemoteIpAddress?.ToString(), lang, ct);
            if (!result.Failed)
                return Results.Redirect($"/r/{token}/sent{Lang.Query(lang)}", permanent: false, preserveMethod: false);
            failure = result.Error!;
            switch (failure.Code)
            {
                case ProblemCodes.LinkPaused: return await MessageAsync(page.Renderer, page.Site, lang, "Paused", 410, null);
                case ProblemCodes.InvitationUsed: return await MessageAsync(page.Renderer, page.Site, lang, "InvitationUsed", 409, null);
                case ProblemCodes.NotFound: return await MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
            }
        }

        var model = await LandingModelAsync(entries, schools, entry, lang, entry.SourceOf(form["src"]), ct) with
        {
            Values = new[] { "name", "nameKana", "email", "phone", "prefecture", "desiredOccupation", "skills", "schoolId", "school", "graduationYear", "shareSchoolOutcomes" }
                .ToDictionary(f => f, f => form[f].ToString()),
            Errors = FormErrors.From(failure, lang),
            ChosenAgencyIds = chosen.ToHashSet(),
        };
        return PageRenderer.Html(await RenderLandingAsync(page.Renderer, entries, schools, page.Site, entry, lang, model.Source, ct, model), 400);
    }

    private static List<string?> SplitSkills(string? raw) =>
        (raw ?? "").Split([',', '、', '，', ';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => (string?)s).ToList();

    private static Task<IResult> SentPageAsync(string token, [AsParameters] PublicFramePage page) =>
        MessageAsync(page.Renderer, page.Site, Lang.FromQuery(page.Http.Request), "Sent", 200, null);

    /// <summary>GET shows the confirm button and changes nothing: mail scanners open this link before the person does.</summary>
    private static async Task<IResult> VerifyPageAsync(string code, [AsParameters] PublicFramePage page,
        CareerRelay.Web.Data.CareerRelayDb db, TimeProvider clock, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        if (!Infrastructure.Security.SecretTokens.LooksValid(code)) return await MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        var hash = Infrastructure.Security.SecretTokens.Hash(code);
        var r = await db.Registrations.AsNoTracking().Where(x => x.CodeHash == hash).Select(x => new { x.Status, x.CodeExpiresAt }).FirstOrDefaultAsync(ct);
        if (r is null) return await MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        if (r.Status != RegistrationStatus.PendingVerification) return await MessageAsync(page.Renderer, page.Site, lang, "Verified", 200, null);
        if (clock.GetUtcNow().UtcDateTime > r.CodeExpiresAt) return await MessageAsync(page.Renderer, page.Site, lang, "Expired", 410, null);
        var action = $"/verify/{code}{Lang.Query(lang)}";
        return await MessageAsync(page.Renderer, page.Site, lang, "Verify", 200, action);
    }

    private static async Task<IResult> ConfirmVerifyFormAsync(string code, [AsParameters] PublicFramePage page, VerifyRegistration verify,
        CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var result = await verify.HandleAsync(code, ct);
        if (!result.Failed) return await MessageAsync(page.Renderer, page.Site, lang, "Verified", 200, null);
        return result.Error!.Code == ProblemCodes.CodeExpired
            ? await MessageAsync(page.Renderer, page.Site, lang, "Expired", 410, null)
            : await MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
    }

    public static async Task<IResult> MessageAsync(PageRenderer renderer, IOptions<CareerRelayOptions> site, string lang, string key,
        int status, string? formAction, string buttonKey = "Verify.Button")
    {
        var html = await renderer.RenderAsync<MessagePage>(PageParameters.For<MessagePage>()
            .With(p => p.Lang, lang)
            .With(p => p.Title, Texts.Get($"{key}.Title", lang))
            .With(p => p.Body, Texts.Get($"{key}.Body", lang))
            .With(p => p.Operator, site.Value.Operator)
            .With(p => p.FormAction, formAction)
            .With(p => p.ButtonText, formAction is null ? null : Texts.Get(buttonKey, lang))
            .With(p => p.SwitchLanguageUrl, "?lang=" + (lang == Lang.English ? "ja" : "en"))
            // A confirmed registration says what happens now and where the person manages their data.
            .With(p => p.NextSteps, key == "Verified" ? VerifiedSteps.Select(step => Texts.Get(step, lang)).ToList() : [])
            .With(p => p.LinkHref, key == "Verified" ? "/me" + Lang.Query(lang) : null)
            .With(p => p.LinkText, key == "Verified" ? Texts.Get("Verified.MyPage", lang) : null));
        return PageRenderer.Html(html, status);
    }

    private static readonly string[] VerifiedSteps = ["Verified.Step1", "Verified.Step2", "Verified.Step3"];
}
