using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.Credits;

/// <summary>The entry types of a company's slot ledger and what each does to balance and debt.</summary>
[TextKeys("LedgerType.{0}")]
public static class LedgerEntryType
{
    /// <summary>+1: a qualified referral reached a multiple of ReferralsPerSlot.</summary>
    public const string SlotEarned = "slot.earned";
    /// <summary>−1: a reversal took back an available slot.</summary>
    public const string SlotReversed = "slot.reversed";
    /// <summary>0: a reversal found no slot to take back; the company owes one.</summary>
    public const string SlotOwed = "slot.owed";
    /// <summary>−1: a credit went to settling an owed slot instead of the balance.</summary>
    public const string OwedSettled = "slot.owed_settled";
    /// <summary>+1: a candidate this company referred was placed at another company (Relay:PlacementRewardSlots per placement).</summary>
    public const string PlacementReward = "slot.placement_reward";
    /// <summary>−1: a redemption was opened.</summary>
    public const string SlotRedeemed = "slot.redeemed";
    /// <summary>+1: an open redemption was cancelled.</summary>
    public const string SlotReturned = "slot.returned";
    /// <summary>+1: a free hire left within <c>Relay:SlotGuaranteeDays</c> of the start (not dismissed): the slot comes back.</summary>
    public const string ReturnedEarlyLeave = "slot.returned_early_leave";
    /// <summary>−1: a correction (still employed after all) took that slot back.</summary>
    public const string EarlyLeaveReversed = "slot.early_leave_reversed";
    /// <summary>0: the correction found no slot to take back; the company owes one.</summary>
    public const string EarlyLeaveOwed = "slot.early_leave_owed";
}

/// <summary>
/// One append-only ledger entry. <see cref="BusinessKey"/> is unique: each business event maps to at most
/// one entry, so retries and races cannot grant twice. Balances are sums of <see cref="Amount"/>.
/// </summary>
public sealed class LedgerEntry
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string Type { get; init; }
    public int Amount { get; init; }
    public required string BusinessKey { get; init; }
    /// <summary>The registration, redemption or placement id the entry is about.</summary>
    public required string Reference { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// The company's running figures, kept by atomic SQL updates next to the entries they summarise.
/// <c>verify-ledger</c> recomputes them from entries and registrations.
/// </summary>
public sealed class CompanyAccount
{
    public required string CompanyId { get; init; }
    public int QualifiedCount { get; set; }
    public int Balance { get; set; }
    public int SlotsOwed { get; set; }
    /// <summary>Registrations through the company's links and invitations, any status (the summary's rollup; issue 9, P4).</summary>
    public int RegistrationCount { get; set; }
    /// <summary>Of those, the ones whose address was confirmed.</summary>
    public int VerifiedCount { get; set; }
    /// <summary>Registrations held by the fraud checks right now.</summary>
    public int HeldCount { get; set; }
    /// <summary>Personal invitations minted (API, ATS events, imports, referral 不採用): the summary's invitationsSent.</summary>
    public int InvitationCount { get; set; }
    /// <summary>Slots earned (referrals and placement rewards) net of reversals and of slots owed: the summary's slotsEarned.</summary>
    public int SlotsEarned { get; set; }
}

// What the routes in LedgerEndpoints take and answer.

public sealed record EntryItem(string Id, string Type, int Amount, DateTime CreatedAt, string Reference);

public sealed record Ledger(int Balance, IReadOnlyList<EntryItem> Entries, string? NextCursor);
