using System.Buffers;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;

namespace Cere.Storage.Trie;

/// <summary>
/// The Ethereum Merkle Patricia Trie (Yellow Paper, appendix D) over a <see cref="TrieNodeStore"/>: changes are made
/// to nodes in memory, <see cref="ComputeRoot"/> hashes each changed node once, <see cref="Commit"/> writes them.
/// </summary>
/// <remarks>Not thread-safe: one trie belongs to one writer.</remarks>
public sealed partial class PatriciaTrie
{
    private readonly TrieNodeStore _store;
    private TrieNode? _root;
    private bool _changed;
    private byte[] _buffer = [];

    /// <summary>A trie with root <paramref name="root"/> (<see cref="Hash256.EmptyTrieRoot"/> for an empty one).</summary>
    public PatriciaTrie(TrieNodeStore store, Hash256 root)
    {
        _store = store;
        _root = root == Hash256.EmptyTrieRoot ? null : new HashNode(root);
    }

    /// <summary>An empty trie over a fresh in-memory store (for tests and one-off roots such as a transactions root).</summary>
    public PatriciaTrie()
        : this(new TrieNodeStore(new MemoryStore(), 0), Hash256.EmptyTrieRoot)
    {
    }

    /// <summary>The node store.</summary>
    public TrieNodeStore Store => _store;

    /// <summary>True if the trie holds no key.</summary>
    public bool IsEmpty => _root is null;

    /// <summary>The value under <paramref name="key"/>, or null.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> nibbles = key.Length <= 64 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        TrieNode? node = _root;
        int pos = 0;
        while (node is not null)
        {
            switch (node.Kind)
            {
                case NodeKind.Hash:
                    return StoredNodeWalk.Get(_store, node.Hash, nibbles, pos, null);
                case NodeKind.Leaf:
                    LeafNode leaf = (LeafNode)node;
                    return nibbles[pos..].SequenceEqual(leaf.Path) ? leaf.Value : null;
                case NodeKind.Extension:
                    ExtensionNode ext = (ExtensionNode)node;
                    if (!nibbles[pos..].StartsWith(ext.Path))
                    {
                        return null;
                    }

                    pos += ext.Path.Length;
                    node = ext.Child;
                    break;
                default:
                    BranchNode branch = (BranchNode)node;
                    if (pos == nibbles.Length)
                    {
                        return branch.Value;
                    }

                    int index = nibbles[pos++];
                    if (branch.IsStoredAt(index))
                    {
                        return StoredNodeWalk.Get(_store, branch.StoredHashAt(index), nibbles, pos, null);
                    }

                    node = branch.ObjectAt(index);
                    break;
            }
        }

