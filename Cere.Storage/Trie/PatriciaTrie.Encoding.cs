using System.Buffers;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using Cere.Storage.Db;

namespace Cere.Storage.Trie;

/// <summary>Root computation and commit: encodes each changed node once into a pooled buffer, hashes it once.</summary>
public sealed partial class PatriciaTrie
{
    private const int HashRefLength = 33; // 0xa0 and 32 bytes

    /// <summary>When set, receives the RLP length of every node hashed (the benchmark's bare-Keccak reference replays them).</summary>
    internal List<int>? HashedNodeSizes { get; set; }

    private Hash256 Seal(IWriteBatch? batch)
    {
        if (_root is null)
        {
            return Hash256.EmptyTrieRoot;
        }

        bool rootDirty = _root.Dirty;
        _buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            SealNode(_root, batch);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        if (_root.IsHashed)
        {
            return _root.Hash;
        }

        // The root is always referred to by its hash, even when its RLP is shorter than 32 bytes.
        Hash256 rootHash = Keccak256.Compute(_root.InlineRlp);
        if (batch is not null && rootDirty)
        {
            _store.Put(batch, rootHash, _root.InlineRlp);
        }

        return rootHash;
    }

    /// <summary>Encodes (children first) and hashes a changed node; with a batch, also writes it and marks it clean.</summary>
    private void SealNode(TrieNode node, IWriteBatch? batch)
    {
        if (!node.Dirty || (batch is null && node.HasEncoding))
        {
            return;
        }

        if (node.Kind == NodeKind.Extension)
        {
            SealNode(((ExtensionNode)node).Child, batch);
        }
        else if (node.Kind == NodeKind.Branch)
        {
            TrieNode?[] children = ((BranchNode)node).Children;
            for (int i = 0; i < children.Length; i++)
            {
                if (children[i] is { } c)
                {
                    SealNode(c, batch);
                }
            }
        }

        int length = Encode(node);
        ReadOnlySpan<byte> rlp = _buffer.AsSpan(0, length);
        if (length >= 32)
        {
            if (!node.IsHashed)
            {
                node.Hash = Keccak256.Compute(rlp);
                node.IsHashed = true;
                HashedNodeSizes?.Add(length);
            }

            if (batch is not null)
            {
                _store.Put(batch, node.Hash, rlp);
            }
        }
        else
        {
            node.InlineRlp ??= rlp.ToArray();
        }

        if (batch is not null)
        {
            node.Dirty = false;
        }
    }

    /// <summary>Writes the node's RLP at the start of <see cref="_buffer"/> and returns its length.</summary>
    private int Encode(TrieNode node)
    {
        switch (node.Kind)
        {
            case NodeKind.Leaf:
            {
                LeafNode leaf = (LeafNode)node;
                return EncodeShort(leaf.Path, true, leaf.Value, null);
            }

            case NodeKind.Extension:
            {
                ExtensionNode ext = (ExtensionNode)node;
                return EncodeShort(ext.Path, false, default, ext.Child);
            }

            case NodeKind.Branch:
            {
                BranchNode branch = (BranchNode)node;
                int payload = branch.Value is null ? 1 : Rlp.LengthOfBytes(branch.Value);
                TrieNode?[] children = branch.Children;
                for (int i = 0; i < children.Length; i++)
                {
                    payload += RefLength(children[i]);
                }

                int total = Rlp.LengthOfList(payload);
                EnsureBuffer(total);
                RlpWriter w = new(_buffer.AsSpan(0, total));
                w.WriteListHeader(payload);
                for (int i = 0; i < children.Length; i++)
                {
                    WriteRef(ref w, children[i]);
                }

                w.WriteBytes(branch.Value);
                return total;
            }

            default:
                throw new InvalidOperationException("a hash node is never encoded: it is stored already");
        }
    }

    private int EncodeShort(byte[] path, bool isLeaf, ReadOnlySpan<byte> value, TrieNode? child)
    {
        int hpLength = HexPrefix.EncodedLength(path.Length);
        Span<byte> hp = hpLength <= 128 ? stackalloc byte[hpLength] : new byte[hpLength];
        HexPrefix.Encode(path, isLeaf, hp);
        int payload = Rlp.LengthOfBytes(hp) + (isLeaf ? Rlp.LengthOfBytes(value) : RefLength(child));
        int total = Rlp.LengthOfList(payload);
        EnsureBuffer(total);
        RlpWriter w = new(_buffer.AsSpan(0, total));
        w.WriteListHeader(payload);
        w.WriteBytes(hp);
        if (isLeaf)
        {
            w.WriteBytes(value);
        }
        else
        {
            WriteRef(ref w, child);
        }

        return total;
    }

    private static int RefLength(TrieNode? child) =>
        child is null ? 1 : child.IsHashed ? HashRefLength : child.InlineRlp!.Length;

    private static void WriteRef(ref RlpWriter w, TrieNode? child)
    {
        if (child is null)
        {
            w.WriteBytes(default);
        }
        else if (child.IsHashed)
        {
            w.WriteHash256(child.Hash);
        }
        else
        {
            // A node under 32 bytes is embedded in its parent as it is.
            w.WriteEncoded(child.InlineRlp);
        }
    }

    private void EnsureBuffer(int length)
    {
        if (_buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(length);
        }
    }
}
