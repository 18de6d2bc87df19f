using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Referrals;

/// <summary>
/// The referred person's side: the referral link's page, the application (double opt-in; the company sees nothing until the
/// person confirms), and the confirmation that shares it with that company only.
/// </summary>
public sealed class ApplyByReferral(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, PersonalDataCipher cipher, LookupHasher hasher,
    MailOutbox outbox, PublicUrls urls, TimeProvider clock)
{
    public static readonly TimeSpan CodeValidFor = TimeSpan.FromDays(7);

    /// <summary>The referral link: the referrer, the company and its open jobs; null when unknown or deactivated.</summary>
    public async Task<Entry?> ResolveAsync(string linkToken, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(linkToken)) return null;
        var referrer = await db.Referrers.AsNoTracking().FirstOrDefaultAsync(r => r.LinkToken == linkToken && r.DeactivatedAt == null && r.BannedAt == null, ct);
        if (referrer is null) return null;
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == referrer.CompanyId).Select(c => c.Name).FirstAsync(ct);
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.CompanyId == referrer.CompanyId && j.Status == "open").OrderBy(j => j.Title)
            .Select(j => new { j.Id, j.Title }).ToListAsync(ct);
        // A company names its sources once, on its relay links; its referral links count the same names.
        var sources = (await db.RelayLinks.AsNoTracking().Where(l => l.CompanyId == referrer.CompanyId).Select(l => l.Sources).ToListAsync(ct))
            .SelectMany(s => s).Distinct().ToList();
        return new Entry(referrer, company, [.. jobs.Select(j => (j.Id, j.Title))], sources);
    }

    /// <summary>
    /// Validates, finds or creates the person (one per address; an existing person's profile is never changed by this
    /// form), seals what they share with their own key and mails a confirmation link. The company sees nothing until
    /// the person confirms. Field errors are keyed by form field.
    /// </summary>
    public async Task<Result<string>> ApplyAsync(Entry entry, ApplyInput input, string? ip, string lang, CancellationToken ct)
    {
        var v = new Validation();
        var jobId = input.JobId?.Trim();
        if (string.IsNullOrEmpty(jobId) || entry.Jobs.All(j => j.Id != jobId)) v.Add("jobId", "Referral.Error.Job");
        var name = v.Required("name", input.Name, 100);
        var email = PersonIdentity.NormaliseEmail(v.Required("email", input.Email, 254));
        if (email.Length > 0 && !v.Has("email") && !PersonIdentity.IsPlausibleEmail(email)) v.Add("email", "Error.Email");
        var phone = v.Optional("phone", input.Phone, 30);
        var skills = (input.Skills ?? "").Split([',', '、', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().Take(30).ToList();
        if (skills.Any(s => s.Length > 50)) v.Add("skills", "Referral.Error.Skills");
        var summary = v.Optional("careerSummary", input.CareerSummary, 2000, multiline: true);
        var message = v.Optional("message", input.Message, 1000, multiline: true);
        if (!input.Agreed) v.Add("agree", "Referral.Error.Agree", entry.CompanyName);
        if (!v.IsValid) return v.ToError(lang);

        var share = new ReferralShare(name, email, phone, message, skills, summary);
        var emailHash = hasher.Person("email:" + email);
        var code = SecretTokens.New(24);
        var now = clock.GetUtcNow().UtcDateTime;
        var mail = new MailContent(email, Texts.Format("Mail.ReferralVerify.Subject", lang, entry.CompanyName),
            Texts.Format("Mail.ReferralVerify.Body", lang, name, entry.CompanyName, entry.Jobs.First(j => j.Id == jobId).Title,
                urls.To($"/ref/confirm/{code}{Lang.Query(lang)}"), CodeValidFor.Days), lang);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await gate.RunAsync(db, async t =>
                {
                    var (candidateId, dataKey, known) = await vault.FindOrAddByEmailAsync(db, emailHash,
                        () => new CandidateProfile(name, email, null, phone, null, null, skills, CareerSummary: summary),
                        phone is null ? null : hasher.Person("phone:" + PersonIdentity.NormalisePhone(phone)), now, t);
                    // Applied to this job already and still open: nothing new, and nothing that tells a stranger so.
                    if (known && await db.ReferralApplications.AnyAsync(a => a.CandidateId == candidateId && a.JobId == jobId
                            && a.Stage != ReferralStages.Rejected && a.Stage != ReferralStages.Withdrawn && a.VerifiedAt != null, t))
                        return "already";
                    var application = new ReferralApplication
                    {
                        Id = Ids.New(), CompanyId = entry.Referrer.CompanyId, JobId = jobId!, ReferrerId = entry.Referrer.Id, CandidateId = candidateId,
                        Source = entry.SourceOf(input.Source),
                        Stage = ReferralStages.PendingVerification, Shared = cipher.SealJson(dataKey, share), CodeHash = SecretTokens.Hash(code),
                        CodeExpiresAt = now + CodeValidFor, IpHash = hasher.Ip(ip), Lang = lang, CreatedAt = now,
                    };
                    db.ReferralApplications.Add(application);
                    db.OutboxMails.Add(outbox.Create(candidateId, dataKey, "referral-verification", MailOutbox.Seal(dataKey, mail), now));
                    return application.Id;
                }, ct);
            }
            catch (DbUpdateException ex) when (attempt == 0 && DbWriteGate.IsUniqueViolation(ex))
            {
                // The same new address applied twice at once: the other request created the person; go again as a returning one.
            }
        }
    }

    /// <summary>The person confirms (POST): the application reaches the company, with a provision record. Again: no change.</summary>
    public async Task<Result<string>> ConfirmAsync(string? code, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(code)) return ApiError.NotFound("application");
        var hash = SecretTokens.Hash(code!);
        var now = clock.GetUtcNow().UtcDateTime;
        return await gate.RunAsync(db, async t =>
        {
            var a = await db.ReferralApplications.FirstOrDefaultAsync(a => a.CodeHash == hash, t);
            if (a is null) return (Result<string>)ApiError.NotFound("application");
            var company = await db.Companies.AsNoTracking().Where(c => c.Id == a.CompanyId).Select(c => c.Name).FirstAsync(t);
            if (a.Stage != ReferralStages.PendingVerification) return company;
            if (a.CodeExpiresAt < now) return ReferralErrors.CodeExpired;
            a.Stage = ReferralStages.Screening;
            a.VerifiedAt = now;
            a.StageChangedAt = now;
            db.ProvisionRecords.Add(new ProvisionRecord
            {
                Id = Ids.New(), CandidateId = a.CandidateId, RecipientType = "company", RecipientId = a.CompanyId,
                Items = ProvisionItems.Join([ProvisionItems.Name, ProvisionItems.Email, ProvisionItems.Phone, ProvisionItems.Skills, ProvisionItems.CareerSummary, ProvisionItems.Message]), Basis = ProvisionBasis.Consent, CreatedAt = now,
            });
            return company;
        }, ct);
    }
}
