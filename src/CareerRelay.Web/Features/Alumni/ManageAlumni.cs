using System.Globalization;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Referrals;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Alumni;

/// <summary>
/// The company's side of its alumni network: links (created, paused, resumed like relay links), its confirmed members with only
/// what each chose to share (every read audited), re-hires and contracts, the welcome-back mail of open jobs to members who asked
/// for it, and making a member a referrer. Every query is filtered by the company id from the credential.
/// </summary>
public sealed class ManageAlumni(CareerRelayDb db, DbWriteGate gate, PersonalDataCipher cipher, CandidateMailing mailing, MailOutbox outbox,
    ManageReferrals referrals, PublicUrls urls, TimeProvider clock)
{
    public const int MaxLabel = 100, MaxMessage = 1000, MaxJobsPerMail = 10;

    public async Task<Result<AlumniLink>> CreateLinkAsync(string companyId, string? label, string? message, CancellationToken ct)
    {
        var v = new Validation();
        var trimmed = v.Required("label", label, MaxLabel);
        var words = v.Optional("message", message, MaxMessage, multiline: true);
        if (!v.IsValid) return v.ToError();
        var link = new AlumniLink
        {
            Id = Ids.New(), CompanyId = companyId, Token = SecretTokens.New(12), Label = trimmed, Message = words, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await gate.RunAsync(db, _ => { db.AlumniLinks.Add(link); return Task.FromResult(0); }, ct);
        return link;
    }

    public string Url(AlumniLink link) => urls.To($"/a/{link.Token}");

    /// <summary>A page of the company's alumni links, each with its confirmed members.</summary>
    public async Task<Page<AlumniLinkItem>> LinksAsync(string companyId, PageRequest page, CancellationToken ct)
    {
        var links = await db.AlumniLinks.AsNoTracking().Where(l => l.CompanyId == companyId).PageAfter(page, l => l.Id).ToListAsync(ct);
        var ids = links.Select(l => l.Id).ToList();
        var members = await db.AlumniMembers.Where(m => m.CompanyId == companyId && ids.Contains(m.LinkId) && m.Status == AlumniStatus.Confirmed)
            .GroupBy(m => m.LinkId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return page.ToPage(links, l => l.Id, l => ToItem(l, members.GetValueOrDefault(l.Id)));
    }

    private AlumniLinkItem ToItem(AlumniLink l, int members) => new(l.Id, l.Token, Url(l), l.Label, l.Message, l.Paused, members, l.CreatedAt);

    /// <summary>Pauses or resumes one of the company's links; null when it is not theirs.</summary>
    public async Task<AlumniLinkItem?> SetPausedAsync(string companyId, string id, bool paused, CancellationToken ct)
    {
        var changed = await gate.RunAsync(db, t => db.AlumniLinks.Where(l => l.Id == id && l.CompanyId == companyId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Paused, paused), t), ct);
        if (changed == 0) return null;
        var link = await db.AlumniLinks.AsNoTracking().FirstAsync(l => l.Id == id, ct);
        return ToItem(link, await db.AlumniMembers.CountAsync(m => m.LinkId == id && m.Status == AlumniStatus.Confirmed, ct));
    }

    /// <summary>
    /// A page of confirmed members, each with only the fields they chose to share (the others are null and not named in
    /// <c>shared</c>), their re-hires and whether they were made a referrer. An audited read of every member on the page.
    /// </summary>
    public async Task<Page<AlumniItem>> MembersAsync(string companyId, string actorId, PageRequest page, CancellationToken ct)
    {
        var rows = await (from m in db.AlumniMembers.AsNoTracking()
                          join k in db.CandidateKeys on m.CandidateId equals k.CandidateId
                          where m.CompanyId == companyId && m.Status == AlumniStatus.Confirmed
                          select new { Member = m, k.WrappedKey }).PageAfter(page, x => x.Member.Id).ToListAsync(ct);
        var ids = rows.Select(r => r.Member.Id).ToList();
        var rehires = await db.AlumniRehires.AsNoTracking().Where(r => ids.Contains(r.MemberId)).OrderBy(r => r.On).ToListAsync(ct);
        var referrers = await db.Referrers.AsNoTracking().Where(r => r.CompanyId == companyId && ids.Contains(r.AlumniMemberId!))
            .Select(r => r.AlumniMemberId!).ToListAsync(ct);
        var result = page.ToPage(rows, r => r.Member.Id, r =>
        {
            var details = cipher.OpenJson<AlumniDetails>(cipher.UnwrapKey(r.WrappedKey), r.Member.Details);
            return new AlumniItem(r.Member.Id, r.Member.LinkId, r.Member.ConfirmedAt ?? r.Member.CreatedAt, details.Share, details.Shared(),
                referrers.Contains(r.Member.Id), [.. rehires.Where(h => h.MemberId == r.Member.Id).Select(ToItem)]);
        });
        await AuditLog.RecordAsync(db, gate, ActorTypes.Company, actorId, AuditActions.AlumniList, rows.Select(r => r.Member.CandidateId),
            clock.GetUtcNow().UtcDateTime, ct);
        return result;
    }

    private static RehireItem ToItem(AlumniRehire r) => new(r.Id, r.MemberId, r.On, r.Kind, r.CreatedAt);

    /// <summary>
    /// Records that a member came back (re-hired or on contract) on a day, not in the future. The same member, day and kind again
    /// answers the existing record (created false), also when two requests race (the unique key decides).
    /// </summary>
    public async Task<Result<(RehireItem Item, bool Created)>> RecordRehireAsync(string companyId, string memberId, RehireRequest body, CancellationToken ct)
    {
        if (!await db.AlumniMembers.AnyAsync(m => m.Id == memberId && m.CompanyId == companyId && m.Status == AlumniStatus.Confirmed, ct))
            return ApiError.NotFound("alumni member");
        var v = new Validation();
        var kind = v.Required("kind", body.Kind, 20);
        if (kind.Length > 0 && !RehireKinds.All.Contains(kind)) v.Add("kind", "Error.OneOf", string.Join(", ", RehireKinds.All));
        var text = v.Required("on", body.On, 10);
        DateOnly on = default;
        if (text.Length > 0 && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out on)) v.Add("on", "Error.Date");
        else if (text.Length > 0 && on > Companies.CompanyActivity.TodayInJapan(clock).AddYears(1)) v.Add("on", "Alumni.Error.TooFar");
        if (!v.IsValid) return v.ToError();
        for (var attempt = 0; ; attempt++)
        {
            var existing = await db.AlumniRehires.AsNoTracking().FirstOrDefaultAsync(r => r.MemberId == memberId && r.On == on && r.Kind == kind, ct);
            if (existing is not null) return (ToItem(existing), false);
            var row = new AlumniRehire { Id = Ids.New(), CompanyId = companyId, MemberId = memberId, On = on, Kind = kind, CreatedAt = clock.GetUtcNow().UtcDateTime };
            try
            {
                await gate.RunAsync(db, _ => { db.AlumniRehires.Add(row); return Task.FromResult(0); }, ct);
                return (ToItem(row), true);
            }
            catch (DbUpdateException ex) when (attempt == 0 && DbWriteGate.IsUniqueViolation(ex))
            {
                db.ChangeTracker.Clear(); // the racing request recorded it: answer that one
            }
        }
    }

    /// <summary>How many confirmed members asked to hear of open jobs (the welcome-back mail's reach; no one is named).</summary>
    public Task<int> JobMailReachAsync(string companyId, CancellationToken ct) =>
        db.AlumniMembers.CountAsync(m => m.CompanyId == companyId && m.Status == AlumniStatus.Confirmed && m.JobMails, ct);

    /// <summary>
    /// The welcome-back mail: the chosen open jobs of the company (1–10) to every confirmed member who asked for job mail — never
    /// to anyone else — each in their language with a one-click unsubscribe. Returns how many were queued.
    /// </summary>
    public async Task<Result<int>> SendWelcomeBackAsync(string companyId, IReadOnlyList<string>? jobIds, string? note, CancellationToken ct)
    {
        var v = new Validation();
        var chosen = (jobIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct().ToList();
        if (chosen.Count == 0) v.Add("jobIds", "Alumni.Error.NoJobs");
        else if (chosen.Count > MaxJobsPerMail) v.Add("jobIds", "Error.TooMany", MaxJobsPerMail);
        var words = v.Optional("note", note, MaxMessage, multiline: true);
        if (!v.IsValid) return v.ToError();
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.CompanyId == companyId && j.Status == "open" && chosen.Contains(j.Id))
            .OrderBy(j => j.Title).Select(j => new { j.Title, j.Prefecture }).ToListAsync(ct);
        if (jobs.Count != chosen.Count) return ApiError.Invalid("jobIds", "Alumni.Error.NoJobs");
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => new { c.Name, c.ContactEmail }).FirstAsync(ct);
        var members = await (from m in db.AlumniMembers.AsNoTracking()
                             join k in db.CandidateKeys on m.CandidateId equals k.CandidateId
                             where m.CompanyId == companyId && m.Status == AlumniStatus.Confirmed && m.JobMails
                             select new { m.Id, m.CandidateId, m.Lang, m.Details, k.WrappedKey }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, _ =>
        {
            foreach (var m in members)
            {
                var key = cipher.UnwrapKey(m.WrappedKey);
                var details = cipher.OpenJson<AlumniDetails>(key, m.Details);
                var list = string.Join("\n", jobs.Select(j => "・" + j.Title
                    + (Prefectures.All.FirstOrDefault(p => p.Code == j.Prefecture) is { } place ? $" ({place.Name(m.Lang)})" : "")));
                var unsubscribe = urls.To($"/a/unsubscribe/{mailing.Token(UnsubscribePurpose, m.Id)}{Lang.Query(m.Lang)}");
                var body = Texts.Format("Mail.AlumniJobs.Body", m.Lang, details.Name, company.Name, list, words ?? "", company.ContactEmail)
                    + "\n\n" + Texts.Format("Mail.AlumniJobs.Footer", m.Lang, unsubscribe);
                outbox.Enqueue(db, m.CandidateId, key, "alumni-jobs", new MailContent(details.Email, Texts.Format("Mail.AlumniJobs.Subject", m.Lang, company.Name),
                    body, m.Lang, unsubscribe), now);
            }
            return Task.FromResult(0);
        }, ct);
        return members.Count;
    }

    public const string UnsubscribePurpose = "alumni-jobs";

    /// <summary>
    /// Makes a member who is open to referring people a referrer (type alumni) of one of the company's programmes, once: the
    /// person gets their referral link and private status page by mail; the company sees the referrer under the name they shared.
    /// </summary>
    public async Task<Result<ReferrerCreated>> MakeReferrerAsync(string companyId, string memberId, string? programmeId, CancellationToken ct)
    {
        var member = await (from m in db.AlumniMembers.AsNoTracking()
                            join k in db.CandidateKeys on m.CandidateId equals k.CandidateId
                            where m.Id == memberId && m.CompanyId == companyId && m.Status == AlumniStatus.Confirmed
                            select new { m, k.WrappedKey }).FirstOrDefaultAsync(ct);
        if (member is null) return ApiError.NotFound("alumni member");
        var key = cipher.UnwrapKey(member.WrappedKey);
        var details = cipher.OpenJson<AlumniDetails>(key, member.m.Details);
        if (!details.OpenTo.Contains(AlumniOpenTo.Referral)) return AlumniErrors.NotOpenToReferral;
        if (await db.Referrers.AnyAsync(r => r.AlumniMemberId == memberId, ct)) return AlumniErrors.AlreadyReferrer;
        var shownName = details.Share.Contains(AlumniFields.Name) ? details.Name : Texts.Format("Alumni.Anonymous", Lang.Japanese, memberId[^6..]);
        var created = await referrals.CreateReferrerAsync(companyId, programmeId, ReferrerTypes.Alumni, shownName, ct, memberId);
        if (created.Failed) return created.Error!;
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => c.Name).FirstAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, _ =>
        {
            outbox.Enqueue(db, member.m.CandidateId, key, "alumni-referrer", new MailContent(details.Email, Texts.Format("Mail.AlumniReferrer.Subject", member.m.Lang, company),
                Texts.Format("Mail.AlumniReferrer.Body", member.m.Lang, details.Name, company, created.Value!.LinkUrl, created.Value.StatusUrl), member.m.Lang), now);
            return Task.FromResult(0);
        }, ct);
        return created.Value!;
    }

    /// <summary>One-click unsubscribe of the welcome-back mails; true when the token was genuine.</summary>
    public async Task<bool> UnsubscribeAsync(string? token, CancellationToken ct)
    {
        var memberId = mailing.IdOf(UnsubscribePurpose, token);
        if (memberId is null) return false;
        await gate.RunAsync(db, t => db.AlumniMembers.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.JobMails, false), t), ct);
        return true;
    }

    public bool IsUnsubscribeToken(string? token) => mailing.IdOf(UnsubscribePurpose, token) is not null;
}

/// <summary>How the alumni use cases can fail, as values.</summary>
public static class AlumniErrors
{
    public static ApiError NotOpenToReferral => new(409, ProblemCodes.InvalidState, "Not open to referring",
        "This member did not say they are open to referring people.");

    public static ApiError AlreadyReferrer => new(409, ProblemCodes.InvalidState, "Already a referrer", "This member is already a referrer.");
}
