using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Agencies;
using CareerRelay.Web.Features.Companies;

namespace CareerRelay.Web.Features.Retention;

/// <summary>
/// 6-month 定着率 of a group of placements: of those whose six months have passed and whose outcome is known (a leave
/// inside them, or a follow-up at or after them), the share still employed. Placements nobody asked about after six
/// months are <see cref="Unknown"/> and left out of the rate. <see cref="Stayed"/> and <see cref="Rate"/> are null below the
/// group's floor (a rate of two people says what happened to each).
/// </summary>
public sealed record RetentionRate(int Known, int? Stayed, int Unknown, double? Rate);

/// <summary>採用リードタイム: days from the person's first registration to the placement being recorded, median; null below the floor.</summary>
public sealed record LeadTime(int People, double? MedianDays);

/// <summary>Both figures of one group of placements.</summary>
public sealed record RetentionFigures(RetentionRate Retention, LeadTime LeadTime);

/// <summary>
/// What a company reads: its own hires through the relay, the people it relayed who were hired elsewhere (≥ 5 only), and its
/// hires through referrals (its own employees: a leave is what it recorded, no record means still employed; time to hire
/// runs from the confirmed application).
/// </summary>
public sealed record CompanyRetention(RetentionFigures Hires, RetentionFigures RelayedElsewhere, RetentionFigures ReferralHires);

/// <summary>
/// The retention KPIs, from placements and their newest known follow-ups. A company's own hires are its own people: shown
/// from one. Figures about other companies' hires (the people a company relayed, placed elsewhere) are shown only from
/// <see cref="Floor"/> people, as every figure about other companies is.
/// </summary>
public sealed class RetentionKpis(CareerRelayDb db, TimeProvider clock)
{
    public const int Floor = Surveys.Satisfaction.MinimumGroup;

    /// <param name="asOf">The last day (Japan time) the figures may know of — a monthly report's month end; today when null or later.</param>
    public async Task<CompanyRetention> ForCompanyAsync(string companyId, CancellationToken ct, DateOnly? asOf = null) => new(
        await ForAsync(db.Placements.Where(p => p.CompanyId == companyId), floor: 1, asOf, ct),
        await ForAsync(db.Placements.Where(p => p.ReferringCompanyId == companyId && (p.CompanyId == null || p.CompanyId != companyId)), Floor, asOf, ct),
        await ReferralHiresAsync(companyId, asOf, ct));

    private async Task<RetentionFigures> ReferralHiresAsync(string companyId, DateOnly? asOf, CancellationToken ct)
    {
        var today = CompanyActivity.TodayInJapan(clock);
        if (asOf is { } end && end < today) today = end;
        var hires = await db.ReferralApplications.AsNoTracking()
            .Where(a => a.CompanyId == companyId && a.Stage == Referrals.ReferralStages.Hired && a.HiredOn != null && a.HiredOn <= today)
            .Select(a => new { HiredOn = a.HiredOn!.Value, a.LeftOn, a.VerifiedAt }).ToListAsync(ct);
        var passed = hires.Where(h => h.HiredOn.AddMonths(6) <= today).ToList();
        // A leave the company recorded after the report's day was not known then.
        var stayed = passed.Count(h => h.LeftOn is not { } left || left >= h.HiredOn.AddMonths(6) || left > today);
        var days = hires.Where(h => h.VerifiedAt is not null)
            .Select(h => (h.HiredOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - CompanyActivity.JapanOffset - h.VerifiedAt!.Value).TotalDays)
            .Select(d => Math.Max(0, d)).Order().ToList();
        return new RetentionFigures(
            passed.Count > 0 ? new RetentionRate(passed.Count, stayed, 0, Math.Round(100.0 * stayed / passed.Count, 1)) : new RetentionRate(0, null, 0, null),
            new LeadTime(days.Count, days.Count > 0 ? Math.Round(Median(days), 1) : null));
    }

    public Task<RetentionFigures> ForAgencyAsync(string agencyId, CancellationToken ct) =>
        ForAsync(db.Placements.Where(p => p.AgencyId == agencyId), floor: 1, null, ct);

    /// <summary>Every placement on the network (the operator's /admin).</summary>
    public Task<RetentionFigures> ForNetworkAsync(CancellationToken ct) => ForAsync(db.Placements, floor: 1, null, ct);

    private async Task<RetentionFigures> ForAsync(IQueryable<Placement> placements, int floor, DateOnly? asOf, CancellationToken ct)
    {
        var today = CompanyActivity.TodayInJapan(clock);
        if (asOf is { } end && end < today) today = end;
        // What was known by the end of that day: placements and follow-ups recorded until then.
        var until = today.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - CompanyActivity.JapanOffset;
        var rows = await placements.AsNoTracking().Where(p => p.CreatedAt < until).Select(p => new
        {
            p.Id, p.StartDate, p.CreatedAt,
            Registered = db.Registrations.Where(r => r.CandidateId == p.CandidateId).Min(r => (DateTime?)r.CreatedAt),
        }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var followUps = (await db.PlacementFollowUps.AsNoTracking().Where(f => ids.Contains(f.PlacementId) && f.CreatedAt < until).ToListAsync(ct))
            .ToLookup(f => f.PlacementId);

        int known = 0, stayed = 0, unknown = 0;
        foreach (var p in rows)
        {
            var o = SixMonthOutcome.Of(p.StartDate, followUps[p.Id], today);
            if (!o.Passed) continue; // too early to say
            if (o.LeftInside) known++;
            else if (o.KnownAfter) { known++; stayed++; }
            else unknown++;
        }
        var days = rows.Where(r => r.Registered is not null && r.CreatedAt >= r.Registered)
            .Select(r => (r.CreatedAt - r.Registered!.Value).TotalDays).Order().ToList();
        return new RetentionFigures(
            known >= floor && known > 0 ? new RetentionRate(known, stayed, unknown, Math.Round(100.0 * stayed / known, 1)) : new RetentionRate(known, null, unknown, null),
            new LeadTime(days.Count, days.Count >= floor && days.Count > 0 ? Math.Round(Median(days), 1) : null));
    }

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
