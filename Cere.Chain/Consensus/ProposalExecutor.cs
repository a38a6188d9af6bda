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
/// The checks mirror <see cref="BlockProcessor.Import"/> (which commits as it goes and so cannot be used before a
/// decision), plus a bound on how far a timestamp may run ahead of this node's clock.
/// </remarks>
public sealed class ProposalExecutor
{
    private readonly Blockchain _chain;
    private readonly ITransactionExecutor _executor;
    private readonly BlockBuilder _builder;
    private readonly TimeProvider _time;

    /// <summary>An executor on <paramref name="chain"/>'s head.</summary>
    public ProposalExecutor(Blockchain chain, ITransactionExecutor executor, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(executor);
        _chain = chain;
        _executor = executor;
        _builder = new BlockBuilder(chain, executor);
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
        ValidateHeader(h, parent);

        Hash256 txRoot = OrderedTrieRoot.OfTransactions(block.Transactions);
        if (txRoot != h.TransactionsRoot)
        {
            throw new InvalidBlockException($"transactions root mismatch: header {h.TransactionsRoot}, body {txRoot}");
        }

        if (block.Ommers.Length != 0 || h.OmmersHash != Hash256.EmptyListHash)
        {
            throw new InvalidBlockException("ommers are not allowed");
        }

        return EvmExecutor.RunOnEvmThread(() => ExecuteBody(parent, block, encoded));
    }

    private ExecutedBlock ExecuteBody(BlockHeader parent, Block block, byte[] encoded)
    {
        BlockHeader h = block.Header;
        BlockContext ctx = _builder.ContextFor(parent, h.BaseFeePerGas!.Value, h.Timestamp, h.Beneficiary);
        WorldState state = _chain.OpenState(parent.StateRoot);
        Receipt[] receipts = new Receipt[block.Transactions.Length];
        Bloom bloom = new();
        ulong gasUsed = 0;
        for (int i = 0; i < receipts.Length; i++)
        {
            Transaction tx = block.Transactions[i];
            if (tx.GasLimit > h.GasLimit - gasUsed)
            {
                throw new InvalidBlockException($"transaction {i} ({tx.Hash}): gas limit reached: tx gas {tx.GasLimit}, block gas left {h.GasLimit - gasUsed}");
            }

            try
            {
                ExecutedTransaction done = _executor.Execute(state, ctx, tx, gasUsed);
                gasUsed += done.GasUsed;
                receipts[i] = done.Receipt;
                bloom.Accumulate(done.Receipt.Bloom);
            }
            catch (TransactionRejectedException e)
            {
                throw new InvalidBlockException($"transaction {i} ({tx.Hash}): {e.Message}", e);
            }
        }

        if (gasUsed != h.GasUsed)
        {
            throw new InvalidBlockException($"gas used mismatch: header {h.GasUsed}, executed {gasUsed}");
        }

        if (!bloom.Equals(h.LogsBloom))
        {
            throw new InvalidBlockException("logs bloom mismatch");
        }

        Hash256 receiptsRoot = OrderedTrieRoot.OfReceipts(receipts);
        if (receiptsRoot != h.ReceiptsRoot)
        {
            throw new InvalidBlockException($"receipts root mismatch: header {h.ReceiptsRoot}, executed {receiptsRoot}");
        }

        Hash256 stateRoot = state.ComputeStateRoot();
        if (stateRoot != h.StateRoot)
        {
            throw new InvalidBlockException($"state root mismatch: header {h.StateRoot}, executed {stateRoot}");
        }

        return new ExecutedBlock(block, encoded, receipts, state, []);
    }

    private void ValidateHeader(BlockHeader h, BlockHeader parent)
    {
        if (h.ParentHash != parent.Hash || h.Number != parent.Number + 1)
        {
            throw new InvalidBlockException($"block {h.Number} with parent {h.ParentHash} does not extend the head {parent.Number} {parent.Hash}");
        }

        if (h.Timestamp <= parent.Timestamp)
        {
            throw new InvalidBlockException($"timestamp {h.Timestamp} not after the parent's {parent.Timestamp}");
        }

        ulong now = (ulong)_time.GetUtcNow().ToUnixTimeSeconds();
        if (h.Timestamp > now + MaxFutureDriftSeconds)
        {
            throw new InvalidBlockException($"timestamp {h.Timestamp} is more than {MaxFutureDriftSeconds} s ahead of this node's clock ({now})");
        }

        if (h.GasUsed > h.GasLimit)
        {
            throw new InvalidBlockException($"gas used {h.GasUsed} above the gas limit {h.GasLimit}");
        }

        // EIP-1559: the gas limit moves by less than parent/1024 per block and stays at least 5000.
        ulong bound = parent.GasLimit / 1024;
        ulong diff = h.GasLimit > parent.GasLimit ? h.GasLimit - parent.GasLimit : parent.GasLimit - h.GasLimit;
        if (diff >= bound || h.GasLimit < 5000)
        {
            throw new InvalidBlockException($"invalid gas limit {h.GasLimit} after the parent's {parent.GasLimit}");
        }

        // EIP-1559: the base fee follows from the parent's gas use.
        UInt256 expected = BaseFeeCalculator.Next(parent, _chain.Spec);
        if (h.BaseFeePerGas is not UInt256 fee || fee != expected)
        {
            throw new InvalidBlockException($"invalid base fee {h.BaseFeePerGas}, expected {expected}");
        }

        if (h.ExtraData.Length > 32)
        {
            throw new InvalidBlockException($"extra data is {h.ExtraData.Length} bytes, at most 32");
        }
    }
}
