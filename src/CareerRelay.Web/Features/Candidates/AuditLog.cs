using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Candidates;

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
