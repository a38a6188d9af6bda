using Cere.Chain.Blocks;
using Cere.Chain.Execution;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Consensus;

/// <summary>
/// Builds a proposal from the pool and re-executes a peer's proposal, both on a fresh copy of the parent's state and
/// without committing anything: consensus decides first, the chain commits after.
/// </summary>
/// <remarks>
/// A peer's proposal goes through <see cref="BlockProcessor.Validate"/> (the import rules without the commit), plus a
/// bound on how far a timestamp may run ahead of this node's clock.
/// </remarks>
public sealed class ProposalExecutor
{
    private readonly BlockBuilder _builder;
    private readonly BlockProcessor _processor;
    private readonly TimeProvider _time;

    /// <summary>An executor on <paramref name="chain"/>'s head.</summary>
    public ProposalExecutor(Blockchain chain, ITransactionExecutor executor, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(executor);
        _builder = new BlockBuilder(chain, executor);
        _processor = new BlockProcessor(chain, executor);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How far ahead of this node's clock a proposed timestamp may be, in seconds (clock skew allowance).</summary>
    public ulong MaxFutureDriftSeconds { get; init; } = 15;

    /// <summary>Builds a child of <paramref name="parent"/> from <paramref name="pending"/>, paying <paramref name="coinbase"/>.</summary>
    public ExecutedBlock Build(BlockHeader parent, IReadOnlyDictionary<Address, Transaction[]> pending, Address coinbase)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(pending);
        ulong now = (ulong)_time.GetUtcNow().ToUnixTimeSeconds();
        BuiltBlock built = EvmExecutor.RunOnEvmThread(() => _builder.Build(parent, pending, Math.Max(now, parent.Timestamp + 1), coinbase));
        return new ExecutedBlock(built.Block, BlockCodec.Encode(built.Block), built.Receipts, built.State, built.Rejected);
    }

    /// <summary>Re-executes <paramref name="block"/> (RLP <paramref name="encoded"/>) on <paramref name="parent"/>'s state and checks every root.</summary>
    /// <exception cref="InvalidBlockException">The first rule the block breaks.</exception>
    public ExecutedBlock Execute(BlockHeader parent, Block block, byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(encoded);
        BlockHeader h = block.Header;
        if (h.ParentHash != parent.Hash || h.Number != parent.Number + 1)
        {
            throw new InvalidBlockException($"block {h.Number} with parent {h.ParentHash} does not extend the head {parent.Number} {parent.Hash}");
        }

        ulong now = (ulong)_time.GetUtcNow().ToUnixTimeSeconds();
        if (h.Timestamp > now + MaxFutureDriftSeconds)
        {
            throw new InvalidBlockException($"timestamp {h.Timestamp} is more than {MaxFutureDriftSeconds} s ahead of this node's clock ({now})");
        }

        // Every import rule (header, body, system call, withdrawals, roots) on a state copy that is not committed.
        ValidatedBlock validated = _processor.Validate(block);
        return new ExecutedBlock(block, encoded, validated.Receipts, validated.State, []);
    }
}
