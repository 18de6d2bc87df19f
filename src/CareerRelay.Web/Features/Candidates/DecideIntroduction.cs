using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// The person's answer to an agency's proposed introduction. Agreeing lets the hiring company see the profile
/// and writes the provision record (APPI art. 29) in the same transaction. False when no such pending request.
/// </summary>
public sealed class DecideIntroduction(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, TimeProvider clock)
{
    public async Task<bool> HandleAsync(string candidateId, string introductionId, bool agree, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        return await gate.RunAsync(db, async token =>
        {
            var introduction = await db.Introductions.FirstOrDefaultAsync(i => i.Id == introductionId && i.CandidateId == candidateId && i.Status == Agencies.IntroductionStatus.Pending, token);
            if (introduction is null) return false;
            introduction.Status = agree ? Agencies.IntroductionStatus.Consented : Agencies.IntroductionStatus.Declined;
            introduction.DecidedAt = now;
            if (agree)
                db.ProvisionRecords.Add(new ProvisionRecord
                {
                    Id = Ids.New(), CandidateId = candidateId, RecipientType = "company", RecipientId = introduction.CompanyId,
                    Items = IntroducedItems(opened.Profile), Basis = ProvisionBasis.Consent, CreatedAt = now,
                });
            return true;
        }, ct);
    }

    /// <summary>What a hiring company receives with an introduction: the registration items plus the career details.</summary>
    public static string IntroducedItems(CandidateProfile p)
    {
        var items = ProvisionItems.Split(VerifyRegistration.ProvidedItems(p)).ToList();
        if (p.WorkHistory is { Count: > 0 }) items.Add(ProvisionItems.WorkHistory);
        if (p.CareerSummary is not null) items.Add(ProvisionItems.CareerSummary);
        return ProvisionItems.Join(items);
    }
}
