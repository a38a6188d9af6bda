using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Core;

namespace Cere.Consensus.Evidence;

/// <summary>Proof of a double sign: two votes of one validator for the same height, round and type, for different values.</summary>
/// <remarks>Self-contained: anyone holding the validator set of that height can check it (CometBFT DuplicateVoteEvidence).</remarks>
public sealed class DuplicateVoteEvidence
{
    /// <summary>Pairs two votes in a canonical order (the smaller signing digest first), so both observers produce the same evidence.</summary>
    /// <exception cref="ArgumentException">The votes do not conflict (different slot or same value).</exception>
    public DuplicateVoteEvidence(Vote a, Vote b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.ConflictsWith(b))
        {
            throw new ArgumentException("evidence needs two votes of one validator at the same height, round and type for different values", nameof(b));
        }

        if (a.SigningDigest.CompareTo(b.SigningDigest) <= 0)
        {
            VoteA = a;
            VoteB = b;
        }
        else
        {
            VoteA = b;
            VoteB = a;
        }
    }

    /// <summary>The first vote (smaller digest).</summary>
    public Vote VoteA { get; }

    /// <summary>The second vote.</summary>
    public Vote VoteB { get; }

    /// <summary>The offender.</summary>
    public Address Validator => VoteA.Validator;

    /// <summary>The height of the offence.</summary>
    public ulong Height => VoteA.Height;

    /// <summary>True when the offender is in <paramref name="validators"/> (the set of that height) and both signatures are its own.</summary>
    public bool Verify(ulong chainId, ValidatorSet validators, ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(validators);
        return VoteA.ChainId == chainId
            && VoteA.ConflictsWith(VoteB)
            && validators.IndexOf(VoteA.Validator) >= 0
            && VoteA.VerifySignature(verifier)
            && VoteB.VerifySignature(verifier);
    }
}
