using Cere.Chain.Blocks;
using Cere.Chain.Logs;
using Cere.Chain.Rpc.Subscriptions;
using Cere.Chain.TxPool;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;

namespace Cere.Chain.Rpc.Filters;

/// <summary>
/// The filters installed with eth_newFilter, eth_newBlockFilter and eth_newPendingTransactionFilter. Each collects
/// what arrives after it was installed, until polled; one not polled for <see cref="RpcLimits.FilterTimeout"/> is
/// removed (geth: five minutes). The number of filters is capped.
/// </summary>
public sealed class FilterStore : IDisposable
{
    private readonly Blockchain _chain;
    private readonly TransactionPool _pool;
    private readonly RpcLimits _limits;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InstalledFilter> _filters = new(StringComparer.Ordinal);

    /// <summary>Creates the store and listens to <paramref name="chain"/> and <paramref name="pool"/>.</summary>
    public FilterStore(Blockchain chain, TransactionPool pool, RpcLimits limits, TimeProvider? time = null)
    {
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
        _time = time ?? TimeProvider.System;
        _chain.BlockCommitted += OnBlockCommitted;
        _chain.Reorganised += OnReorganised;
        _pool.PendingTransactionAdded += OnTransactionAdded;
    }

    /// <summary>The number of live filters.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                Sweep();
                return _filters.Count;
            }
        }
    }

    /// <summary>Installs a filter and returns its id.</summary>
    /// <exception cref="RpcException">The filter limit is reached (-32005).</exception>
    public string Install(FilterKind kind, LogFilterRequest? request, bool fullTransactions = false)
    {
        if (kind == FilterKind.Logs)
        {
            ArgumentNullException.ThrowIfNull(request);
        }

        lock (_lock)
        {
            Sweep();
            if (_filters.Count >= _limits.MaxFilters)
            {
                throw new RpcException(RpcErrorCodes.LimitExceeded, $"too many filters installed (at most {_limits.MaxFilters}); uninstall some or let them expire");
            }

            InstalledFilter f = new(RpcId.New(), kind, request, _limits.MaxFilterBacklog, _time.GetUtcNow(), fullTransactions);
            _filters.Add(f.Id, f);
            return f.Id;
        }
    }

    /// <summary>The live filter <paramref name="id"/>, its expiry pushed back by this poll.</summary>
    /// <exception cref="RpcException">No such filter, or it expired ("filter not found", as geth).</exception>
    public InstalledFilter Poll(string id)
    {
        lock (_lock)
        {
            Sweep();
            if (!_filters.TryGetValue(id, out InstalledFilter? f))
            {
                throw new RpcException(RpcErrorCodes.ServerError, "filter not found");
            }

            f.LastPolled = _time.GetUtcNow();
            return f;
        }
    }

    /// <summary>Removes filter <paramref name="id"/>; false when there was none.</summary>
    public bool Uninstall(string id)
    {
        lock (_lock)
        {
            Sweep();
            return _filters.Remove(id);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _chain.BlockCommitted -= OnBlockCommitted;
        _chain.Reorganised -= OnReorganised;
        _pool.PendingTransactionAdded -= OnTransactionAdded;
    }

    // Caller holds _lock.
    private void Sweep()
    {
        DateTimeOffset now = _time.GetUtcNow();
        List<string>? expired = null;
        foreach (InstalledFilter f in _filters.Values)
        {
            if (now - f.LastPolled > _limits.FilterTimeout)
            {
                (expired ??= []).Add(f.Id);
            }
        }

        if (expired is not null)
        {
            foreach (string id in expired)
            {
                _filters.Remove(id);
            }
        }
    }

    private InstalledFilter[] Snapshot()
    {
        lock (_lock)
        {
            Sweep();
            return _filters.Count == 0 ? [] : [.. _filters.Values];
        }
    }

    private void OnBlockCommitted(Block block, Receipt[] receipts)
    {
        try
        {
            InstalledFilter[] filters = Snapshot();
            List<MatchedLog>? matched = null;
            foreach (InstalledFilter f in filters)
            {
                if (f.Kind == FilterKind.Blocks)
                {
                    f.Add(block.Hash);
                }
                else if (f.Kind == FilterKind.Logs && f.Request is { } request && InRange(request, block.Number))
                {
                    matched ??= [];
                    matched.Clear();
                    LogSearch.Collect(request.Filter, block, receipts, matched);
                    foreach (MatchedLog m in matched)
                    {
                        f.Add(m);
                    }
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The block is already committed; a filter bug must not fail the commit that raised the event.
            Console.Error.WriteLine($"filters for block {block.Number} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    // Log filters get the logs of dropped blocks again with removed: true, as geth's do.
    private void OnReorganised(BlockHeader oldHead, BlockHeader ancestor)
    {
        try
        {
            List<(Block Block, Receipt[] Receipts)>? dropped = null;
            List<MatchedLog> matched = [];
            foreach (InstalledFilter f in Snapshot())
            {
                if (f.Kind != FilterKind.Logs || f.Request is not { } request)
                {
                    continue;
                }

                dropped ??= LogSearch.DroppedBlocks(_chain, oldHead, ancestor);
                matched.Clear();
                foreach ((Block block, Receipt[] receipts) in dropped)
                {
                    if (InRange(request, block.Number))
                    {
                        LogSearch.Collect(request.Filter, block, receipts, matched, removed: true);
                    }
                }

                foreach (MatchedLog m in matched)
                {
                    f.Add(m);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"filters after a reorganisation failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private void OnTransactionAdded(Transaction tx)
    {
        foreach (InstalledFilter f in Snapshot())
        {
            if (f.Kind == FilterKind.PendingTransactions)
            {
                f.Add(tx);
            }
        }
    }

    // A log filter with explicit block numbers only collects new logs inside them (as geth's filter does).
    private static bool InRange(LogFilterRequest request, ulong number)
    {
        if (request.BlockHash is not null)
        {
            return false;
        }

        if (request.FromBlock is { Kind: BlockSelectorKind.Number } from && number < from.Number)
        {
            return false;
        }

        return request.ToBlock is not { Kind: BlockSelectorKind.Number } to || number <= to.Number;
    }
}
