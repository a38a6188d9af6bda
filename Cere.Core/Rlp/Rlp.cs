using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cere.Core.Rlp;

/// <summary>Encoded lengths of RLP items, and allocating convenience encoders for tests and cold paths.</summary>
/// <remarks>
/// The encode pattern: add up the item lengths with the <c>LengthOf*</c> functions, allocate (or rent)
/// exactly <see cref="LengthOfList"/> bytes, and write them in one pass with <see cref="RlpWriter"/>.
/// </remarks>
public static class Rlp
{
    /// <summary>The encoded length of an address: 0x94 and 20 bytes.</summary>
    public const int LengthOfAddress = 21;

    /// <summary>The encoded length of a 32-byte hash: 0xa0 and 32 bytes.</summary>
    public const int LengthOfHash = 33;

    /// <summary>A payload shorter than this has its length in the prefix byte; longer ones use the long form (Yellow Paper, appendix B).</summary>
    public const int ShortPayloadLimit = 56;

    /// <summary>Prefix of a string item (0x80 + length, or 0xb7 + length-of-length).</summary>
    internal const byte StringOffset = 0x80;

    /// <summary>Prefix of a list item (0xc0 + length, or 0xf7 + length-of-length).</summary>
    internal const byte ListOffset = 0xc0;

    /// <summary>The encoded length of a byte string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthOfBytes(ReadOnlySpan<byte> value)
    {
        // A single byte below 0x80 is its own encoding.
        if (value.Length == 1 && value[0] < StringOffset)
        {
            return 1;
        }

        return LengthOfHeader(value.Length) + value.Length;
    }

    /// <summary>The encoded length of a byte string of <paramref name="length"/> bytes whose single byte (if one) is 0x80 or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthOfBytes(int length) => LengthOfHeader(length) + length;

    /// <summary>The encoded length of an integer (0 is the empty string, 1..127 a single byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthOf(ulong value)
    {
        if (value < StringOffset)
        {
            return 1;
        }

        return 1 + ByteLength(value);
    }

    /// <summary>The encoded length of a 256-bit integer (big-endian without leading zeros, like <see cref="LengthOf(ulong)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthOf(in UInt256 value) => value.FitsInUInt64 ? LengthOf(value.U0) : 1 + value.ByteLength;

    /// <summary>The encoded length of an optional address (the empty string when null, as a contract-creating transaction's "to").</summary>
    public static int LengthOfOptionalAddress(Address? value) => value is null ? 1 : LengthOfAddress;

    /// <summary>The encoded length of a list with a payload of <paramref name="payloadLength"/> bytes: header + payload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthOfList(int payloadLength) => LengthOfHeader(payloadLength) + payloadLength;

    /// <summary>The length of a list header for a payload of <paramref name="payloadLength"/> bytes (1 to 5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthOfListHeader(int payloadLength) => LengthOfHeader(payloadLength);

    /// <summary>Encodes a byte string (allocates; for tests and cold paths).</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        byte[] result = new byte[LengthOfBytes(value)];
        RlpWriter w = new(result);
        w.WriteBytes(value);
        return result;
    }

    /// <summary>Encodes an integer (allocates; for tests and cold paths).</summary>
    public static byte[] EncodeUInt64(ulong value)
    {
        byte[] result = new byte[LengthOf(value)];
        RlpWriter w = new(result);
        w.WriteUInt64(value);
        return result;
    }

    /// <summary>Encodes a 256-bit integer (allocates; for tests and cold paths).</summary>
    public static byte[] EncodeUInt256(in UInt256 value)
    {
        byte[] result = new byte[LengthOf(value)];
        RlpWriter w = new(result);
        w.WriteUInt256(value);
        return result;
    }

    /// <summary>Encodes a list of items that are already encoded (allocates; for tests and cold paths).</summary>
    public static byte[] EncodeList(params byte[][] encodedItems)
    {
        ArgumentNullException.ThrowIfNull(encodedItems);
        int payload = 0;
        foreach (byte[] item in encodedItems)
        {
            payload = checked(payload + item.Length);
        }

        byte[] result = new byte[LengthOfList(payload)];
        RlpWriter w = new(result);
        w.WriteListHeader(payload);
        foreach (byte[] item in encodedItems)
        {
            w.WriteEncoded(item);
        }

        return result;
    }

    /// <summary>The length of a string or list header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int LengthOfHeader(int payloadLength)
    {
        if ((uint)payloadLength < ShortPayloadLimit)
        {
            return 1;
        }

        if (payloadLength < 0)
        {
            ThrowNegativeLength(payloadLength);
        }

        return 1 + ByteLength((uint)payloadLength);
    }

    /// <summary>The minimal number of big-endian bytes of a non-zero value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ByteLength(ulong value) => (64 - BitOperations.LeadingZeroCount(value) + 7) >> 3;

    private static void ThrowNegativeLength(int length) =>
        throw new ArgumentOutOfRangeException(nameof(length), length, "an RLP payload length cannot be negative");
}
