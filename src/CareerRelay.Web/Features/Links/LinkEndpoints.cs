using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Links;

/// <summary>A company's relay links, single-use invitations and the rejection-email text that carries them.</summary>
public static class LinkEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("/links", CreateAsync)
            .WithSummary("Create a relay link (専用リンク) to paste into rejection emails.")
            .WithDescription("sources: the ?src= values this link counts by name (lower-case slugs such as job-fair, school, print, line; up to 20); any other value, or none, counts as other.")
            .WithExamples(request: """{"label":"2027 新卒","sources":["job-fair","school"]}""", response: $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒","sources":["job-fair","school"]}""");
        company.MapPatch("/links/{id}", UpdateAsync)
            .WithSummary("Rename a link or set its allowed sources (?src=); what you leave out stays as it is.")
            .WithExamples(request: """{"sources":["job-fair","school","print"]}""", response: $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒","paused":false,"clicks":64,"registrations":23,"qualifiedReferrals":20,"createdAt":"2026-11-01T03:00:00Z","sources":["job-fair","school","print"]}""");
        company.MapGet("/links", ListAsync)
            .WithSummary("The company's links with their clicks, registrations and qualified referrals.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒","clicks":64,"registrations":23,"qualifiedReferrals":20,"paused":false}],"nextCursor":null}""");
        company.MapPost("/links/{id}/pause", (string id, CareerRelayDb db, CurrentTenant tenant, LinkActions actions, PublicUrls urls, CancellationToken ct)
            => SetPausedAsync(id, true, db, tenant, actions, urls, ct))
            .WithSummary("Pause a link: its landing page says so and takes no registrations.")
            .WithExamples(response: $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒","clicks":64,"registrations":23,"qualifiedReferrals":20,"paused":true}""");
        company.MapPost("/links/{id}/resume", (string id, CareerRelayDb db, CurrentTenant tenant, LinkActions actions, PublicUrls urls, CancellationToken ct)
            => SetPausedAsync(id, false, db, tenant, actions, urls, ct))
            .WithSummary("Resume a paused link.")
            .WithExamples(response: $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒","clicks":64,"registrations":23,"qualifiedReferrals":20,"paused":false}""");
        company.MapGet("/links/{id}/email-template", EmailTemplateAsync)
            .WithSummary("The rejection email (お祈りメール) with this link inserted (?lang=ja|en, ?tone=standard|warm|graduate, ?syntax=plain|mustache|percent, ?variant= a key of the running experiment).")
            .WithDescription("Without tone or variant: the link's own wording (a promoted experiment variant) or the standard template.")
            .WithExamples(response: """{"subject":"選考結果のご連絡","body":"ご応募者様\n\nこの度は…\nhttps://relay.example/r/Xk3v9QpL0aZ2\n…"}""");
        company.MapPost("/invitations", CreateInvitationsAsync)
            .WithSummary("Mint single-use personal invitations under a link: a count, or one per external reference (the ATS application id). Tokens are shown once.")
            .WithExamples(request: $$"""{"linkId":"{{Id}}","externalRefs":["app-1001","app-1002"]}""", response: """{"invitations":[{"externalRef":"app-1001","token":"inv_b7Q…","url":"https://relay.example/r/inv_b7Q…"},{"externalRef":"app-1002","token":"inv_9Zk…","url":"https://relay.example/r/inv_9Zk…"}]}""");
    }

    private static async Task<Results<Created<LinkCreated>, ProblemHttpResult>> CreateAsync(
        CreateLinkRequest body, CurrentTenant tenant, LinkActions actions, PublicUrls urls, CancellationToken ct)
    {
        var result = await actions.CreateAsync(tenant.Id, body.Label, ct, body.Sources);
        if (result.Failed) return result.Error!.ToResult();
        var link = result.Value!;
        return TypedResults.Created($"/api/v1/company/links/{link.Id}", new LinkCreated(link.Id, link.Token, urls.To($"/r/{link.Token}"), link.Label, link.Sources));
    }

    private static async Task<Results<Ok<LinkItem>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateLinkRequest body, CareerRelayDb db, CurrentTenant tenant, LinkActions actions, PublicUrls urls, CancellationToken ct)
    {
        var result = await actions.UpdateAsync(tenant.Id, id, body.Label, body.Sources, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(await ItemAsync(db, tenant.Id, result.Value!, urls, ct));
    }

    private static async Task<Results<Ok<Page<LinkItem>>, ProblemHttpResult>> ListAsync(
        string? limit, string? cursor, CareerRelayDb db, CurrentTenant tenant, PublicUrls urls, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        return TypedResults.Ok(await PageAsync(db, tenant.Id, page.Value, urls, ct));
    }

    /// <summary>A page of the company's links with their figures; the console's dashboard shows the same.</summary>
    public static async Task<Page<LinkItem>> PageAsync(CareerRelayDb db, string companyId, PageRequest p, PublicUrls urls, CancellationToken ct)
    {
        var links = await db.RelayLinks.AsNoTracking()
            .Where(l => l.CompanyId == companyId).PageAfter(p, l => l.Id).ToListAsync(ct);
        var ids = links.Select(l => l.Id).ToList();
        var counts = await db.Registrations.AsNoTracking()
            .Where(r => r.CompanyId == companyId && ids.Contains(r.LinkId))
            .GroupBy(r => new { r.LinkId, r.Status }).Select(g => new { g.Key.LinkId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        return p.ToPage(links, l => l.Id, l => ToItem(l, urls,
            counts.Where(c => c.LinkId == l.Id).Sum(c => c.Count),
            counts.Where(c => c.LinkId == l.Id && c.Status == RegistrationStatus.Qualified).Sum(c => c.Count)));
    }

    private static LinkItem ToItem(RelayLink l, PublicUrls urls, int registrations, int qualified) =>
        new(l.Id, l.Token, urls.To($"/r/{l.Token}"), l.Label, l.Paused, l.Clicks, registrations, qualified, l.CreatedAt, l.Sources);

    private static async Task<LinkItem> ItemAsync(CareerRelayDb db, string companyId, RelayLink link, PublicUrls urls, CancellationToken ct)
    {
        var registrations = await db.Registrations.CountAsync(r => r.CompanyId == companyId && r.LinkId == link.Id, ct);
        var qualified = await db.Registrations.CountAsync(r => r.CompanyId == companyId && r.LinkId == link.Id && r.Status == RegistrationStatus.Qualified, ct);
        return ToItem(link, urls, registrations, qualified);
    }

    private static async Task<Results<Ok<LinkItem>, ProblemHttpResult>> SetPausedAsync(
        string id, bool paused, CareerRelayDb db, CurrentTenant tenant, LinkActions actions, PublicUrls urls, CancellationToken ct)
    {
        var companyId = tenant.Id;
        var link = await actions.SetPausedAsync(companyId, id, paused, ct);
        if (link is null) return ApiError.NotFound("link").ToResult();
        return TypedResults.Ok(await ItemAsync(db, companyId, link, urls, ct));
    }

    /// <summary><c>?lang=ja|en</c>, and optionally <c>?tone=standard|warm|graduate</c> and <c>?syntax=plain|mustache|percent|preview</c>.</summary>
    private static async Task<Results<Ok<EmailTemplate>, ProblemHttpResult>> EmailTemplateAsync(
        string id, string? lang, string? tone, string? syntax, string? variant, CareerRelayDb db, CurrentTenant tenant, PublicUrls urls, CancellationToken ct)
    {
        var v = new Validation();
        if (tone is not null && !RejectionTemplate.Tones.Contains(tone)) v.Add("tone", "Error.OneOf", string.Join(", ", RejectionTemplate.Tones));
        if (syntax is not null && !RejectionTemplate.Syntaxes.Contains(syntax)) v.Add("syntax", "Error.OneOf", string.Join(", ", RejectionTemplate.Syntaxes));
        if (tone is not null && variant is not null) v.Add("variant", "Experiments.Error.ToneAndVariant");
        if (!v.IsValid) return v.ToError().ToResult();
        var link = await FindForTemplateAsync(db, tenant.Id, id, ct);
        if (link is null) return ApiError.NotFound("link").ToResult();
        var wording = tone is not null ? new RejectionWording(tone, null) : link.Value.Wording ?? RejectionWording.Standard;
        if (variant is not null)
        {
            var running = await Experiments.ManageExperiments.RunningAsync(db, id, ct);
            if (running?.Variants.FirstOrDefault(x => x.Key == variant) is not { } chosen)
                return ApiError.Invalid("variant", "Experiments.Error.NoSuchVariant").ToResult();
            wording = new RejectionWording(chosen.Tone, chosen.Text);
        }
        var (subject, body) = RejectionTemplate.Render(wording, syntax ?? "plain", Lang.Normalize(lang), link.Value.CompanyName, urls.To($"/r/{link.Value.Token}"));
        return TypedResults.Ok(new EmailTemplate(subject, body));
    }

    public static async Task<(string Token, string CompanyName, RejectionWording? Wording)?> FindForTemplateAsync(CareerRelayDb db, string companyId, string linkId,
        CancellationToken ct)
    {
        var link = await (from l in db.RelayLinks.AsNoTracking()
                          join c in db.Companies on l.CompanyId equals c.Id
                          where l.Id == linkId && l.CompanyId == companyId
                          select new { l.Token, c.Name, l.TemplateTone, l.TemplateText }).FirstOrDefaultAsync(ct);
        return link is null ? null
            : (link.Token, link.Name, link.TemplateTone is null && link.TemplateText is null ? null : new RejectionWording(link.TemplateTone, link.TemplateText));
    }

    private static async Task<Results<Created<InvitationsCreated>, ProblemHttpResult>> CreateInvitationsAsync(
        InvitationRequest body, CurrentTenant tenant, LinkActions actions, CancellationToken ct)
    {
        var result = await actions.MintInvitationsAsync(tenant.Id, body.LinkId, body.Count, body.ExternalRefs, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created("/api/v1/company/invitations", new InvitationsCreated(result.Value!));
    }
}
