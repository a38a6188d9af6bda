using System.Runtime.CompilerServices;

namespace Cere.Core;

/// <summary>Division of <see cref="UInt256"/>.</summary>
public readonly partial struct UInt256
{
    /// <summary>q = x / d for a single-word divisor (d ≠ 0); returns x mod d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivRemWord(in UInt256 x, ulong d, out UInt256 q)
    {
        ulong q3 = x.U3 / d;
        ulong r = x.U3 - (q3 * d);
        ulong q2 = DivRem128(r, x.U2, d, out r);
        ulong q1 = DivRem128(r, x.U1, d, out r);
        ulong q0 = DivRem128(r, x.U0, d, out r);
        q = new UInt256(q0, q1, q2, q3);
        return r;
    }

    // (hi:lo) / d with hi < d, so the quotient fits in one word.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong DivRem128(ulong hi, ulong lo, ulong d, out ulong rem)
    {
        UInt128 n = ((UInt128)hi << 64) | lo;
        UInt128 q = n / d;
        rem = (ulong)(n - (q * d));
        return (ulong)q;
    }
}
