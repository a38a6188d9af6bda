namespace Cere.P2P.Encoding;

/// <summary>Unsigned LEB128 varints as used by multiformats (multihash, multiaddr, multistream-select, length prefixes).</summary>
public static class Varint
{
    /// <summary>The longest varint a 64-bit value needs.</summary>
    public const int MaxLength = 10;

    /// <summary>How many bytes <paramref name="value"/> takes as a varint.</summary>
    public static int SizeOf(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Write(ulong value, Span<byte> destination)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a varint from the start of <paramref name="source"/>; returns false if it is truncated, and throws
    /// <see cref="FormatException"/> if it is longer than <see cref="MaxLength"/> or not minimally encoded.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        int shift = 0;
        for (int i = 0; i < source.Length; i++)
        {
            if (i >= MaxLength)
            {
                throw new FormatException("varint longer than 10 bytes");
            }

            byte b = source[i];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                // unsigned-varint spec: no trailing zero groups (minimal encoding).
                if (b == 0 && i > 0)
                {
                    throw new FormatException("varint not minimally encoded");
                }

                consumed = i + 1;
                return true;
            }

            shift += 7;
        }

        consumed = 0;
        return false;
    }

    /// <summary>Reads a varint that must be complete; throws <see cref="FormatException"/> otherwise.</summary>
    public static ulong Read(ReadOnlySpan<byte> source, out int consumed)
    {
        if (!TryRead(source, out ulong value, out consumed))
        {
            throw new FormatException("truncated varint");
        }

        return value;
    }

    /// <summary>
    /// Reads one varint from a stream byte by byte (so nothing past it is consumed); returns null on a clean end of
    /// stream before the first byte, throws <see cref="EndOfStreamException"/> inside a varint and
    /// <see cref="FormatException"/> on a bad one.
    /// </summary>
    public static async ValueTask<ulong?> ReadAsync(Stream stream, CancellationToken ct)
    {
        byte[] one = new byte[1];
        ulong value = 0;
        int shift = 0;
        for (int i = 0; i < MaxLength; i++)
        {
            int n = await stream.ReadAsync(one.AsMemory(0, 1), ct).ConfigureAwait(false);
            if (n == 0)
            {
                return i == 0 ? null : throw new EndOfStreamException("stream ended inside a varint");
            }

            byte b = one[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (b == 0 && i > 0)
                {
                    throw new FormatException("varint not minimally encoded");
                }

                return value;
            }

            shift += 7;
        }

        throw new FormatException("varint longer than 10 bytes");
    }
}
