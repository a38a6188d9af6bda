using Cere.Consensus.Signing;
using Cere.Core;

namespace Cere.Consensus.Messages;

/// <summary>A signed block proposal for a height and round, with the block bytes and the round of the polka it re-proposes (or -1).</summary>
public sealed class Proposal : ConsensusMessage
{
    private readonly byte[] _signature;
    private readonly byte[] _block;
    private Hash256? _digest;

    /// <summary>A proposal with its signature (not checked here; see <see cref="VerifySignature"/>).</summary>
    /// <exception cref="ArgumentException">A negative round, a polka round outside [-1, round), or a signature that is not 65 bytes.</exception>
    public Proposal(ulong chainId, ulong height, int round, int polRound, Hash256 blockHash, ReadOnlySpan<byte> block, Address proposer, ReadOnlySpan<byte> signature)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);

        // Algorithm 1, line 16: a re-proposal names a valid round strictly below the current one, or -1.
        if (polRound < -1 || polRound >= round)
        {
            throw new ArgumentOutOfRangeException(nameof(polRound), polRound, $"a proposal's polka round must be -1 or in [0, {round})");
        }

        if (signature.Length != Vote.SignatureSize)
        {
            throw new ArgumentException($"a proposal signature is {Vote.SignatureSize} bytes, got {signature.Length}", nameof(signature));
        }

        ChainId = chainId;
        Height = height;
        Round = round;
        PolRound = polRound;
        BlockHash = blockHash;
        Proposer = proposer;
        _block = block.ToArray();
        _signature = signature.ToArray();
    }

    /// <inheritdoc/>
    public override ulong ChainId { get; }

    /// <inheritdoc/>
    public override ulong Height { get; }

    /// <summary>The round within the height.</summary>
    public int Round { get; }

    /// <summary>The round in which this block got more than 2/3 prevotes (the proposer's valid round), or -1.</summary>
    public int PolRound { get; }

    /// <summary>The hash of the proposed block (the host checks it against <see cref="Block"/> when it validates).</summary>
    public Hash256 BlockHash { get; }

    /// <summary>The block bytes (opaque to consensus).</summary>
    public ReadOnlySpan<byte> Block => _block;

    /// <summary>The block bytes as the array this proposal holds (do not modify).</summary>
    internal byte[] BlockArray => _block;

    /// <summary>The proposer that signed.</summary>
    public Address Proposer { get; }

    /// <summary>The 65-byte signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The digest the signature signs (computed once).</summary>
    public Hash256 SigningDigest => _digest ??= ConsensusDigest.ForProposal(ChainId, Height, Round, PolRound, BlockHash);

    /// <summary>Creates and signs a proposal.</summary>
    public static Proposal Create(ulong chainId, ulong height, int round, int polRound, Hash256 blockHash, ReadOnlySpan<byte> block, IConsensusSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Hash256 digest = ConsensusDigest.ForProposal(chainId, height, round, polRound, blockHash);
        Span<byte> sig = stackalloc byte[Vote.SignatureSize];
        signer.Sign(digest, sig);
        return new Proposal(chainId, height, round, polRound, blockHash, block, signer.Address, sig) { _digest = digest };
    }

    /// <summary>True when the signature was made by <see cref="Proposer"/> over this proposal's digest.</summary>
    public bool VerifySignature(ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return verifier.Verify(SigningDigest, _signature, Proposer);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Proposal h={Height} r={Round} pol={PolRound} {BlockHash.ToString()[..10]} by {Proposer}";
}
