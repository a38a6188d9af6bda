using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using Cere.Storage.Db;

namespace Cere.Storage.Trie;

/// <summary>Root computation and commit: encodes each changed node once into a pooled buffer, hashes it once.</summary>
public sealed partial class PatriciaTrie
{
    private const int HashRefLength = 33; // 0xa0 and 32 bytes
    private const byte ShortStringOffset = 0x80;
    private const int ShortStringLimit = 56; // RLP: a string of 0..55 bytes takes a one-byte header

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
            if (NeedsSealing(_root, batch))
            {
                SealNode(_root, batch);
            }
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

    /// <summary>True when the node has to be encoded: changed, and (without a batch) not already encoded by an earlier ComputeRoot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NeedsSealing(TrieNode node, IWriteBatch? batch) =>
        node.Dirty && (batch is not null || !node.HasEncoding);

    /// <summary>Encodes (children first) and hashes a changed node; with a batch, also writes it and marks it clean.</summary>
    private void SealNode(TrieNode node, IWriteBatch? batch)
    {
        int length;
        switch (node.Kind)
        {
            case NodeKind.Leaf:
            {
                LeafNode leaf = (LeafNode)node;
                length = EncodeShort(leaf.Path, true, leaf.Value, null);
                break;
            }

            case NodeKind.Extension:
            {
                ExtensionNode ext = (ExtensionNode)node;
                if (NeedsSealing(ext.Child, batch))
                {
                    SealNode(ext.Child, batch);
                }

                length = EncodeShort(ext.Path, false, default, ext.Child);
                break;
            }

            case NodeKind.Branch:
            {
                // Stored children are hashes inside the branch (no object to read). The child objects are read in a
                // first pass with no call in between, so their cache misses overlap instead of coming one per call;
                // the changed ones are then sealed.
                BranchNode branch = (BranchNode)node;
                int toSeal = 0;
                for (int m = branch.ObjectMask; m != 0; m &= m - 1)
                {
                    int i = BitOperations.TrailingZeroCount(m);
                    TrieNode c = branch.ObjectAt(i)!;
                    if (NeedsSealing(c, batch))
                    {
                        toSeal |= 1 << i;
                        NodePrefetch.Content(c);
                    }
                }

                for (int m = toSeal; m != 0; m &= m - 1)
                {
                    // While this child's subtree is encoded and hashed, the next child's own children are fetched.
                    int next = m & (m - 1);
                    if (next != 0)
                    {
                        NodePrefetch.Children(branch.ObjectAt(BitOperations.TrailingZeroCount(next))!);
                    }

                    SealNode(branch.ObjectAt(BitOperations.TrailingZeroCount(m))!, batch);
                }

                length = EncodeBranch(branch);
                break;
            }

            default:
                throw new InvalidOperationException("a hash node is never encoded: it is stored already");
        }

        ReadOnlySpan<byte> rlp = _buffer.AsSpan(0, length);
        if (length >= 32)
        {
            if (!node.IsHashed)
            {
                // Straight into the node's field: no intermediate digest and copy.
                Keccak256.Hash(rlp, MemoryMarshal.AsBytes(new Span<Hash256>(ref node.Hash)));
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

    /// <summary>Writes a branch whose children are encoded at the start of <see cref="_buffer"/>; returns its length.</summary>
    private int EncodeBranch(BranchNode branch)
    {
        int stored = branch.StoredMask;
        int objects = branch.ObjectMask;
        int payload = (branch.Value is null ? 1 : Rlp.LengthOfBytes(branch.Value))
            + (BitOperations.PopCount((uint)stored) * HashRefLength)
            + (16 - BitOperations.PopCount((uint)(stored | objects)));
        for (int m = objects; m != 0; m &= m - 1)
        {
            payload += RefLength(branch.ObjectAt(BitOperations.TrailingZeroCount(m)));
        }

        int total = Rlp.LengthOfList(payload);
        EnsureBuffer(total);
        Span<byte> buffer = _buffer.AsSpan(0, total);
        RlpWriter header = new(buffer);
        header.WriteListHeader(payload);
        int pos = header.Position;
        for (int i = 0; i < 16; i++)
        {
            if (((stored >> i) & 1) != 0)
            {
                WriteHashRef(buffer, pos, branch.StoredHashAt(i));
                pos += HashRefLength;
            }
            else if (((objects >> i) & 1) == 0)
            {
                buffer[pos++] = ShortStringOffset; // no child: the empty string
            }
            else
            {
                TrieNode c = branch.ObjectAt(i)!;
                if (c.IsHashed)
                {
                    WriteHashRef(buffer, pos, c.Hash);
                    pos += HashRefLength;
                }
                else
                {
                    // A node under 32 bytes is embedded in its parent as it is.
                    c.InlineRlp.CopyTo(buffer[pos..]);
                    pos += c.InlineRlp!.Length;
                }
            }
        }

        RlpWriter rest = new(buffer[pos..]);
        rest.WriteBytes(branch.Value);
        return total;
    }

    /// <summary>A hash reference: the string header 0xa0 and the 32 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteHashRef(Span<byte> buffer, int pos, in Hash256 hash)
    {
        buffer[pos] = ShortStringOffset + Hash256.Size;
        MemoryMarshal.Write(buffer.Slice(pos + 1, Hash256.Size), in hash);
    }

    private int EncodeShort(byte[] path, bool isLeaf, ReadOnlySpan<byte> value, TrieNode? child)
    {
        int hpLength = HexPrefix.EncodedLength(path.Length);
        if (hpLength >= ShortStringLimit)
        {
            return EncodeShortLongPath(path, isLeaf, value, child);
        }

        // The hex-prefix bytes go straight into the buffer: a 1-byte one (flag nibbles only, below 0x80) is its own
        // RLP, a longer one takes a one-byte string header.
        int hpItem = hpLength == 1 ? 1 : hpLength + 1;
        int payload = hpItem + (isLeaf ? Rlp.LengthOfBytes(value) : RefLength(child));
        int total = Rlp.LengthOfList(payload);
        EnsureBuffer(total);
        Span<byte> buffer = _buffer.AsSpan(0, total);
        int header = Rlp.LengthOfListHeader(payload);
        HexPrefix.Encode(path, isLeaf, buffer.Slice(header + hpItem - hpLength, hpLength));
        if (hpLength > 1)
        {
            buffer[header] = (byte)(ShortStringOffset + hpLength);
        }

        RlpWriter w = new(buffer[..header]);
        w.WriteListHeader(payload);
        RlpWriter rest = new(buffer[(header + hpItem)..]);
        if (isLeaf)
        {
            rest.WriteBytes(value);
        }
        else
        {
            WriteRef(ref rest, child);
        }

        return total;
    }

    /// <summary>A short node whose path is 110 nibbles or more (keys longer than a hash): the general RLP writer.</summary>
    private int EncodeShortLongPath(byte[] path, bool isLeaf, ReadOnlySpan<byte> value, TrieNode? child)
    {
        byte[] hp = HexPrefix.Encode(path, isLeaf);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RefLength(TrieNode? child) =>
        child is null ? 1 : child.IsHashed ? HashRefLength : child.InlineRlp!.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
