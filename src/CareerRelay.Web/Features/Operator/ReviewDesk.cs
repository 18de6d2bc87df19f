using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Web.Features.Operator;

/// <summary>A held referral as the desk lists it: the signal, where it came in, and the counts that help judge it.</summary>
public sealed record HoldRow(string Id, string? Signal, string CompanyId, string CompanyName, string LinkId, string LinkLabel, bool LinkBanned,
    DateTime CreatedAt, DateTime? VerifiedAt, int LinkRegistrationsDay, int LinkHeld, int SameAddressHour, int Notes);

/// <summary>A decided hold: what was decided, by whom, when, on which signal, and where the referral stands now.</summary>
public sealed record ResolvedRow(string Id, string Action, string? Signal, string Status, string ActorName, string? Note, DateTime DecidedAt,
    string CompanyName, string LinkLabel);

/// <summary>One step in a held referral's life.</summary>
public sealed record TimelineEvent(DateTime At, string Kind, string? Actor, string? Note);

public sealed record HoldDetail(HoldRow? Held, string Status, string CompanyName, string LinkId, string LinkLabel, bool LinkBanned,
    IReadOnlyList<TimelineEvent> Timeline);

public sealed record BanState(string Id, string Kind, bool Banned, DateTime? BannedAt);

/// <summary>What one bulk action did: how many it decided, and the ids it could not with the reason in a word.</summary>
public sealed record BulkOutcome(int Done, IReadOnlyList<(string Id, string Problem)> Skipped);

/// <summary>
/// 運営の審査デスク (/operator/holds): the fraud holds queue with the signal, the link and company and the counts around it;
/// notes; release and reverse one by one or in bulk; bans of a link (later registrations through it are held) or a referrer
/// (their link closes); the decided list with who decided. Every action is a <see cref="ReviewAction"/>.
/// </summary>
public sealed class ReviewDesk(CareerRelayDb db, DbWriteGate gate, ReferralDecisions decisions, TimeProvider clock)
{
    public const int PageSize = 200, MaxNote = 1000, MaxBulk = 200;

    /// <summary>What a timeline shows, in words of the page (<c>Review.Event.{kind}</c>).</summary>
    [Infrastructure.Localization.TextKeys("Review.Event.{0}")]
    public static readonly string[] TimelineKinds =
        ["registered", "verified", "held", ReviewActions.Note, ReviewActions.Release, ReviewActions.Reverse, "qualified", "link_ban", "link_unban"];

