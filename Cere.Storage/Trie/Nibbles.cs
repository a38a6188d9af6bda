namespace Cere.Storage.Trie;

/// <summary>Keys as nibble sequences (one 4-bit value per byte), the alphabet of the Patricia trie's paths.</summary>
public static class Nibbles
{
    /// <summary>Splits each byte into its high and low nibble, writing 2 × <paramref name="bytes"/>.Length nibbles.</summary>
    public static void FromBytes(ReadOnlySpan<byte> bytes, Span<byte> nibbles)
    {
        if (nibbles.Length < bytes.Length * 2)
        {
            throw new ArgumentException($"need room for {bytes.Length * 2} nibbles, got {nibbles.Length}", nameof(nibbles));
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            nibbles[2 * i] = (byte)(b >> 4);
            nibbles[(2 * i) + 1] = (byte)(b & 0x0F);
        }
    }

    /// <summary>The nibbles of <paramref name="bytes"/> as a new array.</summary>
    public static byte[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        byte[] result = new byte[bytes.Length * 2];
        FromBytes(bytes, result);
        return result;
    }

    /// <summary>Packs an even number of nibbles back into bytes.</summary>
    /// <exception cref="ArgumentException">An odd number of nibbles.</exception>
    public static byte[] ToBytes(ReadOnlySpan<byte> nibbles)
    {
        if ((nibbles.Length & 1) != 0)
        {
            throw new ArgumentException($"an odd number of nibbles ({nibbles.Length}) is not a whole number of bytes", nameof(nibbles));
        }

        byte[] result = new byte[nibbles.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (byte)((nibbles[2 * i] << 4) | nibbles[(2 * i) + 1]);
        }

        return result;
    }

    /// <summary>The length of the longest common prefix of two nibble sequences.</summary>
    public static int CommonPrefixLength(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.CommonPrefixLength(b);

    /// <summary>The concatenation of a nibble, or nothing, and two nibble sequences.</summary>
    internal static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        byte[] result = new byte[first.Length + second.Length];
        first.CopyTo(result);
        second.CopyTo(result.AsSpan(first.Length));
        return result;
    }

    /// <summary>One nibble followed by a sequence.</summary>
    internal static byte[] Prepend(byte nibble, ReadOnlySpan<byte> rest)
    {
        byte[] result = new byte[rest.Length + 1];
        result[0] = nibble;
        rest.CopyTo(result.AsSpan(1));
        return result;
    }
}
