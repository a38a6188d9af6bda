using Cere.Core;

namespace Cere.Storage.Trie;

/// <summary>
/// A bounded cache of trie node RLP by hash, in front of the database. Two generations approximate LRU at O(1):
/// when the young generation fills half the budget it becomes the old one and the previous old one is dropped;
/// a hit in the old generation moves the entry back to the young one.
/// </summary>
public sealed class NodeCache
{
    private readonly long _halfBudget;
    private readonly Lock _lock = new();
    private Dictionary<Hash256, byte[]> _young = new();
    private Dictionary<Hash256, byte[]> _old = new();
    private long _youngBytes;

    /// <summary>A cache holding about <paramref name="budgetBytes"/> bytes of node data (0 disables it).</summary>
    public NodeCache(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        _halfBudget = budgetBytes / 2;
    }

    /// <summary>Hits since creation (for statistics).</summary>
    public long Hits { get; private set; }

    /// <summary>Misses since creation (for statistics).</summary>
    public long Misses { get; private set; }

    /// <summary>The cached RLP of <paramref name="hash"/>, or null.</summary>
    public byte[]? Get(in Hash256 hash)
    {
        lock (_lock)
        {
            if (_young.TryGetValue(hash, out byte[]? rlp))
            {
                Hits++;
                return rlp;
            }

            if (_old.Remove(hash, out rlp))
            {
                Hits++;
                AddYoung(hash, rlp);
                return rlp;
            }

            Misses++;
            return null;
        }
    }

    /// <summary>Adds a node (the array must not change afterwards).</summary>
    public void Set(in Hash256 hash, byte[] rlp)
    {
        if (_halfBudget == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (!_young.ContainsKey(hash))
            {
                AddYoung(hash, rlp);
            }
        }
    }

    /// <summary>Drops a node (after pruning deleted it).</summary>
    public void Remove(in Hash256 hash)
    {
        lock (_lock)
        {
            if (_young.Remove(hash, out byte[]? rlp))
            {
                _youngBytes -= Cost(rlp);
            }

            _old.Remove(hash);
        }
    }

    /// <summary>Drops everything.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _young = new Dictionary<Hash256, byte[]>();
            _old = new Dictionary<Hash256, byte[]>();
            _youngBytes = 0;
        }
    }

    private static long Cost(byte[] rlp) => rlp.Length + 64; // the array header and the dictionary entry

    private void AddYoung(in Hash256 hash, byte[] rlp)
    {
        if (_youngBytes >= _halfBudget)
        {
            _old = _young;
            _young = new Dictionary<Hash256, byte[]>(_old.Count);
            _youngBytes = 0;
        }

        _young[hash] = rlp;
        _youngBytes += Cost(rlp);
    }
}
