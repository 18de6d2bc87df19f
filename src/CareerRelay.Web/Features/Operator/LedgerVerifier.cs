using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Redemptions;
using CareerRelay.Web.Features.Registrations;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Operator;

public sealed record LedgerMismatch(string CompanyId, string Field, long Expected, long Actual);

public sealed record LedgerVerification(bool Ok, int Accounts, IReadOnlyList<LedgerMismatch> Mismatches);

/// <summary>
/// Recomputes every company's figures from first principles — qualified referrals from registrations,
/// balance and debt from ledger entries, spent slots from redemptions, slots given back from the follow-ups of free hires — and compares them with the running account rows.
/// The operator's audit, reading every feature's rows: used by <c>verify-ledger</c> and <c>GET /api/v1/admin/ledger/verify</c>.
/// </summary>
public sealed class LedgerVerifier(IOptions<SlotRules> rules, IOptions<Retention.RetentionRules> retention)
{
    public async Task<LedgerVerification> VerifyAsync(CareerRelayDb db, CancellationToken ct)
    {
        var n = rules.Value.ReferralsPerSlot;
        var accounts = await db.CompanyAccounts.AsNoTracking().ToListAsync(ct);
        var qualified = await db.Registrations.Where(r => r.Status == RegistrationStatus.Qualified)
            .GroupBy(r => r.CompanyId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var entries = await db.LedgerEntries.GroupBy(e => new { e.CompanyId, e.Type })
            .Select(g => new { g.Key.CompanyId, g.Key.Type, Count = g.Count(), Sum = g.Sum(e => e.Amount) })
            .ToListAsync(ct);
        var registrations = await db.Registrations.GroupBy(r => r.CompanyId).Select(g => new
        {
            g.Key, Total = g.Count(), Verified = g.Count(r => r.Status != RegistrationStatus.PendingVerification), Held = g.Count(r => r.Status == RegistrationStatus.Held),
        }).ToDictionaryAsync(x => x.Key, ct);
        var pendingRegistrations = await db.RegistrationCountDeltas.GroupBy(d => d.CompanyId).Select(g => new { g.Key, Count = g.Sum(d => d.Count) })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var invitations = await db.Invitations.GroupBy(i => i.CompanyId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var companies = await db.Companies.Select(c => c.Id).ToListAsync(ct);
        var spent = await db.Redemptions.Where(r => r.Status != RedemptionStatus.Cancelled)
            .GroupBy(r => r.CompanyId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        var earlyLeaves = (await Retention.FreeHireLeaves.ReturningSlotsAsync(db, retention.Value, ct))
            .GroupBy(x => x.CompanyId).ToDictionary(g => g.Key, g => g.Count());

        var mismatches = new List<LedgerMismatch>();
        foreach (var companyId in companies)
        {
            var account = accounts.FirstOrDefault(a => a.CompanyId == companyId);
            if (account is null) { mismatches.Add(new(companyId, "account", 1, 0)); continue; }
            int Count(string type) => entries.Where(e => e.CompanyId == companyId && e.Type == type).Sum(e => e.Count);

            var expectedQualified = qualified.GetValueOrDefault(companyId);
            var expectedBalance = entries.Where(e => e.CompanyId == companyId).Sum(e => e.Sum);
            var expectedOwed = Count(LedgerEntryType.SlotOwed) + Count(LedgerEntryType.EarlyLeaveOwed) - Count(LedgerEntryType.OwedSettled);
            var netEarned = Count(LedgerEntryType.SlotEarned) - Count(LedgerEntryType.SlotReversed) - Count(LedgerEntryType.SlotOwed);
            var redeemedOpen = Count(LedgerEntryType.SlotRedeemed) - Count(LedgerEntryType.SlotReturned);

            Check("qualifiedCount", expectedQualified, account.QualifiedCount);
            Check("balance", expectedBalance, account.Balance);
            Check("slotsOwed", expectedOwed, account.SlotsOwed);
            // Slots earned from referrals, net of reversals, must equal floor(qualified / N).
            Check("slotsEarned", SlotArithmetic.SlotsFor(expectedQualified, n), netEarned);
            if (expectedBalance < 0) mismatches.Add(new(companyId, "negativeBalance", 0, expectedBalance));
            // Every open or fulfilled redemption holds exactly one debited, unreturned slot.
            Check("slotsRedeemed", spent.GetValueOrDefault(companyId), redeemedOpen);
            // The summary's registration rollup.
            var counted = registrations.GetValueOrDefault(companyId);
            Check("registrationCount", counted?.Total ?? 0, account.RegistrationCount + pendingRegistrations.GetValueOrDefault(companyId));
            Check("verifiedCount", counted?.Verified ?? 0, account.VerifiedCount);
            Check("heldCount", counted?.Held ?? 0, account.HeldCount);
            Check("invitationCount", invitations.GetValueOrDefault(companyId), account.InvitationCount);
            // Every free hire who left within the guarantee (the newest follow-up says so) holds exactly one returned, unreversed slot.
            Check("slotsReturnedEarlyLeave", earlyLeaves.GetValueOrDefault(companyId),
                Count(LedgerEntryType.ReturnedEarlyLeave) - Count(LedgerEntryType.EarlyLeaveReversed) - Count(LedgerEntryType.EarlyLeaveOwed));
            Check("slotsEarnedRollup", netEarned + Count(LedgerEntryType.PlacementReward), account.SlotsEarned);

            void Check(string field, long expected, long actual)
            {
                if (expected != actual) mismatches.Add(new(companyId, field, expected, actual));
            }
        }
        return new LedgerVerification(mismatches.Count == 0, companies.Count, mismatches);
    }
}
