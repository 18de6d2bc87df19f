using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Operator;

/// <summary>運営: creates tenants, edits the consent notice, reviews fraud holds, verifies the ledger.</summary>
public static class OperatorEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(ApiKeyAuthenticationSetup.OperatorPolicy).WithTags("Operator");
        admin.MapPost("/companies", CreateCompanyAsync)
            .WithSummary("Create a company; answers its first API key (shown once).")
            .WithExamples(request: """{"name":"株式会社サンプル","contactEmail":"jinji@sample.co.jp"}""", response: $$"""{"id":"{{Id}}","apiKey":"cr_co_6bA1…"}""");
        admin.MapPost("/agencies", CreateAgencyAsync)
            .WithSummary("Create a licensed agency with every disclosure candidates see before consent (職業安定法); answers its first API key.")
            .WithExamples(request: """{"name":"エージェントA","licenseNumber":"13-ユ-123456","contactEmail":"info@agency.example","occupations":["営業","ITエンジニア"],"fees":"求職者は無料","complaintContact":"03-0000-0000","privacyPolicyUrl":"https://agency.example/privacy","licenseExpiresOn":"2029-03-31"}""", response: $$"""{"id":"{{Id}}","apiKey":"cr_ag_Q2c9…"}""");
        admin.MapGet("/holds", ListHoldsAsync)
            .WithSummary("Registrations held by the fraud checks, waiting for a decision.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","companyId":"{{Id2}}","linkId":"{{Id2}}","reason":"ip_burst","createdAt":"2026-11-20T01:00:00Z","verifiedAt":"2026-11-20T01:05:00Z"}],"nextCursor":null}""");
        admin.MapPost("/referrals/{id}/release", ReleaseAsync)
            .WithSummary("Release a held referral: it qualifies and counts towards the company's next slot.")
            .WithExamples(response: $$"""{"id":"{{Id}}","status":"qualified","holdReason":null}""");
        admin.MapPost("/referrals/{id}/reverse", ReverseAsync)
            .WithSummary("Reverse a qualified referral with a reason; slot counts are corrected by a ledger entry, never by editing one.")
            .WithExamples(request: """{"reason":"同一人物の重複登録"}""", response: $$"""{"id":"{{Id}}","status":"reversed","holdReason":null}""");
        admin.MapPost("/links/{id}/ban", (string id, BanRequest? body, ReviewDesk desk, CurrentTenant tenant, CancellationToken ct) => BanAsync(id, true, body, desk, tenant, ct))
            .WithSummary("Ban a relay link (every registration verified through it from now on is held for review) or a referrer (their referral link closes). Recorded with who did it.")
            .WithDescription("The id is a relay link's or a referrer's. Banning what is banned already changes nothing and answers the same.")
            .WithExamples(request: """{"note":"同一IPからの大量登録"}""", response: $$"""{"id":"{{Id}}","kind":"link","banned":true,"bannedAt":"2026-12-06T03:00:00Z"}""");
        admin.MapPost("/links/{id}/unban", (string id, BanRequest? body, ReviewDesk desk, CurrentTenant tenant, CancellationToken ct) => BanAsync(id, false, body, desk, tenant, ct))
            .WithSummary("Lift a ban on a relay link or a referrer. Registrations held meanwhile stay held until released or reversed.")
            .WithExamples(request: """{"note":"企業に確認済み"}""", response: $$"""{"id":"{{Id}}","kind":"link","banned":false,"bannedAt":null}""");
        admin.MapPost("/referrals/{id}/notes", NoteAsync)
            .WithSummary("Add a note to a referral's review timeline (who and when are recorded).")
            .WithExamples(request: """{"note":"企業に登録経路を確認中"}""", response: $$"""{"id":"{{Id}}","noted":true}""");
        admin.MapPut("/notice", PublishNoticeAsync)
            .WithSummary("Publish a new version of the consent notice (ja and en).")
            .WithExamples(request: """{"textJa":"ご登録にあたり…","textEn":"Before you register…"}""", response: """{"version":2}""");
        admin.MapGet("/ledger/verify", VerifyLedgerAsync)
            .WithSummary("Recompute every balance and count from the ledger entries.")
            .WithExamples(response: """{"ok":true,"accounts":42,"mismatches":[]}""");
        admin.MapGet("/audit", AuditAsync)
            .WithSummary("Who read a candidate's data, between two times (?candidateId=&from=&to=).")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id2}}","actorType":"agency","actorId":"{{Id2}}","action":"candidate.read","candidateId":"{{Id}}","createdAt":"2026-11-20T02:00:00Z"}],"nextCursor":null}""");
        admin.MapGet("/provisions", ProvisionsAsync)
            .WithSummary("Provision records (APPI 29/30: who gave which items to whom, on what basis) of a period (?from=&to=).")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","candidateId":"{{Id2}}","recipientType":"agency","recipientId":"{{Id2}}","recipientName":"エージェントA","items":["name","email","phone"],"basis":"consent","createdAt":"2026-11-20T02:00:00Z"}],"nextCursor":null}""");
        admin.MapGet("/erasures", ErasuresAsync).WithErrors(ApiError.Invalid("since", "Error.Time"))
            .WithSummary("The erasure list (pseudonymous ids and times) since ?since= (default: all), oldest first — export it daily, apart from backups, for replay-erasures after a restore.")
            .WithExamples(response: $$"""{"items":[{"candidateId":"{{Id2}}","erasedAt":"2026-11-20T02:00:00Z"}]}""");
        admin.MapGet("/network", async Task<Results<Ok<NetworkFlows.View>, ProblemHttpResult>> (HttpContext http, NetworkFlows flows, CancellationToken ct) =>
        {
            var (from, to, bad) = OperatorConsole.Period(http.Request.Query);
            if (bad) return ApiError.Invalid("from", "Error.Period").ToResult();
            return TypedResults.Ok(await flows.ForPeriodAsync(from, to, Texts.Get("Network.InSupport", Lang.FromRequest(http.Request)), ct));
        })
            .WithSummary("The network over a period (?from=&to=, Japan-time dates): people relayed company → agency and placed agency → hiring company, plus those still in support. Counts only.")
            .WithExamples(response: """{"nodes":[{"id":"c:019372a1","name":"株式会社サンプル","column":"company","value":12},{"id":"a:019372a2","name":"エージェントA","column":"agency","value":12},{"id":"h:019372a3","name":"株式会社ビー","column":"hiring","value":3},{"id":"in_support","name":"支援中（未入社）","column":"hiring","value":9}],"links":[{"from":"c:019372a1","to":"a:019372a2","count":12},{"from":"a:019372a2","to":"in_support","count":9},{"from":"a:019372a2","to":"h:019372a3","count":3}],"relayed":12,"placed":3}""");
    }

    /// <summary>
    /// The erasure list since a time (default: all), oldest first. Export it daily and keep it apart from the database
    /// backups: after a restore, <c>replay-erasures</c> with it erases again whoever the backup brought back.
    /// </summary>
    private static async Task<Results<Ok<ErasureList>, ProblemHttpResult>> ErasuresAsync(HttpContext http, CareerRelayDb db, CancellationToken ct)
    {
        DateTime? since = null;
        if (http.Request.Query["since"].ToString() is { Length: > 0 } raw)
        {
            if (!DateTimeOffset.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                return ApiError.Invalid("since", "Error.Time").ToResult();
            since = parsed.UtcDateTime;
        }
        var query = db.Erasures.AsNoTracking();
        if (since is { } s) query = query.Where(e => e.ErasedAt >= s);
        var items = await query.OrderBy(e => e.ErasedAt).ThenBy(e => e.CandidateId).Select(e => new ErasureItem(e.CandidateId, e.ErasedAt)).ToListAsync(ct);
        return TypedResults.Ok(new ErasureList(items));
    }

    private static async Task<Results<Created<TenantCreated>, ProblemHttpResult>> CreateCompanyAsync(
        CreateCompanyRequest body, CareerRelayDb db, DbWriteGate gate, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var name = v.Required("name", body.Name, 200);
        var email = ValidEmail(v, "contactEmail", body.ContactEmail);
        if (!v.IsValid) return v.ToError().ToResult();

        var now = clock.GetUtcNow().UtcDateTime;
        var company = new Company { Id = Ids.New(), Name = name, ContactEmail = email, EmailDomain = PersonIdentity.DomainOf(email), CreatedAt = now };
        var (key, plain) = ApiKeys.Issue(Roles.Company, company.Id, "initial", now);
        await gate.RunAsync(db, async token =>
        {
            db.Companies.Add(company);
            db.CompanyAccounts.Add(SlotLedger.NewAccount(company.Id));
            db.ApiKeys.Add(key);
            if (await TenantUsers.FirstAdminAsync(db, TenantTypes.Company, company.Id, email, now, token) is { } admin) db.TenantUsers.Add(admin);
            return 0;
        }, ct);
        return TypedResults.Created($"/api/v1/admin/companies/{company.Id}", new TenantCreated(company.Id, plain));
    }

    private static async Task<Results<Created<TenantCreated>, ProblemHttpResult>> CreateAgencyAsync(
        CreateAgencyRequest body, CareerRelayDb db, DbWriteGate gate, RelayEntries entries, TimeProvider clock, CancellationToken ct)
    {
        // Every disclosure is required: candidates must see them before consenting (職業安定法).
        var v = new Validation();
        var name = v.Required("name", body.Name, 200);
        var license = v.Required("licenseNumber", body.LicenseNumber, 50);
        var email = ValidEmail(v, "contactEmail", body.ContactEmail);
        var occupations = v.Strings("occupations", body.Occupations, 50, 100);
        if (occupations.Count == 0 && !v.Has("occupations")) v.Add("occupations", "Error.Occupations");
        var fees = v.Required("fees", body.Fees, 1000);
        var complaints = v.Required("complaintContact", body.ComplaintContact, 300);
        var privacy = v.Required("privacyPolicyUrl", body.PrivacyPolicyUrl, 500);
        if (privacy.Length > 0 && !(Uri.TryCreate(privacy, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            v.Add("privacyPolicyUrl", "Error.Url");
        if (!v.IsValid) return v.ToError().ToResult();

        var now = clock.GetUtcNow().UtcDateTime;
        var agency = new Agency
        {
            Id = Ids.New(), Name = name, LicenseNumber = license, ContactEmail = email, Occupations = occupations, Fees = fees,
            ComplaintContact = complaints, PrivacyPolicyUrl = privacy, LicenseExpiresOn = body.LicenseExpiresOn, CreatedAt = now,
        };
        var (key, plain) = ApiKeys.Issue(Roles.Agency, agency.Id, "initial", now);
        await gate.RunAsync(db, async token =>
        {
            db.Agencies.Add(agency);
            db.ApiKeys.Add(key);
            // The agency's contact becomes the first admin of its workspace (/agency), as for companies.
            if (await TenantUsers.FirstAdminAsync(db, TenantTypes.Agency, agency.Id, agency.ContactEmail, now, token) is { } admin) db.TenantUsers.Add(admin);
            return 0;
        }, ct);
        entries.Invalidate();
        return TypedResults.Created($"/api/v1/admin/agencies/{agency.Id}", new TenantCreated(agency.Id, plain));
    }

    private static async Task<Results<Ok<Page<HoldItem>>, ProblemHttpResult>> ListHoldsAsync(
        string? limit, string? cursor, CareerRelayDb db, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var p = page.Value;
        var rows = await db.Registrations.AsNoTracking()
            .Where(r => r.Status == RegistrationStatus.Held).PageAfter(p, r => r.Id)
            .Select(r => new HoldItem(r.Id, r.CompanyId, r.LinkId, r.HoldReason, r.CreatedAt, r.VerifiedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(p.ToPage(rows, r => r.Id, r => r));
    }

    private static async Task<Results<Ok<ReferralState>, ProblemHttpResult>> ReleaseAsync(string id, ReferralDecisions decisions, ReviewDesk desk,
        CurrentTenant tenant, CancellationToken ct)
    {
        var result = await decisions.ReleaseAsync(id, await desk.ReviewerAsync(tenant.KeyId, ct), ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }

    private static async Task<Results<Ok<ReferralState>, ProblemHttpResult>> ReverseAsync(
        string id, ReverseRequest body, ReferralDecisions decisions, ReviewDesk desk, CurrentTenant tenant, CancellationToken ct)
    {
        var v = new Validation();
        var reason = v.Required("reason", body.Reason, 500);
        if (!v.IsValid) return v.ToError().ToResult();
        var result = await decisions.ReverseAsync(id, reason, await desk.ReviewerAsync(tenant.KeyId, ct), ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }

    private static async Task<Results<Ok<BanState>, ProblemHttpResult>> BanAsync(string id, bool ban, BanRequest? body, ReviewDesk desk, CurrentTenant tenant,
        CancellationToken ct)
    {
        var v = new Validation();
        var note = v.Optional("note", body?.Note, ReviewDesk.MaxNote, multiline: true);
        if (!v.IsValid) return v.ToError().ToResult();
        var state = await desk.BanAsync(id, ban, note, await desk.ReviewerAsync(tenant.KeyId, ct), ct);
        return state is null ? ApiError.NotFound("link or referrer").ToResult() : TypedResults.Ok(state);
    }

    private static async Task<Results<Ok<NoteAdded>, ProblemHttpResult>> NoteAsync(string id, NoteRequest body, ReviewDesk desk, CurrentTenant tenant, CancellationToken ct)
    {
        var result = await desk.NoteAsync(id, body.Note, await desk.ReviewerAsync(tenant.KeyId, ct), ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(new NoteAdded(id, true));
    }

    private static async Task<Results<Created<NoticePublished>, ProblemHttpResult>> PublishNoticeAsync(
        NoticeRequest body, OperatorRecords records, CancellationToken ct)
    {
        var result = await records.PublishNoticeAsync(body.TextJa, body.TextEn, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Created($"/api/v1/admin/notice/{result.Value!.Version}", new NoticePublished(result.Value.Version));
    }

    private static async Task<Ok<LedgerVerification>> VerifyLedgerAsync(CareerRelayDb db, LedgerVerifier verifier, CancellationToken ct) =>
        TypedResults.Ok(await verifier.VerifyAsync(db, ct));

    private static async Task<Results<Ok<Page<OperatorRecords.AuditItem>>, ProblemHttpResult>> AuditAsync(
        string? candidateId, DateTime? from, DateTime? to, string? limit, string? cursor, OperatorRecords records, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var rows = await records.AuditAsync(candidateId, from, to, page.Value, ct);
        return TypedResults.Ok(page.Value.ToPage(rows, a => a.Id, a => a));
    }

    /// <summary>Provision records (APPI arts. 29/30) of a period, for the operator's records and for regulators.</summary>
    private static async Task<Results<Ok<Page<OperatorRecords.ProvisionItem>>, ProblemHttpResult>> ProvisionsAsync(
        DateTime? from, DateTime? to, string? limit, string? cursor, OperatorRecords records, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var rows = await records.ProvisionsAsync(from, to, page.Value, ct);
        return TypedResults.Ok(page.Value.ToPage(rows, p => p.Id, p => p));
    }

    public static string ValidEmail(Validation v, string field, string? value)
    {
        var email = v.Required(field, value, 254);
        if (email.Length > 0 && !PersonIdentity.IsPlausibleEmail(PersonIdentity.NormaliseEmail(email))) v.Add(field, "Error.Email");
        return PersonIdentity.NormaliseEmail(email);
    }
}
