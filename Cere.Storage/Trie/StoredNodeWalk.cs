using Cere.Core;
using Cere.Core.Rlp;

namespace Cere.Storage.Trie;

/// <summary>
/// Follows a key through stored nodes by reading their RLP in place (no node objects): the read path of the
/// trie, proof collection and proof verification all use it, so they agree on what a node means.
/// </summary>
internal static class StoredNodeWalk
{
    private enum Step
    {
        Value,
        Absent,
        HashRef,
        InlineRef,
    }

    /// <summary>
    /// The value at <paramref name="nibbles"/> (from nibble <paramref name="position"/> on) under the stored node
    /// <paramref name="hash"/>, or null if absent. Every loaded node is added to <paramref name="proof"/> if given.
    /// </summary>
    public static byte[]? Get(INodeSource source, Hash256 hash, ReadOnlySpan<byte> nibbles, int position, List<byte[]>? proof)
    {
        byte[] stored = source.Load(hash);
        proof?.Add(stored);
        ReadOnlySpan<byte> node = stored;
        while (true)
        {
            Step step;
            ReadOnlySpan<byte> output;
            try
            {
                step = Next(node, nibbles, ref position, out output);
            }
            catch (RlpException e)
            {
                throw source.Malformed(hash, $"malformed RLP ({e.Message})", e);
            }
            catch (MalformedNodeException e)
            {
                throw source.Malformed(hash, e.Message, null);
            }

            switch (step)
            {
                case Step.Value:
                    return output.ToArray();
                case Step.Absent:
                    return null;
                case Step.HashRef:
                    hash = new Hash256(output);
                    stored = source.Load(hash);
                    proof?.Add(stored);
                    node = stored;
                    break;
                default:
                    node = output;
                    break;
            }
        }
    }

    /// <summary>Reads one node and says where the key goes next.</summary>
    private static Step Next(ReadOnlySpan<byte> node, ReadOnlySpan<byte> nibbles, scoped ref int position, out ReadOnlySpan<byte> output)
    {
        RlpReader r = new(node);
        int end = r.ReadListHeader();
        ReadOnlySpan<byte> first = r.ReadEncodedItem();
        ReadOnlySpan<byte> second = r.ReadEncodedItem();
        ReadOnlySpan<byte> remaining = nibbles[position..];
        output = default;
        if (r.Position == end)
        {
            r.EnsureFinished();
            RlpReader pr = new(first);
            ReadOnlySpan<byte> hp = pr.ReadBytes();
            if (!HexPrefix.TryGetHeader(hp, out bool isLeaf, out int count))
            {
                throw new MalformedNodeException("a short node's path is not valid hex-prefix encoding");
            }

            if (isLeaf)
            {
                RlpReader vr = new(second);
                ReadOnlySpan<byte> value = vr.ReadBytes();
                if (value.IsEmpty)
                {
                    throw new MalformedNodeException("a leaf with an empty value");
                }

                if (count != remaining.Length || !PathMatches(hp, count, remaining))
                {
                    return Step.Absent;
                }

                output = value;
                return Step.Value;
            }

            if (count == 0)
            {
                throw new MalformedNodeException("an extension with an empty path");
            }

            if (count > remaining.Length || !PathMatches(hp, count, remaining))
            {
                return Step.Absent;
            }

            position += count;
            Step s = ChildRef(second, out output);
            if (s == Step.Absent)
            {
                throw new MalformedNodeException("an extension without a child");
            }

            return s;
        }

        // A branch: 16 children then the value; read the one the key selects, then check the item count.
        int index = remaining.IsEmpty ? 16 : remaining[0];
        ReadOnlySpan<byte> selected = index == 0 ? first : second;
        for (int i = 2; i < 17; i++)
        {
            if (!r.HasItemsBefore(end))
            {
                throw new MalformedNodeException($"a list of {i} items is neither a short node (2) nor a branch (17)");
            }

            if (i == index)
            {
                selected = r.ReadEncodedItem();
            }
            else
            {
                r.SkipItem();
            }
        }

        if (r.Position != end)
        {
            throw new MalformedNodeException("a branch has more than 17 items");
        }

        r.EnsureFinished();
        if (index == 16)
        {
            RlpReader vr = new(selected);
            output = vr.ReadBytes();
            return output.IsEmpty ? Step.Absent : Step.Value;
        }

        position++;
        return ChildRef(selected, out output);
    }

    private static Step ChildRef(ReadOnlySpan<byte> encoded, out ReadOnlySpan<byte> output)
    {
        if (encoded[0] >= 0xc0)
        {
            if (encoded.Length >= 32)
            {
                throw new MalformedNodeException($"an embedded child of {encoded.Length} bytes (only nodes under 32 bytes are embedded)");
            }

            output = encoded;
            return Step.InlineRef;
        }

        RlpReader r = new(encoded);
        output = r.ReadBytes();
        if (output.IsEmpty)
        {
            return Step.Absent;
        }

        if (output.Length != Hash256.Size)
        {
            throw new MalformedNodeException($"a child reference of {output.Length} bytes (expected 0 or 32)");
        }

        return Step.HashRef;
    }

    /// <summary>True if the first <paramref name="count"/> nibbles of the hex-prefix path equal those of <paramref name="key"/>.</summary>
    private static bool PathMatches(ReadOnlySpan<byte> hp, int count, ReadOnlySpan<byte> key)
    {
        // Nibble j of hp (as a nibble string) is path nibble j - skip: skip the flag nibble, and the pad nibble when even.
        int skip = (hp[0] & 0x10) != 0 ? 1 : 2;
        for (int i = 0; i < count; i++)
        {
            int j = i + skip;
            int nibble = (j & 1) == 0 ? hp[j >> 1] >> 4 : hp[j >> 1] & 0x0F;
            if (nibble != key[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A node whose RLP is well formed but is not a valid trie node.</summary>
    private sealed class MalformedNodeException(string message) : Exception(message);
}
