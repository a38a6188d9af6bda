using Cere.Core;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.TxPool;

/// <summary>
/// Transactions waiting for a block: one nonce-ordered queue per sender, "pending" while the nonces run on from
/// the account's nonce without a gap, "queued" after a gap. Replacement needs a fee bump; limits per sender and in
/// total evict the cheapest; a new head drops what got included or became invalid.
/// </summary>
/// <remarks>Thread-safe (one lock; every operation is short).</remarks>
public sealed class TransactionPool
{
    private readonly Lock _lock = new();
    private readonly TxPoolSettings _settings;
    private readonly ulong _chainId;
    private readonly Dictionary<Address, SortedList<ulong, Transaction>> _bySender = new();
    private readonly Dictionary<Hash256, Transaction> _byHash = new();

    /// <summary>Creates an empty pool for chain <paramref name="chainId"/>.</summary>
    public TransactionPool(ulong chainId, TxPoolSettings? settings = null)
    {
        _chainId = chainId;
        _settings = settings ?? new TxPoolSettings();
    }

    /// <summary>Raised (outside the lock) with every transaction added.</summary>
    public event Action<Transaction>? TransactionAdded;

    /// <summary>
    /// Raised (outside the lock, after <see cref="TransactionAdded"/>) for each transaction an addition made executable:
    /// the added one when no nonce gap precedes it, then the queued ones whose gap it closed (geth's NewTxsEvent).
    /// </summary>
    public event Action<Transaction>? PendingTransactionAdded;

