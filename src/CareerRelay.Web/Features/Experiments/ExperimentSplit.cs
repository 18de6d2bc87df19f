using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CareerRelay.Web.Features.Experiments;

/// <summary>
/// Which variant an invitation gets: a hash of the experiment and the invitation, so the same invitation always lands in the
/// same variant (on any node, whichever way it was minted) and the variants share the invitations evenly.
/// </summary>
public static class ExperimentSplit
{
    public static string Assign(string experimentId, string invitationId, IReadOnlyList<string> keys)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(experimentId + "|" + invitationId), hash);
        return keys[(int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)keys.Count)];
    }
}

/// <summary>The running experiment of a link, as minting needs it: its id and the variants' keys and wordings, in order.</summary>
public sealed record RunningExperiment(string Id, IReadOnlyList<ExperimentVariant> Variants)
{
    public IReadOnlyList<string> Keys { get; } = Variants.Select(v => v.Key).ToList();

    public ExperimentVariant VariantFor(string invitationId) => Variants[Keys.ToList().IndexOf(ExperimentSplit.Assign(Id, invitationId, Keys))];
}
