using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Cere.Core.Rlp;

/// <summary>Writes canonical RLP into a caller-sized span, front to back, in one pass.</summary>
/// <remarks>
/// Size the destination with the <see cref="Rlp"/> <c>LengthOf*</c> functions. Writing past its end
/// throws <see cref="InvalidOperationException"/> (a length computed wrong is a bug, never silently truncated).
/// </remarks>
public ref struct RlpWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    /// <summary>A writer that fills <paramref name="destination"/> from its start.</summary>
    public RlpWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    /// <summary>The number of bytes written so far.</summary>
    public readonly int Position => _position;

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _destination[.._position];

    /// <summary>Throws unless the destination has been filled exactly (a check for the "exact length" pattern).</summary>
    public readonly void EnsureFilled()
    {
        if (_position != _destination.Length)
        {
            throw new InvalidOperationException($"RLP writer: wrote {_position} bytes but the destination holds {_destination.Length}; a computed length is wrong");
        }
    }

    /// <summary>Writes the header of a list whose items, written next, take <paramref name="payloadLength"/> bytes.</summary>
    public void WriteListHeader(int payloadLength) => WriteHeader(Rlp.ListOffset, payloadLength);

    /// <summary>Writes a byte string; a single byte below 0x80 is written as itself.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < Rlp.StringOffset)
        {
            Span<byte> d = Reserve(1);
            d[0] = value[0];
            return;
        }

        WriteHeader(Rlp.StringOffset, value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>Writes an integer, big-endian without leading zeros (0 is 0x80).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt64(ulong value)
    {
        if (value < Rlp.StringOffset)
        {
            Reserve(1)[0] = value == 0 ? Rlp.StringOffset : (byte)value;
            return;
        }

        int n = Rlp.ByteLength(value);
        Span<byte> d = Reserve(1 + n);
        d[0] = (byte)(Rlp.StringOffset + n);
        WriteBigEndian(d.Slice(1, n), value);
    }

    /// <summary>Writes a 256-bit integer, big-endian without leading zeros (0 is 0x80).</summary>
    public void WriteUInt256(in UInt256 value)
    {
        if (value.FitsInUInt64)
        {
            WriteUInt64(value.U0);
            return;
        }

        // 9..32 bytes: always the short string form.
        int n = value.ByteLength;
        Span<byte> d = Reserve(1 + n);
        d[0] = (byte)(Rlp.StringOffset + n);
        RlpBigEndian.WriteUInt256(d[1..], value);
    }

    /// <summary>Writes a boolean as the integer 1 or 0 (0x01 or 0x80).</summary>
    public void WriteBool(bool value) => Reserve(1)[0] = value ? (byte)1 : Rlp.StringOffset;

    /// <summary>Writes a 20-byte address (0x94 and the bytes).</summary>
    public void WriteAddress(in Address value)
    {
        Span<byte> d = Reserve(Rlp.LengthOfAddress);
        d[0] = Rlp.StringOffset + Address.Size;
        value.Bytes.CopyTo(d[1..]);
    }

    /// <summary>Writes an address, or the empty string 0x80 for null (a contract-creating transaction's "to").</summary>
    public void WriteOptionalAddress(Address? value)
    {
        if (value is { } a)
        {
            WriteAddress(a);
        }
        else
        {
            Reserve(1)[0] = Rlp.StringOffset;
        }
    }

    /// <summary>Writes a 32-byte hash (0xa0 and the bytes).</summary>
    public void WriteHash256(in Hash256 value)
    {
        Span<byte> d = Reserve(Rlp.LengthOfHash);
        d[0] = Rlp.StringOffset + Hash256.Size;
        value.Bytes.CopyTo(d[1..]);
    }

    /// <summary>Copies an item that is already RLP-encoded (a string or a whole list) as it is.</summary>
    public void WriteEncoded(scoped ReadOnlySpan<byte> alreadyEncodedItem) => alreadyEncodedItem.CopyTo(Reserve(alreadyEncodedItem.Length));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteHeader(byte offset, int payloadLength)
    {
        if ((uint)payloadLength < Rlp.ShortPayloadLimit)
        {
            Reserve(1)[0] = (byte)(offset + payloadLength);
            return;
        }

        WriteLongHeader(offset, payloadLength);
    }

    private void WriteLongHeader(byte offset, int payloadLength)
    {
        if (payloadLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "an RLP payload length cannot be negative");
        }

        // Long form: 0xb7/0xf7 + the length of the length, then the length big-endian without leading zeros.
        int n = Rlp.ByteLength((uint)payloadLength);
        Span<byte> d = Reserve(1 + n);
        d[0] = (byte)(offset + Rlp.ShortPayloadLimit - 1 + n);
        WriteBigEndian(d.Slice(1, n), (uint)payloadLength);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBigEndian(Span<byte> destination, ulong value)
    {
        // destination.Length is the minimal byte length of value (1..8).
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int count)
    {
        int start = _position;
        if ((uint)count > (uint)(_destination.Length - start))
        {
            ThrowOverflow(count);
        }

        _position = start + count;
        return _destination.Slice(start, count);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowOverflow(int count) =>
        throw new InvalidOperationException(
            $"RLP writer overflow: writing {count} bytes at position {_position} into a destination of {_destination.Length} bytes; the destination was sized wrong");
}
