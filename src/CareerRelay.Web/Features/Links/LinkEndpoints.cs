using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareerRelay.Web.Features.Links;

/// <summary>A company's relay links, single-use invitations and the rejection-email text that carries them.</summary>
public static class LinkEndpoints
{
    public static IEndpointRouteBuilder MapLinks(this IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/api/v1/company").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company");
        company.MapPost("/links", CreateAsync);
        company.MapGet("/links", ListAsync);
        company.MapPost("/links/{id}/pause", (string id, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, RelayEntries entries, PublicUrls urls, CancellationToken ct)
            => SetPausedAsync(id, true, db, tenant, gate, entries, urls, ct));
        company.MapPost("/links/{id}/resume", (string id, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, RelayEntries entries, PublicUrls urls, CancellationToken ct)
            => SetPausedAsync(id, false, db, tenant, gate, entries, urls, ct));
        company.MapGet("/links/{id}/email-template", EmailTemplateAsync);
        company.MapPost("/invitations", CreateInvitationsAsync);
        return app;
    }

    public sealed record CreateLinkRequest(string? Label);
    public sealed record LinkCreated(string Id, string Token, string Url, string Label);
    public sealed record LinkItem(string Id, string Token, string Url, string Label, bool Paused, long Clicks, int Registrations,
        int QualifiedReferrals, DateTime CreatedAt);
    public sealed record InvitationRequest(string? LinkId, int? Count, List<string?>? ExternalRefs);
    public sealed record InvitationItem(string? ExternalRef, string Token, string Url);
    public sealed record InvitationsCreated(IReadOnlyList<InvitationItem> Invitations);
    public sealed record EmailTemplate(string Subject, string Body);

    private static async Task<Results<Created<LinkCreated>, ProblemHttpResult>> CreateAsync(
        CreateLinkRequest body, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var label = v.Required("label", body.Label, 200);
        if (!v.IsValid) return v.ToError().ToResult();
        var link = new RelayLink
        {
            Id = Ids.New(), CompanyId = tenant.Id, Token = SecretTokens.New(16), Label = label, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await gate.RunAsync(db, _ => { db.RelayLinks.Add(link); return Task.FromResult(0); }, ct);
        return TypedResults.Created($"/api/v1/company/links/{link.Id}", new LinkCreated(link.Id, link.Token, urls.To($"/r/{link.Token}"), link.Label));
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
        new(l.Id, l.Token, urls.To($"/r/{l.Token}"), l.Label, l.Paused, l.Clicks, registrations, qualified, l.CreatedAt);

    private static async Task<Results<Ok<LinkItem>, ProblemHttpResult>> SetPausedAsync(
        string id, bool paused, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, RelayEntries entries, PublicUrls urls, CancellationToken ct)
    {
        var companyId = tenant.Id;
        var link = await gate.RunAsync(db, async token =>
        {
            var found = await db.RelayLinks.FirstOrDefaultAsync(l => l.Id == id && l.CompanyId == companyId, token);
            if (found is not null) found.Paused = paused;
            return found;
        }, ct);
        if (link is null) return ApiError.NotFound("link").ToResult();
        entries.Invalidate();
        var registrations = await db.Registrations.CountAsync(r => r.CompanyId == companyId && r.LinkId == id, ct);
        var qualified = await db.Registrations.CountAsync(r => r.CompanyId == companyId && r.LinkId == id && r.Status == RegistrationStatus.Qualified, ct);
        return TypedResults.Ok(ToItem(link, urls, registrations, qualified));
    }

    private static async Task<Results<Ok<EmailTemplate>, ProblemHttpResult>> EmailTemplateAsync(
        string id, string? lang, CareerRelayDb db, CurrentTenant tenant, PublicUrls urls, CancellationToken ct)
    {
        var companyId = tenant.Id;
        var link = await (from l in db.RelayLinks.AsNoTracking()
                          join c in db.Companies on l.CompanyId equals c.Id
                          where l.Id == id && l.CompanyId == companyId
                          select new { l.Token, c.Name }).FirstOrDefaultAsync(ct);
        if (link is null) return ApiError.NotFound("link").ToResult();
        var language = Lang.Normalize(lang);
        return TypedResults.Ok(new EmailTemplate(
            Texts.Format("Template.Subject", language, link.Name),
            Texts.Format("Template.Body", language, link.Name, urls.To($"/r/{link.Token}"))));
    }

    /// <summary>Mints single-use invitation tokens; only their hashes are stored, so the answer is the one chance to read them.</summary>
    private static async Task<Results<Created<InvitationsCreated>, ProblemHttpResult>> CreateInvitationsAsync(
        InvitationRequest body, CareerRelayDb db, CurrentTenant tenant, DbWriteGate gate, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        const int MaxBatch = 1000;
        var v = new Validation();
        var linkId = v.Required("linkId", body.LinkId, 64);
        var refs = body.ExternalRefs;
        if (refs is null && body.Count is null) v.Add("count", "Give count or externalRefs.");
        if (refs is not null && body.Count is not null) v.Add("count", "Give count or externalRefs, not both.");
        if (body.Count is int n && n is < 1 or > MaxBatch) v.Add("count", $"Must be from 1 to {MaxBatch}.");
        List<string?> externalRefs = [];
        if (refs is not null)
        {
            if (refs.Count is < 1 or > MaxBatch) v.Add("externalRefs", $"Give 1 to {MaxBatch} references.");
            if (refs.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 200 || r.Any(char.IsControl)))
                v.Add("externalRefs", "Each reference must be text of 1 to 200 characters.");
            externalRefs = refs.Select(r => r?.Trim()).ToList();
        }
        else if (body.Count is int count and >= 1 and <= MaxBatch) externalRefs = Enumerable.Repeat<string?>(null, count).ToList();
        if (!v.IsValid) return v.ToError().ToResult();

        var companyId = tenant.Id;
        if (!await db.RelayLinks.AnyAsync(l => l.Id == linkId && l.CompanyId == companyId, ct)) return ApiError.NotFound("link").ToResult();

        var now = clock.GetUtcNow().UtcDateTime;
        var minted = externalRefs.Select(r => (Ref: r, Token: SecretTokens.New(24, RelayEntries.InvitationPrefix))).ToList();
        await gate.RunAsync(db, _ =>
        {
            db.Invitations.AddRange(minted.Select(m => new Invitation
            {
                Id = Ids.New(), CompanyId = companyId, LinkId = linkId, TokenHash = SecretTokens.Hash(m.Token), ExternalRef = m.Ref, CreatedAt = now,
            }));
            return Task.FromResult(0);
        }, ct);
        return TypedResults.Created("/api/v1/company/invitations",
            new InvitationsCreated(minted.Select(m => new InvitationItem(m.Ref, m.Token, urls.To($"/r/{m.Token}"))).ToList()));
    }
}
