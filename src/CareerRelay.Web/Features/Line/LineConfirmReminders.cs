using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Line;

/// <summary>
/// A person on LINE whose registration still waits for confirmation a day later is reminded there, once: where the
/// confirmation mail came from and until when its link works (the link itself stays in the mail). Every ten minutes;
/// each registration is claimed by a conditional update. Mail has no such reminder: the mail already is one.
/// </summary>
public sealed class LineConfirmReminders(IServiceScopeFactory scopes, IOptions<LineOptions> line, TimeProvider clock, ILogger<LineConfirmReminders> logger)
    : PeriodicJob(TimeSpan.FromMinutes(10), runAtStart: false, logger)
{
    public static readonly TimeSpan After = TimeSpan.FromDays(1);

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        if (!line.Value.Enabled) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var gate = scope.ServiceProvider.GetRequiredService<DbWriteGate>();
        var vault = scope.ServiceProvider.GetRequiredService<Candidates.CandidateVault>();
        var pushes = scope.ServiceProvider.GetRequiredService<LinePushes>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await (from l in db.LineLinks
                         join r in db.Registrations on l.CandidateId equals r.CandidateId
                         join c in db.Companies on r.CompanyId equals c.Id
                         where l.Notify && r.Status == RegistrationStatus.PendingVerification && r.ConfirmRemindedAt == null
                             && r.CreatedAt <= now - After && r.CodeExpiresAt > now
                         orderby r.CreatedAt
                         select new { r.Id, r.CandidateId, r.Lang, r.CodeExpiresAt, Company = c.Name }).Take(200).ToListAsync(ct);
        var sent = 0;
        foreach (var x in due)
        {
            if (await db.CandidateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.CandidateId == x.CandidateId, ct) is not { } key) continue;
            var text = Texts.Format("Line.ConfirmReminder", x.Lang, x.Company, Texts.Get("Mail.Verify.Subject", x.Lang),
                JapanCalendar.ToJst(x.CodeExpiresAt).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            await gate.RunAsync(db, async t =>
            {
                var claimed = await db.Registrations.Where(r => r.Id == x.Id && r.ConfirmRemindedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConfirmRemindedAt, now), t);
                if (claimed == 1 && await pushes.QueueAsync(db, x.CandidateId, vault.Unwrap(key), "line-confirm-reminder", text, null, now, t)) sent++;
                return 0;
            }, ct);
        }
        return sent;
    }
}
