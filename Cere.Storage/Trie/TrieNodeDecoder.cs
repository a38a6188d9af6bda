using Cere.Core;
using Cere.Core.Rlp;

namespace Cere.Storage.Trie;

/// <summary>Turns a node's RLP into an in-memory node; every malformation is a <see cref="TrieNodeCorruptedException"/>.</summary>
internal static class TrieNodeDecoder
{
    /// <summary>Decodes a stored node (its hash is <paramref name="hash"/>, used in error messages and cached on the node).</summary>
    public static TrieNode Decode(ReadOnlySpan<byte> rlp, in Hash256 hash)
    {
        try
        {
            TrieNode node = DecodeNode(rlp, hash);
            if (rlp.Length >= 32)
            {
                node.Hash = hash;
                node.IsHashed = true;
            }
            else
            {
                // Only a root is stored while shorter than 32 bytes; it stays inline-sized in memory.
                node.InlineRlp = rlp.ToArray();
            }

            return node;
        }
        catch (RlpException e)
        {
            throw new TrieNodeCorruptedException(hash, $"malformed RLP ({e.Message})", e);
        }
    }

    private static TrieNode DecodeNode(ReadOnlySpan<byte> rlp, in Hash256 context)
    {
        RlpReader r = new(rlp);
        int end = r.ReadListHeader();
        ReadOnlySpan<byte> first = r.ReadEncodedItem();
        ReadOnlySpan<byte> second = r.ReadEncodedItem();
        if (r.Position == end)
        {
            r.EnsureFinished();
            return DecodeShort(first, second, context);
        }

        BranchNode branch = new();
        DecodeBranchChild(branch, 0, first, context);
        DecodeBranchChild(branch, 1, second, context);
        for (int i = 2; i < 16; i++)
        {
            if (!r.HasItemsBefore(end))
            {
                throw new TrieNodeCorruptedException(context, $"a list of {i} items is neither a short node (2) nor a branch (17)");
            }

            DecodeBranchChild(branch, i, r.ReadEncodedItem(), context);
        }

        if (!r.HasItemsBefore(end))
        {
            throw new TrieNodeCorruptedException(context, "a branch lacks its 17th item (the value)");
        }

        ReadOnlySpan<byte> value = r.ReadBytes();
        if (r.Position != end)
        {
            throw new TrieNodeCorruptedException(context, "a branch has more than 17 items");
        }

        r.EnsureFinished();
        branch.Value = value.IsEmpty ? null : value.ToArray();
        if (branch.EntryCount() < 2)
        {
            // A canonical trie never keeps a branch with fewer than two entries (it collapses it).
            throw new TrieNodeCorruptedException(context, "a branch with fewer than two entries");
        }

        return branch;
    }

    private static TrieNode DecodeShort(ReadOnlySpan<byte> encodedPath, ReadOnlySpan<byte> second, in Hash256 context)
    {
        RlpReader pr = new(encodedPath);
        ReadOnlySpan<byte> hp = pr.ReadBytes();
        if (!HexPrefix.TryDecode(hp, out bool isLeaf, out byte[] path))
        {
            throw new TrieNodeCorruptedException(context, "a short node's path is not valid hex-prefix encoding");
        }

        if (isLeaf)
        {
            RlpReader vr = new(second);
            ReadOnlySpan<byte> value = vr.ReadBytes();
            if (value.IsEmpty)
            {
                throw new TrieNodeCorruptedException(context, "a leaf with an empty value");
            }

            return new LeafNode(path, value.ToArray());
        }

        if (path.Length == 0)
        {
            throw new TrieNodeCorruptedException(context, "an extension with an empty path");
        }

        TrieNode? child = DecodeChild(second, context);
        if (child is null)
        {
            throw new TrieNodeCorruptedException(context, "an extension without a child");
        }

        if (child.Kind is NodeKind.Leaf or NodeKind.Extension)
        {
            throw new TrieNodeCorruptedException(context, "an extension whose child is not a branch");
        }

        return new ExtensionNode(path, child);
    }

    /// <summary>A branch's child: a stored hash goes into the branch's inline hash array (no object), an embedded node becomes an object.</summary>
    private static void DecodeBranchChild(BranchNode branch, int index, ReadOnlySpan<byte> encoded, in Hash256 context)
    {
        if (encoded[0] >= 0xc0)
        {
            branch.SetObject(index, DecodeEmbedded(encoded, context));
            return;
        }

        ReadOnlySpan<byte> payload = ReadReference(encoded, context);
        if (!payload.IsEmpty)
        {
            branch.SetStored(index, new Hash256(payload));
        }
    }

    /// <summary>A child reference: empty string (none), a 32-byte hash, or an embedded node shorter than 32 bytes.</summary>
    private static TrieNode? DecodeChild(ReadOnlySpan<byte> encoded, in Hash256 context)
    {
        if (encoded[0] >= 0xc0)
        {
            return DecodeEmbedded(encoded, context);
        }

        ReadOnlySpan<byte> payload = ReadReference(encoded, context);
        return payload.IsEmpty ? null : new HashNode(new Hash256(payload));
    }

    private static TrieNode DecodeEmbedded(ReadOnlySpan<byte> encoded, in Hash256 context)
    {
        if (encoded.Length >= 32)
        {
            throw new TrieNodeCorruptedException(context, $"an embedded child of {encoded.Length} bytes (only nodes under 32 bytes are embedded)");
        }

        TrieNode inline = DecodeNode(encoded, context);
        inline.InlineRlp = encoded.ToArray();
        return inline;
    }

    /// <summary>The payload of a string child reference: empty (no child) or a 32-byte hash.</summary>
    private static ReadOnlySpan<byte> ReadReference(ReadOnlySpan<byte> encoded, in Hash256 context)
    {
        RlpReader r = new(encoded);
        ReadOnlySpan<byte> payload = r.ReadBytes();
        if (!payload.IsEmpty && payload.Length != Hash256.Size)
        {
            throw new TrieNodeCorruptedException(context, $"a child reference of {payload.Length} bytes (expected 0 or 32)");
        }

        return payload;
    }
}
