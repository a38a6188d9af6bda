using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;

namespace Cere.Storage.Trie;

/// <summary>Trie nodes in the <see cref="DbColumn.TrieNodes"/> column, keyed by hash, behind a <see cref="NodeCache"/>.</summary>
public sealed class TrieNodeStore : INodeSource
{
    /// <summary>Default node cache budget: 128 MiB.</summary>
    public const long DefaultCacheBytes = 128L << 20;

    /// <summary>A store over <paramref name="db"/> with a node cache of <paramref name="cacheBytes"/> bytes.</summary>
    public TrieNodeStore(IKeyValueStore db, long cacheBytes = DefaultCacheBytes)
    {
        Db = db;
        Cache = new NodeCache(cacheBytes);
    }

    /// <summary>The database.</summary>
    public IKeyValueStore Db { get; }

    /// <summary>The node cache.</summary>
    public NodeCache Cache { get; }

    /// <inheritdoc/>
    public byte[] Load(in Hash256 hash)
    {
        byte[]? rlp = Cache.Get(hash);
        if (rlp is not null)
        {
            return rlp;
        }

        rlp = Db.Get(DbColumn.TrieNodes, hash.Bytes) ?? throw new TrieNodeMissingException(hash);

        // Checking the hash on every database read costs one Keccak per miss and turns any corruption of the
        // disk or of the column into a clear error instead of a wrong balance.
        Span<byte> actual = stackalloc byte[32];
        Keccak256.Hash(rlp, actual);
        if (!actual.SequenceEqual(hash.Bytes))
        {
            throw new TrieNodeCorruptedException(hash, $"the {rlp.Length} stored bytes hash to {new Hash256(actual)}");
        }

        Cache.Set(hash, rlp);
        return rlp;
    }

    /// <inheritdoc/>
    public Exception Malformed(in Hash256 hash, string reason, Exception? inner) => new TrieNodeCorruptedException(hash, reason, inner);

    /// <summary>Adds a node to <paramref name="batch"/> and to the cache.</summary>
    public void Put(IWriteBatch batch, in Hash256 hash, ReadOnlySpan<byte> rlp)
    {
        batch.Put(DbColumn.TrieNodes, hash.Bytes, rlp);
        Cache.Set(hash, rlp.ToArray());
    }

    /// <summary>True if the node is in the cache or the database (no hash check).</summary>
    public bool Contains(in Hash256 hash) => Cache.Get(hash) is not null || Db.Contains(DbColumn.TrieNodes, hash.Bytes);
}
