using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Referrals;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Surveys;

namespace CareerRelay.Web.Features.Companies;

/// <summary>
/// パートナー貢献度, for one company: what each agency and each partner organisation (referrers of type partner or
/// school) brought to its loop. Agencies: registrations relayed to them, their placements of this company's people,
/// the satisfaction of those people. Organisations: people they referred in, of those relayed after 不採用 how many
/// registered, placements (hired here, or placed elsewhere after the relay), satisfaction. Satisfaction only from five
/// answers up; counts only, never a person.
/// </summary>
public sealed class PartnerContribution(CareerRelayDb db)
{
    public sealed record AgencyContribution(string AgencyId, string Name, int RegistrationsRelayed, int Placements, Satisfaction Satisfaction);
    public sealed record OrganisationContribution(string ReferrerId, string Name, string Type, int ReferralsIn, int RegistrationsRelayed, int Placements,
        Satisfaction Satisfaction);
    public sealed record Contribution(IReadOnlyList<AgencyContribution> Agencies, IReadOnlyList<OrganisationContribution> Organisations);

    public async Task<Contribution> ForCompanyAsync(string companyId, CancellationToken ct)
    {
        var relayed = await (from c in db.Consents
                             join r in db.Registrations on c.RegistrationId equals r.Id
                             join a in db.Agencies on c.AgencyId equals a.Id
                             where r.CompanyId == companyId && r.Status != RegistrationStatus.PendingVerification
                             select new { c.AgencyId, a.Name, r.Id }).ToListAsync(ct);
        var placements = await db.Placements.AsNoTracking().Where(p => p.ReferringCompanyId == companyId)
            .Select(p => new { p.AgencyId, p.CandidateId }).ToListAsync(ct);
        var surveys = await (from s in db.Surveys
                             join c in db.Consents on s.RegistrationId equals c.RegistrationId
                             where s.CompanyId == companyId && s.Score != null
                             select new { c.AgencyId, s.RegistrationId, Score = s.Score!.Value }).ToListAsync(ct);
        var agencies = relayed.GroupBy(r => (r.AgencyId, r.Name)).Select(g => new AgencyContribution(g.Key.AgencyId, g.Key.Name,
                g.Select(r => r.Id).Distinct().Count(), placements.Count(p => p.AgencyId == g.Key.AgencyId),
                Satisfaction.Of(surveys.Where(s => s.AgencyId == g.Key.AgencyId).Select(s => s.Score).ToList())))
            .OrderByDescending(a => a.RegistrationsRelayed).ThenBy(a => a.Name).ToList();

        var organisations = await db.Referrers.AsNoTracking()
            .Where(r => r.CompanyId == companyId && (r.Type == ReferrerTypes.Partner || r.Type == ReferrerTypes.School))
            .Select(r => new { r.Id, r.Name, r.Type }).ToListAsync(ct);
        var ids = organisations.Select(o => o.Id).ToList();
        var applications = await db.ReferralApplications.AsNoTracking().Where(a => ids.Contains(a.ReferrerId) && a.VerifiedAt != null)
            .Select(a => new { a.Id, a.ReferrerId, a.CandidateId, a.Stage }).ToListAsync(ct);
        // A relayed referral's invitation carries "referral-{application id}" as its external reference (see ManageReferrals).
        var refs = applications.Select(a => "referral-" + a.Id).ToList();
        var registrations = await (from i in db.Invitations
                                   join r in db.Registrations on i.Id equals r.InvitationId
                                   where i.CompanyId == companyId && refs.Contains(i.ExternalRef!) && r.Status != RegistrationStatus.PendingVerification
                                   select new { i.ExternalRef, r.Id, r.CandidateId }).ToListAsync(ct);
        var registrationIds = registrations.Select(r => r.Id).ToList();
        var relayedScores = await db.Surveys.AsNoTracking().Where(s => registrationIds.Contains(s.RegistrationId) && s.Score != null)
            .Select(s => new { s.RegistrationId, Score = s.Score!.Value }).ToListAsync(ct);
        var result = organisations.Select(o =>
        {
            var apps = applications.Where(a => a.ReferrerId == o.Id).ToList();
            var regs = registrations.Where(r => apps.Any(a => "referral-" + a.Id == r.ExternalRef)).ToList();
            var placedElsewhere = placements.Count(p => regs.Any(r => r.CandidateId == p.CandidateId));
            return new OrganisationContribution(o.Id, o.Name, o.Type, apps.Count, regs.Count, apps.Count(a => a.Stage == ReferralStages.Hired) + placedElsewhere,
                Satisfaction.Of(relayedScores.Where(s => regs.Any(r => r.Id == s.RegistrationId)).Select(s => s.Score).ToList()));
        }).OrderByDescending(o => o.ReferralsIn).ThenBy(o => o.Name).ToList();
        return new Contribution(agencies, result);
    }
}
