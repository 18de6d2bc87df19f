using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>What a read of personal data was; the operator and the person read each in their language (<c>AuditAction.{action}</c>).</summary>
[TextKeys("AuditAction.{0}")]
public static class AuditActions
{
    public const string CandidateView = "candidate.view";
    public const string CandidateResume = "candidate.resume";
    public const string CandidatesList = "candidates.list";
    public const string CandidatesMatch = "candidates.match";
    public const string IntroductionsList = "introductions.list";
    public const string ReapplicationsList = "reapplications.list";
    public const string ReferralsList = "referrals.list";
    public const string ReferralsRead = "referrals.read";
    public const string AlumniList = "alumni.list";
    /// <summary>The agency opened its message thread with the person.</summary>
    public const string MessagesRead = "messages.read";
    /// <summary>The operator found the person by their email address (answering a complaint or a request).</summary>
    public const string OperatorLookup = "operator.lookup";
    /// <summary>A school read the names of the graduates who let it see them.</summary>
    public const string GraduatesRead = "graduates.read";
    /// <summary>A training provider read the requests people sent it.</summary>
    public const string CourseRequestsRead = "course_requests.read";
}

/// <summary>Who reads personal data.</summary>
[TextKeys("ActorType.{0}")]
public static class ActorTypes
{
    public const string Agency = "agency";
    public const string Company = "company";
    public const string Operator = "operator";
    public const string School = "school";
    public const string Provider = "provider";
}

/// <summary>Writes the audit entries of a read of candidates' personal data (who, what, when), one per candidate.</summary>
public static class AuditLog
{
    public static async Task RecordAsync(CareerRelayDb db, DbWriteGate gate, string actorType, string actorId, string action,
        IEnumerable<string> candidateIds, DateTime now, CancellationToken ct)
    {
        var ids = candidateIds.Distinct().ToList();
        if (ids.Count == 0) return;
        await gate.RunAsync(db, _ =>
        {
            db.AuditEntries.AddRange(ids.Select(id => new AuditEntry
            {
                Id = Ids.New(), ActorType = actorType, ActorId = actorId, Action = action, CandidateId = id, CreatedAt = now,
            }));
            return Task.FromResult(0);
        }, ct);
    }
}