    public async Task<Reviewer> ReviewerAsync(string keyId, CancellationToken ct) =>
        new(keyId, await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.Name).FirstOrDefaultAsync(ct) ?? keyId);

    /// <summary>The held referrals (of one signal, or one referral when <paramref name="onlyId"/> is given), oldest confirmation first.</summary>
    public async Task<IReadOnlyList<HoldRow>> HeldAsync(string? signal, CancellationToken ct, string? onlyId = null)
    {
        var query = db.Registrations.AsNoTracking().Where(r => r.Status == RegistrationStatus.Held);
        if (!string.IsNullOrEmpty(signal)) query = query.Where(r => r.HoldReason == signal);
        if (onlyId is not null) query = query.Where(r => r.Id == onlyId);
        var rows = await (from r in query
                          join c in db.Companies on r.CompanyId equals c.Id
                          join l in db.RelayLinks on r.LinkId equals l.Id
                          orderby r.VerifiedAt, r.Id
                          select new { r.Id, r.HoldReason, r.CompanyId, CompanyName = c.Name, r.LinkId, l.Label, Banned = l.BannedAt != null, r.CreatedAt, r.VerifiedAt, r.IpHash })
            .Take(PageSize).ToListAsync(ct);
        if (rows.Count == 0) return [];
        // The counts around each hold, in three grouped queries for the page (not three per row).
        var linkIds = rows.Select(r => r.LinkId).Distinct().ToList();
        var ips = rows.Select(r => r.IpHash).Distinct().ToList();
        var ids = rows.Select(r => r.Id).ToList();
        var dayAgo = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        var onLink = await db.Registrations.AsNoTracking().Where(r => linkIds.Contains(r.LinkId))
            .GroupBy(r => r.LinkId)
            .Select(g => new { LinkId = g.Key, Day = g.Count(r => r.CreatedAt >= dayAgo), Held = g.Count(r => r.Status == RegistrationStatus.Held) })
            .ToDictionaryAsync(x => x.LinkId, ct);
        // Only the hours around the listed holds: an address shared by a whole campus may have thousands of registrations.
        var (earliest, latest) = (rows.Min(r => r.CreatedAt).AddHours(-1), rows.Max(r => r.CreatedAt).AddHours(1));
        var fromIp = await db.Registrations.AsNoTracking().Where(r => ips.Contains(r.IpHash) && r.CreatedAt >= earliest && r.CreatedAt <= latest)
            .Select(r => new { r.IpHash, r.CreatedAt }).ToListAsync(ct);
        var notes = await db.ReviewActions.AsNoTracking()
            .Where(a => a.SubjectType == ReviewSubjects.Referral && ids.Contains(a.SubjectId) && a.Action == ReviewActions.Note)
            .GroupBy(a => a.SubjectId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return rows.Select(r => new HoldRow(r.Id, r.HoldReason, r.CompanyId, r.CompanyName, r.LinkId, r.Label, r.Banned, r.CreatedAt, r.VerifiedAt,
            onLink[r.LinkId].Day, onLink[r.LinkId].Held,
            // Registrations from the same (hashed) address within an hour either side of this one.
            fromIp.Count(x => x.IpHash == r.IpHash && Math.Abs((x.CreatedAt - r.CreatedAt).TotalHours) <= 1),
            notes.GetValueOrDefault(r.Id))).ToList();
    }

    public async Task<IReadOnlyList<ResolvedRow>> ResolvedAsync(CancellationToken ct) =>
        await (from a in db.ReviewActions.AsNoTracking()
               where a.SubjectType == ReviewSubjects.Referral && (a.Action == ReviewActions.Release || a.Action == ReviewActions.Reverse)
               join r in db.Registrations on a.SubjectId equals r.Id
               join c in db.Companies on r.CompanyId equals c.Id
               join l in db.RelayLinks on r.LinkId equals l.Id
               orderby a.CreatedAt descending, a.Id descending
               select new ResolvedRow(r.Id, a.Action, a.Signal, r.Status, a.ActorName, a.Note, a.CreatedAt, c.Name, l.Label))
            .Take(PageSize).ToListAsync(ct);

    /// <summary>A referral's life: registered, confirmed, held, every note and decision with who made it, and where it stands.</summary>
    public async Task<HoldDetail?> DetailAsync(string id, CancellationToken ct)
    {
        var r = await (from x in db.Registrations.AsNoTracking()
                       join c in db.Companies on x.CompanyId equals c.Id
                       join l in db.RelayLinks on x.LinkId equals l.Id
                       where x.Id == id
                       select new { x.Id, x.Status, x.HoldReason, x.CreatedAt, x.VerifiedAt, x.QualifiedAt, x.ReversedAt, c.Name, x.LinkId, l.Label, Banned = l.BannedAt != null })
            .FirstOrDefaultAsync(ct);
        if (r is null) return null;
        var actions = await db.ReviewActions.AsNoTracking()
            .Where(a => (a.SubjectType == ReviewSubjects.Referral && a.SubjectId == id) || (a.SubjectType == ReviewSubjects.Link && a.SubjectId == r.LinkId))
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct);
        var timeline = new List<TimelineEvent> { new(r.CreatedAt, "registered", null, null) };
        if (r.VerifiedAt is { } verified) timeline.Add(new(verified, "verified", null, null));
        var signal = r.HoldReason ?? actions.FirstOrDefault(a => a.Signal is not null)?.Signal;
        if (signal is not null && r.VerifiedAt is { } heldAt) timeline.Add(new(heldAt, "held", null, signal));
        timeline.AddRange(actions.Select(a => new TimelineEvent(a.CreatedAt, a.SubjectType == ReviewSubjects.Link ? $"link_{a.Action}" : a.Action, a.ActorName, a.Note)));
        if (r.QualifiedAt is { } qualified) timeline.Add(new(qualified, "qualified", null, null));
        var held = r.Status == RegistrationStatus.Held ? (await HeldAsync(null, ct, id)).FirstOrDefault() : null;
        return new HoldDetail(held, r.Status, r.Name, r.LinkId, r.Label, r.Banned, timeline.OrderBy(e => e.At).ToList());
    }

    public async Task<Result<bool>> NoteAsync(string id, string? text, Reviewer reviewer, CancellationToken ct)
    {
        var v = new Validation();
        var note = v.Required("note", text, MaxNote, multiline: true);
        if (!v.IsValid) return v.ToError();
        if (!await db.Registrations.AnyAsync(r => r.Id == id, ct)) return ApiError.NotFound("referral");
        await gate.RunAsync(db, _ => { db.ReviewActions.Add(Action(ReviewSubjects.Referral, id, ReviewActions.Note, reviewer, note)); return Task.FromResult(0); }, ct);
        return true;
    }

    /// <summary>Releases or reverses each id on its own (one failing does not stop the others); says what it did.</summary>
    public async Task<Result<BulkOutcome>> DecideAsync(IReadOnlyList<string> ids, string action, string? reason, Reviewer reviewer, CancellationToken ct)
    {
        var v = new Validation();
        if (ids.Count is < 1 or > MaxBulk) v.Add("ids", "Review.Error.Choose", MaxBulk);
        if (action is not (ReviewActions.Release or ReviewActions.Reverse)) v.Add("decision", "Error.OneOf", "release, reverse");
        var why = action == ReviewActions.Reverse ? v.Required("reason", reason, 500) : null;
        if (!v.IsValid) return v.ToError();
        var done = 0;
        var skipped = new List<(string, string)>();
        foreach (var id in ids.Distinct())
        {
            var result = action == ReviewActions.Release ? await decisions.ReleaseAsync(id, reviewer, ct) : await decisions.ReverseAsync(id, why!, reviewer, ct);
            if (result.Failed) skipped.Add((id, result.Error!.Code));
            else done++;
        }
        return new BulkOutcome(done, skipped);
    }

    /// <summary>Bans or unbans a relay link (later registrations through it are held) or a referrer (their link closes); null: no such id.</summary>
    public async Task<BanState?> BanAsync(string id, bool ban, string? note, Reviewer reviewer, CancellationToken ct) =>
        await gate.RunAsync<BanState?>(db, async t =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (await db.RelayLinks.FirstOrDefaultAsync(l => l.Id == id, t) is { } link)
            {
                if ((link.BannedAt is not null) != ban)
                {
                    link.BannedAt = ban ? now : null;
                    db.ReviewActions.Add(Action(ReviewSubjects.Link, id, ban ? ReviewActions.Ban : ReviewActions.Unban, reviewer, note));
                }
                return new BanState(id, ReviewSubjects.Link, link.BannedAt is not null, link.BannedAt);
            }
            if (await db.Referrers.FirstOrDefaultAsync(r => r.Id == id, t) is { } referrer)
            {
                if ((referrer.BannedAt is not null) != ban)
                {
                    referrer.BannedAt = ban ? now : null;
                    db.ReviewActions.Add(Action(ReviewSubjects.Referrer, id, ban ? ReviewActions.Ban : ReviewActions.Unban, reviewer, note));
                }
                return new BanState(id, ReviewSubjects.Referrer, referrer.BannedAt is not null, referrer.BannedAt);
            }
            return null;
        }, ct);

    /// <summary>The bans in force, newest first: what the desk shows so a ban is never forgotten.</summary>
    public async Task<IReadOnlyList<(string Id, string Kind, string Label, string CompanyName, DateTime BannedAt)>> BansAsync(CancellationToken ct)
    {
        var links = await (from l in db.RelayLinks.AsNoTracking() where l.BannedAt != null
                           join c in db.Companies on l.CompanyId equals c.Id
                           select new { l.Id, l.Label, c.Name, BannedAt = l.BannedAt!.Value }).ToListAsync(ct);
        var referrers = await (from r in db.Referrers.AsNoTracking() where r.BannedAt != null
                               join c in db.Companies on r.CompanyId equals c.Id
                               select new { r.Id, r.Name, Company = c.Name, BannedAt = r.BannedAt!.Value }).ToListAsync(ct);
        return links.Select(l => (l.Id, ReviewSubjects.Link, l.Label, l.Name, l.BannedAt))
            .Concat(referrers.Select(r => (r.Id, ReviewSubjects.Referrer, r.Name, r.Company, r.BannedAt)))
            .OrderByDescending(b => b.Item5).ToList();
    }

    private ReviewAction Action(string subjectType, string subjectId, string action, Reviewer reviewer, string? note) => new()
    {
        Id = Ids.New(), SubjectType = subjectType, SubjectId = subjectId, Action = action, ActorId = reviewer.Id, ActorName = reviewer.Name,
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(), CreatedAt = clock.GetUtcNow().UtcDateTime,
    };
}
