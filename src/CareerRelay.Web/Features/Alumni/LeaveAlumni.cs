using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Alumni;

/// <summary>
/// The person leaves a company's alumni network (from /me): what they entered is emptied, the company no longer lists them,
/// job mails stop, and a referral link made from the membership closes under an anonymous name. The company keeps its own
/// records of a re-hire (a day and a kind). Consents to agencies given with 転職支援 stay until the person withdraws them.
/// </summary>
public sealed class LeaveAlumni(CareerRelayDb db, DbWriteGate gate, TimeProvider clock)
{
    public async Task<bool> HandleAsync(string candidateId, string memberId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await gate.RunAsync(db, async t =>
        {
            var left = await db.AlumniMembers.Where(m => m.Id == memberId && m.CandidateId == candidateId && m.Status != AlumniStatus.Left)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, AlumniStatus.Left).SetProperty(m => m.Details, Array.Empty<byte>())
                    .SetProperty(m => m.JobMails, false).SetProperty(m => m.LeftAt, now), t);
            if (left == 0) return false;
            await ForgetReferrersAsync(db, [memberId], now, t);
            return true;
        }, ct);
    }

    /// <summary>Closes the referral links made from these memberships and replaces the name the company saw with an anonymous one.</summary>
    internal static Task ForgetReferrersAsync(CareerRelayDb db, IReadOnlyCollection<string> memberIds, DateTime now, CancellationToken ct) =>
        db.Referrers.Where(r => memberIds.Contains(r.AlumniMemberId!)).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Name, Texts.Get("Alumni.FormerMember", Lang.Japanese))
            .SetProperty(r => r.DeactivatedAt, r => r.DeactivatedAt ?? now), ct);

    /// <summary>Erasure: every membership of the person goes (rows and sealed answers), and any referrer made from one is forgotten.</summary>
    internal static async Task EraseAsync(CareerRelayDb db, string candidateId, DateTime now, CancellationToken ct)
    {
        var ids = await db.AlumniMembers.Where(m => m.CandidateId == candidateId).Select(m => m.Id).ToListAsync(ct);
        if (ids.Count == 0) return;
        await ForgetReferrersAsync(db, ids, now, ct);
        await db.AlumniMembers.Where(m => m.CandidateId == candidateId).ExecuteDeleteAsync(ct);
    }
}

/// <summary>How a member's answers read on a page, in the reader's language.</summary>
public static class AlumniView
{
    /// <summary>The shared fields with their values, in the form's order (empty answers say so).</summary>
    public static IEnumerable<(string Field, string Value)> SharedValues(AlumniDetails d, string lang) =>
        AlumniFields.All.Where(d.Share.Contains).Select(f => (f, Value(d.Shared(), f, lang)));

    public static string Value(SharedAlumni s, string field, string lang)
    {
        var none = Texts.Get("Alumni.NotGiven", lang);
        return field switch
        {
            AlumniFields.Name => s.Name ?? none,
            AlumniFields.Email => s.Email ?? none,
            AlumniFields.JoinedYear => s.JoinedYear?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? none,
            AlumniFields.LeftYear => s.LeftYear?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? none,
            AlumniFields.LastRole => s.LastRole ?? none,
            AlumniFields.OpenTo => s.OpenTo is { Count: > 0 } o ? string.Join(lang == Lang.English ? ", " : "、", o.Select(x => Texts.Get($"Alumni.OpenTo.{x}", lang))) : none,
            _ => none,
        };
    }
}
