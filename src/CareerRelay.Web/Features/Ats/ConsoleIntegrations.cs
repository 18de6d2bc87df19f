using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Ats.Pages;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using CareerRelay.Web.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Ats;

/// <summary>
/// The console's ATS integration pages (/console/integrations): connections and sending settings with the log of
/// entrusted mails, the CSV import (upload → preview → import), and webhooks with their delivery log. The same
/// rules as the API, through <see cref="AtsConnections"/>, <see cref="ImportFiles"/> and <see cref="WebhookRoutes"/>.
/// </summary>
internal static class ConsoleIntegrations
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var everyone = app.MapConsolePages("/console", ConsoleAuth.Policy);
        everyone.MapGet("/integrations", OverviewAsync);
        everyone.MapGet("/imports", ImportPageAsync);
        everyone.MapPost("/imports", PreviewAsync);
        everyone.MapPost("/imports/{id}", ImportAsync);

        var admin = app.MapConsolePages("/console", ConsoleAuth.AdminPolicy);
        admin.MapPost("/integrations/connections", ConnectAsync);
        admin.MapPost("/integrations/connections/{id}/revoke", RevokeAsync);
        admin.MapPost("/integrations/connections/{id}/secret", SetSecretAsync);
        admin.MapPost("/integrations/settings", SaveSettingsAsync);
        admin.MapGet("/webhooks", WebhooksAsync);
        admin.MapPost("/webhooks", RegisterWebhookAsync);
        admin.MapGet("/webhooks/{id}", (string id, [AsParameters] ConsolePage page, CareerRelayDb db, CancellationToken ct) =>
            RenderWebhooksAsync(page, db, id, null, null, FormErrors.None, 200, ct));
        admin.MapPost("/webhooks/{id}/test", (string id, [AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate, WebhookOutbox webhooks, CancellationToken ct) =>
            QueueAsync(id, null, page, db, gate, webhooks, ct));
        admin.MapPost("/webhooks/{id}/deliveries/{deliveryId}/redeliver", (string id, string deliveryId, [AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate,
            WebhookOutbox webhooks, CancellationToken ct) => QueueAsync(id, deliveryId, page, db, gate, webhooks, ct));
        admin.MapPost("/webhooks/{id}/enable", EnableWebhookAsync);
    }

    // ---- Connections, settings and the entrusted mail log -------------------------------------------------------

    private static Task<IResult> OverviewAsync([AsParameters] ConsolePage page, CareerRelayDb db, AtsConnections connections,
        PublicUrls urls, IOptions<Infrastructure.Mail.MailOptions> mail, CancellationToken ct) =>
        RenderOverviewAsync(page, db, connections, urls, mail, null, null, null, 200, ct);

    /// <summary>A refused form of the overview: which one (connect, a connection's token, the settings) and why.</summary>
    private sealed record Refused(string Form, ApiError Error);

    private static async Task<IResult> RenderOverviewAsync(ConsolePage page, CareerRelayDb db, AtsConnections connections, PublicUrls urls,
        IOptions<Infrastructure.Mail.MailOptions> mail, ConnectionCreated? created, string? message, Refused? refused, int status,
        CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        return await page.RenderAsync(PageParameters.For<IntegrationsPage>()
            .With(p => p.Connections, await connections.ListAsync(companyId, ct))
            .With(p => p.Settings, await EntrustedMails.SettingsAsync(db, companyId, ct))
            // Only names for the link choice: not the per-link registration counts a links page computes.
            .With(p => p.Links, await db.RelayLinks.AsNoTracking().Where(l => l.CompanyId == companyId).OrderBy(l => l.CreatedAt)
                .Select(l => new KeyValuePair<string, string>(l.Id, l.Label)).ToListAsync(ct))
            .With(p => p.Mails, await EntrustedMails.LatestAsync(db, companyId, 100, ct))
            .With(p => p.RetentionDays, mail.Value.EntrustedRetentionDays)
            .With(p => p.EventsUrl, urls.To("/api/v1/company/ats/events"))
            .With(p => p.Created, created)
            .With(p => p.Message, message)
            .With(p => p.Errors, ConsolePages.Errors(page.Http, refused?.Error))
            .With(p => p.ErrorsFor, refused?.Form), status);
    }

    private static async Task<IResult> ConnectAsync([AsParameters] ConsolePage page, CareerRelayDb db, AtsConnections connections,
        PublicUrls urls, IOptions<Infrastructure.Mail.MailOptions> mail, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var own = form["secret"].ToString().Trim();
        var created = await connections.CreateAsync(page.User.CompanyId, form["system"], own.Length == 0 ? null : own, ct);
        if (created.Failed)
            return await RenderOverviewAsync(page, db, connections, urls, mail, null, null, new("connect", created.Error!), 400, ct);
        return await RenderOverviewAsync(page, db, connections, urls, mail, created.Value, Texts.Get("Integrations.Connected", Lang.FromQuery(page.Http.Request)), null, 201, ct);
    }

    private static async Task<IResult> RevokeAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        AtsConnections connections, PublicUrls urls, IOptions<Infrastructure.Mail.MailOptions> mail, CancellationToken ct)
    {
        if (await connections.RevokeAsync(page.User.CompanyId, id, ct) is null) return ConsolePages.NotFound();
        return await RenderOverviewAsync(page, db, connections, urls, mail, null, Texts.Get("Integrations.RevokedMessage", Lang.FromQuery(page.Http.Request)), null, 200, ct);
    }

    /// <summary>Lever shows its own signature token after the webhook is created there; the company pastes it here.</summary>
    private static async Task<IResult> SetSecretAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db,
        AtsConnections connections, PublicUrls urls, IOptions<Infrastructure.Mail.MailOptions> mail, CancellationToken ct)
    {
        var set = await connections.SetSecretAsync(page.User.CompanyId, id, (await page.Http.Request.ReadFormAsync(ct))["secret"], ct);
        if (set.Failed && set.Error!.Status == 404) return ConsolePages.NotFound();
        return await RenderOverviewAsync(page, db, connections, urls, mail, null, set.Failed ? null : Texts.Get("Integrations.SecretSaved", Lang.FromQuery(page.Http.Request)), set.Failed ? new($"secret:{id}", set.Error!) : null, set.Failed ? 400 : 200, ct);
    }

    private static async Task<IResult> SaveSettingsAsync([AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate,
        AtsConnections connections, PublicUrls urls, IOptions<Infrastructure.Mail.MailOptions> mail, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var link = form["linkId"].ToString();
        var saved = await EntrustedMails.SaveSettingsAsync(db, gate, page.User.CompanyId,
            new SettingsBody(form["tone"], link.Length == 0 ? null : link, form["sendTime"], form["senderName"],
                // A checkbox sends nothing when cleared: the hidden "false" before it says the form was there.
                form["toneFollowsStage"].Contains("true")), ct);
        return await RenderOverviewAsync(page, db, connections, urls, mail, null, saved.Failed ? null : Texts.Get("Integrations.Saved", Lang.FromQuery(page.Http.Request)), saved.Failed ? new("settings", saved.Error!) : null, saved.Failed ? 400 : 200, ct);
    }

    // ---- CSV import: upload → preview → import -----------------------------------------------------------------

    private static Task<IResult> ImportPageAsync([AsParameters] ConsolePage page) =>
        page.RenderAsync(PageParameters.For<ImportPage>());

    private static readonly string[] ImportSendTimes = ["default", EntrustedSendTimes.Now, EntrustedSendTimes.NextWeekday10];

    /// <summary>Reads the upload, previews it (nothing is written but the sealed upload itself) and offers the import button.</summary>
    private static async Task<IResult> PreviewAsync([AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate,
        RejectionImport import, RejectionIntake intake, KeyRing keys, TimeProvider clock, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var file = await ImportFiles.ReadAsync(page.Http.Request, ct);
        var encoding = form["encoding"].ToString() is "utf-8" or "shift_jis" ? form["encoding"].ToString() : null;
        var lang = form["lang"] == "en" ? "en" : "ja";
        var sendTime = ImportSendTimes.Contains(form["sendTime"].ToString()) ? form["sendTime"].ToString() : "default";
        if (file.Failed) return await ImportErrorAsync(page, file.Error!, ct);
        var preview = await ImportFiles.RunAsync(import, intake, db, page.User.CompanyId, file.Value!, encoding, lang, null, dryRun: true, Lang.FromQuery(page.Http.Request), clock, ct);
        if (preview.Failed) return await ImportErrorAsync(page, preview.Error!, ct);

        var upload = new ImportUpload
        {
            Id = Ids.New(), CompanyId = page.User.CompanyId, File = PersonalDataCipher.Seal(keys.SystemDataKey, file.Value!), Encoding = encoding, Lang = lang,
            SendTime = sendTime, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await gate.RunAsync(db, _ => { db.ImportUploads.Add(upload); return Task.FromResult(0); }, ct);
        return await page.RenderAsync(PageParameters.For<ImportPage>()
            .With(p => p.Result, preview.Value)
            .With(p => p.UploadId, upload.Id));
    }

    /// <summary>The import button: the kept upload, run for real, then deleted.</summary>
    private static async Task<IResult> ImportAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate,
        RejectionImport import, RejectionIntake intake, KeyRing keys, TimeProvider clock, CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        var now = clock.GetUtcNow().UtcDateTime;
        var upload = await db.ImportUploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.CompanyId == companyId, ct);
        if (upload is null || upload.CreatedAt < now.AddHours(-1))
            return await ImportErrorAsync(page, ApiError.Invalid("file", "Import.Expired"), ct);
        DateTime? sendAt = upload.SendTime switch
        {
            EntrustedSendTimes.Now => now,
            EntrustedSendTimes.NextWeekday10 => JapanCalendar.NextBusinessDayAt(now, new TimeOnly(10, 0)),
            _ => null,
        };
        var result = await ImportFiles.RunAsync(import, intake, db, companyId, PersonalDataCipher.Open(keys.SystemDataKey, upload.File),
            upload.Encoding, upload.Lang, sendAt, dryRun: false, Lang.FromQuery(page.Http.Request), clock, ct);
        await gate.RunAsync(db, t => db.ImportUploads.Where(u => u.Id == id).ExecuteDeleteAsync(t), ct);
        if (result.Failed) return await ImportErrorAsync(page, result.Error!, ct);
        return await page.RenderAsync(PageParameters.For<ImportPage>().With(p => p.Result, result.Value));
    }

    private static Task<IResult> ImportErrorAsync([AsParameters] ConsolePage page, ApiError error, CancellationToken ct) =>
        page.RenderAsync(PageParameters.For<ImportPage>().With(p => p.Errors, ConsolePages.Errors(page.Http, error)), error.Status);

    // ---- Webhooks -------------------------------------------------------------------------------------------------

    private static Task<IResult> WebhooksAsync([AsParameters] ConsolePage page, CareerRelayDb db, CancellationToken ct) =>
        RenderWebhooksAsync(page, db, null, null, null, FormErrors.None, 200, ct);

    private static async Task<IResult> RenderWebhooksAsync(ConsolePage page, CareerRelayDb db, string? selectedId, string? newSecret,
        string? message, FormErrors errors, int status, CancellationToken ct)
    {
        var companyId = page.User.CompanyId;
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.TenantType == "company" && e.TenantId == companyId).OrderBy(e => e.Id).ToListAsync(ct);
        var selected = selectedId is null ? null : endpoints.FirstOrDefault(e => e.Id == selectedId);
        if (selectedId is not null && selected is null) return ConsolePages.NotFound();
        var deliveries = selected is null ? [] : await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == selected.Id)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(100).ToListAsync(ct);
        return await page.RenderAsync(PageParameters.For<WebhooksPage>()
            .With(p => p.Endpoints, endpoints.Select(WebhookRoutes.ToItem).ToList())
            .With(p => p.Selected, selected is null ? null : WebhookRoutes.ToItem(selected))
            .With(p => p.Deliveries, deliveries.Select(WebhookRoutes.ToItem).ToList())
            .With(p => p.NewSecret, newSecret)
            .With(p => p.Message, message)
            .With(p => p.Errors, errors)
            .With(p => p.Typed, errors.Any ? await page.Http.Request.ReadFormAsync(ct) : null), status);
    }

    private static async Task<IResult> RegisterWebhookAsync([AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate,
        WebhookOutbox webhooks, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await gate.RunAsync(db, t => webhooks.RegisterAsync(db, "company", page.User.CompanyId, form["url"], form["events"].ToList(), CompanyEvents.All, t), ct);
        if (result.Failed)
        {
            db.ChangeTracker.Clear();
            return await RenderWebhooksAsync(page, db, null, null, null, ConsolePages.Errors(page.Http, result.Error), 400, ct);
        }
        return await RenderWebhooksAsync(page, db, result.Value!.Endpoint.Id, result.Value.Secret, Texts.Get("Webhooks.Registered", Lang.FromQuery(page.Http.Request)), FormErrors.None, 201, ct);
    }

    private static async Task<IResult> QueueAsync(string id, string? deliveryId, [AsParameters] ConsolePage page, CareerRelayDb db,
        DbWriteGate gate, WebhookOutbox webhooks, CancellationToken ct)
    {
        var queued = await WebhookRoutes.QueueAsync("company", page.User.CompanyId, id, deliveryId, db, gate, webhooks, ct);
        if (queued.Result is not Microsoft.AspNetCore.Http.HttpResults.Accepted<DeliveryItem>) return ConsolePages.NotFound();
        return await RenderWebhooksAsync(page, db, id, null, Texts.Get(deliveryId is null ? "Webhooks.TestQueued" : "Webhooks.Redelivered", Lang.FromQuery(page.Http.Request)), FormErrors.None, 200, ct);
    }

    private static async Task<IResult> EnableWebhookAsync(string id, [AsParameters] ConsolePage page, CareerRelayDb db, DbWriteGate gate,
        CancellationToken ct)
    {
        var enabled = await WebhookRoutes.EnableAsync("company", page.User.CompanyId, id, db, gate, ct);
        if (enabled.Result is not Microsoft.AspNetCore.Http.HttpResults.Ok<WebhookItem>) return ConsolePages.NotFound();
        return await RenderWebhooksAsync(page, db, id, null, Texts.Get("Webhooks.EnabledAgain", Lang.FromQuery(page.Http.Request)), FormErrors.None, 200, ct);
    }
}
