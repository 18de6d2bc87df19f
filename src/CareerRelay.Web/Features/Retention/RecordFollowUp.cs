using System.Globalization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Agencies;
using CareerRelay.Web.Features.Companies;
using CareerRelay.Web.Features.Credits;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Retention;

/// <summary>
/// An agency records what a follow-up found (employed, left, unknown). The same as the newest record answers that one
/// (200); anything else is a new record, which may be a correction. In the same transaction the free-hire guarantee is
/// settled: a free hire who left within <c>Relay:SlotGuaranteeDays</c> for any reason but dismissal gives the hiring
/// company its slot back, once however many follow-ups say so; a correction to "employed" (or to a leave that does not
/// qualify) takes it back with a compensating entry.
/// </summary>
public sealed class RecordFollowUp(CareerRelayDb db, DbWriteGate gate, SlotLedger ledger, IOptions<RetentionRules> rules, TimeProvider clock)
{
    public async Task<Result<(FollowUpItem Item, bool Created)>> HandleAsync(string agencyId, string actorId, string placementId, FollowUpRequest body,
        CancellationToken ct)
    {
        var placement = await db.Placements.AsNoTracking().FirstOrDefaultAsync(p => p.Id == placementId && p.AgencyId == agencyId, ct);
        if (placement is null) return ApiError.NotFound("placement");
        var today = CompanyActivity.TodayInJapan(clock);

        var v = new Validation();
        var status = v.Required("status", body.Status, 20);
        if (status.Length > 0 && !FollowUpStatus.All.Contains(status)) v.Add("status", "Error.OneOf", string.Join(", ", FollowUpStatus.All));
        DateOnly? leftOn = null;
        string? reason = null;
        if (status == FollowUpStatus.Left)
        {
            var leftText = v.Required("leftOn", body.LeftOn, 10);
            if (leftText.Length > 0)
            {
                if (!DateOnly.TryParseExact(leftText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) v.Add("leftOn", "Error.Date");
                else if (day < placement.StartDate) v.Add("leftOn", "Error.LeftBeforeStart", placement.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                else if (day > today) v.Add("leftOn", "Error.DateInFuture");
                else leftOn = day;
            }
            reason = v.Optional("reason", body.Reason, 20) ?? LeaveReason.Unknown;
            if (!LeaveReason.All.Contains(reason)) v.Add("reason", "Error.OneOf", string.Join(", ", LeaveReason.All));
        }
        else
        {
            // A leave's date and reason belong to a leave: sent with anything else they are a mistake, not a detail to drop.
            if (!string.IsNullOrEmpty(body.LeftOn)) v.Add("leftOn", "Error.OnlyWithLeft");
            if (!string.IsNullOrEmpty(body.Reason)) v.Add("reason", "Error.OnlyWithLeft");
        }
        if (!v.IsValid) return v.ToError();

        var checkMonth = rules.Value.LatestDue(placement.StartDate, today);
        var company = await FreeHireLeaves.RedeemingCompanyAsync(db, placement, ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await gate.RunAsync(db, async t =>
                {
                    var latest = await db.PlacementFollowUps.AsNoTracking().Where(f => f.PlacementId == placement.Id)
                        .OrderByDescending(f => f.Sequence).FirstOrDefaultAsync(t);
                    if (latest is not null && latest.CheckMonth == checkMonth && latest.Status == status && latest.LeftOn == leftOn && latest.Reason == reason)
                        return (ToItem(latest), false);
                    var record = new PlacementFollowUp
                    {
                        Id = Ids.New(), PlacementId = placement.Id, AgencyId = agencyId, Sequence = (latest?.Sequence ?? 0) + 1, CheckMonth = checkMonth,
                        Status = status, LeftOn = leftOn, Reason = reason, ActorId = actorId, CreatedAt = clock.GetUtcNow().UtcDateTime,
                    };
                    db.PlacementFollowUps.Add(record);
                    if (company is not null) await SettleGuaranteeAsync(company, placement, record, t);
                    return (ToItem(record), true);
                }, ct);
            }
            catch (DbUpdateException ex) when (attempt < 5 && DbWriteGate.IsUniqueViolation(ex))
            {
                // Another follow-up of this placement (or its slot's return) was written first: look again with it in view.
            }
        }
    }

    /// <summary>Gives the slot back, or takes it back, so that exactly one is out while the newest follow-up qualifies.</summary>
    private async Task SettleGuaranteeAsync(string companyId, Placement placement, PlacementFollowUp record, CancellationToken ct)
    {
        var entries = await db.LedgerEntries.Where(e => e.CompanyId == companyId && e.Reference == placement.Id)
            .GroupBy(e => e.Type).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var returned = entries.GetValueOrDefault(LedgerEntryType.ReturnedEarlyLeave);
        var takenBack = entries.GetValueOrDefault(LedgerEntryType.EarlyLeaveReversed) + entries.GetValueOrDefault(LedgerEntryType.EarlyLeaveOwed);
        var isOut = returned > takenBack;
        var shouldBe = rules.Value.ReturnsSlot(placement.StartDate, record.Status, record.LeftOn, record.Reason);
        // "Unknown" says nothing new: a slot already given back stays back.
        if (record.Status == FollowUpStatus.Unknown) return;
        if (shouldBe && !isOut) await ledger.ReturnEarlyLeaveAsync(db, companyId, placement.Id, returned + 1, ct);
        else if (!shouldBe && isOut) await ledger.ReverseEarlyLeaveAsync(db, companyId, placement.Id, takenBack + 1, ct);
    }

    internal static FollowUpItem ToItem(PlacementFollowUp f) => new(f.Id, f.CheckMonth, f.Status, f.LeftOn, f.Reason, f.CreatedAt);
}
