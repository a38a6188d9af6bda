using Cere.Consensus.Messages;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;

namespace Cere.Consensus.Signing;

/// <summary>The domain-separated digests that validators sign: Keccak-256 of RLP [domain, chain id, kind, height, round, pol round + 1, block hash].</summary>
/// <remarks>
/// The domain tag keeps a consensus signature from ever being a valid transaction or message signature; the chain id keeps
/// it from being replayed on another network; the kind keeps a prevote from counting as a precommit (CometBFT signs
/// canonical votes with type, height, round and chain id for the same reasons). A nil vote signs the empty string as block hash.
/// </remarks>
public static class ConsensusDigest
{
    /// <summary>The domain tag, versioned so that a future format cannot collide with this one.</summary>
    public static ReadOnlySpan<byte> Domain => "cere-bft/v1"u8;

    /// <summary>The digest of a prevote or precommit.</summary>
    public static Hash256 ForVote(ulong chainId, ulong height, int round, VoteType type, Hash256? blockHash) =>
        Compute(chainId, type == VoteType.Prevote ? SignedKind.Prevote : SignedKind.Precommit, height, round, -1, blockHash);

    /// <summary>The digest of a proposal (its block hash and the round of the polka it re-proposes, or -1).</summary>
    public static Hash256 ForProposal(ulong chainId, ulong height, int round, int polRound, in Hash256 blockHash) =>
        Compute(chainId, SignedKind.Proposal, height, round, polRound, blockHash);

    private static Hash256 Compute(ulong chainId, SignedKind kind, ulong height, int round, int polRound, Hash256? blockHash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        ArgumentOutOfRangeException.ThrowIfLessThan(polRound, -1);
        ulong pol = (ulong)(polRound + 1);
        int payload = Rlp.LengthOfBytes(Domain) + Rlp.LengthOf(chainId) + Rlp.LengthOf((ulong)kind) + Rlp.LengthOf(height)
            + Rlp.LengthOf((ulong)round) + Rlp.LengthOf(pol) + (blockHash is null ? 1 : Rlp.LengthOfHash);
        Span<byte> buffer = stackalloc byte[Rlp.LengthOfList(payload)];
        RlpWriter w = new(buffer);
        w.WriteListHeader(payload);
        w.WriteBytes(Domain);
        w.WriteUInt64(chainId);
        w.WriteUInt64((ulong)kind);
        w.WriteUInt64(height);
        w.WriteUInt64((ulong)round);
        w.WriteUInt64(pol);
        if (blockHash is { } h)
        {
            w.WriteHash256(h);
        }
        else
        {
            w.WriteBytes([]);
        }

        w.EnsureFilled();
        return Keccak256.Compute(buffer);
    }
}
