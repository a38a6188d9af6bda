using Cere.Core;

namespace Cere.Storage.Trie;

/// <summary>The four kinds of in-memory trie node.</summary>
internal enum NodeKind : byte
{
    Leaf,
    Extension,
    Branch,

    /// <summary>A reference to a stored node that has not been loaded.</summary>
    Hash,
}

/// <summary>
/// An in-memory trie node. Nodes are mutated in place by the trie that owns them (never shared between tries);
/// the cached encoding (<see cref="Hash"/> or <see cref="InlineRlp"/>) is dropped whenever the node changes.
/// </summary>
internal abstract class TrieNode
{
    /// <summary>Keccak-256 of the node's RLP; valid when <see cref="IsHashed"/>.</summary>
    public Hash256 Hash;

    /// <summary>The node's RLP when it is shorter than 32 bytes and so is embedded in its parent.</summary>
    public byte[]? InlineRlp;

    /// <summary>True when <see cref="Hash"/> is the hash of the current content (the RLP is 32 bytes or more).</summary>
    public bool IsHashed;

    /// <summary>True when the content is not in the database yet (created or changed since the last commit).</summary>
    public bool Dirty;

    /// <summary>The node's kind, a field rather than a virtual property: the root computation reads it for every child.</summary>
    public readonly NodeKind Kind;

    protected TrieNode(NodeKind kind) => Kind = kind;

    /// <summary>True when the encoding is known (hashed, or inline bytes kept).</summary>
    public bool HasEncoding => IsHashed || InlineRlp is not null;

    /// <summary>Forgets the cached encoding after a change, and marks the node for writing.</summary>
    public void Changed()
    {
        Dirty = true;
        IsHashed = false;
        InlineRlp = null;
    }
}

/// <summary>The end of a key: the rest of its path and the value.</summary>
internal sealed class LeafNode(byte[] path, byte[] value) : TrieNode(NodeKind.Leaf)
{
    public byte[] Path = path;
    public byte[] Value = value;

}

/// <summary>A shared run of nibbles leading to one branch.</summary>
internal sealed class ExtensionNode(byte[] path, TrieNode child) : TrieNode(NodeKind.Extension)
{
    public byte[] Path = path;
    public TrieNode Child = child;

}

/// <summary>Sixteen children by next nibble, and the value of a key that ends here.</summary>
internal sealed class BranchNode() : TrieNode(NodeKind.Branch)
{
    public readonly TrieNode?[] Children = new TrieNode?[16];
    public byte[]? Value;


    /// <summary>The number of children plus one if a value ends here.</summary>
    public int EntryCount()
    {
        int n = Value is null ? 0 : 1;
        foreach (TrieNode? c in Children)
        {
            if (c is not null)
            {
                n++;
            }
        }

        return n;
    }
}

/// <summary>A stored node known only by its hash; loaded when a change has to go through it.</summary>
internal sealed class HashNode : TrieNode
{
    public HashNode(in Hash256 hash)
        : base(NodeKind.Hash)
    {
        Hash = hash;
        IsHashed = true;
    }

}
