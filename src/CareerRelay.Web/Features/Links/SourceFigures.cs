using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Web.Features.Links;

/// <summary>One link's figures from one source: clicks in the period, and the registrations made in it with how far they got.</summary>
public sealed record SourceRow(string LinkId, string LinkLabel, string Source, long Clicks, int Registrations, int Verified, int Qualified);

/// <summary>
/// Where people came from, per link and source (<c>?src=</c>): the dashboard's per-link table, the monthly report and
/// <c>GET /summary?by=source</c> read this one query. Clicks come from the daily per-source rollup; registrations are those
/// made in the period, each with its verified and qualified state now (a cohort: a person who registers in November and
/// qualifies in December counts in November's row).
/// </summary>
public static class SourceFigures
{
    /// <summary><paramref name="from"/>/<paramref name="to"/>: Japan-time days, <paramref name="to"/> exclusive; null for all time.</summary>
    public static async Task<IReadOnlyList<SourceRow>> ForCompanyAsync(CareerRelayDb db, string companyId, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var clicks = db.LinkSourceDays.AsNoTracking().Where(d => d.CompanyId == companyId);
        var registrations = db.Registrations.AsNoTracking().Where(r => r.CompanyId == companyId);
        if (from is { } f)
        {
            clicks = clicks.Where(d => d.Day >= f);
            var since = f.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - Companies.CompanyActivity.JapanOffset;
            registrations = registrations.Where(r => r.CreatedAt >= since);
        }
        if (to is { } t)
        {
            clicks = clicks.Where(d => d.Day < t);
            var until = t.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - Companies.CompanyActivity.JapanOffset;
            registrations = registrations.Where(r => r.CreatedAt < until);
        }
        var clickRows = await clicks.GroupBy(d => new { d.LinkId, d.Source })
            .Select(g => new { g.Key.LinkId, g.Key.Source, Clicks = g.Sum(d => d.Clicks) }).ToListAsync(ct);
        var registrationRows = await registrations.GroupBy(r => new { r.LinkId, r.Source })
            .Select(g => new
            {
                g.Key.LinkId, g.Key.Source, Count = g.Count(), Verified = g.Count(r => r.VerifiedAt != null),
                Qualified = g.Count(r => r.Status == RegistrationStatus.Qualified),
            }).ToListAsync(ct);
        var labels = await db.RelayLinks.AsNoTracking().Where(l => l.CompanyId == companyId).Select(l => new { l.Id, l.Label }).ToDictionaryAsync(l => l.Id, l => l.Label, ct);
        return clickRows.Select(c => (c.LinkId, c.Source)).Union(registrationRows.Select(r => (r.LinkId, r.Source)))
            .Select(key =>
            {
                var c = clickRows.FirstOrDefault(x => x.LinkId == key.LinkId && x.Source == key.Source);
                var r = registrationRows.FirstOrDefault(x => x.LinkId == key.LinkId && x.Source == key.Source);
                return new SourceRow(key.LinkId, labels.GetValueOrDefault(key.LinkId, ""), key.Source, c?.Clicks ?? 0, r?.Count ?? 0, r?.Verified ?? 0, r?.Qualified ?? 0);
            })
            .OrderBy(r => r.LinkLabel, StringComparer.Ordinal).ThenBy(r => r.LinkId).ThenBy(r => r.Source == LinkSources.Other).ThenBy(r => r.Source, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The same, summed over links: one row per source.</summary>
    public static IReadOnlyList<SourceTotal> BySource(IEnumerable<SourceRow> rows) =>
        rows.GroupBy(r => r.Source)
            .Select(g => new SourceTotal(g.Key, g.Sum(r => r.Clicks), g.Sum(r => r.Registrations), g.Sum(r => r.Verified), g.Sum(r => r.Qualified)))
            .OrderBy(t => t.Source == LinkSources.Other).ThenBy(t => t.Source, StringComparer.Ordinal).ToList();
}

public sealed record SourceTotal(string Source, long Clicks, int Registrations, int Verified, int QualifiedReferrals);

/// <summary>The answer of <c>GET /summary?by=source</c>.</summary>
public sealed record SourceSummary(string By, IReadOnlyList<SourceTotal> Items);
