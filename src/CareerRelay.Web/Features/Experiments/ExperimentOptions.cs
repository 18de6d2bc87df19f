using System.ComponentModel.DataAnnotations;

namespace CareerRelay.Web.Features.Experiments;

/// <summary><c>Experiments:*</c> in configuration.</summary>
public sealed class ExperimentOptions
{
    /// <summary>Invitations every variant needs before the page gives a verdict: fewer, and chance decides more than the wording.</summary>
    [Range(1, 1_000_000)]
    public int MinimumInvitations { get; set; } = 200;
}
