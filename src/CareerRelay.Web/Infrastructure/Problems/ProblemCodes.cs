using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Infrastructure.Problems;

/// <summary>
/// The stable machine codes of SPEC §6. Integrators switch on these; never rename one. Pages say each in a sentence of the
/// reader's language (<c>Problem.{code}</c>).
/// </summary>
[TextKeys("Problem.{0}")]
public static class ProblemCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string ConsentRequired = "consent_required";
    public const string InvalidLimit = "invalid_limit";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string InvitationUsed = "invitation_used";
    public const string InsufficientSlots = "insufficient_slots";
    public const string RedemptionFulfilled = "redemption_fulfilled";
    public const string RedemptionJobMismatch = "redemption_job_mismatch";
    public const string LinkPaused = "link_paused";
    public const string SlugTaken = "slug_taken";
    /// <summary>409: the link already has a running experiment (promote or stop it first).</summary>
    public const string ExperimentRunning = "experiment_running";
    public const string CodeExpired = "code_expired";
    public const string InvalidState = "invalid_state";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string CrossSiteRequest = "cross_site_request";
    public const string RateLimited = "rate_limited";
    /// <summary>503: the database cannot be reached for the moment (a restart, a failover); retry after Retry-After.</summary>
    public const string ServiceUnavailable = "service_unavailable";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyKeyInProgress = "idempotency_key_in_progress";

    public static readonly IReadOnlySet<string> All = typeof(ProblemCodes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
}
