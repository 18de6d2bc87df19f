using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Ats;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Referrals;

/// <summary>
/// The inbound half of the loop (リファラル): a company's programmes and referrers, a referred person's application to
/// one of its jobs (double opt-in, then shared with that company only), the company moving it through 書類選考 → 面接 →
/// 内定 / 不採用 — where 不採用 relays the person at once with a personal invitation — and what referrers see.
/// </summary>
public sealed class ReferralPrograms(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, PersonalDataCipher cipher, LookupHasher hasher,
    MailOutbox outbox, PublicUrls urls, RejectionIntake intake, TimeProvider clock)
{
    public static readonly TimeSpan CodeValidFor = TimeSpan.FromDays(7);

    public sealed record ProgrammeItem(string Id, string Name, string Recognition, int PointsPerReferral, int PointsPerHire, DateTime CreatedAt);
    public sealed record ReferrerItem(string Id, string ProgrammeId, string Type, string Name, string LinkUrl, DateTime CreatedAt, bool Active,
        int Referrals, int PassedScreening, int Hired, double? PassRate, double? HireRate);
    public sealed record ReferrerCreated(string Id, string Type, string Name, string LinkUrl, string StatusUrl);
    public sealed record ApplicationItem(string Id, string JobId, string JobTitle, string ReferrerId, string ReferrerName, string ReferrerType,
        string Stage, DateTime AppliedAt, DateTime? StageChangedAt, double TrustScore, ReferralShare Shared, string? Notes, string? Thanks);
    public sealed record StatusView(string CompanyName, string ReferrerName, string Recognition, int Points, IReadOnlyList<StatusItem> Items);
    public sealed record StatusItem(string JobTitle, DateTime AppliedAt, string Stage, string? Thanks);
    public sealed record Entry(Referrer Referrer, string CompanyName, IReadOnlyList<(string Id, string Title)> Jobs);

    // ---- The company's side -------------------------------------------------------------------------------------------------

    public async Task<Result<ProgrammeItem>> CreateProgrammeAsync(string companyId, string? name, string? recognition, int? pointsPerReferral, int? pointsPerHire, CancellationToken ct)
    {
        var v = new Validation();
        var trimmed = v.Required("name", name, 100);
        var kind = v.Optional("recognition", recognition, 10) ?? "points";
        if (kind is not ("points" or "thanks")) v.Add("recognition", "Error.OneOf", "points, thanks");
        if (pointsPerReferral is < 0 or > 10_000) v.Add("pointsPerReferral", "Error.Range", 0, 10_000);
        if (pointsPerHire is < 0 or > 100_000) v.Add("pointsPerHire", "Error.Range", 0, 100_000);
        if (!v.IsValid) return v.ToError();
        var programme = new ReferralProgramme
        {
            Id = Ids.New(), CompanyId = companyId, Name = trimmed, Recognition = kind, CreatedAt = clock.GetUtcNow().UtcDateTime,
            PointsPerReferral = kind == "points" ? pointsPerReferral ?? 1 : 0, PointsPerHire = kind == "points" ? pointsPerHire ?? 10 : 0,
        };
        await gate.RunAsync(db, _ => { db.ReferralProgrammes.Add(programme); return Task.FromResult(0); }, ct);
        return ToItem(programme);
    }

    public async Task<IReadOnlyList<ProgrammeItem>> ProgrammesAsync(string companyId, CancellationToken ct) =>
        (await db.ReferralProgrammes.AsNoTracking().Where(p => p.CompanyId == companyId).OrderBy(p => p.Id).ToListAsync(ct)).Select(ToItem).ToList();

    private static ProgrammeItem ToItem(ReferralProgramme p) => new(p.Id, p.Name, p.Recognition, p.PointsPerReferral, p.PointsPerHire, p.CreatedAt);

    /// <summary>A referrer with a public referral link and a private status link; the status link is answered once.</summary>
    public async Task<Result<ReferrerCreated>> CreateReferrerAsync(string companyId, string? programmeId, string? type, string? name, CancellationToken ct)
    {
        var v = new Validation();
        var programme = v.Required("programmeId", programmeId, 64);
        var kind = v.Required("type", type, 20);
        if (kind.Length > 0 && !ReferrerTypes.All.Contains(kind)) v.Add("type", "Error.OneOf", string.Join(", ", ReferrerTypes.All));
        var label = v.Required("name", name, 100);
        if (!v.IsValid) return v.ToError();
        if (!await db.ReferralProgrammes.AnyAsync(p => p.Id == programme && p.CompanyId == companyId, ct)) return ApiError.Invalid("programmeId", "Error.UnknownProgramme");
        var statusToken = SecretTokens.New(24);
        var referrer = new Referrer
        {
            Id = Ids.New(), CompanyId = companyId, ProgrammeId = programme, Type = kind, Name = label, LinkToken = SecretTokens.New(12),
            StatusTokenHash = SecretTokens.Hash(statusToken), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await gate.RunAsync(db, _ => { db.Referrers.Add(referrer); return Task.FromResult(0); }, ct);
        return new ReferrerCreated(referrer.Id, kind, label, LinkUrl(referrer), urls.To($"/ref/status/{statusToken}"));
    }

    public string LinkUrl(Referrer r) => urls.To($"/ref/{r.LinkToken}");

    /// <summary>Referrers with their trust figures (referrals, passed screening, hired, rates).</summary>
    public async Task<IReadOnlyList<ReferrerItem>> ReferrersAsync(string companyId, CancellationToken ct)
    {
        var referrers = await db.Referrers.AsNoTracking().Where(r => r.CompanyId == companyId).OrderBy(r => r.Id).ToListAsync(ct);
        var trust = await TrustAsync(companyId, ct);
        return referrers.Select(r =>
        {
            var f = trust.ByReferrer.GetValueOrDefault(r.Id);
            return new ReferrerItem(r.Id, r.ProgrammeId, r.Type, r.Name, LinkUrl(r), r.CreatedAt, r.DeactivatedAt is null,
                f.Referrals, f.Passed, f.Hired, f.PassRate, f.HireRate);
        }).ToList();
    }

    /// <summary>Per referrer type: the same figures over all the company's referrers of that type.</summary>
    public async Task<IReadOnlyDictionary<string, TrustFigures>> FiguresByTypeAsync(string companyId, CancellationToken ct) =>
        (await TrustAsync(companyId, ct)).ByType;

    private sealed record Trust(IReadOnlyDictionary<string, TrustFigures> ByReferrer, IReadOnlyDictionary<string, TrustFigures> ByType, TrustFigures Overall);

    /// <summary>The company's referral stages, read once, as figures per referrer, per type and overall.</summary>
    private async Task<Trust> TrustAsync(string companyId, CancellationToken ct)
    {
        var rows = await (from a in db.ReferralApplications.AsNoTracking()
                          join r in db.Referrers on a.ReferrerId equals r.Id
                          where a.CompanyId == companyId
                          select new { a.ReferrerId, r.Type, a.Stage, a.PassedScreening }).ToListAsync(ct);
        return new Trust(
            rows.GroupBy(a => a.ReferrerId).ToDictionary(g => g.Key, g => TrustFigures.Of(g.Select(a => (a.Stage, a.PassedScreening)))),
            ReferrerTypes.All.ToDictionary(t => t, t => TrustFigures.Of(rows.Where(r => r.Type == t).Select(r => (r.Stage, r.PassedScreening)))),
            TrustFigures.Of(rows.Select(r => (r.Stage, r.PassedScreening))));
    }

    /// <summary>
    /// The company's verified referred applications — the only way it sees a person's data: they applied to it — ordered by
    /// open first, then the referrer's trust. Every list is an audited read.
    /// </summary>
    public async Task<IReadOnlyList<ApplicationItem>> ApplicationsAsync(string companyId, string actorId, string? id, CancellationToken ct)
    {
        var rows = await (from a in db.ReferralApplications.AsNoTracking()
                          join r in db.Referrers on a.ReferrerId equals r.Id
                          join j in db.Jobs on a.JobId equals j.Id
                          join k in db.CandidateKeys on a.CandidateId equals k.CandidateId
                          where a.CompanyId == companyId && a.Stage != ReferralStages.PendingVerification && (id == null || a.Id == id)
                          select new { a, ReferrerName = r.Name, r.Type, j.Title, k.WrappedKey }).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var trust = await TrustAsync(companyId, ct);
        var items = rows.Select(x =>
        {
            var key = cipher.UnwrapKey(x.WrappedKey);
            var score = ReferrerTrust.Score(trust.ByReferrer.GetValueOrDefault(x.a.ReferrerId), trust.ByType[x.Type], trust.Overall);
            return new ApplicationItem(x.a.Id, x.a.JobId, x.Title, x.a.ReferrerId, x.ReferrerName, x.Type, x.a.Stage, x.a.VerifiedAt ?? x.a.CreatedAt,
                x.a.StageChangedAt, Math.Round(score, 3), cipher.OpenJson<ReferralShare>(key, x.a.Shared),
                x.a.Notes is null ? null : cipher.OpenJson<string>(key, x.a.Notes), x.a.Thanks);
        }).OrderBy(i => ReferralStages.Open.Contains(i.Stage) ? 0 : 1).ThenByDescending(i => i.TrustScore).ThenBy(i => i.AppliedAt).ToList();
        await AuditLog.RecordAsync(db, gate, "company", actorId, id is null ? AuditActions.ReferralsList : AuditActions.ReferralsRead,
            rows.Select(r => r.a.CandidateId), clock.GetUtcNow().UtcDateTime, ct);
        return items;
    }

    /// <summary>
    /// Moves an application along (forward only; 不採用 from any open stage). On 不採用 the person is relayed at once: a
    /// personal invitation and the company's rejection mail, through the same intake as ATS rejections.
    /// </summary>
    public async Task<Result<string>> MoveAsync(string companyId, string id, string? stage, string? notes, CancellationToken ct)
    {
        var v = new Validation();
        var to = v.Required("stage", stage, 20);
        if (to.Length > 0 && !ReferralStages.Moves.Contains(to)) v.Add("stage", "Error.OneOf", string.Join(", ", ReferralStages.Moves));
        var note = v.Optional("notes", notes, MaxNotes, multiline: true);
        if (!v.IsValid) return v.ToError();
        var now = clock.GetUtcNow().UtcDateTime;
        var moved = await gate.RunAsync(db, async t =>
        {
            var a = await db.ReferralApplications.FirstOrDefaultAsync(a => a.Id == id && a.CompanyId == companyId && a.Stage != ReferralStages.PendingVerification, t);
            if (a is null) return (Result<ReferralApplication>)ApiError.NotFound("application");
            if (!ReferralStages.CanMove(a.Stage, to))
                return new ApiError(409, ProblemCodes.InvalidState, "Stage cannot change", $"An application in {a.Stage} cannot move to {to}.");
            a.Stage = to;
            a.StageChangedAt = now;
            if (to is ReferralStages.Interview or ReferralStages.Offer or ReferralStages.Hired) a.PassedScreening = true;
            if (note is not null) await SealNotesAsync(a, note, t);
            return a;
        }, ct);
        if (moved.Failed) return moved.Error!;
        if (to == ReferralStages.Rejected) await RelayAsync(moved.Value!, ct);
        return to;
    }

    public const int MaxNotes = 4000, MaxThanks = 500;

    /// <summary>The company's own notes and its thank-you message to the referrer; too long is refused, never cut.</summary>
    public async Task<Result<bool>> SetNotesAsync(string companyId, string id, string? notes, string? thanks, CancellationToken ct)
    {
        var v = new Validation();
        var note = notes is null ? null : v.Optional("notes", notes, MaxNotes, multiline: true) ?? "";
        var thank = thanks is null ? null : v.Optional("thanks", thanks, MaxThanks);
        if (!v.IsValid) return v.ToError();
        var found = await gate.RunAsync(db, async t =>
        {
            var a = await db.ReferralApplications.FirstOrDefaultAsync(a => a.Id == id && a.CompanyId == companyId && a.Stage != ReferralStages.PendingVerification, t);
            if (a is null) return false;
            if (note is not null) await SealNotesAsync(a, note, t);
            if (thanks is not null) a.Thanks = thank;
            return true;
        }, ct);
        return found ? true : ApiError.NotFound("application");
    }

    private async Task SealNotesAsync(ReferralApplication a, string notes, CancellationToken ct)
    {
        var wrapped = await db.CandidateKeys.AsNoTracking().Where(k => k.CandidateId == a.CandidateId).Select(k => k.WrappedKey).FirstAsync(ct);
        a.Notes = cipher.SealJson(cipher.UnwrapKey(wrapped), notes);
    }

    /// <summary>不採用 → the relay invitation, exactly as a rejection from the ATS would get it (idempotent per application).</summary>
    private async Task RelayAsync(ReferralApplication a, CancellationToken ct)
    {
        var wrapped = await db.CandidateKeys.AsNoTracking().Where(k => k.CandidateId == a.CandidateId).Select(k => k.WrappedKey).FirstOrDefaultAsync(ct);
        if (wrapped is null) return; // erased meanwhile
        var share = cipher.OpenJson<ReferralShare>(cipher.UnwrapKey(wrapped), a.Shared);
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == a.JobId).Select(j => j.Title).FirstOrDefaultAsync(ct);
        await intake.HandleAsync(a.CompanyId, new RejectionEvent($"referral:{a.Id}", AtsEventTypes.Rejected, $"referral-{a.Id}", "company_rejected", "referral",
            job, clock.GetUtcNow().UtcDateTime, null, a.Lang, share.Name, share.Email, MailChannels.Referral), ct);
    }

    // ---- The referred person's side ---------------------------------------------------------------------------------------

    /// <summary>The referral link: the referrer, the company and its open jobs; null when unknown or deactivated.</summary>
    public async Task<Entry?> ResolveAsync(string linkToken, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(linkToken)) return null;
        var referrer = await db.Referrers.AsNoTracking().FirstOrDefaultAsync(r => r.LinkToken == linkToken && r.DeactivatedAt == null, ct);
        if (referrer is null) return null;
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == referrer.CompanyId).Select(c => c.Name).FirstAsync(ct);
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.CompanyId == referrer.CompanyId && j.Status == "open").OrderBy(j => j.Title)
            .Select(j => new { j.Id, j.Title }).ToListAsync(ct);
        return new Entry(referrer, company, [.. jobs.Select(j => (j.Id, j.Title))]);
    }

    public sealed record ApplyInput(string? JobId, string? Name, string? Email, string? Phone, string? Skills, string? CareerSummary, string? Message, bool Agreed);

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
                    var known = await (from c in db.Candidates join k in db.CandidateKeys on c.Id equals k.CandidateId
                                       where c.EmailHash == emailHash select new { c.Id, k.WrappedKey }).FirstOrDefaultAsync(t);
                    string candidateId;
                    byte[] dataKey;
                    if (known is not null)
                    {
                        (candidateId, dataKey) = (known.Id, cipher.UnwrapKey(known.WrappedKey));
                        // Applied to this job already and still open: nothing new, and nothing that tells a stranger so.
                        if (await db.ReferralApplications.AnyAsync(a => a.CandidateId == candidateId && a.JobId == jobId
                                && a.Stage != ReferralStages.Rejected && a.Stage != ReferralStages.Withdrawn && a.VerifiedAt != null, t))
                            return "already";
                    }
                    else
                    {
                        candidateId = Ids.New();
                        (dataKey, var key) = vault.NewKey(candidateId);
                        db.CandidateKeys.Add(key);
                        db.Candidates.Add(new Candidate
                        {
                            Id = candidateId, EmailHash = emailHash, PhoneHash = phone is null ? null : hasher.Person("phone:" + PersonIdentity.NormalisePhone(phone)),
                            Profile = vault.Seal(dataKey, new CandidateProfile(name, email, null, phone, null, null, skills, CareerSummary: summary)),
                            CreatedAt = now, UpdatedAt = now,
                        });
                    }
                    var application = new ReferralApplication
                    {
                        Id = Ids.New(), CompanyId = entry.Referrer.CompanyId, JobId = jobId!, ReferrerId = entry.Referrer.Id, CandidateId = candidateId,
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
            if (a.CodeExpiresAt < now) return new ApiError(410, ProblemCodes.CodeExpired, "Expired", "The confirmation link has expired; apply again.");
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

    // ---- The referrer's side ----------------------------------------------------------------------------------------------

    /// <summary>What a referrer sees: their referrals' jobs, dates and stages — never the person's data or the company's notes — and their recognition.</summary>
    public async Task<StatusView?> StatusAsync(string? statusToken, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(statusToken)) return null;
        var hash = SecretTokens.Hash(statusToken!);
        var referrer = await db.Referrers.AsNoTracking().FirstOrDefaultAsync(r => r.StatusTokenHash == hash, ct);
        if (referrer is null) return null;
        var programme = await db.ReferralProgrammes.AsNoTracking().FirstAsync(p => p.Id == referrer.ProgrammeId, ct);
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == referrer.CompanyId).Select(c => c.Name).FirstAsync(ct);
        var items = await (from a in db.ReferralApplications.AsNoTracking()
                           join j in db.Jobs on a.JobId equals j.Id
                           where a.ReferrerId == referrer.Id && a.Stage != ReferralStages.PendingVerification
                           orderby a.CreatedAt descending
                           select new StatusItem(j.Title, a.VerifiedAt ?? a.CreatedAt, a.Stage, a.Thanks)).ToListAsync(ct);
        var points = programme.Recognition == "points"
            ? items.Count * programme.PointsPerReferral + items.Count(i => i.Stage == ReferralStages.Hired) * programme.PointsPerHire : 0;
        return new StatusView(company, referrer.Name, programme.Recognition, points, items);
    }
}
