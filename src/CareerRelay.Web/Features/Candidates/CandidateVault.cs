using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>Seals and opens candidate profiles with each candidate's own key.</summary>
public sealed class CandidateVault(PersonalDataCipher cipher)
{
    public (byte[] DataKey, CandidateKey Key) NewKey(string candidateId)
    {
        var dataKey = cipher.NewDataKey();
        return (dataKey, new CandidateKey { CandidateId = candidateId, WrappedKey = cipher.WrapKey(dataKey) });
    }

    public byte[] Seal(byte[] dataKey, CandidateProfile profile) => cipher.SealJson(dataKey, profile);

    public byte[] Unwrap(CandidateKey key) => cipher.UnwrapKey(key.WrappedKey);

    public CandidateProfile Open(byte[] dataKey, byte[] sealedProfile) => cipher.OpenJson<CandidateProfile>(dataKey, sealedProfile);

    /// <summary>Loads and opens the profiles of many candidates in one query (erased ones are absent).</summary>
    public async Task<Dictionary<string, CandidateProfile>> OpenManyAsync(CareerRelayDb db, IReadOnlyCollection<string> candidateIds, CancellationToken ct)
    {
        var rows = await (from c in db.Candidates
                          join k in db.CandidateKeys on c.Id equals k.CandidateId
                          where candidateIds.Contains(c.Id)
                          select new { c.Id, c.Profile, k.WrappedKey }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => Open(cipher.UnwrapKey(r.WrappedKey), r.Profile));
    }
}
