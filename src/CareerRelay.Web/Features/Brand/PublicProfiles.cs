using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Alumni;
using Microsoft.Extensions.Caching.Memory;

namespace CareerRelay.Web.Features.Brand;

/// <summary>
/// What the public company pages show (/c/{slug}, its badge, /companies), read once and kept in memory: a view makes no database
/// call. A profile saved through this node shows at once; figures, and profiles saved on another node, at most <see cref="Ttl"/>
/// later. Every figure about people is null below <see cref="Floor"/> (the page says 「—」).
/// </summary>
public sealed class PublicProfiles(IServiceScopeFactory scopes, IMemoryCache cache, PublicUrls urls, TimeProvider clock)
{
    public const int Floor = 5;
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);
    private long _generation;

    private long Generation => Interlocked.Read(ref _generation);

    /// <summary>Call after a profile changed: the next view reads it again.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    /// <summary>The public page of <paramref name="slug"/>; null when there is none or it is not public (also cached).</summary>
    public async Task<PublicProfileView?> GetAsync(string slug, CancellationToken ct)
    {
        if (!SetCompanyProfile.IsSlug(slug)) return null;
        return await CachedAsync(("profile", slug, Generation), async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            var found = await (from p in db.CompanyProfiles.AsNoTracking()
                               join c in db.Companies on p.CompanyId equals c.Id
                               where p.Slug == slug && p.Public
                               select new { p, c.Name }).FirstOrDefaultAsync(ct);
            return found is null ? null : await ViewAsync(scope.ServiceProvider, db, found.p, found.Name, ct);
        });
    }

    /// <summary>The view of a profile as it stands (the console's preview reads it directly, uncached).</summary>
    internal async Task<PublicProfileView> ViewAsync(IServiceProvider services, CareerRelayDb db, CompanyProfile p, string companyName, CancellationToken ct)
    {
        var verified = await db.CompanyAccounts.Where(a => a.CompanyId == p.CompanyId).Select(a => a.VerifiedCount).FirstOrDefaultAsync(ct);
        var loop = await Companies.LoopFigures.ForCompanyAsync(db, p.CompanyId, ct);
        var satisfaction = await services.GetRequiredService<Surveys.SatisfactionSurveys>().ForCompanyAsync(p.CompanyId, ct);
        var agencies = await Links.RelayEntries.QueryOfferedAsync(db, p.CompanyId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        var alumni = await db.AlumniLinks.AsNoTracking().Where(l => l.CompanyId == p.CompanyId && !l.Paused)
            .OrderByDescending(l => l.CreatedAt).Select(l => l.Token).FirstOrDefaultAsync(ct);
        return new PublicProfileView(p.Slug, companyName, p.Message, AtLeastFloor(verified), AtLeastFloor(loop.PlacedElsewhere),
            satisfaction.Average, [.. agencies.Select(a => a.Name)], alumni is null ? null : urls.To($"/a/{alumni}"),
            await db.ReferralProgrammes.AnyAsync(r => r.CompanyId == p.CompanyId, ct), p.ShowInDirectory);
    }

    /// <summary>The companies listed in the directory, by name (cached as one list; pages are cut from it).</summary>
    public async Task<IReadOnlyList<DirectoryEntry>> DirectoryAsync(CancellationToken ct) =>
        await CachedAsync(("directory", Generation), async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
            var rows = await (from p in db.CompanyProfiles.AsNoTracking()
                              join c in db.Companies on p.CompanyId equals c.Id
                              where p.Public && p.ShowInDirectory
                              select new
                              {
                                  p.Slug, c.Name,
                                  Verified = db.CompanyAccounts.Where(a => a.CompanyId == c.Id).Select(a => (int?)a.VerifiedCount).FirstOrDefault() ?? 0,
                              }).ToListAsync(ct);
            return (IReadOnlyList<DirectoryEntry>)[.. rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => new DirectoryEntry(r.Slug, r.Name, AtLeastFloor(r.Verified)))];
        });

    /// <summary>
    /// A value read at most <see cref="Ttl"/> ago by the app's clock (the injected TimeProvider, which tests move), else read now.
    /// Two views racing on an expired entry may both read it: harmless, and cheaper than a lock on every view.
    /// </summary>
    private async Task<T> CachedAsync<T>(object key, Func<Task<T>> load)
    {
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out (DateTimeOffset At, T Value) hit) && now - hit.At < Ttl) return hit.Value;
        var value = await load();
        cache.Set(key, (now, value), TimeSpan.FromTicks(Ttl.Ticks * 2)); // the memory goes with the system clock; freshness with ours
        return value;
    }

    private static int? AtLeastFloor(int n) => n >= Floor ? n : null;
}
