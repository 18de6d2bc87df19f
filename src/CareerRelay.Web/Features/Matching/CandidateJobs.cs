using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Jobs;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// おすすめ求人 for a person: open jobs of the companies their agencies work with (partners, or companies that
/// chose none), ranked by the same score, never from a company they asked to exclude (e.g. their employer), and not from
/// the companies that rejected them unless they ask to see those too — a relay leads to other companies.
/// </summary>
public sealed class CandidateJobs(CareerRelayDb db, TimeProvider clock)
{
    public const int Shown = 10;

    public async Task<IReadOnlyList<JobRecommendations.Recommendation>> RecommendAsync(string candidateId, CandidateProfile profile, string lang, CancellationToken ct)
    {
        var agencies = db.Consents.Where(c => c.CandidateId == candidateId && c.WithdrawnAt == null).Select(c => c.AgencyId);
        if (!await agencies.AnyAsync(ct)) return []; // no agency works with them: nothing to recommend
        var rejectedBy = profile.IncludeRejectingCompanies == true ? db.Companies.Where(_ => false).Select(c => c.Id)
            : db.Registrations.Where(r => r.CandidateId == candidateId).Select(r => r.CompanyId);
        var jobs = await (from j in db.Jobs
                          join c in db.Companies on j.CompanyId equals c.Id
                          where j.Status == "open" && !rejectedBy.Contains(j.CompanyId)
                              && (db.CompanyPartnerAgencies.Any(p => p.CompanyId == j.CompanyId && agencies.Contains(p.AgencyId))
                                  || !db.CompanyPartnerAgencies.Any(p => p.CompanyId == j.CompanyId))
                          orderby j.CreatedAt descending
                          select new { Job = j, c.Name }).Take(2000).ToListAsync(ct);
        var excluded = (profile.ExcludedCompanies ?? []).Select(Normalise).Where(x => x.Length > 0).ToList();
        var visible = jobs.Where(x => !excluded.Any(e => Normalise(x.Name).Contains(e, StringComparison.Ordinal) || e.Contains(Normalise(x.Name), StringComparison.Ordinal)))
            .Select(x => (x.Job, x.Name)).ToList();
        return JobRecommendations.Rank(CandidateFeatures.From(candidateId, profile), visible, clock.GetUtcNow().UtcDateTime, lang, Shown);
    }

    /// <summary>Company names compared without legal-form words and spacing: 「株式会社みどり商会」 = 「みどり商会」.</summary>
    public static string Normalise(string name) =>
        name.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant()
            .Replace("株式会社", "").Replace("(株)", "").Replace("有限会社", "").Replace("合同会社", "").Replace(" ", "").Replace("　", "").Trim();
}
