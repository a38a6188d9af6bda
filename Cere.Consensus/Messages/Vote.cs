using Cere.Consensus.Signing;
using Cere.Core;

namespace Cere.Consensus.Messages;

/// <summary>A signed prevote or precommit of one validator for a block hash, or for nil.</summary>
public sealed class Vote : ConsensusMessage
{
    /// <summary>The length of a signature: r ‖ s ‖ recovery id.</summary>
    public const int SignatureSize = 65;

    private readonly byte[] _signature;
    private Hash256? _digest;

    /// <summary>A vote with its signature (the signature is not checked here; see <see cref="VerifySignature"/>).</summary>
    /// <exception cref="ArgumentException">The signature is not 65 bytes, the round is negative or the type unknown.</exception>
    public Vote(ulong chainId, ulong height, int round, VoteType type, Hash256? blockHash, Address validator, ReadOnlySpan<byte> signature)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        if (type is not (VoteType.Prevote or VoteType.Precommit))
        {
            throw new ArgumentException($"unknown vote type {(byte)type}", nameof(type));
        }

        if (signature.Length != SignatureSize)
        {
            throw new ArgumentException($"a vote signature is {SignatureSize} bytes, got {signature.Length}", nameof(signature));
        }

        ChainId = chainId;
        Height = height;
        Round = round;
        Type = type;
        BlockHash = blockHash;
        Validator = validator;
        _signature = signature.ToArray();
    }

    /// <inheritdoc/>
    public override ulong ChainId { get; }

    /// <inheritdoc/>
    public override ulong Height { get; }

    /// <summary>The round within the height.</summary>
    public int Round { get; }

    /// <summary>Prevote or precommit.</summary>
    public VoteType Type { get; }

    /// <summary>The block voted for, or null for a nil vote.</summary>
    public Hash256? BlockHash { get; }

    /// <summary>The validator that signed.</summary>
    public Address Validator { get; }

    /// <summary>The 65-byte signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The digest the signature signs (computed once).</summary>
    public Hash256 SigningDigest => _digest ??= ConsensusDigest.ForVote(ChainId, Height, Round, Type, BlockHash);

    /// <summary>Creates and signs a vote.</summary>
    public static Vote Create(ulong chainId, ulong height, int round, VoteType type, Hash256? blockHash, IConsensusSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Hash256 digest = ConsensusDigest.ForVote(chainId, height, round, type, blockHash);
        Span<byte> sig = stackalloc byte[SignatureSize];
        signer.Sign(digest, sig);
        return new Vote(chainId, height, round, type, blockHash, signer.Address, sig) { _digest = digest };
    }

    /// <summary>True when the signature was made by <see cref="Validator"/> over this vote's digest.</summary>
    public bool VerifySignature(ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return verifier.Verify(SigningDigest, _signature, Validator);
    }

    /// <summary>True when both votes are by the same validator for the same chain, height, round and type (whatever they vote for).</summary>
    public bool SameSlot(Vote other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ChainId == other.ChainId && Height == other.Height && Round == other.Round && Type == other.Type && Validator == other.Validator;
    }

    /// <summary>True when <paramref name="other"/> is a vote of the same slot for a different value: a double sign.</summary>
    public bool ConflictsWith(Vote other) => SameSlot(other) && BlockHash != other.BlockHash;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Type} h={Height} r={Round} {(BlockHash is { } h ? h.ToString()[..10] : "nil")} by {Validator}";
}
