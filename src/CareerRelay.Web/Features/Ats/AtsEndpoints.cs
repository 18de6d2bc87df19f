using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Features.Ats;

/// <summary>
/// SPEC §6 ATS intake: rejection events in our own shape, connections that take Greenhouse's and Lever's native
/// webhooks, CSV imports of rejected applicants, and the entrusted mails those cause.
/// </summary>
public static class AtsEndpoints
{

    internal static void Map(IEndpointRouteBuilder app)
    {
        var ats = app.MapGroup("/api/v1/company/ats").RequireAuthorization(ApiKeyAuthenticationSetup.CompanyPolicy).WithTags("Company ATS");
        ats.MapPost("/events", EventAsync)
            .WithSummary("A rejection event from the ATS: answers the personal invitation URL and, with candidate.email, schedules the company's rejection mail (委託). Withdrawals, candidate_withdrew and source agency get none; unrejected cancels a mail not yet sent; the same eventId answers the same.")
            .WithExamples(request: """{"eventId":"evt-20261120-0001","type":"rejected","applicationId":"app-1001","outcome":"company_rejected","source":"direct","jobTitle":"法人営業","occurredAt":"2026-11-20T06:00:00Z","sendAt":"2026-11-24T01:00:00Z","lang":"ja","candidate":{"name":"佐藤 花子","email":"hanako@example.jp"}}""", response: """{"invitationUrl":"https://relay.example/r/inv_b7Q…","mail":"scheduled","cancelledMails":0}""");
        ats.MapPost("/connections", CreateConnectionAsync)
            .WithSummary("Connect Greenhouse or Lever: answers the URL to register there and the secret that signs its webhooks (shown once). For Lever, pass Lever's signature token as secret, or set it later with PUT.")
            .WithExamples(request: """{"system":"greenhouse"}""", response: $$"""{"id":"{{Id}}","system":"greenhouse","secret":"q1W2e3R4t5Y6u7I8o9P0…","url":"https://relay.example/api/v1/company/ats/greenhouse/{{Id}}"}""");
        ats.MapGet("/connections", ListConnectionsAsync)
            .WithSummary("The company's ATS connections (secrets are never shown again).")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","system":"greenhouse","url":"https://relay.example/api/v1/company/ats/greenhouse/{{Id}}","createdAt":"2026-11-20T03:00:00Z","revokedAt":null}],"nextCursor":null}""");
        ats.MapPost("/connections/{id}/revoke", RevokeConnectionAsync)
            .WithSummary("Disconnect: webhooks to the connection's URL are refused from now on.")
            .WithExamples(response: $$"""{"id":"{{Id}}","system":"greenhouse","url":"https://relay.example/api/v1/company/ats/greenhouse/{{Id}}","createdAt":"2026-11-20T03:00:00Z","revokedAt":"2026-11-21T03:00:00Z"}""");
        ats.MapPut("/connections/{id}", UpdateConnectionAsync)
            .WithSummary("Set the connection's secret to the ATS's own (Lever shows its signature token after the webhook exists there).")
            .WithExamples(request: """{"secret":"7d1f0c2a9b8e4f6a1c3d5e7f9a0b2c4d"}""", response: $$"""{"id":"{{Id}}","system":"lever","url":"https://relay.example/api/v1/company/ats/lever/{{Id}}","createdAt":"2026-11-20T03:00:00Z","revokedAt":null}""");
        ats.MapGet("/mails", ListMailsAsync)
            .WithSummary("The entrusted rejection mails and how they ended (scheduled, sent, bounced, failed, cancelled); never the address.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","applicationId":"app-1001","source":"api","status":"sent","lang":"ja","sendAt":"2026-11-24T01:00:00Z","createdAt":"2026-11-21T03:00:00Z"}],"nextCursor":null}""");
        ats.MapGet("/settings", GetSettingsAsync)
            .WithSummary("How entrusted mail is sent: tone, the link its invitations belong to, when (now or next_weekday_10 JST), sender name.")
            .WithExamples(response: """{"tone":"standard","linkId":null,"sendTime":"next_weekday_10","senderName":"株式会社サンプル 採用担当"}""");
        ats.MapPut("/settings", PutSettingsAsync)
            .WithSummary("Change how entrusted mail is sent.")
            .WithExamples(request: """{"tone":"warm","linkId":null,"sendTime":"next_weekday_10","senderName":"株式会社サンプル 採用担当"}""", response: """{"tone":"warm","linkId":null,"sendTime":"next_weekday_10","senderName":"株式会社サンプル 採用担当"}""");
        ats.MapPost("/imports", ImportAsync).WithErrors(AtsErrors.FileTooLarge(ImportFiles.MaxBytes))
            .WithSummary("Import a CSV of rejected applicants (UTF-8 or Shift_JIS; Japanese or English headers) as text/csv or a form's file field. ?dryRun=true previews; otherwise the valid rows are taken, each idempotently, and the broken ones listed. ?encoding=auto|utf-8|shift_jis, ?lang=ja|en, ?sendAt=.")
            .WithExamples(request: "応募ID,氏名,メールアドレス,応募職種,選考結果,不合格日\r\nA-001,山田 太郎,taro@example.jp,営業,不合格,2026/11/20\r\n", response: """{"dryRun":true,"encoding":"utf-8","columns":{"applicationId":"応募ID","name":"氏名","email":"メールアドレス","jobTitle":"応募職種","result":"選考結果","rejectedOn":"不合格日"},"rows":1,"invitations":1,"mails":1,"noInvitation":0,"skipped":0,"errors":0,"alreadyImported":0,"items":[{"line":2,"applicationId":"A-001","jobTitle":"営業","status":"invite","messages":[],"invitationUrl":null,"mail":"scheduled"}]}""");

        // The ATS itself calls these: no API key, the system's own signature with the connection's secret instead.
        var native = app.MapGroup("/api/v1/company/ats").AllowAnonymous().WithTags("ATS native webhooks");
        native.MapPost("/greenhouse/{id}", GreenhouseAsync).WithErrors(AtsErrors.BadSignature, AtsErrors.WebhookTooLarge(AtsConnections.MaxBody))
            .WithSummary("Greenhouse's own webhook (reject_candidate, unreject_candidate), checked by its Signature header (sha256 HMAC of the body with the connection's secret). No API key.")
            .WithExamples(request: """{"action":"reject_candidate","payload":{"application":{"id":265277,"rejected_at":"2026-11-20T06:00:00Z","rejection_reason":{"name":"Lacking skill(s)","type":{"name":"We rejected them"}},"source":{"public_name":"LinkedIn"},"jobs":[{"name":"経理マネージャー"}],"candidate":{"first_name":"花子","last_name":"佐藤","email_addresses":[{"value":"hanako@example.jp","type":"personal"}]}}}}""", response: """{"invitationUrl":"https://relay.example/r/inv_b7Q…","mail":"scheduled","cancelledMails":0}""");
        native.MapPost("/lever/{id}", LeverAsync).WithErrors(AtsErrors.BadSignature)
            .WithSummary("Lever's own webhook (candidateArchiveChange), checked by its signature (HMAC of token + triggeredAt with the connection's secret). Lever sends ids only: answers the invitation URL for the company's Lever template; no mail. No API key.")
            .WithExamples(request: """{"triggeredAt":1795490400000,"event":"candidateArchiveChange","signature":"5a0c…","token":"3f9b…","data":{"candidateId":"f4a4…","opportunityId":"f4a4…","fromArchived":null,"toArchived":{"archivedAt":1795490399000,"reason":"63dd…"}}}""", response: """{"invitationUrl":"https://relay.example/r/inv_9Zk…","mail":"none","cancelledMails":0}""");
    }

    /// <summary>202 <c>{invitationUrl, mail}</c>; the same eventId again answers the same and changes nothing.</summary>
    private static async Task<Results<Accepted<AtsAnswer>, ProblemHttpResult>> EventAsync(AtsEventRequest body, CurrentTenant tenant, RejectionIntake intake, CancellationToken ct)
    {
        var parsed = Validate(body);
        if (parsed.Failed) return parsed.Error!.ToResult();
        return TypedResults.Accepted((string?)null, await intake.HandleAsync(tenant.Id, parsed.Value!, ct));
    }

    private static Result<RejectionEvent> Validate(AtsEventRequest body)
    {
        var v = new Validation();
        var eventId = v.Required("eventId", body.EventId, 200);
        var type = v.Required("type", body.Type, 20);
        if (type.Length > 0 && !AtsEventTypes.All.Contains(type)) v.Add("type", "Error.OneOf", string.Join(", ", AtsEventTypes.All));
        var applicationId = v.Required("applicationId", body.ApplicationId, 200);
        var outcome = v.Optional("outcome", body.Outcome, 40);
        if (outcome is not null && !AtsEventTypes.Outcomes.Contains(outcome)) v.Add("outcome", "Error.OneOf", string.Join(", ", AtsEventTypes.Outcomes));
        var source = v.Optional("source", body.Source, 40);
        if (source is not null && !AtsEventTypes.Sources.Contains(source)) v.Add("source", "Error.OneOf", string.Join(", ", AtsEventTypes.Sources));
        var jobTitle = v.Optional("jobTitle", body.JobTitle, 200);
        var occurredAt = Time(v, "occurredAt", v.Required("occurredAt", body.OccurredAt, 40));
        var sendAt = body.SendAt is null ? null : Time(v, "sendAt", body.SendAt.Trim());
        var lang = v.Optional("lang", body.Lang, 5) ?? "ja";
        if (lang is not ("ja" or "en")) v.Add("lang", "Error.OneOf", "ja, en");
        var name = v.Optional("candidate.name", body.Candidate?.Name, 200);
        var email = v.Optional("candidate.email", body.Candidate?.Email, 254);
        if (email is not null && !PersonIdentity.IsPlausibleEmail(PersonIdentity.NormaliseEmail(email))) v.Add("candidate.email", "Error.Email");
        var stage = v.Optional("stage", body.Stage, 40);
        if (stage is not null && !SelectionStages.All.Contains(stage)) v.Add("stage", "Error.OneOf", string.Join(", ", SelectionStages.All));
        if (!v.IsValid) return v.ToError();
        return new RejectionEvent(eventId, type, applicationId, outcome, source, jobTitle, occurredAt ?? default, sendAt, lang, name,
            email is null ? null : PersonIdentity.NormaliseEmail(email), MailChannels.Api, stage);
    }

    private static DateTime? Time(Validation v, string field, string text)
    {
        if (text.Length == 0) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && text.Contains('T')) return t.UtcDateTime;
        v.Add(field, "Error.Time");
        return null;
    }

    private static async Task<Results<Created<ConnectionCreated>, ProblemHttpResult>> CreateConnectionAsync(ConnectionRequest body, CurrentTenant tenant,
        AtsConnections connections, CancellationToken ct)
    {
        var created = await connections.CreateAsync(tenant.Id, body.System, body.Secret, ct);
        return created.Failed ? created.Error!.ToResult() : TypedResults.Created(created.Value!.Url, created.Value);
    }

    /// <summary>Sets the connection's secret to the ATS's own (Lever shows its signature token only after the webhook exists there).</summary>
    private static async Task<Results<Ok<ConnectionItem>, ProblemHttpResult>> UpdateConnectionAsync(string id, ConnectionUpdate body, CurrentTenant tenant,
        AtsConnections connections, CancellationToken ct)
    {
        var updated = await connections.SetSecretAsync(tenant.Id, id, body.Secret, ct);
        return updated.Failed ? updated.Error!.ToResult() : TypedResults.Ok(updated.Value!);
    }

    private static async Task<Ok<Page<ConnectionItem>>> ListConnectionsAsync(CurrentTenant tenant, AtsConnections connections, CancellationToken ct) =>
        TypedResults.Ok(new Page<ConnectionItem>(await connections.ListAsync(tenant.Id, ct), null));

    private static async Task<Results<Ok<ConnectionItem>, ProblemHttpResult>> RevokeConnectionAsync(string id, CurrentTenant tenant, AtsConnections connections, CancellationToken ct) =>
        await connections.RevokeAsync(tenant.Id, id, ct) is { } item ? TypedResults.Ok(item) : ApiError.NotFound("connection").ToResult();

    /// <summary>The entrusted mails: status only (scheduled, sent, bounced, failed, cancelled); never the address.</summary>
    private static async Task<Results<Ok<Page<EntrustedMailItem>>, ProblemHttpResult>> ListMailsAsync(string? limit, string? cursor, CareerRelayDb db,
        CurrentTenant tenant, CancellationToken ct)
    {
        var page = PageRequest.Parse(limit, cursor);
        if (page.Failed) return page.Error!.ToResult();
        var rows = await EntrustedMails.QueryAsync(db, tenant.Id, page.Value, ct);
        return TypedResults.Ok(page.Value.ToPage(rows, r => r.Id, r => r));
    }

    private static async Task<Ok<SettingsItem>> GetSettingsAsync(CareerRelayDb db, CurrentTenant tenant, CancellationToken ct) =>
        TypedResults.Ok(EntrustedMails.ToItem(await EntrustedMails.SettingsAsync(db, tenant.Id, ct)));

    private static async Task<Results<Ok<SettingsItem>, ProblemHttpResult>> PutSettingsAsync(SettingsBody body, CareerRelayDb db, DbWriteGate gate,
        CurrentTenant tenant, CancellationToken ct)
    {
        var saved = await EntrustedMails.SaveSettingsAsync(db, gate, tenant.Id, body, ct);
        return saved.Failed ? saved.Error!.ToResult() : TypedResults.Ok(EntrustedMails.ToItem(saved.Value!));
    }

    /// <summary>
    /// <c>POST /imports?dryRun=true</c> previews; without it, every valid row is taken (each on its own, idempotently) and the
    /// broken ones are listed. The body is the CSV file (text/csv) or a form with a <c>file</c> field.
    /// </summary>
    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> ImportAsync(HttpRequest request, string? dryRun, string? encoding, string? lang,
        string? sendAt, CurrentTenant tenant, RejectionImport import, RejectionIntake intake, CareerRelayDb db, TimeProvider clock, CancellationToken ct)
    {
        var file = await ImportFiles.ReadAsync(request, ct);
        if (file.Failed) return file.Error!.ToResult();
        var v = new Validation();
        var preview = false;
        if (dryRun is not null && !bool.TryParse(dryRun, out preview)) v.Add("dryRun", "Error.OneOf", "true, false");
        var defaultLang = lang ?? "ja";
        if (defaultLang is not ("ja" or "en")) v.Add("lang", "Error.OneOf", "ja, en");
        if (encoding is not null && encoding.ToLowerInvariant() is not ("auto" or "utf-8" or "utf8" or "shift_jis" or "shift-jis" or "sjis" or "cp932" or "windows-31j"))
            v.Add("encoding", "Error.OneOf", "auto, utf-8, shift_jis");
        var scheduled = sendAt is null ? null : Time(v, "sendAt", sendAt.Trim());
        if (!v.IsValid) return v.ToError().ToResult();
        // Notes follow Accept-Language (?lang= is the mails' language here).
        var result = await ImportFiles.RunAsync(import, intake, db, tenant.Id, file.Value!, encoding, defaultLang, scheduled, preview,
            Lang.FromAcceptLanguage(request), clock, ct);
        return result.Failed ? result.Error!.ToResult() : TypedResults.Ok(result.Value!);
    }

    private static async Task<IResult> GreenhouseAsync(string id, HttpRequest request, AtsConnections connections, RejectionIntake intake, TimeProvider clock, CancellationToken ct)
    {
        var (connection, body, problem) = await connections.ReceiveAsync(id, AtsSystems.Greenhouse, request, ct);
        if (problem is not null) return problem.ToResult();
        if (!NativeWebhooks.GreenhouseSignatureValid(connection!.Secret, body!, request.Headers["Signature"]))
            return BadSignature();
        if (!TryJson(body!, out var root)) return ApiError.Invalid("body", "Error.NotJson").ToResult();
        var e = NativeWebhooks.ReadGreenhouse(root, request.Headers["Greenhouse-Event-ID"], "ja", clock.GetUtcNow().UtcDateTime);
        return e is null ? TypedResults.Ok(new { ignored = true }) : TypedResults.Ok(await intake.HandleAsync(connection.CompanyId, e, ct));
    }

    private static async Task<IResult> LeverAsync(string id, HttpRequest request, AtsConnections connections, RejectionIntake intake, TimeProvider clock, CancellationToken ct)
    {
        var (connection, body, problem) = await connections.ReceiveAsync(id, AtsSystems.Lever, request, ct);
        if (problem is not null) return problem.ToResult();
        if (!TryJson(body!, out var root)) return ApiError.Invalid("body", "Error.NotJson").ToResult();
        if (!NativeWebhooks.LeverSignatureValid(connection!.Secret, root)) return BadSignature();
        var e = NativeWebhooks.ReadLever(root, clock.GetUtcNow().UtcDateTime);
        return e is null ? TypedResults.Ok(new { ignored = true }) : TypedResults.Ok(await intake.HandleAsync(connection.CompanyId, e, ct));
    }

    private static IResult BadSignature() => AtsErrors.BadSignature.ToResult();

    private static bool TryJson(byte[] body, out JsonElement root)
    {
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            root = doc.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }
}
