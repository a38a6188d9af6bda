using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;

namespace Cere.Storage.Trie;

/// <summary>The "secure" trie: a <see cref="PatriciaTrie"/> keyed by Keccak-256 of the key (the state and storage tries).</summary>
public sealed class SecureTrie
{
    /// <summary>A secure trie over <paramref name="store"/> with root <paramref name="root"/>.</summary>
    public SecureTrie(TrieNodeStore store, Hash256 root) => Inner = new PatriciaTrie(store, root);

    /// <summary>An empty secure trie over a fresh in-memory store.</summary>
    public SecureTrie() => Inner = new PatriciaTrie();

    /// <summary>The underlying trie, keyed by hashes.</summary>
    public PatriciaTrie Inner { get; }

    /// <summary>The value under <paramref name="key"/>, or null.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(key, h);
        return Inner.Get(h);
    }

    /// <summary>Sets a value; empty deletes.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(key, h);
        Inner.Set(h, value);
    }

    /// <summary>Deletes a key.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(key, h);
        return Inner.Delete(h);
    }

    /// <summary>The root hash.</summary>
    public Hash256 ComputeRoot() => Inner.ComputeRoot();

    /// <summary>Writes the changed nodes into the batch and returns the root.</summary>
    public Hash256 Commit(IWriteBatch batch) => Inner.Commit(batch);
}
