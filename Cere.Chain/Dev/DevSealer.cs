using System.Diagnostics;
using Cere.Chain.Blocks;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Chain.Dev;

/// <summary>
/// The dev chain's one validator: every <c>period</c> seals the pool's best transactions into a block (period 0:
/// one block as soon as transactions arrive), commits it and logs one line per block.
/// </summary>
public sealed class DevSealer
{
    private readonly Blockchain _chain;
    private readonly TransactionPool _pool;
    private readonly BlockBuilder _builder;
    private readonly TimeSpan _period;
    private readonly Address _coinbase;
    private readonly TextWriter _log;
    private readonly Lock _sealLock = new();

    /// <summary>Creates a sealer; <paramref name="period"/> zero seals on arrival.</summary>
    public DevSealer(Blockchain chain, TransactionPool pool, BlockBuilder builder, TimeSpan period, Address coinbase, TextWriter log)
    {
        _chain = chain;
        _pool = pool;
        _builder = builder;
        _period = period;
        _coinbase = coinbase;
        _log = log;
        if (period == TimeSpan.Zero)
        {
            // Sealed before eth_sendRawTransaction answers (as hardhat's automine): a client that then polls for the
            // receipt finds it, and one waiting for the next block is not left waiting for a block that never comes.
            _pool.TransactionAdded += _ => SealOnce();
        }
    }

    /// <summary>Seals until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_period == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : _period, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            SealOnce();
        }
    }

    /// <summary>Builds, commits and logs one block from the pool; returns it.</summary>
    public BuiltBlock SealOnce()
    {
        lock (_sealLock)
        {
            return SealLocked();
        }
    }

    private BuiltBlock SealLocked()
    {
        Stopwatch sw = Stopwatch.StartNew();
        Core.Blocks.BlockHeader parent = _chain.Head;
        Dictionary<Address, Transaction[]> pending = _pool.Pending(_chain.OpenState(parent.StateRoot));
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        BuiltBlock built = Execution.EvmExecutor.RunOnEvmThread(() => _builder.Build(parent, pending, Math.Max(now, parent.Timestamp + 1), _coinbase));
        _chain.Commit(built.Block, built.Receipts, built.State);
        foreach ((Transaction tx, string reason) in built.Rejected)
        {
            _pool.Remove(tx);
            _log.WriteLine($"tx dropped hash={tx.Hash} reason=\"{reason}\"");
        }

        _pool.OnNewHead(_chain.OpenState(built.Block.Header.StateRoot));
        Core.Blocks.BlockHeader h = built.Block.Header;
        _log.WriteLine($"block sealed number={h.Number} hash={h.Hash} txs={built.Block.Transactions.Length} gas={h.GasUsed} ms={sw.ElapsedMilliseconds}");
        return built;
    }
}
