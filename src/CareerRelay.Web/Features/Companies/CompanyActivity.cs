using System.Globalization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;

namespace CareerRelay.Web.Features.Companies;

/// <summary>What happened in one period (Japan-time days, end exclusive). Aggregates only — never a candidate.</summary>
public sealed record ActivityPeriod(DateOnly From, DateOnly To,
    int Invitations, long Clicks, int Registrations, int Verified, int Qualified, int Reversed,
    int SlotsEarned, int SlotsReversed, int SlotsRedeemed, int SlotsReturned, int Placements)
{
    /// <summary>Slots gained in the period, net of reversals and debts.</summary>
    public int NetSlotsEarned => SlotsEarned - SlotsReversed;
}

/// <summary>
/// The funnel and the ledger per period, for the dashboard's weekly trend and the monthly report. Every
/// event counts in the period of its own time: a registration in its creation's week, a qualification
/// in the week it qualified. Reports use Japan time (SPEC §6).
/// </summary>
public static class CompanyActivity
{
    public static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    public static DateOnly TodayInJapan(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime + JapanOffset);

    /// <summary>The last <paramref name="weeks"/> Monday-to-Sunday weeks, this one included.</summary>
    public static IReadOnlyList<DateOnly> WeekBoundaries(DateOnly today, int weeks)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return [.. Enumerable.Range(0, weeks + 1).Select(i => monday.AddDays(7 * (i - weeks + 1)))];
    }

    public static bool TryParseMonth(string? text, out DateOnly firstDay)
    {
        var ok = DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out firstDay);
        return ok && firstDay.Year is >= 2000 and <= 2100;
    }

    public static async Task<IReadOnlyList<ActivityPeriod>> ForPeriodsAsync(CareerRelayDb db, string companyId,
        IReadOnlyList<DateOnly> boundaries, CancellationToken ct)
    {
        var first = boundaries[0];
        var last = boundaries[^1];
        var from = Utc(first);
        var to = Utc(last);

        // One narrow read per series (timestamps only), bucketed here; the rollup of clicks is already per day.
        var invitations = await db.Invitations.AsNoTracking().Where(i => i.CompanyId == companyId && i.CreatedAt >= from && i.CreatedAt < to)
            .Select(i => i.CreatedAt).ToListAsync(ct);
        var registered = await db.Registrations.AsNoTracking().Where(r => r.CompanyId == companyId && r.CreatedAt >= from && r.CreatedAt < to)
            .Select(r => r.CreatedAt).ToListAsync(ct);
        var verified = await db.Registrations.AsNoTracking().Where(r => r.CompanyId == companyId && r.VerifiedAt >= from && r.VerifiedAt < to)
            .Select(r => r.VerifiedAt!.Value).ToListAsync(ct);
        var qualified = await db.Registrations.AsNoTracking().Where(r => r.CompanyId == companyId && r.QualifiedAt >= from && r.QualifiedAt < to)
            .Select(r => r.QualifiedAt!.Value).ToListAsync(ct);
        var reversed = await db.Registrations.AsNoTracking().Where(r => r.CompanyId == companyId && r.ReversedAt >= from && r.ReversedAt < to)
            .Select(r => r.ReversedAt!.Value).ToListAsync(ct);
        var clicks = await db.LinkClickDays.AsNoTracking().Where(d => d.CompanyId == companyId && d.Day >= first && d.Day < last)
            .Select(d => new { d.Day, d.Clicks }).ToListAsync(ct);
        var placements = await db.Placements.AsNoTracking().Where(p => p.ReferringCompanyId == companyId && p.CreatedAt >= from && p.CreatedAt < to)
            .Select(p => p.CreatedAt).ToListAsync(ct);
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.CompanyId == companyId && e.CreatedAt >= from && e.CreatedAt < to)
            .Select(e => new { e.Type, e.CreatedAt }).ToListAsync(ct);

        var periods = new List<ActivityPeriod>(boundaries.Count - 1);
        for (var i = 0; i < boundaries.Count - 1; i++)
        {
            var (start, end) = (boundaries[i], boundaries[i + 1]);
            var (s, e) = (Utc(start), Utc(end));
            int In(List<DateTime> times) => times.Count(t => t >= s && t < e);
            int Entries(params string[] types) => entries.Count(x => types.Contains(x.Type) && x.CreatedAt >= s && x.CreatedAt < e);
            periods.Add(new ActivityPeriod(start, end,
                Invitations: In(invitations),
                Clicks: clicks.Where(c => c.Day >= start && c.Day < end).Sum(c => c.Clicks),
                Registrations: In(registered),
                Verified: In(verified),
                Qualified: In(qualified),
                Reversed: In(reversed),
                SlotsEarned: Entries(LedgerEntryType.SlotEarned, LedgerEntryType.PlacementReward),
                SlotsReversed: Entries(LedgerEntryType.SlotReversed, LedgerEntryType.SlotOwed),
                SlotsRedeemed: Entries(LedgerEntryType.SlotRedeemed),
                SlotsReturned: Entries(LedgerEntryType.SlotReturned),
                // Placements anywhere of candidates this company referred, in the period they were recorded.
                Placements: In(placements)));
        }
        return periods;
    }

    private static DateTime Utc(DateOnly japanDay) => japanDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - JapanOffset;
}
