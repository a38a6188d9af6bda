using Cere.Chain.Logs;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Chain.Rpc.Filters;

/// <summary>What an installed filter collects between polls.</summary>
public enum FilterKind
{
    /// <summary>eth_newFilter: logs matching a filter.</summary>
    Logs,

    /// <summary>eth_newBlockFilter: hashes of new blocks.</summary>
    Blocks,

    /// <summary>eth_newPendingTransactionFilter: hashes of transactions entering the pool.</summary>
    PendingTransactions,
}

/// <summary>
/// One installed filter: what it watches and what arrived since it was last polled (bounded; items past the
/// backlog limit are dropped until the client polls).
/// </summary>
public sealed class InstalledFilter
{
    private readonly Lock _lock = new();
    private readonly int _maxBacklog;
    private List<MatchedLog> _logs = [];
    private List<Hash256> _hashes = [];
    private List<Transaction> _transactions = [];

    /// <summary>Creates a filter polled last at <paramref name="now"/>.</summary>
    public InstalledFilter(string id, FilterKind kind, LogFilterRequest? request, int maxBacklog, DateTimeOffset now, bool fullTransactions = false)
    {
        Id = id;
        FullTransactions = fullTransactions;
        Kind = kind;
        Request = request;
        _maxBacklog = maxBacklog;
        LastPolled = now;
    }

    /// <summary>The id the client was given.</summary>
    public string Id { get; }

    /// <summary>What it collects.</summary>
    public FilterKind Kind { get; }

    /// <summary>For a log filter: the criteria, range included.</summary>
    public LogFilterRequest? Request { get; }

    /// <summary>For a pending-transaction filter: whole transactions instead of hashes.</summary>
    public bool FullTransactions { get; }

    /// <summary>When it was installed or last polled (it expires a timeout after this).</summary>
    public DateTimeOffset LastPolled { get; set; }

    /// <summary>Adds a log that arrived.</summary>
    public void Add(in MatchedLog log)
    {
        lock (_lock)
        {
            if (_logs.Count < _maxBacklog)
            {
                _logs.Add(log);
            }
        }
    }

    /// <summary>Adds a block or transaction hash that arrived.</summary>
    public void Add(in Hash256 hash)
    {
        lock (_lock)
        {
            if (_hashes.Count < _maxBacklog)
            {
                _hashes.Add(hash);
            }
        }
    }

    /// <summary>Adds a transaction that entered the pool (kept whole, or as its hash).</summary>
    public void Add(Transaction tx)
    {
        if (!FullTransactions)
        {
            Add(tx.Hash);
            return;
        }

        lock (_lock)
        {
            if (_transactions.Count < _maxBacklog)
            {
                _transactions.Add(tx);
            }
        }
    }

    /// <summary>The whole transactions since the last poll, which are forgotten.</summary>
    public List<Transaction> TakeTransactions()
    {
        lock (_lock)
        {
            List<Transaction> taken = _transactions;
            _transactions = [];
            return taken;
        }
    }

    /// <summary>The logs since the last poll, which are forgotten.</summary>
    public List<MatchedLog> TakeLogs()
    {
        lock (_lock)
        {
            List<MatchedLog> taken = _logs;
            _logs = [];
            return taken;
        }
    }

    /// <summary>The hashes since the last poll, which are forgotten.</summary>
    public List<Hash256> TakeHashes()
    {
        lock (_lock)
        {
            List<Hash256> taken = _hashes;
            _hashes = [];
            return taken;
        }
    }
}
