using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cere.Core;

/// <summary>A 256-bit unsigned integer (EVM word, balance, value): four 64-bit words, wrapping arithmetic mod 2^256.</summary>
/// <remarks>
/// Operators wrap modulo 2^256 as the EVM does (no overflow exceptions); division and modulo by zero give zero.
/// Use the static methods with <c>in</c>/<c>out</c> parameters on hot paths to avoid copying 32-byte values.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly partial struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>
{
    /// <summary>Least significant 64-bit word.</summary>
    public readonly ulong U0;

    /// <summary>Second 64-bit word (bits 64..127).</summary>
    public readonly ulong U1;

    /// <summary>Third 64-bit word (bits 128..191).</summary>
    public readonly ulong U2;

    /// <summary>Most significant 64-bit word (bits 192..255).</summary>
    public readonly ulong U3;

    /// <summary>Zero.</summary>
    public static readonly UInt256 Zero;

    /// <summary>One.</summary>
    public static readonly UInt256 One = new(1);

    /// <summary>2^256 − 1.</summary>
    public static readonly UInt256 MaxValue = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>Builds a value from its words, least significant first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt256(ulong u0, ulong u1 = 0, ulong u2 = 0, ulong u3 = 0)
    {
        U0 = u0;
        U1 = u1;
        U2 = u2;
        U3 = u3;
    }

    /// <summary>True when the value is zero.</summary>
    public bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U0 | U1 | U2 | U3) == 0;
    }

    /// <summary>True when the value is one.</summary>
    public bool IsOne
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ((U0 ^ 1) | U1 | U2 | U3) == 0;
    }

    /// <summary>True when the value fits in 64 bits (the upper three words are zero).</summary>
    public bool FitsInUInt64
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U1 | U2 | U3) == 0;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(UInt256 other) => ((U0 ^ other.U0) | (U1 ^ other.U1) | (U2 ^ other.U2) | (U3 ^ other.U3)) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(U0, U1, U2, U3);

    /// <summary>Compares as unsigned 256-bit numbers.</summary>
    public int CompareTo(UInt256 other)
    {
        if (U3 != other.U3)
        {
            return U3 < other.U3 ? -1 : 1;
        }

        if (U2 != other.U2)
        {
            return U2 < other.U2 ? -1 : 1;
        }

        if (U1 != other.U1)
        {
            return U1 < other.U1 ? -1 : 1;
        }

        if (U0 != other.U0)
        {
            return U0 < other.U0 ? -1 : 1;
        }

        return 0;
    }

    /// <summary>Unsigned a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThan(in UInt256 a, in UInt256 b)
    {
        // Borrow out of a full a − b is exactly a < b; branch-free.
        ulong borrow = (a.U0 < b.U0) ? 1UL : 0UL;
        borrow = SubBorrowBit(a.U1, b.U1, borrow);
        borrow = SubBorrowBit(a.U2, b.U2, borrow);
        borrow = SubBorrowBit(a.U3, b.U3, borrow);
        return borrow != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubBorrowBit(ulong x, ulong y, ulong borrowIn)
    {
        ulong d = x - y;
        return ((x < y) ? 1UL : 0UL) | ((d < borrowIn) ? 1UL : 0UL);
    }

    /// <summary>Equality of all 256 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator ==(in UInt256 a, in UInt256 b) => a.Equals(b);

    /// <summary>Inequality of any bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator !=(in UInt256 a, in UInt256 b) => !a.Equals(b);

    /// <summary>Unsigned less-than.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <(in UInt256 a, in UInt256 b) => LessThan(a, b);

    /// <summary>Unsigned greater-than.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >(in UInt256 a, in UInt256 b) => LessThan(b, a);

    /// <summary>Unsigned less-or-equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <=(in UInt256 a, in UInt256 b) => !LessThan(b, a);

    /// <summary>Unsigned greater-or-equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >=(in UInt256 a, in UInt256 b) => !LessThan(a, b);
}
