using Cere.Chain.Execution;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Rlp;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Blocks;

/// <summary>
/// Imports a block on top of any stored block: validates the header against its parent and the body against the
/// header, re-executes it on the parent's state (EIP-4788 beacon-root call, transactions, EIP-4895 withdrawals),
/// compares gas, bloom and roots, then commits it as the new head (see <see cref="Blockchain"/> for the fork
/// choice). A block that fails changes nothing.
/// </summary>
public sealed class BlockProcessor
{
    private readonly Blockchain _chain;
    private readonly ITransactionExecutor _executor;
    private readonly BlockBuilder _contexts;
    private readonly Lock _importLock = new();

    /// <summary>Creates a processor for <paramref name="chain"/>.</summary>
    public BlockProcessor(Blockchain chain, ITransactionExecutor executor)
    {
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _contexts = new BlockBuilder(chain, executor);
    }

    /// <summary>Decodes <paramref name="rlp"/> (a block's network encoding) and imports it as <see cref="Import(Block)"/> does.</summary>
    /// <exception cref="InvalidBlockException">The bytes are not a block, or the first rule the block breaks.</exception>
    public Receipt[] ImportRlp(ReadOnlySpan<byte> rlp)
    {
        Block block;
        try
        {
            block = BlockCodec.Decode(rlp);
        }
        catch (RlpException e)
        {
            throw new InvalidBlockException($"malformed block RLP: {e.Message}", e);
        }
        catch (TransactionException e)
        {
            throw new InvalidBlockException($"malformed transaction in the block body: {e.Message}", e);
        }

        return Import(block);
    }

    /// <summary>Validates and executes <paramref name="block"/> on its parent's state and commits it as the new head.</summary>
    /// <remarks>Importing the current head again changes nothing and returns its stored receipts.</remarks>
    /// <exception cref="InvalidBlockException">The first rule the block breaks.</exception>
    public Receipt[] Import(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        lock (_importLock)
        {
            if (block.Hash == _chain.Head.Hash && _chain.Blocks.ReadReceipts(block.Hash) is Receipt[] stored)
            {
                return stored;
            }

            ValidatedBlock v = Validate(block);
            try
            {
                _chain.Commit(block, v.Receipts, v.State);
            }
            catch (InvalidOperationException e)
            {
                // Validation makes this unreachable unless the store changed underneath; report it as the block's fault.
                throw new InvalidBlockException($"block {block.Number} {block.Hash} cannot be committed: {e.Message}", e);
            }

            return v.Receipts;
        }
    }

    /// <summary>
    /// Every check of <see cref="Import(Block)"/> without the commit: the header against its stored parent, the
    /// body against the header, and execution on the parent's state (which the result holds, uncommitted).
    /// </summary>
    /// <exception cref="InvalidBlockException">The first rule the block breaks.</exception>
    public ValidatedBlock Validate(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader h = block.Header;
        BlockHeader head = _chain.Head;
        BlockHeader parent = (h.ParentHash == head.Hash ? head : _chain.Blocks.ReadHeader(h.ParentHash))
            ?? throw new InvalidBlockException($"unknown parent {h.ParentHash} of block {h.Number} {h.Hash}");
        HeaderValidator.Validate(h, parent, _chain.Spec, _chain.Forks);
        ValidateBody(block);
        (Receipt[] receipts, WorldState state) = EvmExecutor.RunOnEvmThread(() => Execute(block, parent));
        return new ValidatedBlock(block, parent, receipts, state);
    }

    private void ValidateBody(Block block)
    {
        BlockHeader h = block.Header;
        Hash256 txRoot = OrderedTrieRoot.OfTransactions(block.Transactions);
        if (txRoot != h.TransactionsRoot)
        {
            throw new InvalidBlockException($"transactions root mismatch: header {h.TransactionsRoot}, body {txRoot}");
        }

        // EIP-3675: no ommers after the merge.
        if (block.Ommers.Length != 0)
        {
            throw new InvalidBlockException($"{block.Ommers.Length} ommers; none are allowed after the merge");
        }

        // EIP-4895: a Shanghai body carries a withdrawals list matching the header's root; earlier bodies none.
        if (h.WithdrawalsRoot is Hash256 wRoot)
        {
            if (block.Withdrawals is null)
            {
                throw new InvalidBlockException("missing withdrawals list");
            }

            Hash256 got = OrderedTrieRoot.OfWithdrawals(block.Withdrawals);
            if (got != wRoot)
            {
                throw new InvalidBlockException($"withdrawals root mismatch: header {wRoot}, body {got}");
            }
        }
        else if (block.Withdrawals is not null)
        {
            throw new InvalidBlockException("withdrawals before Shanghai");
        }
    }

    private (Receipt[] Receipts, WorldState State) Execute(Block block, BlockHeader parent)
    {
        BlockHeader h = block.Header;
        BlockContext ctx = _contexts.ContextFor(parent, h);
        WorldState state = _chain.OpenState(parent.StateRoot);
        if (_chain.Forks.IsCancun(h.Timestamp))
        {
            BeaconRoots.Update(state, ctx, h.ParentBeaconBlockRoot!.Value);
        }

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

        if (block.Withdrawals is not null)
        {
            Withdrawals.Apply(state, block.Withdrawals);
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

        return (receipts, state);
    }
}
