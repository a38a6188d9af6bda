using System.Numerics;
using System.Runtime.CompilerServices;
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

/// <summary>Sixteen child hashes stored inline: a branch's stored children cost no object each.</summary>
[InlineArray(16)]
internal struct ChildHashArray
{
    private Hash256 _element;
}

/// <summary>Sixteen child object slots stored inline: no separate array to fetch from another cache line.</summary>
[InlineArray(16)]
internal struct ChildObjectArray
{
    private TrieNode? _element;
}

/// <summary>
/// Sixteen children by next nibble, and the value of a key that ends here. A child is either a stored node known
/// only by its hash (kept in the branch itself: root computation then reads one contiguous block instead of
/// sixteen scattered objects) or an object (loaded and changed, new, or embedded). At most one of the two per slot.
/// </summary>
internal sealed class BranchNode() : TrieNode(NodeKind.Branch)
{
    public byte[]? Value;

    /// <summary>Bit i set: child i is the stored node whose hash is <see cref="_hashes"/>[i] (it has no object).</summary>
    private int _storedMask;

    /// <summary>Bit i set: child i is the object in <see cref="_objects"/>[i].</summary>
    private int _objectMask;

    private ChildObjectArray _objects;
    private ChildHashArray _hashes;

    /// <summary>Bit i set: child i is a stored hash without an object.</summary>
    public int StoredMask => _storedMask;

    /// <summary>Bit i set: child i is an object.</summary>
    public int ObjectMask => _objectMask;

    /// <summary>True when child <paramref name="i"/> exists (as an object or a stored hash).</summary>
    public bool HasChild(int i) => (((_storedMask | _objectMask) >> i) & 1) != 0;

    /// <summary>Child <paramref name="i"/> as an object, or null when it is absent or only a stored hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TrieNode? ObjectAt(int i) => _objects[i];

    /// <summary>True when child <paramref name="i"/> is a stored hash without an object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsStoredAt(int i) => ((_storedMask >> i) & 1) != 0;

    /// <summary>The stored hash of child <paramref name="i"/>; meaningful only when <see cref="IsStoredAt"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly Hash256 StoredHashAt(int i) => ref _hashes[i];

    /// <summary>Child <paramref name="i"/> as a node (a new <see cref="HashNode"/> for a stored hash), or null.</summary>
    public TrieNode? ChildAt(int i) => IsStoredAt(i) ? new HashNode(_hashes[i]) : _objects[i];

    /// <summary>Makes child <paramref name="i"/> the stored node <paramref name="hash"/> (used when decoding).</summary>
    public void SetStored(int i, in Hash256 hash)
    {
        _hashes[i] = hash;
        _storedMask |= 1 << i;
        _objectMask &= ~(1 << i);
        _objects[i] = null;
    }

    /// <summary>Makes child <paramref name="i"/> the object <paramref name="node"/>, or removes it (null).</summary>
    public void SetObject(int i, TrieNode? node)
    {
        if (node is HashNode h)
        {
            // A reference to a stored node stays a hash: no object to read when encoding.
            SetStored(i, h.Hash);
            return;
        }

        _storedMask &= ~(1 << i);
        _objects[i] = node;
        if (node is null)
        {
            _objectMask &= ~(1 << i);
        }
        else
        {
            _objectMask |= 1 << i;
        }
    }

    /// <summary>The slot of child <paramref name="i"/> (for prefetching: its address and the reference in it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly TrieNode? ObjectSlotAt(int i) => ref _objects[i];

    /// <summary>The number of children plus one if a value ends here.</summary>
    public int EntryCount() => (Value is null ? 0 : 1) + BitOperations.PopCount((uint)(_storedMask | _objectMask));
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
