using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>The person takes their data away (APPI art. 33, GDPR art. 20): everything held about them, and only theirs, as JSON.</summary>
public sealed class ExportCandidateData(CareerRelayDb db, CandidateVault vault, PersonalDataCipher cipher, ShowCandidateData show, TimeProvider clock)
{
    public async Task<CandidateExport?> HandleAsync(string candidateId, CancellationToken ct)
    {
        var view = await show.HandleAsync(candidateId, int.MaxValue, ct); // the download lists every read, not the page's latest
        if (view is null) return null;
        var (candidate, dataKey, _) = (await vault.OpenAsync(db, candidateId, ct))!;
        var registrations = await (from r in db.Registrations
                                   join c in db.Companies on r.CompanyId equals c.Id
                                   where r.CandidateId == candidateId
                                   orderby r.CreatedAt
                                   select new ExportedRegistration(r.Id, c.Name, r.Status, r.CreatedAt, r.VerifiedAt,
                                       db.Invitations.Where(i => i.Id == r.InvitationId).Select(i => i.Stage).FirstOrDefault())).ToListAsync(ct);
        var consents = await db.Consents.AsNoTracking().Where(c => c.CandidateId == candidateId).OrderBy(c => c.GivenAt).ToListAsync(ct);
        var names = view.Consents.Select(c => c.Agency).DistinctBy(a => a.Id).ToDictionary(a => a.Id);
        var file = await db.CandidateFiles.AsNoTracking().FirstOrDefaultAsync(f => f.CandidateId == candidateId, ct);
        return new CandidateExport(clock.GetUtcNow().UtcDateTime,
            new ExportedCandidate(candidateId, view.Profile, candidate.RecommendationMails, candidate.CreatedAt, candidate.UpdatedAt),
            file is null ? null : new ExportedResume(view.Resume!.FileName, file.Size, file.UploadedAt, Convert.ToBase64String(PersonalDataCipher.Open(dataKey, file.Content))),
            registrations,
            [.. consents.Select(c => new ExportedConsent(c.Id, names.GetValueOrDefault(c.AgencyId, new AgencyRef(c.AgencyId, c.AgencyId)), c.NoticeVersion, c.GivenAt, c.WithdrawnAt))],
            view.Provisions, view.Access, await ReferralApplicationsAsync(candidateId, dataKey, ct), await PlacementsAsync(candidateId, ct),
            [.. view.Alumni.Select(m => new ExportedMembership(m.Id, m.CompanyName, m.Status, m.ConfirmedAt, m.Details))],
            await MessagesAsync(candidateId, dataKey, ct), await InterviewsAsync(candidateId, ct),
            await Education.MyEducation.ExportAsync(db, candidateId, dataKey, candidate.CourseSuggestions, ct));
    }

    /// <summary>Every message between the person and an agency, both ways, with the agency's name.</summary>
    private async Task<List<ExportedMessage>> MessagesAsync(string candidateId, byte[] dataKey, CancellationToken ct)
    {
        var rows = await (from m in db.Messages
                          join a in db.Agencies on m.AgencyId equals a.Id
                          where m.CandidateId == candidateId
                          orderby m.Id
                          select new { m.Id, Agency = a.Name, m.Sender, m.Body, m.CreatedAt, m.ReadAt }).ToListAsync(ct);
        return [.. rows.Select(r => new ExportedMessage(r.Id, r.Agency, r.Sender, System.Text.Encoding.UTF8.GetString(PersonalDataCipher.Open(dataKey, r.Body)), r.CreatedAt, r.ReadAt))];
    }

