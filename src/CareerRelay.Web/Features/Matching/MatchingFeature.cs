namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// Matching candidates and jobs: every candidate's matching facts in a compact in-memory index, filled at start and followed
/// across nodes; おすすめ求人 and job alerts. It has no routes of its own: the agency workspace and /me show its results.
/// </summary>
public static class MatchingFeature
{
    public static WebApplicationBuilder AddMatching(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MatchIndex>();
        builder.Services.AddSingleton<MatchIndexer>();
        builder.Services.AddHostedService<MatchIndexFollower>();
        builder.Services.AddScoped<CandidateJobs>();
        builder.Services.AddScoped<JobAlerts>();
        builder.Services.AddHostedService<JobAlertSender>();
        return builder;
    }
}
