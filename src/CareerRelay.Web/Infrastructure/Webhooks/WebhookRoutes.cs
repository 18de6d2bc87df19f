using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Lists;
using Microsoft.AspNetCore.Http.HttpResults;
using CareerRelay.Web.Infrastructure.OpenApi;
using static CareerRelay.Web.Infrastructure.OpenApi.OperationDocs;

namespace CareerRelay.Web.Infrastructure.Webhooks;

/// <summary>The webhook routes every tenant API has (<c>/webhooks</c>, <c>/webhooks/{id}/deliveries</c>), for the tenant of the key.</summary>
public static class WebhookRoutes
{

    public static RouteGroupBuilder MapWebhookRoutes(this RouteGroupBuilder group, string tenantType, string[] events)
    {
        var ev = events[0]; // the examples subscribe to the side's first event
        group.MapPost("/webhooks", (WebhookRequest body, CareerRelayDb db, DbWriteGate gate, WebhookOutbox webhooks, CurrentTenant tenant, CancellationToken ct) =>
            RegisterAsync(body, tenantType, events, db, gate, webhooks, tenant, ct))
            .WithSummary("Register a webhook endpoint (Standard Webhooks); answers the signing secret once. Link-local and cloud metadata addresses are refused; loopback and private ones unless Webhooks:AllowPrivateNetworks.")
            .WithExamples(request: $$"""{"url":"https://hooks.example.co.jp/careerrelay","events":["{{ev}}"]}""",
                response: $$"""{"id":"{{Id}}","url":"https://hooks.example.co.jp/careerrelay","events":["{{ev}}"],"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}""");
        group.MapGet("/webhooks", (CareerRelayDb db, CurrentTenant tenant, CancellationToken ct) => ListAsync(tenantType, db, tenant, ct))
            .WithSummary("The registered webhook endpoints (disabledAt is set after sustained failure).")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id}}","url":"https://hooks.example.co.jp/careerrelay","events":["{{ev}}"],"createdAt":"2026-11-20T03:00:00Z","disabledAt":null}],"nextCursor":null}""");
        group.MapGet("/webhooks/{id}/deliveries", (string id, CareerRelayDb db, CurrentTenant tenant, CancellationToken ct) => DeliveriesAsync(id, tenantType, db, tenant, ct))
            .WithSummary("The delivery log of one endpoint: the latest 100 deliveries with attempts and response codes.")
            .WithExamples(response: $$"""{"items":[{"id":"{{Id2}}","eventId":"msg_{{Id}}","type":"webhook.test","status":"succeeded","attempts":1,"lastStatusCode":200,"lastError":null,"createdAt":"2026-11-20T03:00:00Z","deliveredAt":"2026-11-20T03:00:01Z"}],"nextCursor":null}""");
        group.MapPost("/webhooks/{id}/test", (string id, CareerRelayDb db, DbWriteGate gate, WebhookOutbox webhooks, CurrentTenant tenant, CancellationToken ct) =>
            QueueAsync(tenantType, tenant.Id, id, null, db, gate, webhooks, ct))
            .WithSummary("Send a webhook.test event to the endpoint now, whatever it subscribed to.")
            .WithExamples(response: $$"""{"id":"{{Id2}}","eventId":"msg_{{Id}}","type":"webhook.test","status":"pending","attempts":0,"lastStatusCode":null,"lastError":null,"createdAt":"2026-11-20T03:00:00Z","deliveredAt":null}""");
        group.MapPost("/webhooks/{id}/deliveries/{deliveryId}/redeliver", (string id, string deliveryId, CareerRelayDb db, DbWriteGate gate, WebhookOutbox webhooks,
            CurrentTenant tenant, CancellationToken ct) => QueueAsync(tenantType, tenant.Id, id, deliveryId, db, gate, webhooks, ct))
            .WithSummary("Send a logged event again, as a new delivery with the same webhook-id (receivers can drop the duplicate).")
            .WithExamples(response: $$"""{"id":"{{Id}}","eventId":"msg_{{Id2}}","type":"{{ev}}","status":"pending","attempts":0,"lastStatusCode":null,"lastError":null,"createdAt":"2026-11-21T03:00:00Z","deliveredAt":null}""");
        group.MapPost("/webhooks/{id}/enable", (string id, CareerRelayDb db, DbWriteGate gate, CurrentTenant tenant, CancellationToken ct) =>
            EnableAsync(tenantType, tenant.Id, id, db, gate, ct))
            .WithSummary("Resume an endpoint that was disabled after sustained failure.")
            .WithExamples(response: $$"""{"id":"{{Id}}","url":"https://hooks.example.co.jp/careerrelay","events":["{{ev}}"],"createdAt":"2026-11-20T03:00:00Z","disabledAt":null}""");
        return group;
    }

    /// <summary>202 with the new delivery: a test event (no <paramref name="deliveryId"/>) or a redelivery of a logged one. 404 for another tenant's.</summary>
    public static async Task<Results<Accepted<DeliveryItem>, ProblemHttpResult>> QueueAsync(string tenantType, string tenantId, string id, string? deliveryId,
        CareerRelayDb db, DbWriteGate gate, WebhookOutbox webhooks, CancellationToken ct)
    {
        var queued = await gate.RunAsync(db, async t =>
        {
            var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.TenantType == tenantType && e.TenantId == tenantId, t);
            if (endpoint is null) return null;
            if (deliveryId is null) return webhooks.QueueTest(db, endpoint);
            var original = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id, t);
            return original is null ? null : webhooks.QueueRedelivery(db, original);
        }, ct);
        if (queued is null) return ApiError.NotFound(deliveryId is null ? "webhook" : "delivery").ToResult();
        return TypedResults.Accepted((string?)null, ToItem(queued));
    }

    /// <summary>Turns a disabled endpoint back on (after its receiver was fixed); later events reach it again.</summary>
    public static async Task<Results<Ok<WebhookItem>, ProblemHttpResult>> EnableAsync(string tenantType, string tenantId, string id, CareerRelayDb db, DbWriteGate gate, CancellationToken ct)
    {
        var endpoint = await gate.RunAsync(db, async t =>
        {
            var e = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id && e.TenantType == tenantType && e.TenantId == tenantId, t);
            if (e is not null) e.DisabledAt = null;
            return e;
        }, ct);
        return endpoint is null ? ApiError.NotFound("webhook").ToResult() : TypedResults.Ok(ToItem(endpoint));
    }

    public static WebhookItem ToItem(WebhookEndpoint e) => new(e.Id, e.Url, e.Events.Split(','), e.CreatedAt, e.DisabledAt);

    public static DeliveryItem ToItem(WebhookDelivery d) =>
        new(d.Id, d.EventId, d.Type, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.DeliveredAt);

    /// <summary>201 with the signing secret, shown this once. Loopback, private, link-local and metadata addresses are refused (400).</summary>
    private static async Task<Results<Created<WebhookCreated>, ProblemHttpResult>> RegisterAsync(WebhookRequest body, string tenantType, string[] events,
        CareerRelayDb db, DbWriteGate gate, WebhookOutbox webhooks, CurrentTenant tenant, CancellationToken ct)
    {
        var result = await gate.RunAsync(db, token => webhooks.RegisterAsync(db, tenantType, tenant.Id, body.Url, body.Events, events, token), ct);
        if (result.Failed)
        {
            db.ChangeTracker.Clear();
            return result.Error!.ToResult();
        }
        var e = result.Value!.Endpoint;
        return TypedResults.Created($"/webhooks/{e.Id}", new WebhookCreated(e.Id, e.Url, e.Events.Split(','), result.Value.Secret));
    }

    private static async Task<Ok<Page<WebhookItem>>> ListAsync(string tenantType, CareerRelayDb db, CurrentTenant tenant, CancellationToken ct)
    {
        var tenantId = tenant.Id;
        var rows = await db.WebhookEndpoints.AsNoTracking().Where(e => e.TenantType == tenantType && e.TenantId == tenantId).OrderBy(e => e.Id).ToListAsync(ct);
        return TypedResults.Ok(new Page<WebhookItem>([.. rows.Select(ToItem)], null));
    }

    /// <summary>The delivery log of one endpoint: the latest 100 events with their response codes.</summary>
    private static async Task<Results<Ok<Page<DeliveryItem>>, ProblemHttpResult>> DeliveriesAsync(string id, string tenantType, CareerRelayDb db, CurrentTenant tenant, CancellationToken ct)
    {
        var tenantId = tenant.Id;
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id && e.TenantType == tenantType && e.TenantId == tenantId, ct)) return ApiError.NotFound("webhook").ToResult();
        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id).OrderByDescending(d => d.CreatedAt).Take(100)
            .Select(d => new DeliveryItem(d.Id, d.EventId, d.Type, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.DeliveredAt)).ToListAsync(ct);
        return TypedResults.Ok(new Page<DeliveryItem>(rows, null));
    }
}

/// <summary>The events companies may subscribe to (SPEC §6 "Webhooks"): ids and counts only, never candidate personal data.</summary>
public static class CompanyEvents
{
    public const string ReferralQualified = "referral.qualified";
    public const string ReferralReversed = "referral.reversed";
    public const string SlotEarned = "slot.earned";
    public const string SlotRedeemed = "slot.redeemed";
    public const string RedemptionFulfilled = "redemption.fulfilled";
    public const string PlacementRecorded = "placement.recorded";
    /// <summary>A free hire left within the guarantee: its slot is back (and, on a correction, taken again: <c>slot.return_reversed</c>).</summary>
    public const string SlotReturned = "slot.returned";
    public const string SlotReturnReversed = "slot.return_reversed";
    [TextKeys("Event.{0}")]
    public static readonly string[] All = [ReferralQualified, ReferralReversed, SlotEarned, SlotRedeemed, RedemptionFulfilled, PlacementRecorded,
        SlotReturned, SlotReturnReversed];
}
