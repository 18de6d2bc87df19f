using CareerRelay.Web.Data;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Credits;

/// <summary>
/// Writes the company's slot ledger inside the caller's write transaction. Counters move by atomic
/// SQL (<c>UPDATE … RETURNING</c>, conditional decrements) rather than read-modify-write in C#, so
/// concurrent verifications and redemptions stay exact; each entry's business key is unique, so a
/// retried or raced event cannot be booked twice.
/// </summary>
public sealed class SlotLedger(IOptions<SlotRules> rules, Infrastructure.Webhooks.WebhookOutbox webhooks, Infrastructure.Telemetry.RelayMetrics metrics, TimeProvider clock)
{
    private int ReferralsPerSlot => rules.Value.ReferralsPerSlot;

    public static CompanyAccount NewAccount(string companyId) => new() { CompanyId = companyId };

    /// <summary>Counts one qualified referral; books a slot when the count reaches a multiple of N.</summary>
    public async Task<int> RecordQualifiedAsync(CareerRelayDb db, string companyId, string referralId, CancellationToken ct)
    {
        var count = (await db.Database.SqlQuery<int>(
            $"UPDATE company_accounts SET qualified_count = qualified_count + 1 WHERE company_id = {companyId} RETURNING qualified_count AS \"Value\"")
            .ToListAsync(ct)).Single();
        await webhooks.EnqueueAsync(db, "company", companyId, Infrastructure.Webhooks.CompanyEvents.ReferralQualified, new { referralId, qualifiedReferrals = count }, ct);
        if (SlotArithmetic.EarnsSlot(count, ReferralsPerSlot))
        {
            await CreditAsync(db, companyId, LedgerEntryType.SlotEarned, $"slot-earned:{referralId}", referralId, ct);
            await AddEarnedAsync(db, companyId, +1, ct);
            await webhooks.EnqueueAsync(db, "company", companyId, Infrastructure.Webhooks.CompanyEvents.SlotEarned, new { reason = "referrals", referralId }, ct);
        }
        return count;
    }

    /// <summary>Takes one qualified referral back; reverses a slot (or records one owed) when the count drops below a multiple of N.</summary>
    public async Task RecordReversedAsync(CareerRelayDb db, string companyId, string referralId, CancellationToken ct)
    {
        var before = (await db.Database.SqlQuery<int>(
            $"UPDATE company_accounts SET qualified_count = qualified_count - 1 WHERE company_id = {companyId} RETURNING qualified_count + 1 AS \"Value\"")
            .ToListAsync(ct)).Single();
        await webhooks.EnqueueAsync(db, "company", companyId, Infrastructure.Webhooks.CompanyEvents.ReferralReversed, new { referralId, qualifiedReferrals = before - 1 }, ct);
        if (!SlotArithmetic.LosesSlot(before, ReferralsPerSlot)) return;
        await AddEarnedAsync(db, companyId, -1, ct); // reversed or owed, the slot no longer counts as earned

        if (await TryDebitAsync(db, companyId, ct))
            Append(db, companyId, LedgerEntryType.SlotReversed, -1, $"slot-reversed:{referralId}", referralId);
        else
        {
            // Nothing left to take back: the company owes a slot, settled by the next one it earns.
            await db.Database.ExecuteSqlAsync(
                $"UPDATE company_accounts SET slots_owed = slots_owed + 1 WHERE company_id = {companyId}", ct);
            Append(db, companyId, LedgerEntryType.SlotOwed, 0, $"slot-owed:{referralId}", referralId);
        }
    }

    /// <summary>Spends one slot on a redemption; false when the balance is zero (no balance below zero, whatever the concurrency).</summary>
    public async Task<bool> TryRedeemAsync(CareerRelayDb db, string companyId, string redemptionId, CancellationToken ct)
    {
        if (!await TryDebitAsync(db, companyId, ct)) return false;
        Append(db, companyId, LedgerEntryType.SlotRedeemed, -1, $"slot-redeemed:{redemptionId}", redemptionId);
        await webhooks.EnqueueAsync(db, "company", companyId, Infrastructure.Webhooks.CompanyEvents.SlotRedeemed, new { redemptionId }, ct);
        return true;
    }

    /// <summary>The referring company's reward for a placement of its referred candidate elsewhere (Relay:PlacementRewardSlots; n = 1, 2 …).</summary>
    public async Task RewardPlacementAsync(CareerRelayDb db, string companyId, string placementId, int n, CancellationToken ct)
    {
        await CreditAsync(db, companyId, LedgerEntryType.PlacementReward, $"placement-reward:{placementId}:{n}", placementId, ct);
        await AddEarnedAsync(db, companyId, +1, ct);
        await webhooks.EnqueueAsync(db, "company", companyId, Infrastructure.Webhooks.CompanyEvents.SlotEarned, new { reason = "placement", placementId }, ct);
    }

