using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Registrations;

/// <summary>
/// Decides what a verified registration is (SPEC §4 "at verification"), inside the caller's write
/// transaction: a duplicate of a person already counted, a fraud hold, or a qualified referral that
/// counts toward the company's slots. First bind wins: the person-binding upsert decides atomically.
/// </summary>
public sealed class QualifyRegistration(IOptions<RelayOptions> relay, TimeProvider clock)
{
    private RelayOptions Rules => relay.Value;

    /// <summary>Runs the checks of a fresh verification: duplicates, then fraud, then qualification; returns what the step changed.</summary>
    public async Task<CounterChange> DecideAsync(CareerRelayDb db, Registration registration, CandidateProfile profile, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await IsBoundElsewhereAsync(db, registration, now, ct)) return registration.MarkDuplicate();
        var hold = await FindHoldReasonAsync(db, registration, profile, now, ct);
        if (hold is not null) return registration.Hold(hold);
        // With Relay:QualifyOn = AgencyContact it stays verified and counts once an agency records first contact.
        if (Rules.QualifyOn == QualifyOn.AgencyContact) return default;
        return await QualifyAsync(db, registration, ct);
    }

    /// <summary>Counts the referral unless the person bound first through another one.</summary>
    public async Task<CounterChange> QualifyAsync(CareerRelayDb db, Registration registration, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await TryBindAsync(db, registration, now, ct) ? registration.Qualify(now) : registration.MarkDuplicate();
    }

    /// <summary>The operator releases a hold: it counts, unless the person bound through another referral meanwhile.</summary>
    public async Task<CounterChange> ReleaseAsync(CareerRelayDb db, Registration registration, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return registration.Release(await TryBindAsync(db, registration, now, ct), now);
    }

    private DateTime WindowStart(DateTime now) => now.AddDays(-Rules.DedupeWindowDays);

    private async Task<bool> IsBoundElsewhereAsync(CareerRelayDb db, Registration r, DateTime now, CancellationToken ct)
    {
        var since = WindowStart(now);
        return await db.PersonBindings.AnyAsync(b =>
            (b.KeyHash == r.EmailHash || (r.PhoneHash != null && b.KeyHash == r.PhoneHash))
            && b.RegistrationId != r.Id && b.BoundAt >= since, ct);
    }

    /// <summary>
    /// Claims the person's email (and phone) for this referral: inserted if new, taken over only when the
    /// earlier binding is older than the dedupe window. Zero rows affected means someone bound first.
    /// </summary>
    private async Task<bool> TryBindAsync(CareerRelayDb db, Registration r, DateTime now, CancellationToken ct)
    {
        var since = WindowStart(now);
        var keys = r.PhoneHash is null ? new[] { r.EmailHash } : [r.EmailHash, r.PhoneHash];
        var bound = new List<string>();
        foreach (var key in keys)
        {
            var rows = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO person_bindings (key_hash, registration_id, bound_at) VALUES ({key}, {r.Id}, {now})
                ON CONFLICT (key_hash) DO UPDATE SET registration_id = excluded.registration_id, bound_at = excluded.bound_at
                WHERE person_bindings.bound_at < {since}
                """, ct);
            if (rows == 0)
            {
                foreach (var mine in bound)
                    await db.Database.ExecuteSqlAsync($"DELETE FROM person_bindings WHERE key_hash = {mine} AND registration_id = {r.Id}", ct);
                return false;
            }
            bound.Add(key);
        }
        return true;
    }

    private async Task<string?> FindHoldReasonAsync(CareerRelayDb db, Registration r, CandidateProfile profile, DateTime now, CancellationToken ct)
    {
        if (await db.RelayLinks.AnyAsync(l => l.Id == r.LinkId && l.BannedAt != null, ct)) return HoldReasons.LinkBanned;
        var fraud = Rules.Fraud;
        var domain = PersonIdentity.DomainOf(PersonIdentity.NormaliseEmail(profile.Email));
        if (fraud.DisposableEmail > 0 && FraudSignals.IsDisposable(domain)) return HoldReasons.DisposableEmail;
        if (fraud.CompanyDomain > 0)
        {
            var companyDomain = await db.Companies.Where(c => c.Id == r.CompanyId).Select(c => c.EmailDomain).FirstAsync(ct);
            if (FraudSignals.IsCompanyDomain(domain, companyDomain)) return HoldReasons.CompanyDomain;
        }
        if (fraud.RegistrationsPerIpPerHour > 0)
        {
            var from = r.CreatedAt.AddHours(-1);
            var fromIp = await db.Registrations.CountAsync(x => x.IpHash == r.IpHash && x.CreatedAt > from && x.CreatedAt <= r.CreatedAt, ct);
            if (fromIp > fraud.RegistrationsPerIpPerHour) return HoldReasons.IpBurst;
        }
        if (fraud.LinkBurstPerHour > 0)
        {
            var from = now.AddHours(-1);
            var onLink = await db.Registrations.CountAsync(x => x.LinkId == r.LinkId && x.QualifiedAt != null && x.QualifiedAt > from, ct);
            if (onLink >= fraud.LinkBurstPerHour) return HoldReasons.LinkBurst;
        }
        if (fraud.CompaniesPerPerson > 0)
        {
            var since = WindowStart(now);
            var companies = await db.Registrations.Where(x => x.EmailHash == r.EmailHash && x.CreatedAt >= since)
                .Select(x => x.CompanyId).Distinct().CountAsync(ct);
            if (companies >= fraud.CompaniesPerPerson) return HoldReasons.MultipleCompanies;
        }
        return null;
    }
}
