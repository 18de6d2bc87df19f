using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Ats;

/// <summary>Reading entrusted mails and the company's settings for them; shared by the API and the console.</summary>
public static class EntrustedMails
{
    /// <summary>A mail's state in the company's words: scheduled, sent, bounced, failed or cancelled.</summary>
    public static string StatusOf(string? outboxStatus, DateTime? cancelledAt, string? outcome) =>
        cancelledAt is not null ? EntrustedMailStatus.Cancelled : (outboxStatus ?? outcome) switch
        {
            OutboxStatus.Pending => EntrustedMailStatus.Scheduled,
            OutboxStatus.Sent => EntrustedMailStatus.Sent,
            OutboxStatus.Bounced => EntrustedMailStatus.Bounced,
            OutboxStatus.Cancelled => EntrustedMailStatus.Cancelled,
            null => EntrustedMailStatus.Purged,
            _ => EntrustedMailStatus.Failed,
        };

    /// <summary>A page in id (= creation) order, for the API's cursor paging.</summary>
    public static Task<List<EntrustedMailItem>> QueryAsync(CareerRelayDb db, string companyId, PageRequest page, CancellationToken ct) =>
        WithStatusAsync(db, db.EntrustedMails.AsNoTracking().Where(m => m.CompanyId == companyId).PageAfter(page, m => m.Id), ct);

    /// <summary>The newest mails first, for the console.</summary>
    public static async Task<List<EntrustedMailItem>> LatestAsync(CareerRelayDb db, string companyId, int count, CancellationToken ct) =>
        [.. (await WithStatusAsync(db, db.EntrustedMails.AsNoTracking().Where(m => m.CompanyId == companyId).OrderByDescending(m => m.Id).Take(count), ct))
            .OrderByDescending(m => m.Id, StringComparer.Ordinal)];

    private static async Task<List<EntrustedMailItem>> WithStatusAsync(CareerRelayDb db, IQueryable<EntrustedMail> mails, CancellationToken ct)
    {
        var rows = await (from m in mails
                          join o in db.OutboxMails on m.OutboxMailId equals o.Id into sent
                          from o in sent.DefaultIfEmpty()
                          select new { m.Id, m.ApplicationId, m.Source, m.Lang, m.SendAt, m.CreatedAt, m.CancelledAt, m.Outcome, OutboxStatus = o == null ? null : o.Status })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new EntrustedMailItem(r.Id, r.ApplicationId, r.Source, StatusOf(r.OutboxStatus, r.CancelledAt, r.Outcome), r.Lang, r.SendAt, r.CreatedAt))
            .ToList();
    }

    public static async Task<EntrustedSettings> SettingsAsync(CareerRelayDb db, string companyId, CancellationToken ct) =>
        await db.EntrustedSettings.AsNoTracking().FirstOrDefaultAsync(s => s.CompanyId == companyId, ct) ?? new EntrustedSettings { CompanyId = companyId };

    public static SettingsItem ToItem(EntrustedSettings s) => new(s.Tone, s.LinkId, s.SendTime, s.SenderName, s.ToneFollowsStage);

    public static async Task<Result<EntrustedSettings>> SaveSettingsAsync(CareerRelayDb db, DbWriteGate gate, string companyId, SettingsBody body, CancellationToken ct)
    {
        var v = new Validation();
        var tone = v.Optional("tone", body.Tone, 20) ?? "standard";
        if (!RejectionTemplate.Tones.Contains(tone)) v.Add("tone", "Error.OneOf", string.Join(", ", RejectionTemplate.Tones));
        var sendTime = v.Optional("sendTime", body.SendTime, 20) ?? EntrustedSendTimes.Now;
        if (!EntrustedSendTimes.All.Contains(sendTime)) v.Add("sendTime", "Error.OneOf", string.Join(", ", EntrustedSendTimes.All));
        var senderName = v.Optional("senderName", body.SenderName, 100);
        if (senderName is not null && senderName.IndexOfAny(['"', '<', '>', '@']) >= 0) v.Add("senderName", "Error.SenderName");
        var linkId = v.Optional("linkId", body.LinkId, 64);
        if (!v.IsValid) return v.ToError();
        if (linkId is not null && !await db.RelayLinks.AnyAsync(l => l.Id == linkId && l.CompanyId == companyId, ct)) return ApiError.Invalid("linkId", "Error.UnknownLink");
        return await gate.RunAsync(db, async t =>
        {
            var row = await db.EntrustedSettings.FirstOrDefaultAsync(s => s.CompanyId == companyId, t);
            if (row is null) db.EntrustedSettings.Add(row = new EntrustedSettings { CompanyId = companyId });
            row.Tone = tone;
            row.SendTime = sendTime;
            row.SenderName = senderName;
            row.LinkId = linkId;
            row.ToneFollowsStage = body.ToneFollowsStage ?? true;
            return row;
        }, ct);
    }
}

/// <summary>
/// 委託 retention: an entrusted mail's address is deleted <c>Mail:EntrustedRetentionDays</c> after its send time
/// (the outbox row goes; the entrusted row keeps only the application id and how the send ended). Runs hourly.
/// </summary>
public sealed class EntrustedRetention(IServiceScopeFactory scopes, IOptions<MailOptions> options, TimeProvider clock, ILogger<EntrustedRetention> logger)
    : PeriodicJob(TimeSpan.FromHours(1), runAtStart: true, logger)
{
    /// <summary>Deletes the addresses that are past retention; returns how many.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var gate = scope.ServiceProvider.GetRequiredService<DbWriteGate>();
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-options.Value.EntrustedRetentionDays);
        // Console uploads waiting for their "import" button hold addresses too: an hour is enough.
        var uploadCutoff = now.AddHours(-1);
        await gate.RunAsync(db, t => db.ImportUploads.Where(u => u.CreatedAt < uploadCutoff).ExecuteDeleteAsync(t), ct);
        var purged = 0;
        while (true)
        {
            var batch = await (from m in db.EntrustedMails.AsNoTracking().Where(m => m.PurgedAt == null && m.SendAt < cutoff)
                               join o in db.OutboxMails on m.OutboxMailId equals o.Id into sent
                               from o in sent.DefaultIfEmpty()
                               orderby m.SendAt, m.Id // oldest first, and a batch EF need not warn about on every start
                               select new { m.Id, m.OutboxMailId, Status = o == null ? null : o.Status }).Take(500).ToListAsync(ct);
            if (batch.Count == 0) return purged;
            await gate.RunAsync(db, async t =>
            {
                foreach (var group in batch.GroupBy(b => b.Status))
                {
                    var ids = group.Select(b => b.Id).ToList();
                    var outcome = group.Key ?? OutboxStatus.Dropped;
                    await db.EntrustedMails.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.PurgedAt, now).SetProperty(m => m.Outcome, outcome), t);
                }
                var outboxIds = batch.Select(b => b.OutboxMailId).ToList();
                return await db.OutboxMails.Where(o => outboxIds.Contains(o.Id)).ExecuteDeleteAsync(t);
            }, ct);
            purged += batch.Count;
        }
    }
}
