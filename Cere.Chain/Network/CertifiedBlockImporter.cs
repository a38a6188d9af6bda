using Cere.Chain.Blocks;
using Cere.Chain.Consensus;
using Cere.Chain.Execution;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Rlp;
using Cere.Core.Transactions;

namespace Cere.Chain.Network;

/// <summary>
/// Imports decided blocks that arrive with their commit certificates (block sync): <see cref="Verify(CommitMessage)"/>
/// checks a commit on any thread (decode, chain, block against certificate, quorum of valid signatures of the height's
/// validators); <see cref="Import(VerifiedCommit)"/> executes the head's child and commits block, receipts, state and
/// certificate in one batch. Every refusal is a specific <see cref="CertifiedBlockException"/> and writes nothing.
/// </summary>
/// <remarks>
/// A certified block is final: it is not held to this node's clock (a proposal is), only to every import rule
/// (<see cref="BlockProcessor.Validate"/>).
/// </remarks>
public sealed class CertifiedBlockImporter
{
    private readonly Blockchain _chain;
    private readonly CertificateStore _certificates;
    private readonly ValidatorSchedule _schedule;
    private readonly ISignatureVerifier _verifier;
    private readonly BlockProcessor _processor;
    private readonly Lock _importLock = new();

    /// <summary>An importer into <paramref name="chain"/>, checking certificates against <paramref name="schedule"/> with <paramref name="verifier"/>.</summary>
    public CertifiedBlockImporter(Blockchain chain, CertificateStore certificates, ValidatorSchedule schedule, ISignatureVerifier verifier, ITransactionExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(executor);
        _chain = chain;
        _certificates = certificates;
        _schedule = schedule;
        _verifier = verifier;
        _processor = new BlockProcessor(chain, executor);
    }

    /// <summary>The chain imported into.</summary>
    public Blockchain Chain => _chain;

    /// <summary>Decodes a commit message received as <paramref name="encoded"/> and verifies it as <see cref="Verify(CommitMessage)"/> does.</summary>
    /// <param name="encoded">The <see cref="ConsensusCodec"/> encoding of a commit message.</param>
    /// <param name="expectedHeight">The height asked for (reported when nothing decodes).</param>
    /// <exception cref="CertifiedBlockException">The first check that fails.</exception>
    public VerifiedCommit Verify(ReadOnlySpan<byte> encoded, ulong expectedHeight)
    {
        ConsensusMessage message;
        try
        {
            message = ConsensusCodec.Decode(encoded);
        }
        catch (ConsensusDecodeException e)
        {
            throw new MalformedCommitException(expectedHeight, $"block {expectedHeight}: the commit message does not decode: {e.Message}", e);
        }

        if (message is not CommitMessage commit)
        {
            throw new MalformedCommitException(expectedHeight, $"block {expectedHeight}: a {message.GetType().Name} where a commit message was expected");
        }

        if (commit.Height != expectedHeight)
        {
            throw new UnexpectedHeightException(commit.Height, $"asked for block {expectedHeight}, got block {commit.Height}");
        }

        return Verify(commit);
    }

    /// <summary>
    /// Checks <paramref name="commit"/> without touching the chain (thread-safe; sync runs it off the commit thread):
    /// the certificate's chain, the block bytes against the certificate, and the signatures against the validator set
    /// of the certificate's height. Also recovers the senders of the block's transactions so import does not wait on it.
    /// </summary>
    /// <exception cref="CertifiedBlockException">The first check that fails.</exception>
    public VerifiedCommit Verify(CommitMessage commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        CommitCertificate cert = commit.Certificate;
        ulong chainId = _chain.Spec.ChainId;
        if (cert.ChainId != chainId)
        {
            throw new WrongChainException(cert.Height, $"block {cert.Height}: the certificate is for chain {cert.ChainId}, this chain is {chainId}");
        }

        Block block;
        try
        {
            block = BlockCodec.Decode(commit.Block);
        }
        catch (Exception e) when (e is RlpException or TransactionException)
        {
            throw new MalformedCommitException(cert.Height, $"block {cert.Height}: the block bytes do not decode: {e.Message}", e);
        }

        if (cert.Height == 0)
        {
            throw new UnexpectedHeightException(0, "block 0 is the genesis block; it has no certificate");
        }

        CheckCertifies(cert, block, chainId, _schedule, _verifier);
        Transaction[] txs = block.Transactions;
        for (int i = 0; i < txs.Length; i++)
        {
            _ = txs[i].Sender; // cached on the transaction; a failure is the block's, found by execution
        }

        return new VerifiedCommit(commit, block);
    }

