using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Jobs;

/// <summary>Posting, editing and closing jobs — shared by the API and the console.</summary>
public sealed class JobActions(CareerRelayDb db, DbWriteGate gate, TimeProvider clock)
{
    public async Task<Result<Job>> CreateAsync(string companyId, JobRequest body, CancellationToken ct)
    {
        var valid = Validate(body);
        if (valid.Failed) return valid.Error!;
        var now = clock.GetUtcNow().UtcDateTime;
        var job = new Job
        {
            Id = Ids.New(), CompanyId = companyId, Title = "", Description = "", Prefecture = "", EmploymentType = "",
            Status = "open", CreatedAt = now, UpdatedAt = now,
        };
        valid.Value!(job);
        await gate.RunAsync(db, _ => { db.Jobs.Add(job); return Task.FromResult(0); }, ct);
        return job;
    }

    /// <summary>Replaces the job's fields (the status stays); 404 when it is not this company's.</summary>
    public async Task<Result<Job>> UpdateAsync(string companyId, string id, JobRequest body, CancellationToken ct)
    {
        var valid = Validate(body);
        if (valid.Failed) return valid.Error!;
        var job = await gate.RunAsync(db, async token =>
        {
            var found = await db.Jobs.FirstOrDefaultAsync(j => j.Id == id && j.CompanyId == companyId, token);
            if (found is null) return null;
            valid.Value!(found);
            found.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            return found;
        }, ct);
        return job is null ? ApiError.NotFound("job") : job;
    }

    /// <summary>Closes the job; null when it is not this company's.</summary>
    public Task<Job?> CloseAsync(string companyId, string id, CancellationToken ct) =>
        gate.RunAsync(db, async token =>
        {
            var found = await db.Jobs.FirstOrDefaultAsync(j => j.Id == id && j.CompanyId == companyId, token);
            if (found is not null) { found.Status = "closed"; found.UpdatedAt = clock.GetUtcNow().UtcDateTime; }
            return found;
        }, ct);

    public const int MaxTitle = 200, MaxDescription = 20_000;

    /// <summary>Checks every field at once; on success, answers how to write them onto a job.</summary>
    private static Result<Action<Job>> Validate(JobRequest body)
    {
        var v = new Validation();
        var title = v.Required("title", body.Title, MaxTitle);
        var description = v.Optional("description", body.Description, MaxDescription, multiline: true) ?? "";
        if (description.Length == 0) v.Add("description", "Error.Required");
        var prefecture = v.Required("prefecture", body.Prefecture, 2);
        if (prefecture.Length > 0 && !Prefectures.IsValid(prefecture)) v.Add("prefecture", "Error.Prefecture");
        if (body.Skills is null) v.Add("skills", "Error.StringArray");
        var skills = v.Strings("skills", body.Skills, 50, 100);
        var employmentType = v.Required("employmentType", body.EmploymentType, 20);
        if (employmentType.Length > 0 && !EmploymentTypes.All.Contains(employmentType))
            v.Add("employmentType", "Error.OneOf", string.Join(", ", EmploymentTypes.All));
        var occupation = v.Optional("occupationCode", body.OccupationCode, 20);
        if (occupation is not null && !Matching.Occupations.IsValid(occupation))
            v.Add("occupationCode", "Error.OccupationCode");
        if (body.SalaryMin is < 0) v.Add("salaryMin", "Error.NotNegative");
        if (body.SalaryMax is < 0) v.Add("salaryMax", "Error.NotNegative");
        if (body.SalaryMin is int min && body.SalaryMax is int max && min > max) v.Add("salaryMax", "Error.SalaryOrder");
        var preferred = v.Strings("preferredSkills", body.PreferredSkills ?? [], 50, 100);
        if (body.YearsRequired is < 0 or > 50) v.Add("yearsRequired", "Error.Range", 0, 50);
        if (!v.IsValid) return v.ToError();
        return new Action<Job>(job =>
        {
            job.Title = title;
            job.Description = description;
            job.Prefecture = prefecture;
            job.Skills = skills;
            job.EmploymentType = employmentType;
            job.OccupationCode = occupation;
            job.SalaryMin = body.SalaryMin;
            job.SalaryMax = body.SalaryMax;
            job.PreferredSkills = preferred;
            job.RemoteAllowed = body.RemoteAllowed ?? false;
            job.YearsRequired = body.YearsRequired;
        });
    }
}
