using Cere.Chain.Execution;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Blocks;

/// <summary>
/// Imports a block on top of the head: validates the header against its parent and the body against the header,
/// re-executes every transaction, compares gas, bloom and roots, then commits. A block that fails changes nothing.
/// </summary>
public sealed class BlockProcessor
{
    private readonly Blockchain _chain;
    private readonly ITransactionExecutor _executor;
    private readonly BlockBuilder _contexts;

    /// <summary>Creates a processor for <paramref name="chain"/>.</summary>
    public BlockProcessor(Blockchain chain, ITransactionExecutor executor)
    {
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _contexts = new BlockBuilder(chain, executor);
    }

    /// <summary>Validates, executes and commits <paramref name="block"/> as the new head.</summary>
    /// <exception cref="InvalidBlockException">The first rule the block breaks.</exception>
    public Receipt[] Import(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader parent = _chain.Head;
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

        BlockContext ctx = _contexts.ContextFor(parent, h.BaseFeePerGas!.Value, h.Timestamp, h.Beneficiary);
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

        _chain.Commit(block, receipts, state);
        return receipts;
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
