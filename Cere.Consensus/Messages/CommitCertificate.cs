using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Core;

namespace Cere.Consensus.Messages;

/// <summary>
/// The proof that a block was decided: precommits for it at one height and round from validators holding more than 2/3
/// of the power, checkable by anyone who has that height's validator set (Algorithm 1, line 49).
/// </summary>
public sealed class CommitCertificate
{
    private readonly CommitSignature[] _signatures;

    /// <summary>A certificate; signatures must be ordered by validator index (checked by <see cref="Verify"/>).</summary>
    public CommitCertificate(ulong chainId, ulong height, int round, Hash256 blockHash, IReadOnlyList<CommitSignature> signatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        ArgumentNullException.ThrowIfNull(signatures);
        ChainId = chainId;
        Height = height;
        Round = round;
        BlockHash = blockHash;
        _signatures = [.. signatures];
    }

    /// <summary>The chain.</summary>
    public ulong ChainId { get; }

    /// <summary>The decided height.</summary>
    public ulong Height { get; }

    /// <summary>The round whose precommits decided.</summary>
    public int Round { get; }

    /// <summary>The decided block.</summary>
    public Hash256 BlockHash { get; }

    /// <summary>The precommit signatures, by increasing validator index.</summary>
    public ReadOnlySpan<CommitSignature> Signatures => _signatures;

    /// <summary>Checks every signature and the power they add up to; returns <see cref="CertificateError.None"/> if the certificate proves the decision.</summary>
    public CertificateError Verify(ulong chainId, ulong height, ValidatorSet validators, ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(verifier);
        if (ChainId != chainId)
        {
            return CertificateError.WrongChain;
        }

        if (Height != height)
        {
            return CertificateError.WrongHeight;
        }

        // Structure and power first (cheap), signatures last (one recovery each).
        long power = 0;
        int previous = -1;
        foreach (CommitSignature s in _signatures)
        {
            if (s.ValidatorIndex >= validators.Count)
            {
                return CertificateError.UnknownSigner;
            }

            if (s.ValidatorIndex <= previous)
            {
                return CertificateError.DuplicateOrUnorderedSigner;
            }

            previous = s.ValidatorIndex;
            power += validators[s.ValidatorIndex].Power;
        }

        if (!validators.IsQuorum(power))
        {
            return CertificateError.InsufficientPower;
        }

        Hash256 digest = ConsensusDigest.ForVote(ChainId, Height, Round, VoteType.Precommit, BlockHash);
        foreach (CommitSignature s in _signatures)
        {
            if (!verifier.Verify(digest, s.Signature, validators[s.ValidatorIndex].Address))
            {
                return CertificateError.BadSignature;
            }
        }

        return CertificateError.None;
    }

    /// <summary>The precommit of the signature at position <paramref name="i"/>, as a vote (for evidence and replay).</summary>
    public Vote PrecommitAt(int i, ValidatorSet validators)
    {
        ArgumentNullException.ThrowIfNull(validators);
        CommitSignature s = _signatures[i];
        return new Vote(ChainId, Height, Round, VoteType.Precommit, BlockHash, validators[s.ValidatorIndex].Address, s.Signature);
    }
}