    /// <summary>Returns the slot of a cancelled redemption by a compensating entry.</summary>
    public Task ReturnRedemptionAsync(CareerRelayDb db, string companyId, string redemptionId, CancellationToken ct) =>
        CreditAsync(db, companyId, LedgerEntryType.SlotReturned, $"slot-returned:{redemptionId}", redemptionId, ct);

    /// <summary>
    /// The slot of a free hire who left within the guarantee comes back (the <paramref name="n"/>-th time for this placement:
    /// a correction may take it back and a later follow-up give it again; each is its own business event).
    /// </summary>
    public async Task ReturnEarlyLeaveAsync(CareerRelayDb db, string companyId, string placementId, int n, CancellationToken ct)
    {
        await CreditAsync(db, companyId, LedgerEntryType.ReturnedEarlyLeave, $"early-leave:{placementId}:{n}", placementId, ct);
        await webhooks.EnqueueAsync(db, "company", companyId, Infrastructure.Webhooks.CompanyEvents.SlotReturned, new { reason = "early_leave", placementId }, ct);
    }

    /// <summary>Takes the <paramref name="n"/>-th early-leave return back (the person is still employed after all), or records a slot owed.</summary>
    public async Task ReverseEarlyLeaveAsync(CareerRelayDb db, string companyId, string placementId, int n, CancellationToken ct)
    {
        if (await TryDebitAsync(db, companyId, ct))
            Append(db, companyId, LedgerEntryType.EarlyLeaveReversed, -1, $"early-leave-reversed:{placementId}:{n}", placementId);
        else
        {
            await db.Database.ExecuteSqlAsync($"UPDATE company_accounts SET slots_owed = slots_owed + 1 WHERE company_id = {companyId}", ct);
            Append(db, companyId, LedgerEntryType.EarlyLeaveOwed, 0, $"early-leave-owed:{placementId}:{n}", placementId);
        }
        await webhooks.EnqueueAsync(db, "company", companyId, Infrastructure.Webhooks.CompanyEvents.SlotReturnReversed, new { placementId }, ct);
    }

    /// <summary>Books +1; if the company owes a slot, the credit settles that debt instead of raising the balance.</summary>
    private async Task CreditAsync(CareerRelayDb db, string companyId, string type, string businessKey, string reference, CancellationToken ct)
    {
        Append(db, companyId, type, +1, businessKey, reference);
        var settled = await db.Database.ExecuteSqlAsync(
            $"UPDATE company_accounts SET slots_owed = slots_owed - 1 WHERE company_id = {companyId} AND slots_owed > 0", ct);
        if (settled == 1)
            Append(db, companyId, LedgerEntryType.OwedSettled, -1, $"owed-settled:{businessKey}", reference);
        else
            await db.Database.ExecuteSqlAsync(
                $"UPDATE company_accounts SET balance = balance + 1 WHERE company_id = {companyId}", ct);
    }

    /// <summary>The summary's rollup of slots earned, in the same transaction as the entry (checked by verify-ledger).</summary>
    private static Task AddEarnedAsync(CareerRelayDb db, string companyId, int delta, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE company_accounts SET slots_earned = slots_earned + {delta} WHERE company_id = {companyId}", ct);

    private static async Task<bool> TryDebitAsync(CareerRelayDb db, string companyId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE company_accounts SET balance = balance - 1 WHERE company_id = {companyId} AND balance > 0", ct) == 1;

    private void Append(CareerRelayDb db, string companyId, string type, int amount, string businessKey, string reference)
    {
        if (MovementOf(type) is { } movement) db.OnCommitted(() => metrics.Slot(movement));
        db.LedgerEntries.Add(new LedgerEntry
        {
            Id = Ids.New(),
            CompanyId = companyId,
            Type = type,
            Amount = amount,
            BusinessKey = businessKey,
            Reference = reference,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
    }

    /// <summary>The metric's name for a ledger entry (careerrelay.slots{movement}); settling a debt moves no slot of its own.</summary>
    private static string? MovementOf(string type) => type switch
    {
        LedgerEntryType.SlotEarned or LedgerEntryType.PlacementReward => "earned",
        LedgerEntryType.SlotRedeemed => "spent",
        LedgerEntryType.SlotReturned or LedgerEntryType.ReturnedEarlyLeave => "returned",
        LedgerEntryType.SlotReversed or LedgerEntryType.EarlyLeaveReversed => "reversed",
        LedgerEntryType.SlotOwed or LedgerEntryType.EarlyLeaveOwed => "owed",
        _ => null,
    };
}
