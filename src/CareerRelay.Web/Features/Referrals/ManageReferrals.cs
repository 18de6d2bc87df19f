using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Ats;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Referrals;

/// <summary>
/// The company's side of inbound referrals (リファラル): its programmes and referrers with their trust figures, the
/// applications shared with it, moving them through 書類選考 → 面接 → 内定 / 不採用 — where 不採用 relays the person at once
/// with a personal invitation — and its private notes.
/// </summary>
public sealed class ManageReferrals(CareerRelayDb db, DbWriteGate gate, PersonalDataCipher cipher, PublicUrls urls, RejectionIntake intake, TimeProvider clock)
{
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
    public async Task<Result<ReferrerCreated>> CreateReferrerAsync(string companyId, string? programmeId, string? type, string? name, CancellationToken ct,
        string? alumniMemberId = null)
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
            StatusTokenHash = SecretTokens.Hash(statusToken), CreatedAt = clock.GetUtcNow().UtcDateTime, AlumniMemberId = alumniMemberId,
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
                x.a.Notes is null ? null : cipher.OpenJson<string>(key, x.a.Notes), x.a.Thanks, x.a.HiredOn, x.a.LeftOn, x.a.Source);
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
                return ReferralErrors.StageCannotChange(a.Stage, to);
            a.Stage = to;
            a.StageChangedAt = now;
            if (to is ReferralStages.Interview or ReferralStages.Offer or ReferralStages.Hired) a.PassedScreening = true;
            if (to == ReferralStages.Hired) a.HiredOn = Companies.CompanyActivity.TodayInJapan(clock);
            if (note is not null) await SealNotesAsync(a, note, t);
            return a;
        }, ct);
        if (moved.Failed) return moved.Error!;
        if (to == ReferralStages.Rejected) await RelayAsync(moved.Value!, ct);
        return to;
    }

    /// <summary>
    /// A referral hire left (the company's own employee): the day, not before the hire nor in the future; a later call corrects
    /// it, an empty day takes it back. Feeds the 6-month retention of referral hires; the referrer is not told.
    /// </summary>
    public async Task<Result<DateOnly?>> RecordLeftAsync(string companyId, string id, string? leftOn, CancellationToken ct)
    {
        var a = await db.ReferralApplications.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.CompanyId == companyId, ct);
        if (a is null) return ApiError.NotFound("application");
        if (a.Stage != ReferralStages.Hired || a.HiredOn is not { } hired) return ApiError.Invalid("leftOn", "Referrals.Error.NotHired");
        DateOnly? day = null;
        var text = leftOn?.Trim() ?? "";
        if (text.Length > 0)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
                return ApiError.Invalid("leftOn", "Error.Date");
            if (d < hired) return ApiError.Invalid("leftOn", "Error.LeftBeforeStart", hired.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            if (d > Companies.CompanyActivity.TodayInJapan(clock)) return ApiError.Invalid("leftOn", "Error.DateInFuture");
            day = d;
        }
        await gate.RunAsync(db, t => db.ReferralApplications.Where(x => x.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LeftOn, day), t), ct);
        return day;
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
}
