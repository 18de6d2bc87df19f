using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Registrations;

public enum QualifyOn { Verification, AgencyContact }

/// <summary>The <c>Relay:*</c> rules of SPEC §4 for registrations (the slot rules of the same section: <see cref="Credits.SlotRules"/>).</summary>
public sealed class RelayOptions
{
    [Range(0, 3650)] public int DedupeWindowDays { get; set; } = 365;
    public QualifyOn QualifyOn { get; set; } = QualifyOn.Verification;
    [Range(1, 365)] public int SurveyAfterDays { get; set; } = 14;
    [Range(1, 90)] public int VerificationValidDays { get; set; } = 7;
    [ValidateObjectMembers] public FraudOptions Fraud { get; set; } = new();

    /// <summary>Each signal's threshold; 0 turns that signal off.</summary>
    public sealed class FraudOptions
    {
        /// <summary>More registrations than this from one IP within an hour → hold.</summary>
        [Range(0, int.MaxValue)] public int RegistrationsPerIpPerHour { get; set; } = 20;
        /// <summary>More qualified referrals than this on one link within an hour → hold.</summary>
        [Range(0, int.MaxValue)] public int LinkBurstPerHour { get; set; } = 200;
        /// <summary>1: a candidate email on the company's own domain → hold.</summary>
        [Range(0, 1)] public int CompanyDomain { get; set; } = 1;
        /// <summary>1: a candidate email on a disposable-mail domain → hold.</summary>
        [Range(0, 1)] public int DisposableEmail { get; set; } = 1;
        /// <summary>A person arriving through this many different companies within the dedupe window → hold.</summary>
        [Range(0, 1000)] public int CompaniesPerPerson { get; set; } = 3;
    }
}
