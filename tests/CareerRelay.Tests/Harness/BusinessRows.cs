using Microsoft.EntityFrameworkCore;

namespace CareerRelay.Tests.Harness;

/// <summary>What the fuzz tests compare before and after: no hostile request may leave a row behind that a success would not.</summary>
internal static class BusinessRows
{
    /// <summary>Row counts of the tables a request could half-write (not logs, keys' last-use, idempotency or click rollups).</summary>
    public static Task<Dictionary<string, int>> CountAsync(CareerRelayApp app) => app.WithDbAsync(async db => new Dictionary<string, int>
    {
        ["companies"] = await db.Companies.CountAsync(), ["agencies"] = await db.Agencies.CountAsync(), ["api_keys"] = await db.ApiKeys.CountAsync(),
        ["relay_links"] = await db.RelayLinks.CountAsync(), ["invitations"] = await db.Invitations.CountAsync(), ["jobs"] = await db.Jobs.CountAsync(),
        ["registrations"] = await db.Registrations.CountAsync(), ["candidates"] = await db.Candidates.CountAsync(), ["consents"] = await db.Consents.CountAsync(),
        ["ledger_entries"] = await db.LedgerEntries.CountAsync(), ["redemptions"] = await db.Redemptions.CountAsync(), ["placements"] = await db.Placements.CountAsync(),
        ["webhook_endpoints"] = await db.WebhookEndpoints.CountAsync(), ["webhook_deliveries"] = await db.WebhookDeliveries.CountAsync(),
        ["ats_events"] = await db.AtsEvents.CountAsync(), ["ats_connections"] = await db.AtsConnections.CountAsync(), ["entrusted_mails"] = await db.EntrustedMails.CountAsync(),
        ["consortia"] = await db.Consortia.CountAsync(), ["referral_applications"] = await db.ReferralApplications.CountAsync(),
        ["consent_notices"] = await db.ConsentNotices.CountAsync(), ["pipeline_events"] = await db.PipelineEvents.CountAsync(),
        ["introductions"] = await db.Introductions.CountAsync(), ["outbox_mails"] = await db.OutboxMails.CountAsync(),
        ["tenant_users"] = await db.TenantUsers.CountAsync(),
    });
}
