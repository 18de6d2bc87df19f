using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Links;

namespace CareerRelay.Web.Features.Registrations;

/// <summary>Service registrations of the relay core: links → registrations → qualification → slots.</summary>
public static class RegistrationsFeature
{
    public static IServiceCollection AddRelayCore(this IServiceCollection services)
    {
        services.AddOptions<RelayOptions>().BindConfiguration("Relay").ValidateDataAnnotations().ValidateOnStart();
        // Links
        services.AddSingleton<RelayEntries>();
        services.AddSingleton<ClickCounter>();
        services.AddSingleton<ClickFlusher>();
        services.AddScoped<LinkActions>();
        services.AddHostedService(sp => sp.GetRequiredService<ClickFlusher>());
        // Candidates and registrations
        services.AddSingleton<CandidateVault>();
        services.AddSingleton<RegistrationWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistrationWriter>());
        services.AddScoped<RegisterCandidate>();
        services.AddScoped<VerifyRegistration>();
        services.AddScoped<QualifyRegistration>();
        services.AddScoped<ReferralDecisions>();
        // Credits
        services.AddSingleton<SlotLedger>();
        services.AddSingleton<LedgerVerifier>();
        services.AddScoped<CareerRelay.Web.Features.Jobs.JobActions>();
        services.AddScoped<CareerRelay.Web.Features.Redemptions.RedemptionActions>();
        services.AddSingleton<CareerRelay.Web.Features.Companies.CompanySummaries>();
        // Agencies: the support pipeline, introductions, placements
        services.AddScoped<CareerRelay.Web.Features.Agencies.AgencyWork>();
        services.AddScoped<CareerRelay.Web.Features.Agencies.AgencyCandidates>();
        // Matching: every candidate's matching facts in a compact in-memory index, filled at start and followed across nodes
        services.AddSingleton<CareerRelay.Web.Features.Matching.MatchIndex>();
        services.AddSingleton<CareerRelay.Web.Features.Matching.MatchIndexer>();
        services.AddHostedService<CareerRelay.Web.Features.Matching.MatchIndexFollower>();
        // Satisfaction surveys
        services.AddScoped<CareerRelay.Web.Features.Surveys.Surveys>();
        services.AddSingleton<CareerRelay.Web.Features.Surveys.SurveySender>();
        services.AddHostedService(sp => sp.GetRequiredService<CareerRelay.Web.Features.Surveys.SurveySender>());
        return services;
    }
}
