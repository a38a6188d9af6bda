using Cere.Core;

namespace Cere.Storage.Trie;

/// <summary>Where a trie finds the RLP of a node by its hash: the database (through a cache) or the nodes of a proof.</summary>
public interface INodeSource
{
    /// <summary>The RLP of the node whose Keccak-256 is <paramref name="hash"/>; the bytes are checked against the hash.</summary>
    /// <exception cref="TrieNodeMissingException">No such node (a store).</exception>
    /// <exception cref="TrieNodeCorruptedException">The stored bytes are not that node (a store).</exception>
    /// <exception cref="InvalidProofException">The proof lacks the node (a proof).</exception>
    byte[] Load(in Hash256 hash);

    /// <summary>The exception for a node that hashes right but does not decode as a trie node.</summary>
    Exception Malformed(in Hash256 hash, string reason, Exception? inner);
}