    /// <summary>
    /// Checks that <paramref name="cert"/> proves <paramref name="block"/> decided on chain <paramref name="chainId"/>: the
    /// chain, the block's hash and height, and 2/3+ of the power of the height's signers (<see cref="ValidatorSchedule.SignersAt"/>).
    /// The one certificate check of sync, import and block gossip.
    /// </summary>
    /// <exception cref="CertifiedBlockException">The first check that fails.</exception>
    public static void CheckCertifies(CommitCertificate cert, Block block, ulong chainId, ValidatorSchedule schedule, ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(cert);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(schedule);
        if (cert.ChainId != chainId)
        {
            throw new WrongChainException(cert.Height, $"block {cert.Height}: the certificate is for chain {cert.ChainId}, this chain is {chainId}");
        }

        if (block.Hash != cert.BlockHash || block.Number != cert.Height)
        {
            throw new BlockCertificateMismatchException(cert.Height, $"the certificate is for block {cert.Height} {cert.BlockHash}, the bytes are block {block.Number} {block.Hash}");
        }

        CertificateError error = cert.Verify(chainId, cert.Height, schedule.SignersAt(cert.Height), verifier);
        if (error != CertificateError.None)
        {
            throw new CertificateRejectedException(cert.Height, error, $"block {cert.Height} {cert.BlockHash}: the certificate does not prove the decision: {error}");
        }
    }

    /// <summary>Verifies and imports <paramref name="commit"/> (see <see cref="Import(VerifiedCommit)"/>).</summary>
    /// <exception cref="CertifiedBlockException">The first check that fails; nothing is written.</exception>
    public bool Import(CommitMessage commit) => Import(Verify(commit));

    /// <summary>
    /// Executes <paramref name="commit"/>'s block as the child of the head and commits it with its receipts, state and
    /// certificate in one batch. Returns false, writing nothing, when this node already holds that block at that height
    /// (consensus decided it meanwhile).
    /// </summary>
    /// <exception cref="UnexpectedHeightException">The block is not at the height after the head, or another block is committed at its height.</exception>
    /// <exception cref="InvalidCertifiedBlockException">The block does not extend the head or breaks an import rule.</exception>
    public bool Import(VerifiedCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        Block block = commit.Block;
        lock (_importLock)
        {
            BlockHeader head = _chain.Head;
            if (block.Number <= head.Number)
            {
                return AlreadyHeld(block);
            }

            if (block.Number != head.Number + 1)
            {
                throw new UnexpectedHeightException(block.Number, $"block {block.Number} does not follow the head {head.Number}");
            }

            if (block.Header.ParentHash != head.Hash)
            {
                // A quorum certified a block on another parent: this node's chain or > 1/3 of the stake is wrong.
                throw new InvalidCertifiedBlockException(block.Number, $"certified block {block.Number} {block.Hash} has parent {block.Header.ParentHash}, not the head {head.Hash}");
            }

            ValidatedBlock validated;
            try
            {
                validated = _processor.Validate(block);
            }
            catch (InvalidBlockException e)
            {
                throw new InvalidCertifiedBlockException(block.Number, $"certified block {block.Number} {block.Hash} is invalid here: {e.Message}", e);
            }

            try
            {
                if (!_certificates.CommitWithBlock(_chain, block, validated.Receipts, validated.State, commit.Certificate))
                {
                    return AlreadyHeld(block);
                }
            }
            catch (InvalidOperationException e)
            {
                // Validation compared the roots already; only a store changed underneath gets here.
                throw new InvalidCertifiedBlockException(block.Number, $"certified block {block.Number} {block.Hash} cannot be committed: {e.Message}", e);
            }

            return true;
        }
    }

    private bool AlreadyHeld(Block block)
    {
        Hash256? held = _chain.Blocks.ReadCanonicalHash(block.Number);
        return held == block.Hash
            ? false
            : throw new UnexpectedHeightException(block.Number, $"height {block.Number} already holds block {held}, not the certified {block.Hash}");
    }
}
