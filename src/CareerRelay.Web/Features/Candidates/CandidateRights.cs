using System.Text;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// The candidate's rights over their data (APPI arts. 32–35, GDPR arts. 15–21): see it, correct it, take it
/// away (export), withdraw consent per agency, erase themselves. Shared by the JSON routes and the /me page.
/// </summary>
public sealed class CandidateRights(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, PersonalDataCipher cipher, LookupHasher hasher,
    MailOutbox outbox, Infrastructure.Webhooks.WebhookOutbox webhooks, Matching.MatchIndexer matchIndex, Reapplications reapplications, PublicUrls urls,
    IOptions<DatabaseOptions> database,
    TimeProvider clock, ILogger<CandidateRights> logger)
{
    public const int MaxResumeBytes = 5 * 1024 * 1024;
    public const int MaxWorkHistory = 20;

    // ---- Seeing ----

    public sealed record AgencyRef(string Id, string Name);
    public sealed record ConsentView(AgencyRef Agency, int NoticeVersion, DateTime GivenAt, DateTime? WithdrawnAt);
    public sealed record ProvisionView(string Id, string RecipientType, AgencyRef Recipient, string Items, string Basis, DateTime CreatedAt);
    public sealed record ResumeInfo(string FileName, int Size, DateTime UploadedAt);
    public sealed record AccessView(string ActorType, AgencyRef Actor, string Action, DateTime CreatedAt);

    /// <summary>One line of the page's access record: who read the data, how, on which day (Japan time), how many times.
    /// An agency's matching view reads a person dozens of times a day; the page says so once, the download lists each read.</summary>
    public sealed record AccessDay(DateOnly Day, string ActorType, AgencyRef Actor, string Action, int Times, DateTime Last)
    {
        public static IReadOnlyList<AccessDay> Of(IEnumerable<AccessView> reads) =>
        [
            .. reads.GroupBy(a => (Day: DateOnly.FromDateTime(CareerRelay.Web.Infrastructure.Localization.JapanCalendar.ToJst(a.CreatedAt)), a.ActorType, a.Actor.Id, a.Action))
                .Select(g => new AccessDay(g.Key.Day, g.Key.ActorType, g.First().Actor, g.Key.Action, g.Count(), g.Max(a => a.CreatedAt)))
                .OrderByDescending(d => d.Day).ThenByDescending(d => d.Last),
        ];
    }

    /// <summary>How many of the latest reads the page groups; the download has them all.</summary>
    public const int AccessOnPage = 2000;

    /// <summary>What the /me page shows: the profile, the latest consent per agency, what was handed to whom, who read it.</summary>
    public sealed record MeView(string CandidateId, CandidateProfile Profile, bool RecommendationMails, DateTime CreatedAt,
        IReadOnlyList<ConsentView> Consents, IReadOnlyList<ProvisionView> Provisions, IReadOnlyList<AccessView> Access,
        ResumeInfo? Resume, ConsentNotice Notice, bool NeedsRenewal, IReadOnlyList<IntroductionRequestView> Introductions,
        IReadOnlyList<(string CompanyId, string Name, bool Done)> RejectedBy, IReadOnlyList<Tenants.Agency> Available)
    {
        /// <summary>True when there are older reads than <see cref="Access"/> holds (the page says the download has them).</summary>
        public bool AccessCut { get; init; }
    }

    public sealed record IntroductionRequestView(string Id, string AgencyName, string CompanyName, string JobTitle, string Status, DateTime CreatedAt);

    public async Task<MeView?> ViewAsync(string candidateId, CancellationToken ct) => await ViewAsync(candidateId, AccessOnPage, ct);

    private async Task<MeView?> ViewAsync(string candidateId, int accessLimit, CancellationToken ct)
    {
        var opened = await OpenAsync(candidateId, ct);
        if (opened is null) return null;
        var (candidate, dataKey, profile) = opened.Value;

        var consents = await db.Consents.AsNoTracking().Where(c => c.CandidateId == candidateId).OrderBy(c => c.GivenAt).ToListAsync(ct);
        var provisions = await db.ProvisionRecords.AsNoTracking().Where(p => p.CandidateId == candidateId).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        var access = await db.AuditEntries.AsNoTracking().Where(a => a.CandidateId == candidateId).OrderByDescending(a => a.CreatedAt).Take(accessLimit == int.MaxValue ? int.MaxValue : accessLimit + 1).ToListAsync(ct);
        var accessCut = access.Count > accessLimit;
        if (accessCut) access.RemoveAt(access.Count - 1);
        var agencyIds = consents.Select(c => c.AgencyId).Concat(provisions.Select(p => p.RecipientId)).Concat(access.Select(a => AgencyOf(a.ActorId))).Distinct().ToList();
        var names = await db.Agencies.AsNoTracking().Where(a => agencyIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        foreach (var company in await db.Companies.AsNoTracking().Where(c => agencyIds.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
            names[company.Id] = company.Name;
        AgencyRef Agency(string id) => new(id, names.GetValueOrDefault(id, id));

        // One line per agency: an active consent if there is one (withdrawing ends them all, so any left is the current choice —
        // a renewal or a new choice adds a row), else the latest withdrawn one.
        var latest = consents.GroupBy(c => c.AgencyId)
            .Select(g => g.OrderBy(c => c.WithdrawnAt is not null).ThenByDescending(c => c.NoticeVersion).ThenByDescending(c => c.GivenAt).First()).ToList();
        var notice = await NoticeBook.CurrentAsync(db, ct);
        var file = await db.CandidateFiles.AsNoTracking().FirstOrDefaultAsync(f => f.CandidateId == candidateId, ct);
        var introductions = await (from i in db.Introductions
                                   join j in db.Jobs on i.JobId equals j.Id
                                   join c in db.Companies on i.CompanyId equals c.Id
                                   join a in db.Agencies on i.AgencyId equals a.Id
                                   where i.CandidateId == candidateId
                                   orderby i.CreatedAt descending
                                   select new IntroductionRequestView(i.Id, a.Name, c.Name, j.Title, i.Status, i.CreatedAt)).ToListAsync(ct);
        return new MeView(candidateId, profile, candidate.RecommendationMails, candidate.CreatedAt,
            [.. latest.Select(c => new ConsentView(Agency(c.AgencyId), c.NoticeVersion, c.GivenAt, c.WithdrawnAt))],
            [.. provisions.Select(p => new ProvisionView(p.Id, p.RecipientType, Agency(p.RecipientId), p.Items, p.Basis, p.CreatedAt))],
            [.. access.Select(a => new AccessView(a.ActorType, Agency(AgencyOf(a.ActorId)), a.Action, a.CreatedAt))],
            file is null ? null : new ResumeInfo(Encoding.UTF8.GetString(PersonalDataCipher.Open(dataKey, file.SealedName)), file.Size, file.UploadedAt),
            notice, latest.Any(c => c.WithdrawnAt is null && c.NoticeVersion < notice.Version), introductions,
            await reapplications.CompaniesAsync(candidateId, ct),
            [.. (await OfferedAsync(candidateId, ct)).Values.Where(a => !latest.Any(c => c.AgencyId == a.Agency.Id && c.WithdrawnAt is null)).Select(a => a.Agency)])
        { AccessCut = accessCut };
    }

    /// <summary>
    /// The agencies the person may choose (again): those offered today on the links they came through — each with the
    /// registration it would hang on (the latest confirmed one whose company offers it).
    /// </summary>
    private async Task<Dictionary<string, (Tenants.Agency Agency, string RegistrationId)>> OfferedAsync(string candidateId, CancellationToken ct)
    {
        var registrations = await db.Registrations.AsNoTracking()
            .Where(r => r.CandidateId == candidateId && r.Status != RegistrationStatus.PendingVerification)
            .OrderByDescending(r => r.CreatedAt).Select(r => new { r.Id, r.CompanyId }).ToListAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var offered = new Dictionary<string, (Tenants.Agency, string)>();
        foreach (var company in registrations.GroupBy(r => r.CompanyId))
            foreach (var agency in await Links.RelayEntries.QueryOfferedAsync(db, company.Key, today, ct))
                offered.TryAdd(agency.Id, (agency, company.First().Id));
        return offered;
    }

    /// <summary>
    /// The person chooses an agency (again — after withdrawing, or one more offered on their links) under the current notice:
    /// a consent row, the provision record of the hand-over, the agency's mail and webhook, in one transaction. False when
    /// the agency is not one their links offer. Already consenting: nothing changes.
    /// </summary>
    public async Task<bool> GiveConsentAsync(string candidateId, string? agencyId, string? ip, CancellationToken ct)
    {
        var opened = await OpenAsync(candidateId, ct);
        if (opened is null || string.IsNullOrWhiteSpace(agencyId) || agencyId.Length > 64) return false;
        if (!(await OfferedAsync(candidateId, ct)).TryGetValue(agencyId, out var offered)) return false;
        if (await db.Consents.AnyAsync(c => c.CandidateId == candidateId && c.AgencyId == agencyId && c.WithdrawnAt == null, ct)) return true;
        var notice = await NoticeBook.CurrentAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            db.Consents.Add(new Consent
            {
                Id = Ids.New(), CandidateId = candidateId, RegistrationId = offered.RegistrationId, AgencyId = agencyId,
                NoticeVersion = notice.Version, GivenAt = now, IpHash = hasher.Ip(ip),
            });
            db.ProvisionRecords.Add(new ProvisionRecord
            {
                Id = Ids.New(), CandidateId = candidateId, RecipientType = "agency", RecipientId = agencyId,
                Items = VerifyRegistration.ProvidedItems(opened.Value.Profile), Basis = ProvisionBasis.Consent, CreatedAt = now,
            });
            // The agency hears of its candidate as at a registration: the pseudonymous id and a link, the details behind sign-in.
            var contact = await db.Agencies.Where(a => a.Id == agencyId).Select(a => a.ContactEmail).FirstAsync(token);
            outbox.Enqueue(db, null, null, "agency-new-consent", new MailContent(contact, Texts.Get("Mail.NewCandidate.Subject", Lang.Japanese),
                Texts.Format("Mail.NewCandidate.Body", Lang.Japanese, candidateId, urls.To($"/agency/candidates/{candidateId}")), Lang.Japanese), now);
            await webhooks.EnqueueAsync(db, "agency", agencyId, Infrastructure.Webhooks.AgencyEvents.CandidateConsented, new { candidateId }, token);
            return 0;
        }, ct);
        return true;
    }

    /// <summary>Everything the platform holds about the person, and only theirs (the JSON of SPEC §6 "export").</summary>
    public sealed record CandidateExport(DateTime ExportedAt, ExportedCandidate Candidate, ExportedResume? Resume,
        IReadOnlyList<ExportedRegistration> Registrations, IReadOnlyList<ExportedConsent> Consents,
        IReadOnlyList<ProvisionView> ProvisionRecords, IReadOnlyList<AccessView> AccessLog, IReadOnlyList<ExportedReferralApplication>? ReferralApplications = null);
    /// <summary>An application the person made through a referral link: to whom, for which job, how far, and what they shared.</summary>
    public sealed record ExportedReferralApplication(string Id, string Company, string Job, string Stage, DateTime CreatedAt, DateTime? VerifiedAt,
        Referrals.ReferralShare Shared);
    public sealed record ExportedCandidate(string Id, CandidateProfile Profile, bool RecommendationMails, DateTime CreatedAt, DateTime UpdatedAt);
    public sealed record ExportedResume(string FileName, int Size, DateTime UploadedAt, string ContentBase64);
    public sealed record ExportedRegistration(string Id, string Company, string Status, DateTime CreatedAt, DateTime? VerifiedAt);
    public sealed record ExportedConsent(string Id, AgencyRef Agency, int NoticeVersion, DateTime GivenAt, DateTime? WithdrawnAt);

    public async Task<CandidateExport?> ExportAsync(string candidateId, CancellationToken ct)
    {
        var view = await ViewAsync(candidateId, int.MaxValue, ct); // the download lists every read, not the page's latest
        if (view is null) return null;
        var (candidate, dataKey, _) = (await OpenAsync(candidateId, ct))!.Value;
        var registrations = await (from r in db.Registrations
                                   join c in db.Companies on r.CompanyId equals c.Id
                                   where r.CandidateId == candidateId
                                   orderby r.CreatedAt
                                   select new ExportedRegistration(r.Id, c.Name, r.Status, r.CreatedAt, r.VerifiedAt)).ToListAsync(ct);
        var consents = await db.Consents.AsNoTracking().Where(c => c.CandidateId == candidateId).OrderBy(c => c.GivenAt).ToListAsync(ct);
        var names = view.Consents.Select(c => c.Agency).DistinctBy(a => a.Id).ToDictionary(a => a.Id);
        var file = await db.CandidateFiles.AsNoTracking().FirstOrDefaultAsync(f => f.CandidateId == candidateId, ct);
        return new CandidateExport(clock.GetUtcNow().UtcDateTime,
            new ExportedCandidate(candidateId, view.Profile, candidate.RecommendationMails, candidate.CreatedAt, candidate.UpdatedAt),
            file is null ? null : new ExportedResume(view.Resume!.FileName, file.Size, file.UploadedAt, Convert.ToBase64String(PersonalDataCipher.Open(dataKey, file.Content))),
            registrations,
            [.. consents.Select(c => new ExportedConsent(c.Id, names.GetValueOrDefault(c.AgencyId, new AgencyRef(c.AgencyId, c.AgencyId)), c.NoticeVersion, c.GivenAt, c.WithdrawnAt))],
            view.Provisions, view.Access, await ReferralApplicationsAsync(candidateId, dataKey, ct));
    }

    private async Task<List<ExportedReferralApplication>> ReferralApplicationsAsync(string candidateId, byte[] dataKey, CancellationToken ct)
    {
        var rows = await (from a in db.ReferralApplications
                          join c in db.Companies on a.CompanyId equals c.Id
                          join j in db.Jobs on a.JobId equals j.Id
                          where a.CandidateId == candidateId
                          orderby a.CreatedAt
                          select new { a.Id, Company = c.Name, j.Title, a.Stage, a.CreatedAt, a.VerifiedAt, a.Shared }).ToListAsync(ct);
        return [.. rows.Select(r => new ExportedReferralApplication(r.Id, r.Company, r.Title, r.Stage, r.CreatedAt, r.VerifiedAt,
            cipher.OpenJson<Referrals.ReferralShare>(dataKey, r.Shared)))];
    }

    // ---- Correcting ----

    /// <summary>The editable profile (the email address is the sign-in and dedupe key and is not changed here).</summary>
    public sealed record ProfileEdit(string? Name, string? NameKana, string? Phone, string? Prefecture, string? DesiredOccupation,
        List<string?>? Skills, List<WorkHistoryItem>? WorkHistory, string? CareerSummary, string? JobSearchStatus, bool RecommendationMails,
        List<string>? ExcludedCompanies = null, int? YearsOfExperience = null, int? DesiredSalary = null, bool WillingToRelocate = false,
        List<string>? DesiredOccupationCodes = null, bool IncludeRejectingCompanies = false);

    /// <summary>How many 職業分類 codes a person may name as desired occupations.</summary>
    public const int MaxOccupationCodes = 3;
    public const int MaxCareerSummary = 4000;

    public async Task<Result<CandidateProfile>> UpdateProfileAsync(string candidateId, ProfileEdit edit, string lang, CancellationToken ct)
    {
        var opened = await OpenAsync(candidateId, ct);
        if (opened is null) return ApiError.NotFound("candidate");
        var (_, dataKey, current) = opened.Value;

        var v = new Validation();
        var basics = CandidateProfile.Basics(v, edit.Name, current.Email, edit.NameKana, edit.Phone, edit.Prefecture, edit.DesiredOccupation, edit.Skills);
        var history = ValidateHistory(edit.WorkHistory, v, lang);
        var summary = v.Optional("careerSummary", edit.CareerSummary, MaxCareerSummary, multiline: true);
        var status = string.IsNullOrWhiteSpace(edit.JobSearchStatus) ? null : edit.JobSearchStatus.Trim();
        if (status is not null && !JobSearchStatuses.All.Contains(status)) v.Add("jobSearchStatus", "Error.Invalid");
        var excluded = (edit.ExcludedCompanies ?? []).Select(x => x.Trim()).Where(x => x.Length > 0).Distinct().ToList();
        if (excluded.Count > 20) v.Add("excludedCompanies", "Error.TooMany", 20);
        else if (excluded.Any(x => x.Length > 200 || x.Any(char.IsControl))) v.Add("excludedCompanies", "Error.ItemTooLong", 200);
        if (edit.YearsOfExperience is < 0 or > 60) v.Add("yearsOfExperience", "Error.Invalid");
        if (edit.DesiredSalary is < 0 or > 100_000_000) v.Add("desiredSalary", "Error.Invalid");
        var occupationCodes = (edit.DesiredOccupationCodes ?? []).Distinct().ToList();
        if (occupationCodes.Count > MaxOccupationCodes) v.Add("desiredOccupationCodes", "Error.TooMany", MaxOccupationCodes);
        else if (!occupationCodes.All(Matching.Occupations.IsValid)) v.Add("desiredOccupationCodes", "Error.Invalid");
        if (!v.IsValid) return v.ToError(lang);

        var profile = basics with
        {
            WorkHistory = history, CareerSummary = summary, JobSearchStatus = status, ExcludedCompanies = excluded,
            YearsOfExperience = edit.YearsOfExperience, DesiredSalary = edit.DesiredSalary, WillingToRelocate = edit.WillingToRelocate,
            DesiredOccupationCodes = occupationCodes, IncludeRejectingCompanies = edit.IncludeRejectingCompanies ? true : null,
        };
        var phone = PersonIdentity.NormalisePhone(profile.Phone);
        var sealedProfile = vault.Seal(dataKey, profile);
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            var candidate = await db.Candidates.FirstAsync(c => c.Id == candidateId, token);
            candidate.Profile = sealedProfile;
            candidate.PhoneHash = phone is null ? null : hasher.Person("phone:" + phone);
            candidate.RecommendationMails = edit.RecommendationMails;
            candidate.UpdatedAt = now;
            return 0;
        }, ct);
        matchIndex.Forget(candidateId); // other nodes follow candidates.updated_at
        return profile;
    }

    private static List<WorkHistoryItem> ValidateHistory(List<WorkHistoryItem>? items, Validation v, string lang)
    {
        var kept = new List<WorkHistoryItem>();
        foreach (var (item, i) in (items ?? []).Select((x, i) => (x, i)))
        {
            string? Clean(string? s, int max, bool multiline = false)
            {
                var t = s?.Trim();
                if (string.IsNullOrEmpty(t)) return null;
                if (t.Length > max || t.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))) v.Add($"workHistory[{i}]", "Error.Invalid");
                return t;
            }
            var company = Clean(item.Company, 200);
            var title = Clean(item.Title, 200);
            var from = Clean(item.From, 7);
            var to = Clean(item.To, 7);
            var description = Clean(item.Description, 2000, multiline: true);
            if (company is null && title is null && from is null && to is null && description is null) continue; // an empty row of the form
            if (company is null) v.Add($"workHistory[{i}]", "Error.WorkCompany");
            foreach (var month in new[] { from, to })
                if (month is not null && !DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", out _)) v.Add($"workHistory[{i}]", "Error.Month");
            if (from is not null && to is not null && string.CompareOrdinal(from, to) > 0) v.Add($"workHistory[{i}]", "Error.MonthOrder");
            kept.Add(new WorkHistoryItem(company ?? "", title, from, to, description));
        }
        if (kept.Count > MaxWorkHistory) v.Add("workHistory", "Error.TooMany", MaxWorkHistory);
        return kept;
    }

    /// <summary>Stores the résumé after checking it is a PDF of acceptable size without active content.</summary>
    public async Task<Result<ResumeInfo>> SaveResumeAsync(string candidateId, string? fileName, byte[] bytes, string lang, CancellationToken ct)
    {
        var opened = await OpenAsync(candidateId, ct);
        if (opened is null) return ApiError.NotFound("candidate");
        var problem = ResumeProblem(bytes);
        if (problem is not null) return ApiError.InvalidIn(lang, "resume", problem);
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/')).Trim();
        if (name.Length == 0 || name.Length > 200 || name.Any(char.IsControl)) name = "resume.pdf";
        var dataKey = opened.Value.DataKey;
        var now = clock.GetUtcNow().UtcDateTime;
        var sealedName = PersonalDataCipher.Seal(dataKey, Encoding.UTF8.GetBytes(name));
        var content = PersonalDataCipher.Seal(dataKey, bytes);
        await gate.RunAsync(db, async token =>
        {
            var file = await db.CandidateFiles.FirstOrDefaultAsync(f => f.CandidateId == candidateId, token);
            if (file is null) db.CandidateFiles.Add(new CandidateFile { CandidateId = candidateId, SealedName = sealedName, Content = content, Size = bytes.Length, UploadedAt = now });
            else { file.SealedName = sealedName; file.Content = content; file.Size = bytes.Length; file.UploadedAt = now; }
            return 0;
        }, ct);
        return new ResumeInfo(name, bytes.Length, now);
    }

    /// <summary>Null when acceptable, else the text key of the reason. Active content is refused: agencies open these files.</summary>
    public static string? ResumeProblem(byte[] bytes)
    {
        if (bytes.Length == 0) return "Error.ResumeEmpty";
        if (bytes.Length > MaxResumeBytes) return "Error.ResumeTooLarge";
        if (bytes.Length < 8 || !bytes.AsSpan(0, 5).SequenceEqual("%PDF-"u8)) return "Error.ResumeNotPdf";
        var tail = bytes.AsSpan(Math.Max(0, bytes.Length - 2048));
        if (tail.IndexOf("%%EOF"u8) < 0) return "Error.ResumeNotPdf";
        var text = Encoding.Latin1.GetString(bytes);
        if (text.Contains("/JavaScript", StringComparison.Ordinal) || text.Contains("/JS", StringComparison.Ordinal)
            || text.Contains("/Launch", StringComparison.Ordinal) || text.Contains("/EmbeddedFile", StringComparison.Ordinal))
            return "Error.ResumeActive";
        return null;
    }

    public async Task<(string FileName, byte[] Content)?> ResumeAsync(string candidateId, CancellationToken ct)
    {
        var opened = await OpenAsync(candidateId, ct);
        var file = await db.CandidateFiles.AsNoTracking().FirstOrDefaultAsync(f => f.CandidateId == candidateId, ct);
        if (opened is null || file is null) return null;
        var key = opened.Value.DataKey;
        return (Encoding.UTF8.GetString(PersonalDataCipher.Open(key, file.SealedName)), PersonalDataCipher.Open(key, file.Content));
    }

    public Task DeleteResumeAsync(string candidateId, CancellationToken ct) =>
        gate.RunAsync(db, token => db.CandidateFiles.Where(f => f.CandidateId == candidateId).ExecuteDeleteAsync(token), ct);

    // ---- Consent ----

    /// <summary>
    /// Withdraws every active consent to the agency: from this moment the agency's list and API no longer
    /// return the person, and the agency is told by mail (without personal data). False when the person never
    /// consented to that agency (404); withdrawing twice answers the same.
    /// </summary>
    public async Task<bool> WithdrawAsync(string candidateId, string? agencyId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(agencyId) || agencyId.Length > 64) return false;
        if (!await db.Consents.AnyAsync(c => c.CandidateId == candidateId && c.AgencyId == agencyId, ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            var changed = await db.Consents.Where(c => c.CandidateId == candidateId && c.AgencyId == agencyId && c.WithdrawnAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.WithdrawnAt, now), token);
            if (changed > 0)
            {
                await NotifyAgenciesAsync([agencyId], candidateId, "Mail.Withdrawn", now, token);
                await webhooks.EnqueueAsync(db, "agency", agencyId, Infrastructure.Webhooks.AgencyEvents.CandidateWithdrew, new { candidateId }, token);
            }
            return changed;
        }, ct);
        return true;
    }

    /// <summary>Consents again, under the current notice, to the agencies the person still consents to.</summary>
    public async Task<int> RenewConsentsAsync(string candidateId, string? ip, CancellationToken ct)
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

    // ---- Introductions ----

    /// <summary>
    /// The person's answer to an agency's proposed introduction. Agreeing lets the hiring company see the profile
    /// and writes the provision record (APPI art. 29) in the same transaction. False when no such pending request.
    /// </summary>
    public async Task<bool> DecideIntroductionAsync(string candidateId, string introductionId, bool agree, CancellationToken ct)
    {
        var opened = await OpenAsync(candidateId, ct);
        if (opened is null) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        return await gate.RunAsync(db, async token =>
        {
            var introduction = await db.Introductions.FirstOrDefaultAsync(i => i.Id == introductionId && i.CandidateId == candidateId && i.Status == Agencies.IntroductionStatus.Pending, token);
            if (introduction is null) return false;
            introduction.Status = agree ? Agencies.IntroductionStatus.Consented : Agencies.IntroductionStatus.Declined;
            introduction.DecidedAt = now;
            if (agree)
                db.ProvisionRecords.Add(new ProvisionRecord
                {
                    Id = Ids.New(), CandidateId = candidateId, RecipientType = "company", RecipientId = introduction.CompanyId,
                    Items = IntroducedItems(opened.Value.Profile), Basis = ProvisionBasis.Consent, CreatedAt = now,
                });
            return true;
        }, ct);
    }

    /// <summary>What a hiring company receives with an introduction: the registration items plus the career details.</summary>
    public static string IntroducedItems(CandidateProfile p)
    {
        var items = ProvisionItems.Split(VerifyRegistration.ProvidedItems(p)).ToList();
        if (p.WorkHistory is { Count: > 0 }) items.Add(ProvisionItems.WorkHistory);
        if (p.CareerSummary is not null) items.Add(ProvisionItems.CareerSummary);
        return ProvisionItems.Join(items);
    }

    // ---- Erasure ----

    /// <summary>
    /// Erases the person. In one transaction: their data key is destroyed (every sealed copy — profile, submitted
    /// profiles, queued mail, résumé, in the database, its WAL and any backup — becomes unreadable), the rows
    /// holding personal data are deleted, their sign-in links die, their consents end and the agencies that
    /// received their data are told. Counts, ledger, consents and provision records keep only the pseudonymous
    /// id and do not change. Afterwards the freed pages are scrubbed (SQLite secure_delete + WAL truncation;
    /// PostgreSQL VACUUM of the tables that held the data).
    /// </summary>
    public async Task<bool> EraseAsync(string candidateId, CancellationToken ct)
    {
        if (!await db.Candidates.AnyAsync(c => c.Id == candidateId, ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            await db.CandidateKeys.Where(k => k.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.Candidates.Where(c => c.Id == candidateId).ExecuteDeleteAsync(token);
            await db.CandidateFiles.Where(f => f.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.MeTokens.Where(t => t.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.OutboxMails.Where(m => m.CandidateId == candidateId).ExecuteDeleteAsync(token);
            await db.Reapplications.Where(a => a.CandidateId == candidateId).ExecuteDeleteAsync(token);
            // Registrations stay (they are the counts and the ledger's references) without what identified the person.
            await db.Registrations.Where(r => r.CandidateId == candidateId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.SubmittedProfile, Array.Empty<byte>())
                .SetProperty(r => r.EmailHash, "erased")
                .SetProperty(r => r.PhoneHash, (string?)null), token);
            await db.Consents.Where(c => c.CandidateId == candidateId && c.WithdrawnAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.WithdrawnAt, now), token);
            // On the erasure list (pseudonymous id and time), so a restored backup can be erased again.
            if (!await db.Erasures.AnyAsync(e => e.CandidateId == candidateId, token))
                db.Erasures.Add(new Erasure { CandidateId = candidateId, ErasedAt = now });
            var recipients = await db.ProvisionRecords.Where(p => p.CandidateId == candidateId && p.RecipientType == "agency")
                .Select(p => p.RecipientId).Distinct().ToListAsync(token);
            await NotifyAgenciesAsync(recipients, candidateId, "Mail.Erased", now, token);
            foreach (var agency in recipients)
                await webhooks.EnqueueAsync(db, "agency", agency, Infrastructure.Webhooks.AgencyEvents.CandidateErased, new { candidateId }, token);
            return 0;
        }, ct);
        matchIndex.Forget(candidateId);
        logger.LogInformation("Candidate {CandidateId} erased at their request", candidateId);
        await ScrubFreedPagesAsync(ct);
        return true;
    }

    private async Task ScrubFreedPagesAsync(CancellationToken ct)
    {
        try
        {
            if (database.Value.Provider == DatabaseProvider.Sqlite)
                // secure_delete has zeroed the freed pages; moving the WAL into the file and truncating it removes the old frames.
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
            else
                await db.Database.ExecuteSqlRawAsync("VACUUM candidate_keys, candidates, candidate_files, me_tokens, outbox_mails, registrations, reapplications;", ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The data is already unreadable (its key is gone); scrubbing is defence in depth and is retried by the next erasure.
            logger.LogWarning(ex, "Scrubbing freed pages after an erasure did not complete");
        }
    }

    /// <summary>Tells agencies by mail (pseudonymous id only) so they delete or stop using what they hold.</summary>
    private async Task NotifyAgenciesAsync(IReadOnlyCollection<string> agencyIds, string candidateId, string textKey, DateTime now, CancellationToken ct)
    {
        var contacts = await db.Agencies.Where(a => agencyIds.Contains(a.Id)).Select(a => a.ContactEmail).ToListAsync(ct);
        foreach (var contact in contacts)
            outbox.Enqueue(db, null, null, textKey == "Mail.Erased" ? "agency-candidate-erased" : "agency-candidate-withdrew",
                new MailContent(contact, Texts.Get($"{textKey}.Subject", Lang.Japanese), Texts.Format($"{textKey}.Body", Lang.Japanese, candidateId), Lang.Japanese), now);
    }

    private async Task<(Candidate Candidate, byte[] DataKey, CandidateProfile Profile)?> OpenAsync(string candidateId, CancellationToken ct)
    {
        var row = await (from c in db.Candidates.AsNoTracking()
                         join k in db.CandidateKeys on c.Id equals k.CandidateId
                         where c.Id == candidateId
                         select new { Candidate = c, k.WrappedKey }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var dataKey = cipher.UnwrapKey(row.WrappedKey);
        return (row.Candidate, dataKey, vault.Open(dataKey, row.Candidate.Profile));
    }

    /// <summary>Agency actors are recorded as "agencyId/keyId".</summary>
    private static string AgencyOf(string actorId) => actorId.Split('/')[0];
}
