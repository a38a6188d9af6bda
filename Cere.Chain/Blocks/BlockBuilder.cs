using Cere.Chain.Execution;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Blocks;

/// <summary>
/// Builds the next block: takes each sender's executable transactions in nonce order, always the one paying the
/// highest effective tip next, executes them on a fresh copy of the head's state and stops at the gas limit.
/// </summary>
public sealed class BlockBuilder
{
    private readonly Blockchain _chain;
    private readonly ITransactionExecutor _executor;

    /// <summary>Creates a builder on <paramref name="chain"/>'s head.</summary>
    public BlockBuilder(Blockchain chain, ITransactionExecutor executor)
    {
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
    }

    /// <summary>Builds a child of <paramref name="parent"/> from <paramref name="pending"/> (each sender's transactions by nonce).</summary>
    public BuiltBlock Build(BlockHeader parent, IReadOnlyDictionary<Address, Transaction[]> pending, ulong timestamp, Address coinbase)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(pending);
        UInt256 baseFee = BaseFeeCalculator.Next(parent, _chain.Spec);
        BlockContext ctx = ContextFor(parent, baseFee, timestamp, coinbase);
        WorldState state = _chain.OpenState(parent.StateRoot);
        bool shanghai = _chain.Forks.IsShanghai(timestamp);
        bool cancun = _chain.Forks.IsCancun(timestamp);

        // EIP-4788: Cere has no beacon chain; its blocks carry a zero parent beacon block root.
        if (cancun)
        {
            BeaconRoots.Update(state, ctx, Hash256.Zero);
        }

        // A max-heap of the next transaction of each sender by effective tip (ties: earlier nonce first).
        PriorityQueue<(Address Sender, int Index), (UInt256 Tip, ulong Nonce)> heads = new(TipOrder.Instance);
        foreach (KeyValuePair<Address, Transaction[]> p in pending)
        {
            if (p.Value.Length > 0)
            {
                heads.Enqueue((p.Key, 0), (EffectiveTip(p.Value[0], baseFee), p.Value[0].Nonce));
            }
        }

        List<Transaction> included = new();
        List<Receipt> receipts = new();
        List<(Transaction, string)> rejected = new();
        ulong gasUsed = 0;
        while (heads.TryDequeue(out (Address Sender, int Index) next, out _))
        {
            Transaction tx = pending[next.Sender][next.Index];
            if (parent.GasLimit - gasUsed < IntrinsicGas.Transaction)
            {
                break;
            }

            if (tx.GasLimit > parent.GasLimit - gasUsed)
            {
                continue; // does not fit this block; the sender's later nonces cannot go before it
            }

            try
            {
                ExecutedTransaction done = _executor.Execute(state, ctx, tx, gasUsed);
                gasUsed += done.GasUsed;
                included.Add(tx);
                receipts.Add(done.Receipt);
            }
            catch (TransactionRejectedException e)
            {
                rejected.Add((tx, e.Message));
                continue;
            }

            Transaction[] queue = pending[next.Sender];
            if (next.Index + 1 < queue.Length)
            {
                Transaction following = queue[next.Index + 1];
                heads.Enqueue((next.Sender, next.Index + 1), (EffectiveTip(following, baseFee), following.Nonce));
            }
        }

        Bloom bloom = new();
        foreach (Receipt r in receipts)
        {
            bloom.Accumulate(r.Bloom);
        }

        Transaction[] txs = included.ToArray();
        Receipt[] rs = receipts.ToArray();
        BlockHeader header = new()
        {
            ParentHash = parent.Hash,
            Beneficiary = coinbase,
            StateRoot = state.ComputeStateRoot(),
            TransactionsRoot = OrderedTrieRoot.OfTransactions(txs),
            ReceiptsRoot = OrderedTrieRoot.OfReceipts(rs),
            LogsBloom = bloom,
            Number = parent.Number + 1,
            GasLimit = parent.GasLimit,
            GasUsed = gasUsed,
            Timestamp = timestamp,
            BaseFeePerGas = baseFee,

            // EIP-4895: no withdrawals on Cere (the empty list's root); EIP-4844: no blobs.
            WithdrawalsRoot = shanghai ? Hash256.EmptyTrieRoot : null,
            BlobGasUsed = cancun ? 0 : null,
            ExcessBlobGas = cancun ? BlobGas.ExcessAfter(parent) : null,
            ParentBeaconBlockRoot = cancun ? Hash256.Zero : null,
        };
        return new BuiltBlock(new Block(header, txs, [], shanghai ? [] : null), rs, state, rejected);
    }

    /// <summary>The execution context of a block with <paramref name="parent"/>'s successor's fields (the parent's gas limit, zero PREVRANDAO).</summary>
    public BlockContext ContextFor(BlockHeader parent, UInt256 baseFee, ulong timestamp, Address coinbase)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return new()
        {
            Number = parent.Number + 1,
            Timestamp = timestamp,
            Coinbase = coinbase,
            GasLimit = parent.GasLimit,
            BaseFee = baseFee,
            ChainId = _chain.Spec.ChainId,
            BlobBaseFee = _chain.Forks.IsCancun(timestamp) ? BlobBaseFeeFor(BlobGas.ExcessAfter(parent)) : UInt256.One,
            BlockHashes = _chain.AncestorHashes(parent),
        };
    }

    /// <summary>The execution context of the block with header <paramref name="header"/>, a child of <paramref name="parent"/>.</summary>
    public BlockContext ContextFor(BlockHeader parent, BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(header);
        return new()
        {
            Number = header.Number,
            Timestamp = header.Timestamp,
            Coinbase = header.Beneficiary,
            GasLimit = header.GasLimit,
            BaseFee = header.BaseFeePerGas ?? UInt256.Zero,
            ChainId = _chain.Spec.ChainId,
            PrevRandao = header.MixHash,
            BlobBaseFee = BlobGas.BaseFeeOf(header),
            BlockHashes = _chain.AncestorHashes(parent),
        };
    }

    private static UInt256 BlobBaseFeeFor(ulong excess) => excess == 0 ? UInt256.One : Cere.Vm.BlockEnvironment.BlobBaseFeeFor(excess);

    /// <summary>EIP-1559 effective tip: min(max priority fee, max fee − base fee), zero when the fee cap is below the base fee.</summary>
    public static UInt256 EffectiveTip(Transaction tx, in UInt256 baseFee)
    {
        if (tx.MaxFeePerGas < baseFee)
        {
            return UInt256.Zero;
        }

        UInt256 room = tx.MaxFeePerGas - baseFee;
        return room < tx.MaxPriorityFeePerGas ? room : tx.MaxPriorityFeePerGas;
    }

    private sealed class TipOrder : IComparer<(UInt256 Tip, ulong Nonce)>
    {
        public static readonly TipOrder Instance = new();

        public int Compare((UInt256 Tip, ulong Nonce) x, (UInt256 Tip, ulong Nonce) y)
        {
            int byTip = y.Tip.CompareTo(x.Tip);
            return byTip != 0 ? byTip : x.Nonce.CompareTo(y.Nonce);
        }
    }
}