        return null;
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>; an empty value deletes the key.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            Delete(key);
            return;
        }

        byte[] nibbles = Nibbles.FromBytes(key);
        _changed = false;
        _root = Insert(_root, nibbles, 0, value);
    }

    /// <summary>Deletes <paramref name="key"/>; returns false if it was absent.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        Span<byte> nibbles = key.Length <= 64 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        _changed = false;
        _root = Remove(_root, nibbles, 0);
        return _changed;
    }

    /// <summary>The root hash, hashing every node changed since the last call (each once); writes nothing.</summary>
    public Hash256 ComputeRoot() => Seal(null);

    /// <summary>
    /// Adds every node changed since the last commit to <paramref name="batch"/> (hashing those not yet hashed) and
    /// returns the root. The in-memory nodes are then released: later reads and changes load them again (through the
    /// node cache), so a long-lived trie does not grow.
    /// </summary>
    public Hash256 Commit(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Hash256 root = Seal(batch);
        _root = _root is null ? null : new HashNode(root);
        return root;
    }

    private TrieNode Resolve(TrieNode node)
    {
        if (node.Kind != NodeKind.Hash)
        {
            return node;
        }

        return Load(node.Hash);
    }

    private TrieNode Load(in Hash256 hash) => TrieNodeDecoder.Decode(_store.Load(hash), hash);

    /// <summary>Child <paramref name="i"/> of a branch as a node to change (a stored one is loaded), or null.</summary>
    private TrieNode? LoadChild(BranchNode branch, int i) =>
        branch.IsStoredAt(i) ? Load(branch.StoredHashAt(i)) : branch.ObjectAt(i);

    private TrieNode Insert(TrieNode? node, byte[] key, int pos, ReadOnlySpan<byte> value)
    {
        if (node is null)
        {
            _changed = true;
            return NewLeaf(key.AsSpan(pos), value.ToArray());
        }

        node = Resolve(node);
        ReadOnlySpan<byte> rest = key.AsSpan(pos);
        switch (node.Kind)
        {
            case NodeKind.Leaf:
            {
                LeafNode leaf = (LeafNode)node;
                int common = rest.CommonPrefixLength(leaf.Path);
                if (common == leaf.Path.Length && common == rest.Length)
                {
                    if (!leaf.Value.AsSpan().SequenceEqual(value))
                    {
                        leaf.Value = value.ToArray();
                        leaf.Changed();
                        _changed = true;
                    }

                    return leaf;
                }

                _changed = true;
                BranchNode branch = new() { Dirty = true };
                if (common == leaf.Path.Length)
                {
                    branch.Value = leaf.Value;
                }
                else
                {
                    branch.SetObject(leaf.Path[common], NewLeaf(leaf.Path.AsSpan(common + 1), leaf.Value));
                }

                if (common == rest.Length)
                {
                    branch.Value = value.ToArray();
                }
                else
                {
                    branch.SetObject(rest[common], NewLeaf(rest[(common + 1)..], value.ToArray()));
                }

                return common == 0 ? branch : NewExtension(rest[..common].ToArray(), branch);
            }

            case NodeKind.Extension:
            {
                ExtensionNode ext = (ExtensionNode)node;
                int common = rest.CommonPrefixLength(ext.Path);
                if (common == ext.Path.Length)
                {
                    TrieNode child = Insert(ext.Child, key, pos + common, value);
                    if (_changed)
                    {
                        ext.Child = child;
                        ext.Changed();
                    }

                    return ext;
                }

                _changed = true;
                BranchNode branch = new() { Dirty = true };
                branch.SetObject(
                    ext.Path[common],
                    common + 1 == ext.Path.Length ? ext.Child : NewExtension(ext.Path.AsSpan(common + 1).ToArray(), ext.Child));
                if (common == rest.Length)
                {
                    branch.Value = value.ToArray();
                }
                else
                {
                    branch.SetObject(rest[common], NewLeaf(rest[(common + 1)..], value.ToArray()));
                }

                return common == 0 ? branch : NewExtension(rest[..common].ToArray(), branch);
            }

            default:
            {
                BranchNode branch = (BranchNode)node;
                if (rest.IsEmpty)
                {
                    if (branch.Value is null || !branch.Value.AsSpan().SequenceEqual(value))
                    {
                        branch.Value = value.ToArray();
                        branch.Changed();
                        _changed = true;
                    }

                    return branch;
                }

                int index = rest[0];
                TrieNode child = Insert(LoadChild(branch, index), key, pos + 1, value);
                if (_changed)
                {
                    branch.SetObject(index, child);
                    branch.Changed();
                }

                return branch;
            }
        }
    }

    private TrieNode? Remove(TrieNode? node, ReadOnlySpan<byte> key, int pos)
    {
        if (node is null)
        {
            return null;
        }

        TrieNode resolved = Resolve(node);
        ReadOnlySpan<byte> rest = key[pos..];
        switch (resolved.Kind)
        {
            case NodeKind.Leaf:
            {
                LeafNode leaf = (LeafNode)resolved;
                if (!rest.SequenceEqual(leaf.Path))
                {
                    return node;
                }

                _changed = true;
                return null;
            }

            case NodeKind.Extension:
            {
                ExtensionNode ext = (ExtensionNode)resolved;
                if (!rest.StartsWith(ext.Path))
                {
                    return node;
                }

                TrieNode? child = Remove(ext.Child, key, pos + ext.Path.Length);
                if (!_changed)
                {
                    return node;
                }

                // A branch below an extension keeps at least one entry, so the child is never null here.
                TrieNode merged = Resolve(child!);
                switch (merged.Kind)
                {
                    case NodeKind.Leaf:
                        LeafNode l = (LeafNode)merged;
                        return NewLeaf(Nibbles.Concat(ext.Path, l.Path), l.Value);
                    case NodeKind.Extension:
                        ExtensionNode e = (ExtensionNode)merged;
                        return NewExtension(Nibbles.Concat(ext.Path, e.Path), e.Child);
                    default:
                        ext.Child = child!;
                        ext.Changed();
                        return ext;
                }
            }

            default:
            {
                BranchNode branch = (BranchNode)resolved;
                if (rest.IsEmpty)
                {
                    if (branch.Value is null)
                    {
                        return node;
                    }

                    branch.Value = null;
                }
                else
                {
                    TrieNode? child = Remove(LoadChild(branch, rest[0]), key, pos + 1);
                    if (!_changed)
                    {
                        return node;
                    }

                    branch.SetObject(rest[0], child);
                }

                _changed = true;
                branch.Changed();
                return Collapse(branch);
            }
        }
    }

    /// <summary>A branch left with one entry becomes a leaf or an extension (the trie stays canonical).</summary>
    private TrieNode Collapse(BranchNode branch)
    {
        int count = 0, only = -1;
        for (int i = 0; i < 16; i++)
        {
            if (branch.HasChild(i))
            {
                count++;
                only = i;
            }
        }

        if (branch.Value is not null)
        {
            return count == 0 ? NewLeaf([], branch.Value) : branch;
        }

        if (count != 1)
        {
            return branch;
        }

        TrieNode child = LoadChild(branch, only)!;
        switch (child.Kind)
        {
            case NodeKind.Leaf:
                LeafNode l = (LeafNode)child;
                return NewLeaf(Nibbles.Prepend((byte)only, l.Path), l.Value);
            case NodeKind.Extension:
                ExtensionNode e = (ExtensionNode)child;
                return NewExtension(Nibbles.Prepend((byte)only, e.Path), e.Child);
            default:
                return NewExtension([(byte)only], child);
        }
    }

    private static LeafNode NewLeaf(ReadOnlySpan<byte> path, byte[] value) => new(path.ToArray(), value) { Dirty = true };

    private static ExtensionNode NewExtension(byte[] path, TrieNode child) => new(path, child) { Dirty = true };
}
