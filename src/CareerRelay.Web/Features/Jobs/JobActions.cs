using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Jobs;

/// <summary>Posting, editing and closing jobs — shared by the API and the console.</summary>
public sealed class JobActions(CareerRelayDb db, DbWriteGate gate, TimeProvider clock)
{
    public async Task<Result<Job>> CreateAsync(string companyId, JobEndpoints.JobRequest body, CancellationToken ct)
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
    public async Task<Result<Job>> UpdateAsync(string companyId, string id, JobEndpoints.JobRequest body, CancellationToken ct)
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

    /// <summary>Checks every field at once; on success, answers how to write them onto a job.</summary>
    private static Result<Action<Job>> Validate(JobEndpoints.JobRequest body)
    {
        var v = new Validation();
        var title = v.Required("title", body.Title, 200);
        var description = v.Optional("description", body.Description, 20_000, multiline: true) ?? "";
        if (description.Length == 0) v.Add("description", "This field is required.");
        var prefecture = v.Required("prefecture", body.Prefecture, 2);
        if (prefecture.Length > 0 && !Prefectures.IsValid(prefecture)) v.Add("prefecture", "Must be a JIS X 0401 code from \"01\" to \"47\".");
        if (body.Skills is null) v.Add("skills", "Give an array of strings (may be empty).");
        var skills = v.Strings("skills", body.Skills, 50, 100);
        var employmentType = v.Required("employmentType", body.EmploymentType, 20);
        if (employmentType.Length > 0 && !EmploymentTypes.All.Contains(employmentType))
            v.Add("employmentType", $"Must be one of {string.Join(", ", EmploymentTypes.All)}.");
        var occupation = v.Optional("occupationCode", body.OccupationCode, 20);
        if (occupation is not null && !Matching.Occupations.IsValid(occupation))
            v.Add("occupationCode", "Must be a code of the MHLW occupational classification (2022): a major group \"01\"–\"15\" or a middle group \"001\"–\"099\".");
        if (body.SalaryMin is < 0) v.Add("salaryMin", "Must be zero or more yen per year.");
        if (body.SalaryMax is < 0) v.Add("salaryMax", "Must be zero or more yen per year.");
        if (body.SalaryMin is int min && body.SalaryMax is int max && min > max) v.Add("salaryMax", "Must not be below salaryMin.");
        var preferred = v.Strings("preferredSkills", body.PreferredSkills ?? [], 50, 100);
        if (body.YearsRequired is < 0 or > 50) v.Add("yearsRequired", "Must be from 0 to 50 years.");
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
