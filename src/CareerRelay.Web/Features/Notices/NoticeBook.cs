using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Notices;

/// <summary>The versioned consent notice. Version 1 is written with the schema so a fresh install can register candidates at once.</summary>
public static class NoticeBook
{
    public static async Task<ConsentNotice> CurrentAsync(CareerRelayDb db, CancellationToken ct) =>
        await db.ConsentNotices.AsNoTracking().OrderByDescending(n => n.Version).FirstOrDefaultAsync(ct)
        ?? throw new InvalidOperationException("No consent notice exists; the initial migration writes version 1.");

    public static async Task<ConsentNotice> PublishAsync(CareerRelayDb db, string textJa, string textEn, DateTime now, CancellationToken ct)
    {
        var latest = await db.ConsentNotices.MaxAsync(n => (int?)n.Version, ct) ?? 0;
        var notice = new ConsentNotice { Version = latest + 1, TextJa = textJa, TextEn = textEn, CreatedAt = now };
        db.ConsentNotices.Add(notice);
        return notice;
    }
}
