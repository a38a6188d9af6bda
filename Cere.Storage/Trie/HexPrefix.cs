using System.Runtime.Intrinsics;

namespace Cere.Storage.Trie;

/// <summary>
/// Hex-prefix ("compact") encoding of a nibble path with a leaf/extension flag (Yellow Paper, appendix C):
/// the first nibble is 2·leaf + odd; an even path gets a zero pad nibble after it.
/// </summary>
public static class HexPrefix
{
    /// <summary>The encoded length of a path of <paramref name="nibbleCount"/> nibbles.</summary>
    public static int EncodedLength(int nibbleCount) => (nibbleCount / 2) + 1;

    /// <summary>Encodes <paramref name="nibbles"/> into <paramref name="destination"/> and returns the length written.</summary>
    public static int Encode(ReadOnlySpan<byte> nibbles, bool isLeaf, Span<byte> destination)
    {
        int length = EncodedLength(nibbles.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"need {length} bytes, got {destination.Length}", nameof(destination));
        }

        bool odd = (nibbles.Length & 1) != 0;
        int flag = (isLeaf ? 2 : 0) + (odd ? 1 : 0);
        int i = 0;
        if (odd)
        {
            destination[0] = (byte)((flag << 4) | nibbles[0]);
            i = 1;
        }
        else
        {
            destination[0] = (byte)(flag << 4);
        }

        int o = 1;
        if (Vector128.IsHardwareAccelerated)
        {
            // 32 nibbles to 16 bytes at a time (a key path is 64): each little-endian 16-bit lane holds a pair as
            // (first, second), and the byte is first << 4 | second.
            Vector128<ushort> low = Vector128.Create((ushort)0x0F);
            for (; length - o >= 16; o += 16, i += 32)
            {
                Vector128<ushort> a = Vector128.Create(nibbles.Slice(i, 16)).AsUInt16();
                Vector128<ushort> b = Vector128.Create(nibbles.Slice(i + 16, 16)).AsUInt16();
                Vector128<byte> packed = Vector128.Narrow(((a & low) << 4) | (a >> 8), ((b & low) << 4) | (b >> 8));
                packed.CopyTo(destination.Slice(o, 16));
            }
        }

        for (; o < length; o++, i += 2)
        {
            destination[o] = (byte)((nibbles[i] << 4) | nibbles[i + 1]);
        }

        return length;
    }

    /// <summary>Encodes into a new array.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> nibbles, bool isLeaf)
    {
        byte[] result = new byte[EncodedLength(nibbles.Length)];
        Encode(nibbles, isLeaf, result);
        return result;
    }

    /// <summary>Decodes a hex-prefix path; false for an empty input, a flag above 3, or a non-zero pad nibble.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out bool isLeaf, out byte[] nibbles)
    {
        isLeaf = false;
        nibbles = [];
        if (!TryGetHeader(encoded, out isLeaf, out int count))
        {
            return false;
        }

        nibbles = new byte[count];
        Decode(encoded, nibbles);
        return true;
    }

    /// <summary>Reads the flag and the nibble count; false for a malformed first byte.</summary>
    internal static bool TryGetHeader(ReadOnlySpan<byte> encoded, out bool isLeaf, out int nibbleCount)
    {
        isLeaf = false;
        nibbleCount = 0;
        if (encoded.IsEmpty)
        {
            return false;
        }

        int flag = encoded[0] >> 4;
        if (flag > 3)
        {
            return false;
        }

        bool odd = (flag & 1) != 0;
        if (!odd && (encoded[0] & 0x0F) != 0)
        {
            return false;
        }

        isLeaf = (flag & 2) != 0;
        nibbleCount = ((encoded.Length - 1) * 2) + (odd ? 1 : 0);
        return true;
    }

    /// <summary>Writes the nibbles of a well-formed encoding (checked with <see cref="TryGetHeader"/>).</summary>
    internal static void Decode(ReadOnlySpan<byte> encoded, Span<byte> nibbles)
    {
        int i = 0;
        if ((encoded[0] & 0x10) != 0)
        {
            nibbles[0] = (byte)(encoded[0] & 0x0F);
            i = 1;
        }

        for (int o = 1; o < encoded.Length; o++, i += 2)
        {
            nibbles[i] = (byte)(encoded[o] >> 4);
            nibbles[i + 1] = (byte)(encoded[o] & 0x0F);
        }
    }
}
