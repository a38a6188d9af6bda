using System.Runtime.CompilerServices;

namespace Cere.Core;

/// <summary>Wrapping (mod 2^256) addition, subtraction, multiplication and exponentiation of <see cref="UInt256"/>.</summary>
public readonly partial struct UInt256
{
    // Results are always computed into locals first and assigned to `res` last: callers may pass the
    // same stack slot as an input and as the output (the EVM writes results over its operands).

    /// <summary>res = (a + b) mod 2^256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(in UInt256 a, in UInt256 b, out UInt256 res) => AddOverflow(a, b, out res);

    /// <summary>res = (a + b) mod 2^256; returns true when the exact sum is 2^256 or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddOverflow(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        ulong r0 = AddCarry(a.U0, b.U0, 0, out ulong c);
        ulong r1 = AddCarry(a.U1, b.U1, c, out c);
        ulong r2 = AddCarry(a.U2, b.U2, c, out c);
        ulong r3 = AddCarry(a.U3, b.U3, c, out c);
        res = new UInt256(r0, r1, r2, r3);
        return c != 0;
    }

    /// <summary>res = (a − b) mod 2^256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(in UInt256 a, in UInt256 b, out UInt256 res) => SubtractUnderflow(a, b, out res);

    /// <summary>res = (a − b) mod 2^256; returns true when b &gt; a (the result wrapped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SubtractUnderflow(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        ulong r0 = SubBorrow(a.U0, b.U0, 0, out ulong c);
        ulong r1 = SubBorrow(a.U1, b.U1, c, out c);
        ulong r2 = SubBorrow(a.U2, b.U2, c, out c);
        ulong r3 = SubBorrow(a.U3, b.U3, c, out c);
        res = new UInt256(r0, r1, r2, r3);
        return c != 0;
    }

    /// <summary>res = −a mod 2^256 (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Negate(in UInt256 a, out UInt256 res) => SubtractUnderflow(Zero, a, out res);

    /// <summary>res = (a · b) mod 2^256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        if (((a.U1 | a.U2 | a.U3) | (b.U1 | b.U2 | b.U3)) == 0)
        {
            // Both operands fit in 64 bits (gas and size arithmetic): one 64×64→128 product.
            ulong hi = WideMath.BigMul(a.U0, b.U0, out ulong lo);
            res = new UInt256(lo, hi);
            return;
        }

        MultiplyLow(a, b, out res);
    }

    // Schoolbook product keeping only the ten partial products that land below 2^256, row by row.
    private static void MultiplyLow(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2, b3 = b.U3;

        ulong c = WideMath.BigMul(a0, b0, out ulong r0);
        c = MulAdd(a0, b1, c, out ulong r1);
        c = MulAdd(a0, b2, c, out ulong r2);
        ulong r3 = (a0 * b3) + c;

        c = MulAdd(a1, b0, r1, out r1);
        c = MulAdd2(a1, b1, r2, c, out r2);
        r3 += (a1 * b2) + c;

        c = MulAdd(a2, b0, r2, out r2);
        r3 += (a2 * b1) + c;

        r3 += a3 * b0;
        res = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>res = (a · b) mod 2^256; returns true when the exact product is 2^256 or more.</summary>
    public static bool MultiplyOverflow(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        MultiplyFull(a, b, out UInt256 low, out UInt256 high);
        res = low;
        return !high.IsZero;
    }

    /// <summary>The exact 512-bit product a · b as its low and high 256-bit halves.</summary>
    public static void MultiplyFull(in UInt256 a, in UInt256 b, out UInt256 low, out UInt256 high)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2, b3 = b.U3;

        ulong c = WideMath.BigMul(a0, b0, out ulong r0);
        c = MulAdd(a0, b1, c, out ulong r1);
        c = MulAdd(a0, b2, c, out ulong r2);
        ulong r4 = MulAdd(a0, b3, c, out ulong r3);

        c = MulAdd(a1, b0, r1, out r1);
        c = MulAdd2(a1, b1, r2, c, out r2);
        c = MulAdd2(a1, b2, r3, c, out r3);
        ulong r5 = MulAdd2(a1, b3, r4, c, out r4);

        c = MulAdd(a2, b0, r2, out r2);
        c = MulAdd2(a2, b1, r3, c, out r3);
        c = MulAdd2(a2, b2, r4, c, out r4);
        ulong r6 = MulAdd2(a2, b3, r5, c, out r5);

        c = MulAdd(a3, b0, r3, out r3);
        c = MulAdd2(a3, b1, r4, c, out r4);
        c = MulAdd2(a3, b2, r5, c, out r5);
        ulong r7 = MulAdd2(a3, b3, r6, c, out r6);

        low = new UInt256(r0, r1, r2, r3);
        high = new UInt256(r4, r5, r6, r7);
    }

    /// <summary>res = b^e mod 2^256 (EVM EXP).</summary>
    public static void Exp(in UInt256 b, in UInt256 e, out UInt256 res)
    {
        if (e.IsZero)
        {
            res = One;
            return;
        }

        if (b.FitsInUInt64 && b.U0 <= 2)
        {
            // 0^e = 0 and 1^e = 1 for e > 0; 2^e is a single bit (common in Solidity masks).
            ulong small = b.U0;
            if (small < 2)
            {
                res = new UInt256(small);
                return;
            }

            if (!e.FitsInUInt64 || e.U0 >= 256)
            {
                res = default;
                return;
            }

            LeftShift(One, (int)e.U0, out res);
            return;
        }

        // Right-to-left square and multiply; the first set bit copies the power instead of multiplying by one.
        UInt256 result = One;
        UInt256 power = b;
        bool started = false;
        int bits = e.BitLength;
        for (int i = 0; i < bits; i++)
        {
            if (e.Bit(i))
            {
                if (started)
                {
                    Multiply(result, power, out result);
                }
                else
                {
                    result = power;
                    started = true;
                }
            }

            if (i + 1 < bits)
            {
                Multiply(power, power, out power);
            }
        }

        res = result;
    }

    /// <summary>True when bit <paramref name="index"/> (0 = least significant, 0..255) is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Bit(int index)
    {
        ulong word = (index >> 6) switch
        {
            0 => U0,
            1 => U1,
            2 => U2,
            _ => U3,
        };
        return ((word >> (index & 63)) & 1) != 0;
    }

    /// <summary>Wrapping addition (mod 2^256).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator +(in UInt256 a, in UInt256 b)
    {
        AddOverflow(a, b, out UInt256 res);
        return res;
    }

    /// <summary>Wrapping subtraction (mod 2^256).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator -(in UInt256 a, in UInt256 b)
    {
        SubtractUnderflow(a, b, out UInt256 res);
        return res;
    }

    /// <summary>Two's complement negation (mod 2^256).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator -(in UInt256 a)
    {
        Negate(a, out UInt256 res);
        return res;
    }

    /// <summary>Wrapping multiplication (mod 2^256).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator *(in UInt256 a, in UInt256 b)
    {
        Multiply(a, b, out UInt256 res);
        return res;
    }

    /// <summary>x + y + carryIn; carryOut is 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong AddCarry(ulong x, ulong y, ulong carryIn, out ulong carryOut)
    {
        ulong s = x + y;
        ulong r = s + carryIn;
        carryOut = (s < x ? 1UL : 0UL) | (r < s ? 1UL : 0UL);
        return r;
    }

    /// <summary>x − y − borrowIn; borrowOut is 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SubBorrow(ulong x, ulong y, ulong borrowIn, out ulong borrowOut)
    {
        ulong d = x - y;
        ulong r = d - borrowIn;
        borrowOut = (x < y ? 1UL : 0UL) | (d < borrowIn ? 1UL : 0UL);
        return r;
    }

    /// <summary>x · y + a as 128 bits: returns the high word, low word in <paramref name="lo"/>. Cannot overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAdd(ulong x, ulong y, ulong a, out ulong lo)
    {
        ulong hi = WideMath.BigMul(x, y, out ulong l);
        l += a;
        lo = l;
        return hi + (l < a ? 1UL : 0UL);
    }

    /// <summary>x · y + a + b as 128 bits ((2^64−1)² + 2(2^64−1) = 2^128 − 1, so it cannot overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAdd2(ulong x, ulong y, ulong a, ulong b, out ulong lo)
    {
        ulong hi = WideMath.BigMul(x, y, out ulong l);
        l += a;
        hi += l < a ? 1UL : 0UL;
        l += b;
        hi += l < b ? 1UL : 0UL;
        lo = l;
        return hi;
    }
}
