using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Caching.Memory;

namespace CareerRelay.Web.Features.Links;

/// <summary>Where a candidate came in: a campaign link, or a single-use invitation under one.</summary>
public sealed record RelayEntry(string Token, string LinkId, string CompanyId, string CompanyName, bool Paused,
    string? InvitationId, bool InvitationUsed, List<string> Sources, string? ExperimentId = null, string? Variant = null)
{
    /// <summary>The <c>?src=</c> of a visit as the link counts it: one of the link's sources, else <c>other</c>.</summary>
    public string SourceOf(string? src) => LinkSources.Resolve(Sources, src);
}

/// <summary>
/// What the landing page and registration need to know about a token, the offered agencies and the
/// current notice, cached for a few seconds so the landing page rarely touches the database. Changes
/// made through this node invalidate at once; other nodes see them within <see cref="Ttl"/>.
/// </summary>
public sealed class RelayEntries(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider clock)
{
    public const string InvitationPrefix = "inv_";
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Call after anything the landing page shows has changed (link paused, agencies, notice).</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    public ValueTask<RelayEntry?> ResolveAsync(string token, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(token)) return ValueTask.FromResult<RelayEntry?>(null);
        if (token.StartsWith(InvitationPrefix, StringComparison.Ordinal))
            return new ValueTask<RelayEntry?>(ResolveInvitationAsync(token, ct)); // single-use state: never cached
        // A cached link answers without a task, a closure or a delegate: every registration and landing asks (issue 23's
        // allocation profile); only a miss goes the async way.
        var key = ("link", token, Generation);
        return cache.TryGetValue(key, out RelayEntry? hit) ? ValueTask.FromResult(hit) : new ValueTask<RelayEntry?>(LoadLinkAsync(key, token, ct));
    }

    private async Task<RelayEntry?> LoadLinkAsync((string, string, long) key, string token, CancellationToken ct)
    {
        return await cache.GetOrCreateAsync(key, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Ttl;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            return await (from l in db.RelayLinks.AsNoTracking()
                          join c in db.Companies on l.CompanyId equals c.Id
                          where l.Token == token
                          select new RelayEntry(l.Token, l.Id, l.CompanyId, c.Name, l.Paused, null, false, l.Sources, null, null))
                .FirstOrDefaultAsync(ct);
        });
    }

    private async Task<RelayEntry?> ResolveInvitationAsync(string token, CancellationToken ct)
    {
        var hash = SecretTokens.Hash(token);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        return await (from i in db.Invitations.AsNoTracking()
                      join l in db.RelayLinks on i.LinkId equals l.Id
                      join c in db.Companies on l.CompanyId equals c.Id
                      where i.TokenHash == hash
                      select new RelayEntry(token, l.Id, l.CompanyId, c.Name, l.Paused, i.Id, i.UsedAt != null, l.Sources, i.ExperimentId, i.Variant))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The agencies a company's links offer: its chosen partners, or every active agency when none are chosen.</summary>
    public ValueTask<IReadOnlyList<Agency>> OfferedAgenciesAsync(string companyId, CancellationToken ct) =>
        cache.TryGetValue(("offered", companyId, Generation), out IReadOnlyList<Agency>? hit) && hit is not null
            ? ValueTask.FromResult(hit) : new ValueTask<IReadOnlyList<Agency>>(LoadOfferedAsync(companyId, ct));

    private async Task<IReadOnlyList<Agency>> LoadOfferedAsync(string companyId, CancellationToken ct) =>
        (await cache.GetOrCreateAsync(("offered", companyId, Generation), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Ttl;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            return await QueryOfferedAsync(db, companyId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        }))!;

    public static async Task<List<Agency>> QueryOfferedAsync(CareerRelayDb db, string companyId, DateOnly today, CancellationToken ct)
    {
        var partners = db.CompanyPartnerAgencies.Where(p => p.CompanyId == companyId).Select(p => p.AgencyId);
        var hasPartners = await partners.AnyAsync(ct);
        var agencies = await db.Agencies.AsNoTracking()
            .Where(a => a.SuspendedAt == null && (a.LicenseExpiresOn == null || a.LicenseExpiresOn >= today))
            .Where(a => !hasPartners || partners.Contains(a.Id))
            .OrderBy(a => a.Name).ThenBy(a => a.Id)
            .ToListAsync(ct);
        return agencies;
    }

    public ValueTask<ConsentNotice> CurrentNoticeAsync(CancellationToken ct) =>
        cache.TryGetValue(("notice", Generation), out ConsentNotice? hit) && hit is not null
            ? ValueTask.FromResult(hit) : new ValueTask<ConsentNotice>(LoadNoticeAsync(ct));

    private async Task<ConsentNotice> LoadNoticeAsync(CancellationToken ct) =>
        (await cache.GetOrCreateAsync(("notice", Generation), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Ttl;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            return await NoticeBook.CurrentAsync(db, ct);
        }))!;
}