    private async Task<List<ExportedInterview>> InterviewsAsync(string candidateId, CancellationToken ct)
    {
        var rows = await (from i in db.Interviews
                          join a in db.Agencies on i.AgencyId equals a.Id
                          where i.CandidateId == candidateId
                          orderby i.CreatedAt
                          select new { i.Id, Agency = a.Name, i.Status, i.Mode, i.Place, i.ChosenSlotId, i.CreatedAt }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var slots = (await db.InterviewSlots.AsNoTracking().Where(s => ids.Contains(s.InterviewId)).OrderBy(s => s.StartAt).ToListAsync(ct)).ToLookup(s => s.InterviewId);
        return [.. rows.Select(r => new ExportedInterview(r.Id, r.Agency, r.Status, r.Mode, r.Place,
            [.. slots[r.Id].Select(s => new Interviews.SlotItem(s.Id, Interviews.InterviewTimes.Jst(s.StartAt), Interviews.InterviewTimes.Jst(s.EndAt)))], r.ChosenSlotId, r.CreatedAt))];
    }

    /// <summary>The person's placements, what the agency recorded after them, and the person's own "still working there?" answers.</summary>
    private async Task<List<ExportedPlacement>> PlacementsAsync(string candidateId, CancellationToken ct)
    {
        var placements = await (from p in db.Placements
                                join a in db.Agencies on p.AgencyId equals a.Id
                                where p.CandidateId == candidateId
                                orderby p.StartDate
                                select new
                                {
                                    p.Id, Agency = a.Name, p.StartDate, p.EmploymentType,
                                    HiredBy = p.HiringCompanyName ?? db.Companies.Where(c => c.Id == p.CompanyId).Select(c => c.Name).FirstOrDefault(),
                                }).ToListAsync(ct);
        var ids = placements.Select(p => p.Id).ToList();
        var followUps = (await db.PlacementFollowUps.AsNoTracking().Where(f => ids.Contains(f.PlacementId)).OrderBy(f => f.Sequence).ToListAsync(ct))
            .ToLookup(f => f.PlacementId);
        var answers = (await db.PlacementChecks.AsNoTracking().Where(c => ids.Contains(c.PlacementId) && c.PersonAnswer != null).OrderBy(c => c.Month).ToListAsync(ct))
            .ToLookup(c => c.PlacementId);
        return [.. placements.Select(p => new ExportedPlacement(p.Id, p.Agency, p.HiredBy, p.StartDate, p.EmploymentType,
            [.. followUps[p.Id].Select(f => new ExportedFollowUp(f.CheckMonth, f.Status, f.LeftOn, f.Reason, f.CreatedAt))],
            [.. answers[p.Id].Select(c => new ExportedAnswer(c.Month, c.PersonAnswer!, c.PersonAnsweredAt!.Value))]))];
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
}

/// <summary>Everything the platform holds about the person, and only theirs (the JSON of SPEC §6 "export").</summary>
public sealed record CandidateExport(DateTime ExportedAt, ExportedCandidate Candidate, ExportedResume? Resume,
    IReadOnlyList<ExportedRegistration> Registrations, IReadOnlyList<ExportedConsent> Consents,
    IReadOnlyList<ProvisionView> ProvisionRecords, IReadOnlyList<AccessView> AccessLog, IReadOnlyList<ExportedReferralApplication>? ReferralApplications = null,
    IReadOnlyList<ExportedPlacement>? Placements = null, IReadOnlyList<ExportedMembership>? AlumniMemberships = null,
    IReadOnlyList<ExportedMessage>? Messages = null, IReadOnlyList<ExportedInterview>? Interviews = null,
    Education.ExportedEducation? Education = null);
/// <summary>A message between the person and an agency; <c>sender</c> is <c>agency</c> or <c>person</c>.</summary>
public sealed record ExportedMessage(string Id, string Agency, string Sender, string Text, DateTime CreatedAt, DateTime? ReadAt);
/// <summary>A 面談 an agency proposed: its times (JST), which one the person chose, where it stands.</summary>
public sealed record ExportedInterview(string Id, string Agency, string Status, string Mode, string? Place, IReadOnlyList<Interviews.SlotItem> Slots,
    string? ChosenSlotId, DateTime CreatedAt);
/// <summary>An alumni network the person joined: the company, since when, what they entered and which of it the company sees (share).</summary>
public sealed record ExportedMembership(string Id, string Company, string Status, DateTime? ConfirmedAt, Alumni.AlumniDetails? Details);
/// <summary>A placement of the person: through which agency, where, from when; what the agency recorded after it; the person's own answers.</summary>
public sealed record ExportedPlacement(string Id, string Agency, string? HiredBy, DateOnly StartDate, string? EmploymentType,
    IReadOnlyList<ExportedFollowUp> FollowUps, IReadOnlyList<ExportedAnswer> YourAnswers);
public sealed record ExportedFollowUp(int CheckMonth, string Status, DateOnly? LeftOn, string? Reason, DateTime RecordedAt);
public sealed record ExportedAnswer(int Month, string Answer, DateTime AnsweredAt);
/// <summary>An application the person made through a referral link: to whom, for which job, how far, and what they shared.</summary>
public sealed record ExportedReferralApplication(string Id, string Company, string Job, string Stage, DateTime CreatedAt, DateTime? VerifiedAt,
    Referrals.ReferralShare Shared);
public sealed record ExportedCandidate(string Id, CandidateProfile Profile, bool RecommendationMails, DateTime CreatedAt, DateTime UpdatedAt);
public sealed record ExportedResume(string FileName, int Size, DateTime UploadedAt, string ContentBase64);
public sealed record ExportedRegistration(string Id, string Company, string Status, DateTime CreatedAt, DateTime? VerifiedAt, string? Stage = null);
public sealed record ExportedConsent(string Id, AgencyRef Agency, int NoticeVersion, DateTime GivenAt, DateTime? WithdrawnAt);
