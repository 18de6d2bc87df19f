using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>The person corrects their profile on /me (APPI art. 34, GDPR art. 16); the address, their sign-in and dedupe key, stays.</summary>
public sealed class UpdateCandidateProfile(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, LookupHasher hasher,
    Matching.MatchIndexer matchIndex, TimeProvider clock)
{
    public const int MaxWorkHistory = 20;

    /// <summary>How many 職業分類 codes a person may name as desired occupations.</summary>
    public const int MaxOccupationCodes = 3;
    public const int MaxCareerSummary = 4000;

    public async Task<Result<CandidateProfile>> HandleAsync(string candidateId, ProfileEdit edit, string lang, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return ApiError.NotFound("candidate");
        var (_, dataKey, current) = opened;

        var v = new Validation();
        var basics = CandidateProfile.Basics(v, edit.Name, current.Email, edit.NameKana, edit.Phone, edit.Prefecture, edit.DesiredOccupation, edit.Skills);
        var history = ValidateHistory(edit.WorkHistory, v, lang);
        var summary = v.Optional("careerSummary", edit.CareerSummary, MaxCareerSummary, multiline: true);
        var status = string.IsNullOrWhiteSpace(edit.JobSearchStatus) ? null : edit.JobSearchStatus.Trim();
        if (status is not null && !JobSearchStatuses.All.Contains(status)) v.Add("jobSearchStatus", "Error.Invalid");
        var excluded = (edit.ExcludedCompanies ?? []).Select(x => x.Trim()).Where(x => x.Length > 0).Distinct().ToList();
        if (excluded.Count > 20) v.Add("excludedCompanies", "Error.TooMany", 20);
        else if (excluded.Any(x => x.Length > 200 || x.Any(char.IsControl))) v.Add("excludedCompanies", "Error.ItemTooLong", 200);
        if (edit.YearsOfExperience is < 0 or > 60) v.Add("yearsOfExperience", "Error.Invalid");
        if (edit.DesiredSalary is < 0 or > 100_000_000) v.Add("desiredSalary", "Error.Invalid");
        var occupationCodes = (edit.DesiredOccupationCodes ?? []).Distinct().ToList();
        if (occupationCodes.Count > MaxOccupationCodes) v.Add("desiredOccupationCodes", "Error.TooMany", MaxOccupationCodes);
        else if (!occupationCodes.All(Matching.Occupations.IsValid)) v.Add("desiredOccupationCodes", "Error.Invalid");
        if (!v.IsValid) return v.ToError(lang);

        // How far the person got at the companies that relayed them: theirs to share with agencies or not (the furthest one).
        var sharedStage = edit.ShareStage ? await FurthestStageAsync(db, candidateId, ct) : null;
        var profile = basics with
        {
            SharedStage = sharedStage,
            // Not edited here: the school has its own form, completed courses come only from a provider and the person's confirmation.
            School = current.School, CompletedCourses = current.CompletedCourses,
            WorkHistory = history, CareerSummary = summary, JobSearchStatus = status, ExcludedCompanies = excluded,
            YearsOfExperience = edit.YearsOfExperience, DesiredSalary = edit.DesiredSalary, WillingToRelocate = edit.WillingToRelocate,
            DesiredOccupationCodes = occupationCodes, IncludeRejectingCompanies = edit.IncludeRejectingCompanies ? true : null,
        };
        var phone = PersonIdentity.NormalisePhone(profile.Phone);
        var sealedProfile = vault.Seal(dataKey, profile);
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            var candidate = await db.Candidates.FirstAsync(c => c.Id == candidateId, token);
            candidate.Profile = sealedProfile;
            candidate.PhoneHash = phone is null ? null : hasher.Person("phone:" + phone);
            candidate.RecommendationMails = edit.RecommendationMails;
            candidate.UpdatedAt = now;
            return 0;
        }, ct);
        matchIndex.Forget(candidateId); // other nodes follow candidates.updated_at
        return profile;
    }

    /// <summary>The furthest selection stage the rejecting companies' ATS named for this person's invitations (null: none).</summary>
    private static async Task<string?> FurthestStageAsync(CareerRelayDb db, string candidateId, CancellationToken ct) =>
        (await (from r in db.Registrations
                join i in db.Invitations on r.InvitationId equals i.Id
                where r.CandidateId == candidateId && i.Stage != null
                select i.Stage).ToListAsync(ct)).Aggregate((string?)null, Links.SelectionStages.Further);

    private static List<WorkHistoryItem> ValidateHistory(List<WorkHistoryItem>? items, Validation v, string lang)
    {
        var kept = new List<WorkHistoryItem>();
        foreach (var (item, i) in (items ?? []).Select((x, i) => (x, i)))
        {
            string? Clean(string? s, int max, bool multiline = false)
            {
                var t = s?.Trim();
                if (string.IsNullOrEmpty(t)) return null;
                if (t.Length > max || t.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))) v.Add($"workHistory[{i}]", "Error.Invalid");
                return t;
            }
            var company = Clean(item.Company, 200);
            var title = Clean(item.Title, 200);
            var from = Clean(item.From, 7);
            var to = Clean(item.To, 7);
            var description = Clean(item.Description, 2000, multiline: true);
            if (company is null && title is null && from is null && to is null && description is null) continue; // an empty row of the form
            if (company is null) v.Add($"workHistory[{i}]", "Error.WorkCompany");
            foreach (var month in new[] { from, to })
                if (month is not null && !DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", out _)) v.Add($"workHistory[{i}]", "Error.Month");
            if (from is not null && to is not null && string.CompareOrdinal(from, to) > 0) v.Add($"workHistory[{i}]", "Error.MonthOrder");
            kept.Add(new WorkHistoryItem(company ?? "", title, from, to, description));
        }
        if (kept.Count > MaxWorkHistory) v.Add("workHistory", "Error.TooMany", MaxWorkHistory);
        return kept;
    }
}

/// <summary>The editable profile (the email address is the sign-in and dedupe key and is not changed here).</summary>
public sealed record ProfileEdit(string? Name, string? NameKana, string? Phone, string? Prefecture, string? DesiredOccupation,
    List<string?>? Skills, List<WorkHistoryItem>? WorkHistory, string? CareerSummary, string? JobSearchStatus, bool RecommendationMails,
    List<string>? ExcludedCompanies = null, int? YearsOfExperience = null, int? DesiredSalary = null, bool WillingToRelocate = false,
    List<string>? DesiredOccupationCodes = null, bool IncludeRejectingCompanies = false, bool ShareStage = false);
