using System.Text;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// The person sees everything held about them (APPI art. 33, GDPR art. 15): the profile, the latest consent per agency, what
/// was handed to whom, who read it and when, their résumé, the introductions proposed to them — the /me page.
/// </summary>
public sealed class ShowCandidateData(CareerRelayDb db, CandidateVault vault, PersonalDataCipher cipher, Reapplications reapplications, TimeProvider clock)
{
    /// <summary>How many of the latest reads the page groups; the download has them all.</summary>
    public const int AccessOnPage = 2000;

    public async Task<MeView?> HandleAsync(string candidateId, CancellationToken ct) => await HandleAsync(candidateId, AccessOnPage, ct);

    /// <summary>The view with the latest <paramref name="accessLimit"/> reads (the export: every one).</summary>
    internal async Task<MeView?> HandleAsync(string candidateId, int accessLimit, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return null;
        var (candidate, dataKey, profile) = opened;

        var consents = await db.Consents.AsNoTracking().Where(c => c.CandidateId == candidateId).OrderBy(c => c.GivenAt).ToListAsync(ct);
        var provisions = await db.ProvisionRecords.AsNoTracking().Where(p => p.CandidateId == candidateId).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        var access = await db.AuditEntries.AsNoTracking().Where(a => a.CandidateId == candidateId).OrderByDescending(a => a.CreatedAt).Take(accessLimit == int.MaxValue ? int.MaxValue : accessLimit + 1).ToListAsync(ct);
        var accessCut = access.Count > accessLimit;
        if (accessCut) access.RemoveAt(access.Count - 1);
        var agencyIds = consents.Select(c => c.AgencyId).Concat(provisions.Select(p => p.RecipientId)).Concat(access.Select(a => AgencyOf(a.ActorId))).Distinct().ToList();
        var names = await db.Agencies.AsNoTracking().Where(a => agencyIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        foreach (var company in await db.Companies.AsNoTracking().Where(c => agencyIds.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
            names[company.Id] = company.Name;
        // Schools and training providers a person's data went to (Features/Education).
        foreach (var partner in await db.EducationPartners.AsNoTracking().Where(p => agencyIds.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct))
            names[partner.Id] = partner.Name;
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
            [.. (await OfferedAsync(db, candidateId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct)).Values.Where(a => !latest.Any(c => c.AgencyId == a.Agency.Id && c.WithdrawnAt is null)).Select(a => a.Agency)])
        {
            AccessCut = accessCut,
            CourseSuggestions = candidate.CourseSuggestions,
            MailRefusedSince = await db.MailSuppressions.Where(x => x.AddressHash == candidate.EmailHash).Select(x => (DateTime?)x.CreatedAt).FirstOrDefaultAsync(ct),
            StagesReached = [.. (await (from r in db.Registrations
                                        join i in db.Invitations on r.InvitationId equals i.Id
                                        join c in db.Companies on r.CompanyId equals c.Id
                                        where r.CandidateId == candidateId && i.Stage != null
                                        orderby r.CreatedAt
                                        select new { c.Name, i.Stage }).ToListAsync(ct)).Select(x => (x.Name, x.Stage!))],
            Alumni = [.. (await (from m in db.AlumniMembers
                                 join c in db.Companies on m.CompanyId equals c.Id
                                 where m.CandidateId == candidateId && m.Status != Alumni.AlumniStatus.Left
                                 orderby m.CreatedAt
                                 select new { m.Id, c.Name, m.Status, m.ConfirmedAt, m.Details }).ToListAsync(ct))
                .Select(x => new Alumni.MyMembership(x.Id, x.Name, x.Status, x.ConfirmedAt, cipher.OpenJson<Alumni.AlumniDetails>(dataKey, x.Details)))],
        };
    }

    /// <summary>
    /// The agencies the person may choose (again): those offered today on the links they came through — each with the
    /// registration it would hang on (the latest confirmed one whose company offers it).
    /// </summary>
    internal static async Task<Dictionary<string, (Tenants.Agency Agency, string RegistrationId)>> OfferedAsync(CareerRelayDb db, string candidateId,
        DateOnly today, CancellationToken ct)
    {
        var registrations = await db.Registrations.AsNoTracking()
            .Where(r => r.CandidateId == candidateId && r.Status != RegistrationStatus.PendingVerification)
            .OrderByDescending(r => r.CreatedAt).Select(r => new { r.Id, r.CompanyId }).ToListAsync(ct);
        // An alumni membership with 転職支援 is the other basis a consent hangs on (Features/Alumni), after the registrations.
        var memberships = await db.AlumniMembers.AsNoTracking()
            .Where(m => m.CandidateId == candidateId && m.CareerSupport && m.ConfirmedAt != null)
            .OrderByDescending(m => m.CreatedAt).Select(m => new { m.Id, m.CompanyId }).ToListAsync(ct);
        var offered = new Dictionary<string, (Tenants.Agency, string)>();
        foreach (var (companyId, basisId) in registrations.GroupBy(r => r.CompanyId).Select(g => (g.Key, g.First().Id))
                     .Concat(memberships.Select(m => (m.CompanyId, m.Id))))
            foreach (var agency in await Links.RelayEntries.QueryOfferedAsync(db, companyId, today, ct))
                offered.TryAdd(agency.Id, (agency, basisId));
        return offered;
    }

    /// <summary>Agency actors are recorded as "agencyId/keyId".</summary>
    private static string AgencyOf(string actorId) => actorId.Split('/')[0];
}

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

/// <summary>What the /me page shows: the profile, the latest consent per agency, what was handed to whom, who read it.</summary>
public sealed record MeView(string CandidateId, CandidateProfile Profile, bool RecommendationMails, DateTime CreatedAt,
    IReadOnlyList<ConsentView> Consents, IReadOnlyList<ProvisionView> Provisions, IReadOnlyList<AccessView> Access,
    ResumeInfo? Resume, ConsentNotice Notice, bool NeedsRenewal, IReadOnlyList<IntroductionRequestView> Introductions,
    IReadOnlyList<(string CompanyId, string Name, bool Done)> RejectedBy, IReadOnlyList<Tenants.Agency> Available)
{
    /// <summary>True when there are older reads than <see cref="Access"/> holds (the page says the download has them).</summary>
    public bool AccessCut { get; init; }

    /// <summary>Since when the person's mailbox refuses our mail (on the suppression list); null while mail reaches them.</summary>
    public DateTime? MailRefusedSince { get; init; }

    /// <summary>How far the person got at each company whose ATS said so (theirs to share with agencies or not).</summary>
    public IReadOnlyList<(string Company, string Stage)> StagesReached { get; init; } = [];

    /// <summary>Whether they turned course suggestions on (Features/Education).</summary>
    public bool CourseSuggestions { get; init; }

    /// <summary>The alumni networks they joined (or asked to): what each company sees, and a way to leave.</summary>
    public IReadOnlyList<Alumni.MyMembership> Alumni { get; init; } = [];
}

public sealed record IntroductionRequestView(string Id, string AgencyName, string CompanyName, string JobTitle, string Status, DateTime CreatedAt);
