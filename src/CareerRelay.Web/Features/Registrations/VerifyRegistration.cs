using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Registrations;

public sealed record VerificationResult(string Status);

/// <summary>
/// Double opt-in, by POST only (mail scanners open GET links). The first verification applies the
/// submitted profile, activates the consents with a provision record per agency, and decides
/// qualification; its effects are committed before the answer. Verifying again changes nothing.
/// </summary>
public sealed class VerifyRegistration(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, QualifyRegistration qualify, RegistrationCounters counters,
    Infrastructure.Mail.MailOutbox outbox, Infrastructure.Webhooks.WebhookOutbox webhooks, PublicUrls urls,
    Microsoft.Extensions.Options.IOptions<RelayOptions> relay, TimeProvider clock)
{
    public const string Verified = "verified";

    public async Task<Result<VerificationResult>> HandleAsync(string? code, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(code)) return RegistrationErrors.CodeNotFound;
        var hash = SecretTokens.Hash(code!);
        var found = await db.Registrations.AsNoTracking().Where(r => r.CodeHash == hash)
            .Select(r => new { r.Id, r.Status, r.CodeExpiresAt }).FirstOrDefaultAsync(ct);
        if (found is null) return RegistrationErrors.CodeNotFound;
        if (found.Status != RegistrationStatus.PendingVerification) return new VerificationResult(Verified);
        var now = clock.GetUtcNow().UtcDateTime;
        if (now > found.CodeExpiresAt)
            return RegistrationErrors.CodeExpired;

        return await gate.RunAsync<Result<VerificationResult>>(db, async token =>
        {
            var registration = await db.Registrations.SingleAsync(r => r.Id == found.Id, token);
            if (registration.Status != RegistrationStatus.PendingVerification) return new VerificationResult(Verified); // verified meanwhile
            var change = registration.Verify(now);
            // Saved at once, as the claim: of two racing confirmations exactly one proceeds (the other fails on the status's
            // concurrency token, and DbWriteGate's retry finds the registration verified).
            await db.SaveChangesAsync(token);

            var candidate = await db.Candidates.SingleAsync(c => c.Id == registration.CandidateId, token);
            var key = await db.CandidateKeys.AsNoTracking().SingleAsync(k => k.CandidateId == candidate.Id, token);
            var dataKey = vault.Unwrap(key);
            var submitted = vault.Open(dataKey, registration.SubmittedProfile);
            var current = vault.Open(dataKey, candidate.Profile);

            // The person proved control of the address: their latest verified details become the profile, keeping
            // what only their own page collects (work history, summary, search status).
            var profile = submitted with
            {
                WorkHistory = current.WorkHistory, CareerSummary = current.CareerSummary, JobSearchStatus = current.JobSearchStatus,
                ExcludedCompanies = current.ExcludedCompanies, YearsOfExperience = current.YearsOfExperience,
                DesiredSalary = current.DesiredSalary, WillingToRelocate = current.WillingToRelocate,
                // Their school and the courses they completed and confirmed are theirs from /me, not from a relay form.
                School = submitted.School ?? current.School, CompletedCourses = current.CompletedCourses, PendingSchool = null,
            };
            // A partner school named on the relay form: tied now that they proved the address (with outcomes shared if they ticked it).
            // A form only ever adds: consents already given to that school stay; taking them back is the person's, on /me.
            if (submitted.PendingSchool is { SchoolId: { } schoolId } school)
            {
                var before = await db.SchoolLinks.AsNoTracking().FirstOrDefaultAsync(l => l.CandidateId == candidate.Id && l.SchoolId == schoolId, token);
                var shares = school.ShareOutcomes || before?.ShareOutcomes == true;
                await Education.MyEducation.LinkAsync(db, candidate.Id, schoolId, school with
                {
                    GraduationYear = school.GraduationYear ?? before?.GraduationYear, ShareOutcomes = shares, ShareName = shares && before?.ShareName == true,
                }, now, token);
            }
            candidate.Profile = vault.Seal(dataKey, profile);
            candidate.PhoneHash = registration.PhoneHash ?? candidate.PhoneHash;
            candidate.UpdatedAt = now;

            var agencyIds = await db.Consents.Where(c => c.RegistrationId == registration.Id && c.WithdrawnAt == null)
                .Select(c => c.AgencyId).ToListAsync(token);
            await AgencyNotices.HandOverAsync(db, outbox, webhooks, urls, agencyIds, candidate.Id, ProvidedItems(profile), now, token);
            // The satisfaction survey, due Relay:SurveyAfterDays from now (mailed only if the person opts in to such mail).
            db.Surveys.Add(Surveys.SatisfactionSurveys.Schedule(registration, now, relay.Value.SurveyAfterDays));

            change += await qualify.DecideAsync(db, registration, profile, token);
            await counters.ApplyAsync(db, registration, change, token);
            return new VerificationResult(Verified);
        }, ct);
    }

    /// <summary>Which items the agency receives (APPI art. 29 record); names of fields, never their values.</summary>
    public static string ProvidedItems(CandidateProfile p)
    {
        var items = new List<string> { ProvisionItems.Name, ProvisionItems.Email };
        if (p.NameKana is not null) items.Add(ProvisionItems.NameKana);
        if (p.Phone is not null) items.Add(ProvisionItems.Phone);
        if (p.Prefecture is not null) items.Add(ProvisionItems.Prefecture);
        if (p.DesiredOccupation is not null) items.Add(ProvisionItems.DesiredOccupation);
        if (p.Skills.Count > 0) items.Add(ProvisionItems.Skills);
        if (p.School is not null) items.Add(ProvisionItems.School);
        if (p.CompletedCourses is { Count: > 0 }) items.Add(ProvisionItems.CompletedCourses);
        return ProvisionItems.Join(items);
    }
}
