using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>Consents again, under the current notice, to the agencies the person still consents to.</summary>
public sealed class RenewConsents(CareerRelayDb db, DbWriteGate gate, LookupHasher hasher, TimeProvider clock)
{
    public async Task<int> HandleAsync(string candidateId, string? ip, CancellationToken ct)
    {
        var notice = await NoticeBook.CurrentAsync(db, ct);
        var active = await db.Consents.AsNoTracking().Where(c => c.CandidateId == candidateId && c.WithdrawnAt == null).ToListAsync(ct);
        var stale = active.GroupBy(c => c.AgencyId).Where(g => g.Max(c => c.NoticeVersion) < notice.Version).Select(g => g.OrderByDescending(c => c.GivenAt).First()).ToList();
        if (stale.Count == 0) return 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var ipHash = hasher.Ip(ip);
        await gate.RunAsync(db, _ =>
        {
            db.Consents.AddRange(stale.Select(c => new Consent
            {
                Id = Ids.New(), CandidateId = candidateId, RegistrationId = c.RegistrationId, AgencyId = c.AgencyId,
                NoticeVersion = notice.Version, GivenAt = now, IpHash = ipHash,
            }));
            return Task.FromResult(0);
        }, ct);
        return stale.Count;
    }
}
