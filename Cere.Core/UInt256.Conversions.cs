using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cere.Core;

/// <summary>Conversions of <see cref="UInt256"/>: big-endian bytes, machine integers and BigInteger.</summary>
public readonly partial struct UInt256
{
    /// <summary>Reads a big-endian number of 0..32 bytes (a shorter span means leading zero bytes).</summary>
    /// <exception cref="ArgumentException">More than 32 bytes.</exception>
    public UInt256(ReadOnlySpan<byte> bigEndian)
    {
        if (bigEndian.Length == 32)
        {
            U3 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian);
            U2 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[8..]);
            U1 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[16..]);
            U0 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[24..]);
            return;
        }

        if (bigEndian.Length > 32)
        {
            throw new ArgumentException($"a 256-bit number is at most 32 bytes, got {bigEndian.Length}", nameof(bigEndian));
        }

        Span<byte> padded = stackalloc byte[32];
        padded.Clear();
        bigEndian.CopyTo(padded[(32 - bigEndian.Length)..]);
        U3 = BinaryPrimitives.ReadUInt64BigEndian(padded);
        U2 = BinaryPrimitives.ReadUInt64BigEndian(padded[8..]);
        U1 = BinaryPrimitives.ReadUInt64BigEndian(padded[16..]);
        U0 = BinaryPrimitives.ReadUInt64BigEndian(padded[24..]);
    }

    /// <summary>Number of significant bits (0 for zero, 256 when the top bit is set).</summary>
    public int BitLength
    {
        get
        {
            if (U3 != 0)
            {
                return 256 - BitOperations.LeadingZeroCount(U3);
            }

            if (U2 != 0)
            {
                return 192 - BitOperations.LeadingZeroCount(U2);
            }

            if (U1 != 0)
            {
                return 128 - BitOperations.LeadingZeroCount(U1);
            }

            return 64 - BitOperations.LeadingZeroCount(U0);
        }
    }

    /// <summary>Number of leading zero bits (256 for zero).</summary>
    public int CountLeadingZeros => 256 - BitLength;

    /// <summary>Length of the minimal big-endian encoding (no leading zero bytes; 0 for zero), as RLP writes numbers.</summary>
    public int ByteLength => (BitLength + 7) >> 3;

    /// <summary>Writes exactly 32 big-endian bytes (zero padded on the left).</summary>
    /// <exception cref="ArgumentException">The destination is not 32 bytes long.</exception>
    public void WriteBigEndian(Span<byte> destination32)
    {
        if (destination32.Length != 32)
        {
            throw new ArgumentException($"destination must be exactly 32 bytes, got {destination32.Length}", nameof(destination32));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination32, U3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[8..], U2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[16..], U1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[24..], U0);
    }

    /// <summary>Writes the minimal big-endian bytes (<see cref="ByteLength"/> of them) at the start of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="ByteLength"/>.</exception>
    public void WriteBigEndianMinimal(Span<byte> destination)
    {
        int length = ByteLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"destination needs {length} bytes, got {destination.Length}", nameof(destination));
        }

        Span<byte> full = stackalloc byte[32];
        WriteBigEndian(full);
        full[(32 - length)..].CopyTo(destination);
    }

    /// <summary>A new array with the minimal big-endian bytes (empty for zero).</summary>
    public byte[] ToBigEndianMinimal()
    {
        byte[] result = new byte[ByteLength];
        WriteBigEndianMinimal(result);
        return result;
    }

    /// <summary>Widens a 64-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator UInt256(ulong value) => new(value);

    /// <summary>Widens a 32-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator UInt256(uint value) => new(value);

    /// <summary>Widens a non-negative int.</summary>
    /// <exception cref="OverflowException">The value is negative.</exception>
    public static implicit operator UInt256(int value)
    {
        if (value < 0)
        {
            throw new OverflowException($"a UInt256 cannot hold the negative value {value}");
        }

        return new((ulong)value);
    }

    /// <summary>Narrows to 64 bits.</summary>
    /// <exception cref="OverflowException">The value does not fit in 64 bits.</exception>
    public static explicit operator ulong(in UInt256 value)
    {
        if (!value.FitsInUInt64)
        {
            throw new OverflowException("the UInt256 value does not fit in 64 bits");
        }

        return value.U0;
    }

    /// <summary>The low 64 bits (the value mod 2^64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ToUInt64Truncated() => U0;

    /// <summary>The value as a non-negative BigInteger.</summary>
    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Converts a BigInteger in [0, 2^256).</summary>
    /// <exception cref="OverflowException">The value is negative or at least 2^256.</exception>
    public static UInt256 FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new OverflowException("a UInt256 cannot hold a negative value");
        }

        int count = value.GetByteCount(isUnsigned: true);
        if (count > 32)
        {
            throw new OverflowException($"the value needs {count} bytes, a UInt256 holds 32");
        }

        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        value.TryWriteBytes(bytes[(32 - count)..], out _, isUnsigned: true, isBigEndian: true);
        return new UInt256(bytes);
    }
}
