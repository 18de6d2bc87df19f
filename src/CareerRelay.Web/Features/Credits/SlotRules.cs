using System.ComponentModel.DataAnnotations;

namespace CareerRelay.Web.Features.Credits;

/// <summary>The slot rules of SPEC §4 (<c>Relay:*</c>, the same section as the relay's other rules): what a slot costs and what a placement earns.</summary>
public sealed class SlotRules
{
    [Range(1, 1000)] public int ReferralsPerSlot { get; set; } = 10;
    [Range(0, 100)] public int PlacementRewardSlots { get; set; }
    /// <summary>0: slots never expire. Expiry itself is not built yet (SPEC §4 names the setting; only 0 is honoured).</summary>
    [Range(0, 3650)] public int SlotExpiryDays { get; set; }
}
