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

    public byte[] Seal(byte[] dataKey, CandidateProfile profile) => PersonalDataCipher.SealAsJson(dataKey, profile, SealedProfileJson.Default.CandidateProfile);

    public byte[] Unwrap(CandidateKey key) => cipher.UnwrapKey(key.WrappedKey);

    public CandidateProfile Open(byte[] dataKey, byte[] sealedProfile) => cipher.OpenJson<CandidateProfile>(dataKey, sealedProfile);

    /// <summary>
    /// The one way to a person's profile: loads the candidate (not tracked) with their key and opens the profile. Null when
    /// there is no such person (or they were erased: the key went with them).
    /// </summary>
    public async Task<OpenedCandidate?> OpenAsync(CareerRelayDb db, string candidateId, CancellationToken ct)
    {
        var row = await (from c in db.Candidates.AsNoTracking()
                         join k in db.CandidateKeys on c.Id equals k.CandidateId
                         where c.Id == candidateId
                         select new { Candidate = c, k.WrappedKey }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var dataKey = cipher.UnwrapKey(row.WrappedKey);
        return new OpenedCandidate(row.Candidate, dataKey, Open(dataKey, row.Candidate.Profile));
    }

    /// <summary>
    /// One person per address, for the forms that meet people outside a registration (a referral application, an alumni join):
    /// the known person with their key — their profile untouched —, or a new one added to <paramref name="db"/> (saved with the
    /// caller's transaction) with <paramref name="profileIfNew"/>. Two first forms racing for one address: the unique email
    /// hash lets one in; the caller retries once as a returning person.
    /// </summary>
    public async Task<(string Id, byte[] DataKey, bool Known)> FindOrAddByEmailAsync(CareerRelayDb db, string emailHash, Func<CandidateProfile> profileIfNew,
        string? phoneHash, DateTime now, CancellationToken ct)
    {
        var known = await (from c in db.Candidates join k in db.CandidateKeys on c.Id equals k.CandidateId
                           where c.EmailHash == emailHash select new { c.Id, k.WrappedKey }).FirstOrDefaultAsync(ct);
        if (known is not null) return (known.Id, cipher.UnwrapKey(known.WrappedKey), true);
        var id = Ids.New();
        var (dataKey, key) = NewKey(id);
        db.CandidateKeys.Add(key);
        db.Candidates.Add(new Candidate { Id = id, EmailHash = emailHash, PhoneHash = phoneHash, Profile = Seal(dataKey, profileIfNew()), CreatedAt = now, UpdatedAt = now });
        return (id, dataKey, false);
    }

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

/// <summary>A candidate with their data key unwrapped and their profile opened (see <see cref="CandidateVault.OpenAsync"/>).</summary>
public sealed record OpenedCandidate(Candidate Candidate, byte[] DataKey, CandidateProfile Profile);

/// <summary>The profile's JSON shape from the source generator: sealed on every registration, written without reflection.</summary>
// Empty fields are left out (a profile is mostly empty at registration): the deserialiser gives them their defaults.
[System.Text.Json.Serialization.JsonSourceGenerationOptions(DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(CandidateProfile))]
internal sealed partial class SealedProfileJson : System.Text.Json.Serialization.JsonSerializerContext;