    /// <summary>The number of transactions in the pool.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byHash.Count;
            }
        }
    }

    /// <summary>
    /// Validates <paramref name="tx"/> against the rules and the head's <paramref name="state"/> and adds it
    /// (no block gas limit check: callers that know the head should pass its gas limit to the other overload).
    /// </summary>
    /// <exception cref="TxPoolException">The transaction is refused (nothing changes).</exception>
    public Hash256 Add(Transaction tx, IWorldState state) => Add(tx, state, ulong.MaxValue);

    /// <summary>
    /// Validates <paramref name="tx"/> against the rules, the head's <paramref name="state"/> and its
    /// <paramref name="blockGasLimit"/>, and adds it.
    /// </summary>
    /// <exception cref="TxPoolException">The transaction is refused (nothing changes).</exception>
    public Hash256 Add(Transaction tx, IWorldState state, ulong blockGasLimit)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(state);
        // geth (core/txpool/validation.go): a transaction that cannot fit any block would sit in the pool forever.
        if (tx.GasLimit > blockGasLimit)
        {
            throw new TxPoolException("exceeds block gas limit");
        }

        Address sender;
        try
        {
            sender = TransactionValidator.Validate(tx, _chainId);
        }
        catch (TransactionException e)
        {
            throw new TxPoolException(e.Message, e);
        }

        if (TransactionEncoder.EncodedLength(tx) > _settings.MaxTxBytes)
        {
            throw new TxPoolException("oversized data");
        }

        Hash256 hash = tx.Hash;
        List<Transaction>? promoted;
        ulong stateNonce = state.GetNonce(sender);
        UInt256 balance = state.GetBalance(sender);
        lock (_lock)
        {
            if (_byHash.ContainsKey(hash))
            {
                throw new TxPoolException("already known");
            }

            if (tx.Nonce < stateNonce)
            {
                throw new TxPoolException("nonce too low");
            }

            // Cost = gas limit × fee cap + value must be covered by the balance at the head.
            bool fits = TryCost(tx, out UInt256 cost);
            if (!fits || balance < cost)
            {
                throw new TxPoolException($"insufficient funds for gas * price + value: address {sender} have {balance} want {(fits ? cost.ToString() : "more than 2^256")}");
            }

            if (!_bySender.TryGetValue(sender, out SortedList<ulong, Transaction>? queue))
            {
                queue = new SortedList<ulong, Transaction>();
            }

            // geth (core/txpool/validation.go, overdraft): the sender's other pooled transactions plus this one (in place
            // of the one it replaces) must all be covered by the balance, or the pool holds transactions that can never
            // all execute and a sender could fill blocks' candidate lists with unpayable ones.
            UInt256 spent = QueuedCost(queue, tx.Nonce);
            bool overflow = UInt256.AddOverflow(spent, cost, out UInt256 need);
            if (overflow || balance < need)
            {
                throw new TxPoolException($"insufficient funds for gas * price + value: balance {balance}, queued cost {spent}, tx cost {cost}, overshot {(overflow ? "more than 2^256" : (need - balance).ToString())}");
            }

            if (queue.TryGetValue(tx.Nonce, out Transaction? old))
            {
                if (!IsBumped(old, tx))
                {
                    throw new TxPoolException("replacement transaction underpriced");
                }

                _byHash.Remove(old.Hash);
            }
            else
            {
                if (queue.Count >= _settings.MaxPerSender)
                {
                    throw new TxPoolException($"account limit exceeded: {sender} has {queue.Count} transactions in the pool");
                }

                if (_byHash.Count >= _settings.MaxTotal)
                {
                    _ = EvictCheaperThan(tx) ?? throw new TxPoolException("txpool is full");
                }
            }

            promoted = Promoted(queue, tx, stateNonce, replacement: old is not null);
            queue[tx.Nonce] = tx;
            _bySender[sender] = queue;
            _byHash[hash] = tx;
        }

        TransactionAdded?.Invoke(tx);
        if (promoted is not null)
        {
            foreach (Transaction p in promoted)
            {
                PendingTransactionAdded?.Invoke(p);
            }
        }

        return hash;
    }

    /// <summary>The pool's transaction with <paramref name="hash"/>, or null.</summary>
    public Transaction? Get(in Hash256 hash)
    {
        lock (_lock)
        {
            return _byHash.GetValueOrDefault(hash);
        }
    }

    /// <summary>
    /// Replaces each transaction of <paramref name="txs"/> that the pool holds by the pool's object (the same hash, so the
    /// same signed bytes), whose sender was recovered when it was admitted: re-executing a peer's block then recovers
    /// only the senders of transactions this node has not seen. Returns how many were replaced.
    /// </summary>
    public int ReusePooled(Transaction[] txs)
    {
        ArgumentNullException.ThrowIfNull(txs);
        for (int i = 0; i < txs.Length; i++)
        {
            _ = txs[i].Hash; // hashed outside the lock
        }

        int replaced = 0;
        lock (_lock)
        {
            if (_byHash.Count == 0)
            {
                return 0;
            }

            for (int i = 0; i < txs.Length; i++)
            {
                if (_byHash.TryGetValue(txs[i].Hash, out Transaction? pooled) && !ReferenceEquals(pooled, txs[i]))
                {
                    txs[i] = pooled;
                    replaced++;
                }
            }
        }

        return replaced;
    }

    /// <summary>The next nonce of <paramref name="sender"/> counting its pending transactions (for the "pending" tag).</summary>
    public ulong PendingNonce(in Address sender, ulong stateNonce)
    {
        lock (_lock)
        {
            if (!_bySender.TryGetValue(sender, out SortedList<ulong, Transaction>? queue))
            {
                return stateNonce;
            }

            ulong next = stateNonce;
            while (queue.ContainsKey(next))
            {
                next++;
            }

            return next;
        }
    }

    /// <summary>
    /// Each sender's pending transactions (gap-free from the account nonce in <paramref name="state"/>), in nonce order.
    /// </summary>
    public Dictionary<Address, Transaction[]> Pending(IWorldState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Dictionary<Address, Transaction[]> result = new();
        lock (_lock)
        {
            foreach (KeyValuePair<Address, SortedList<ulong, Transaction>> s in _bySender)
            {
                ulong next = state.GetNonce(s.Key);
                List<Transaction>? run = null;
                while (s.Value.TryGetValue(next, out Transaction? tx))
                {
                    (run ??= new List<Transaction>()).Add(tx);
                    next++;
                }

                if (run is not null)
                {
                    result[s.Key] = run.ToArray();
                }
            }
        }

        return result;
    }

    /// <summary>(pending, queued) counts against the head's <paramref name="state"/>.</summary>
    public (int Pending, int Queued) Counts(IWorldState state)
    {
        int pending = 0;
        foreach (Transaction[] run in Pending(state).Values)
        {
            pending += run.Length;
        }

        return (pending, Count - pending);
    }

    /// <summary>
    /// Re-validation on a new head: drops transactions whose nonce is now used and those the sender can no longer pay for.
    /// </summary>
    public void OnNewHead(IWorldState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            List<Address>? emptied = null;
            foreach (KeyValuePair<Address, SortedList<ulong, Transaction>> s in _bySender)
            {
                ulong nonce = state.GetNonce(s.Key);
                UInt256 balance = state.GetBalance(s.Key);
                SortedList<ulong, Transaction> queue = s.Value;
                for (int i = queue.Count - 1; i >= 0; i--)
                {
                    Transaction tx = queue.Values[i];
                    UInt256 cost = new UInt256(tx.GasLimit) * tx.MaxFeePerGas + tx.Value;
                    if (tx.Nonce < nonce || balance < cost)
                    {
                        queue.RemoveAt(i);
                        _byHash.Remove(tx.Hash);
                    }
                }

                if (queue.Count == 0)
                {
                    (emptied ??= new List<Address>()).Add(s.Key);
                }
            }

            if (emptied is not null)
            {
                foreach (Address a in emptied)
                {
                    _bySender.Remove(a);
                }
            }
        }
    }

    /// <summary>Removes a transaction (for example one a block builder found invalid).</summary>
    public bool Remove(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        lock (_lock)
        {
            if (!_byHash.Remove(tx.Hash) || tx.Sender is not Address sender || !_bySender.TryGetValue(sender, out SortedList<ulong, Transaction>? queue))
            {
                return false;
            }

            queue.Remove(tx.Nonce);
            if (queue.Count == 0)
            {
                _bySender.Remove(sender);
            }

            return true;
        }
    }

    // Gas limit × fee cap + value; false when it passes 2^256 (the product alone cannot: the validator refuses that),
    // which no balance covers.
    private static bool TryCost(Transaction tx, out UInt256 cost)
    {
        if (UInt256.AddOverflow(new UInt256(tx.GasLimit) * tx.MaxFeePerGas, tx.Value, out cost))
        {
            cost = default;
            return false;
        }

        return true;
    }

    // What the sender's pooled transactions cost, except the one at skipNonce (which the new one would replace).
    // At most MaxPerSender entries, each admitted with a cost that fits 256 bits and a running sum under the balance.
    private static UInt256 QueuedCost(SortedList<ulong, Transaction> queue, ulong skipNonce)
    {
        UInt256 sum = default;
        IList<Transaction> txs = queue.Values;
        for (int i = 0; i < txs.Count; i++)
        {
            Transaction t = txs[i];
            if (t.Nonce != skipNonce)
            {
                _ = TryCost(t, out UInt256 c);
                sum += c;
            }
        }

        return sum;
    }

    // What adding tx makes executable: nothing while a nonce gap lies below it; else tx, and (unless it replaces a
    // transaction, whose successors were already executable) the queued run right after it. Called before insertion.
    private static List<Transaction>? Promoted(SortedList<ulong, Transaction> queue, Transaction tx, ulong stateNonce, bool replacement)
    {
        ulong nonce = tx.Nonce;
        for (ulong n = stateNonce; n < nonce; n++)
        {
            if (!queue.ContainsKey(n))
            {
                return null;
            }
        }

        List<Transaction> run = [tx];
        if (!replacement)
        {
            for (ulong n = nonce + 1; queue.TryGetValue(n, out Transaction? next); n++)
            {
                run.Add(next);
            }
        }

        return run;
    }

    // Replacement needs both fee fields raised by the bump (geth's rule: ≥ 10% by default).
    private bool IsBumped(Transaction old, Transaction replacement)
    {
        UInt256 pct = new((ulong)(100 + _settings.ReplacementBumpPercent));
        UInt256 hundred = new(100);
        return replacement.MaxFeePerGas * hundred >= old.MaxFeePerGas * pct
            && replacement.MaxPriorityFeePerGas * hundred >= old.MaxPriorityFeePerGas * pct;
    }

    // The cheapest transaction at the tail of a sender's queue (removing a tail leaves no gap), if it pays less than tx.
    private Transaction? EvictCheaperThan(Transaction tx)
    {
        Transaction? cheapest = null;
        Address cheapestSender = default;
        foreach (KeyValuePair<Address, SortedList<ulong, Transaction>> s in _bySender)
        {
            Transaction tail = s.Value.Values[s.Value.Count - 1];
            if (cheapest is null || tail.MaxFeePerGas < cheapest.MaxFeePerGas)
            {
                cheapest = tail;
                cheapestSender = s.Key;
            }
        }

        if (cheapest is null || cheapest.MaxFeePerGas >= tx.MaxFeePerGas)
        {
            return null;
        }

        SortedList<ulong, Transaction> queue = _bySender[cheapestSender];
        queue.Remove(cheapest.Nonce);
        if (queue.Count == 0)
        {
            _bySender.Remove(cheapestSender);
        }

        _byHash.Remove(cheapest.Hash);
        return cheapest;
    }
}
