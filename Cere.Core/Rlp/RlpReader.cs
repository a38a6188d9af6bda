using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Cere.Core.Rlp;

/// <summary>A strict, allocation-free RLP decoder over a span: rejects every non-canonical or malformed encoding.</summary>
/// <remarks>
/// <para>Every failure is an <see cref="RlpException"/> with a specific <see cref="RlpError"/> and the offset; declared
/// sizes are checked against the input before any slicing, so hostile sizes cannot cause an out-of-range or overflow.</para>
/// <para>Reading a list: <c>int end = r.ReadListHeader(); while (r.HasItemsBefore(end)) { … } r.EnsureAt(end);</c> —
/// or read a fixed number of fields and then <see cref="EnsureAt"/>. A read that throws leaves the position where it was. Items are bounded by the input while they are read;
/// <see cref="EnsureAt"/> is what proves that the list's declared size matched its items exactly, so always call it.</para>
/// </remarks>
public ref struct RlpReader
{
    private const byte LongStringBase = 0xb7; // 0xb8..0xbf: 1..8 bytes of size follow
    private const byte LongListBase = 0xf7;   // 0xf8..0xff: 1..8 bytes of size follow

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>A reader positioned at the start of <paramref name="data"/>.</summary>
    public RlpReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>The offset of the next item.</summary>
    public readonly int Position => _position;

    /// <summary>The total length of the input.</summary>
    public readonly int Length => _data.Length;

    /// <summary>True when the whole input has been read.</summary>
    public readonly bool IsFinished => _position == _data.Length;

    /// <summary>True while the position is before <paramref name="end"/> (the value <see cref="ReadListHeader"/> returned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool HasItemsBefore(int end) => _position < end;

    /// <summary>True if the next item is a list.</summary>
    /// <exception cref="RlpException">The input has ended (<see cref="RlpError.Truncated"/>).</exception>
    public readonly bool PeekIsList()
    {
        if ((uint)_position >= (uint)_data.Length)
        {
            ThrowEndOfInput(_position);
        }

        return _data[_position] >= Rlp.ListOffset;
    }

    /// <summary>Enters a list: checks its header and returns the absolute end offset of its payload.</summary>
    /// <exception cref="RlpException">Not a list, a malformed header, or a payload longer than the input.</exception>
    public int ReadListHeader()
    {
        int start = _position;
        ReadOnlySpan<byte> data = _data;
        if ((uint)start >= (uint)data.Length)
        {
            ThrowEndOfInput(start);
        }

        byte b = data[start];
        if (b < Rlp.ListOffset)
        {
            Throw(RlpError.ExpectedList, start, $"expected a list, found a string (prefix 0x{b:x2})");
        }

        int payloadStart, length;
        if (b <= LongListBase)
        {
            payloadStart = start + 1;
            length = b - Rlp.ListOffset;
            if (length > data.Length - payloadStart)
            {
                ThrowPayloadTruncated(start, length, data.Length - payloadStart);
            }
        }
        else
        {
            length = ReadLongSize(start, b - LongListBase, out payloadStart);
        }

        _position = payloadStart;
        return payloadStart + length;
    }

    /// <summary>Leaves a list: throws unless the position is exactly <paramref name="end"/>.</summary>
    /// <exception cref="RlpException"><see cref="RlpError.TrailingData"/> if bytes remain in the list, <see cref="RlpError.ItemPastListEnd"/> if an item ran past its end.</exception>
    public readonly void EnsureAt(int end)
    {
        if (_position != end)
        {
            ThrowNotAt(end);
        }
    }

    /// <summary>Throws <see cref="RlpError.TrailingData"/> unless the whole input has been read.</summary>
    public readonly void EnsureFinished()
    {
        if (_position != _data.Length)
        {
            Throw(RlpError.TrailingData, _position, $"{_data.Length - _position} bytes follow the item");
        }
    }

    /// <summary>Reads a string item and returns its payload (a view of the input).</summary>
    /// <exception cref="RlpException">A list, or a malformed / non-canonical string.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes()
    {
        int start = _position;
        ReadOnlySpan<byte> data = _data;
        if ((uint)start >= (uint)data.Length)
        {
            ThrowEndOfInput(start);
        }

        byte b = data[start];
        if (b < Rlp.StringOffset)
        {
            _position = start + 1;
            return data.Slice(start, 1);
        }

        if (b <= LongStringBase)
        {
            int payloadStart = start + 1;
            int length = b - Rlp.StringOffset;
            if (length > data.Length - payloadStart)
            {
                ThrowPayloadTruncated(start, length, data.Length - payloadStart);
            }

            if (length == 1 && data[payloadStart] < Rlp.StringOffset)
            {
                ThrowSingleByte(start, data[payloadStart]);
            }

            _position = payloadStart + length;
            return data.Slice(payloadStart, length);
        }

        return ReadLongBytes(start, b);
    }

    /// <summary>Reads a string of exactly <paramref name="length"/> bytes (a bloom, a header nonce) and returns its payload.</summary>
    /// <exception cref="RlpException"><see cref="RlpError.UnexpectedLength"/> for any other length, or a malformed item.</exception>
    public ReadOnlySpan<byte> ReadFixedBytes(int length)
    {
        int start = _position;
        ReadOnlySpan<byte> value = ReadBytes();
        if (value.Length != length)
        {
            _position = start;
            Throw(RlpError.UnexpectedLength, start, $"expected {length} bytes, got {value.Length}");
        }

        return value;
    }

    /// <summary>Returns the whole encoding (prefix and payload) of the next item, string or list, and moves past it.</summary>
    /// <remarks>Checks the item's own header and bounds; the items inside a list are checked when that encoding is decoded.</remarks>
    public ReadOnlySpan<byte> ReadEncodedItem()
    {
        int start = _position;
        int end = ReadItemEnd(start);
        _position = end;
        return _data[start..end];
    }

    /// <summary>Moves past the next item, string or list (checking its header and bounds as <see cref="ReadEncodedItem"/> does).</summary>
    public void SkipItem() => _position = ReadItemEnd(_position);

    /// <summary>Reads a canonical integer of up to 8 bytes: big-endian, no leading zero, zero as the empty string 0x80.</summary>
    /// <exception cref="RlpException">A list, a leading zero, more than 8 bytes, or a malformed item.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUInt64()
    {
        int start = _position;
        ReadOnlySpan<byte> data = _data;
        if ((uint)start >= (uint)data.Length)
        {
            ThrowEndOfInput(start);
        }

        byte b = data[start];
        if (b < Rlp.StringOffset)
        {
            if (b == 0)
            {
                ThrowLeadingZero(start);
            }

            _position = start + 1;
            return b;
        }

        int length = b - Rlp.StringOffset;
        if (length > sizeof(ulong))
        {
            return ReadIntegerTooLong(start, sizeof(ulong));
        }

        int payloadStart = start + 1;
        if (length > data.Length - payloadStart)
        {
            ThrowPayloadTruncated(start, length, data.Length - payloadStart);
        }

        if (length == 0)
        {
            _position = payloadStart;
            return 0;
        }

        ReadOnlySpan<byte> payload = data.Slice(payloadStart, length);
        if (payload[0] < Rlp.StringOffset)
        {
            if (payload[0] == 0)
            {
                ThrowLeadingZero(start);
            }

            if (length == 1)
            {
                ThrowSingleByte(start, payload[0]);
            }
        }

        ulong value = 0;
        foreach (byte x in payload)
        {
            value = (value << 8) | x;
        }

        _position = payloadStart + length;
        return value;
    }

    /// <summary>Reads a canonical integer of up to 32 bytes (same rules as <see cref="ReadUInt64"/>).</summary>
    /// <exception cref="RlpException">A list, a leading zero, more than 32 bytes, or a malformed item.</exception>
    public UInt256 ReadUInt256()
    {
        int start = _position;
        ReadOnlySpan<byte> payload = ReadBytes();
        if (payload.Length == 0)
        {
            return default;
        }

        if (payload[0] == 0)
        {
            _position = start;
            ThrowLeadingZero(start);
        }

        if (payload.Length > 32)
        {
            _position = start;
            Throw(RlpError.IntegerTooLarge, start, $"an integer of {payload.Length} bytes exceeds 32");
        }

        return RlpBigEndian.ReadUInt256(payload);
    }

    /// <summary>Reads a canonical integer of 0..255.</summary>
    public byte ReadByte()
    {
        int start = _position;
        ulong v = ReadUInt64();
        if (v > byte.MaxValue)
        {
            _position = start;
            Throw(RlpError.IntegerTooLarge, start, $"{v} does not fit in a byte");
        }

        return (byte)v;
    }

    /// <summary>Reads a boolean: the integer 0 (0x80) or 1 (0x01).</summary>
    public bool ReadBool()
    {
        int start = _position;
        ulong v = ReadUInt64();
        if (v > 1)
        {
            _position = start;
            Throw(RlpError.IntegerTooLarge, start, $"a boolean is 0 or 1, got {v}");
        }

        return v == 1;
    }

    /// <summary>Reads a 20-byte address.</summary>
    /// <exception cref="RlpException"><see cref="RlpError.UnexpectedLength"/> if not 20 bytes, or a malformed item.</exception>
    public Address ReadAddress() => new(ReadFixedBytes(Address.Size));

    /// <summary>Reads an address, or null for the empty string 0x80 (a contract-creating transaction's "to").</summary>
    public Address? ReadOptionalAddress()
    {
        int start = _position;
        if ((uint)start < (uint)_data.Length && _data[start] == Rlp.StringOffset)
        {
            _position = start + 1;
            return null;
        }

        return ReadAddress();
    }

    /// <summary>Reads a 32-byte hash.</summary>
    /// <exception cref="RlpException"><see cref="RlpError.UnexpectedLength"/> if not 32 bytes, or a malformed item.</exception>
    public Hash256 ReadHash256() => new(ReadFixedBytes(Hash256.Size));

    /// <summary>Checks the header at <paramref name="start"/> and returns the end offset of the item.</summary>
    private readonly int ReadItemEnd(int start)
    {
        ReadOnlySpan<byte> data = _data;
        if ((uint)start >= (uint)data.Length)
        {
            ThrowEndOfInput(start);
        }

        byte b = data[start];
        if (b < Rlp.StringOffset)
        {
            return start + 1;
        }

        int payloadStart, length;
        if (b <= LongStringBase || (b >= Rlp.ListOffset && b <= LongListBase))
        {
            payloadStart = start + 1;
            length = b - (b < Rlp.ListOffset ? Rlp.StringOffset : Rlp.ListOffset);
            if (length > data.Length - payloadStart)
            {
                ThrowPayloadTruncated(start, length, data.Length - payloadStart);
            }

            if (length == 1 && b == Rlp.StringOffset + 1 && data[payloadStart] < Rlp.StringOffset)
            {
                ThrowSingleByte(start, data[payloadStart]);
            }
        }
        else
        {
            length = ReadLongSize(start, b - (b < Rlp.ListOffset ? LongStringBase : LongListBase), out payloadStart);
        }

        return payloadStart + length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ReadOnlySpan<byte> ReadLongBytes(int start, byte prefix)
    {
        if (prefix >= Rlp.ListOffset)
        {
            Throw(RlpError.ExpectedString, start, $"expected a string, found a list (prefix 0x{prefix:x2})");
        }

        int length = ReadLongSize(start, prefix - LongStringBase, out int payloadStart);
        _position = payloadStart + length;
        return _data.Slice(payloadStart, length);
    }

    /// <summary>
    /// Reads the big-endian size of a long string or list (1..8 bytes after the prefix at <paramref name="start"/>) and
    /// checks that it is canonical and that the payload lies inside the input. Returns the payload length.
    /// </summary>
    private readonly int ReadLongSize(int start, int sizeLength, out int payloadStart)
    {
        ReadOnlySpan<byte> data = _data;
        int sizeStart = start + 1;
        if (sizeLength > data.Length - sizeStart)
        {
            Throw(RlpError.Truncated, start, $"the prefix announces {sizeLength} size bytes but only {data.Length - sizeStart} remain");
        }

        if (data[sizeStart] == 0)
        {
            Throw(RlpError.LeadingZeroInSize, start, "the size starts with a zero byte");
        }

        // Sizes are compared in ulong and checked against int before use, so no declared size can overflow arithmetic.
        if (sizeLength > sizeof(int))
        {
            Throw(RlpError.SizeOverflow, start, $"a {sizeLength}-byte size exceeds {int.MaxValue}");
        }

        ulong size = 0;
        for (int i = 0; i < sizeLength; i++)
        {
            size = (size << 8) | data[sizeStart + i];
        }

        if (size > int.MaxValue)
        {
            Throw(RlpError.SizeOverflow, start, $"the size {size} exceeds {int.MaxValue}");
        }

        if (size < Rlp.ShortPayloadLimit)
        {
            Throw(RlpError.NonCanonicalSize, start, $"a size of {size} must use the short form (below {Rlp.ShortPayloadLimit})");
        }

        payloadStart = sizeStart + sizeLength;
        int length = (int)size;
        if (length > data.Length - payloadStart)
        {
            ThrowPayloadTruncated(start, length, data.Length - payloadStart);
        }

        return length;
    }

    /// <summary>The slow path of an integer read whose prefix announces more than <paramref name="maxBytes"/> bytes (or a list).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadIntegerTooLong(int start, int maxBytes)
    {
        // Report the header's own problem first (a list, truncation, a bad size), then the size.
        ReadOnlySpan<byte> payload = ReadBytes();
        _position = start;
        Throw(RlpError.IntegerTooLarge, start, $"an integer of {payload.Length} bytes exceeds {maxBytes}");
        return 0;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowNotAt(int end)
    {
        if (_position < end)
        {
            Throw(RlpError.TrailingData, _position, $"{end - _position} bytes remain in the list after its last item");
        }

        Throw(RlpError.ItemPastListEnd, end, $"an item runs {_position - end} bytes past the end of its list");
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowEndOfInput(int offset) => Throw(RlpError.Truncated, offset, "the input ends where an item was expected");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPayloadTruncated(int offset, int length, int remaining) =>
        Throw(RlpError.Truncated, offset, $"the item declares {length} payload bytes but only {remaining} remain");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSingleByte(int offset, byte value) =>
        Throw(RlpError.SingleByteNotCanonical, offset, $"the byte 0x{value:x2} must be encoded as itself, not as a one-byte string");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLeadingZero(int offset) =>
        Throw(RlpError.LeadingZeroInInteger, offset, "an integer starts with a zero byte (zero is encoded as 0x80)");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(RlpError error, int offset, string detail) => throw new RlpException(error, offset, detail);
}
