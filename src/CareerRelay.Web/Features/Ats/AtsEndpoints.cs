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
        ats.MapPost("/events", EventAsync);
        ats.MapPost("/connections", CreateConnectionAsync);
        ats.MapGet("/connections", ListConnectionsAsync);
        ats.MapPost("/connections/{id}/revoke", RevokeConnectionAsync);
        ats.MapPut("/connections/{id}", UpdateConnectionAsync);
        ats.MapGet("/mails", ListMailsAsync);
        ats.MapGet("/settings", GetSettingsAsync);
        ats.MapPut("/settings", PutSettingsAsync);
        ats.MapPost("/imports", ImportAsync).WithErrors(AtsErrors.FileTooLarge(ImportFiles.MaxBytes));

        // The ATS itself calls these: no API key, the system's own signature with the connection's secret instead.
        var native = app.MapGroup("/api/v1/company/ats").AllowAnonymous().WithTags("ATS native webhooks");
        native.MapPost("/greenhouse/{id}", GreenhouseAsync).WithErrors(AtsErrors.BadSignature, AtsErrors.WebhookTooLarge(AtsConnections.MaxBody));
        native.MapPost("/lever/{id}", LeverAsync).WithErrors(AtsErrors.BadSignature);
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
        if (!v.IsValid) return v.ToError();
        return new RejectionEvent(eventId, type, applicationId, outcome, source, jobTitle, occurredAt ?? default, sendAt, lang, name,
            email is null ? null : PersonIdentity.NormaliseEmail(email), MailChannels.Api);
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
