using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cere.Core;

/// <summary>Modular addition and multiplication without intermediate overflow (EVM ADDMOD and MULMOD).</summary>
public readonly partial struct UInt256
{
    /// <summary>res = (a + b) mod m computed on the exact 257-bit sum; 0 when m = 0 (EVM ADDMOD).</summary>
    public static void AddMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 res)
    {
        if (m.IsZero)
        {
            res = default;
            return;
        }

        UInt256 mod = m;
        if (LessThan(a, mod) && LessThan(b, mod))
        {
            // Both reduced already (the usual case for field arithmetic): the sum is below 2m, one subtraction at most.
            bool carry = AddOverflow(a, b, out UInt256 sum);
            if (carry || !LessThan(sum, mod))
            {
                SubtractUnderflow(sum, mod, out sum);
            }

            res = sum;
            return;
        }

        bool overflow = AddOverflow(a, b, out UInt256 s);
        if (!overflow)
        {
            Mod(s, mod, out res);
            return;
        }

        // The sum is 2^256 + s: divide the five-word number.
        Words8 u = default;
        u[0] = s.U0;
        u[1] = s.U1;
        u[2] = s.U2;
        u[3] = s.U3;
        u[4] = 1;
        ReduceWords(((ReadOnlySpan<ulong>)u)[..5], mod, out res);
    }

    /// <summary>res = (a · b) mod m computed on the exact 512-bit product; 0 when m = 0 (EVM MULMOD).</summary>
    public static void MulMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 res)
    {
        if (m.IsZero)
        {
            res = default;
            return;
        }

        UInt256 mod = m;
        if (((a.U1 | a.U2 | a.U3) | (b.U1 | b.U2 | b.U3)) == 0)
        {
            ulong hi = WideMath.BigMul(a.U0, b.U0, out ulong lo);
            Mod(new UInt256(lo, hi), mod, out res);
            return;
        }

        MultiplyFull(a, b, out UInt256 low, out UInt256 high);
        if (high.IsZero)
        {
            Mod(low, mod, out res);
            return;
        }

        Words8 u = default;
        u[0] = low.U0;
        u[1] = low.U1;
        u[2] = low.U2;
        u[3] = low.U3;
        u[4] = high.U0;
        u[5] = high.U1;
        u[6] = high.U2;
        u[7] = high.U3;
        int len = high.U3 != 0 ? 8 : high.U2 != 0 ? 7 : high.U1 != 0 ? 6 : 5;
        ReduceWords(((ReadOnlySpan<ulong>)u)[..len], mod, out res);
    }

    // res = u mod m for a number u of up to eight words whose length is at least m's (m ≠ 0).
    private static void ReduceWords(ReadOnlySpan<ulong> u, in UInt256 m, out UInt256 res)
    {
        int n = SignificantWords(m);
        if (n == 4 && ReduceByFourWords(u, m, out res))
        {
            return;
        }

        if (n == 2)
        {
            ReduceByTwoWords(u, m.U1, m.U0, out res);
            return;
        }

        Words8 q = default;
        Words4 r = default;
        DivRemWords(u, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in m.U0), n), q, r);
        res = new UInt256(r[0], r[1], r[2], r[3]);
    }

    // u mod (d1:d0): the remainder slides down the dividend one word per 3-by-2 step; it stays below the divisor,
    // so no step needs a multiply-and-subtract.
    private static void ReduceByTwoWords(ReadOnlySpan<ulong> u, ulong d1, ulong d0, out UInt256 res)
    {
        int s = BitOperations.LeadingZeroCount(d1);
        if (s != 0)
        {
            d1 = (d1 << s) | (d0 >> (64 - s));
            d0 <<= s;
        }

        ulong v = Reciprocal3By2(d1, d0);
        int length = u.Length;
        ulong r1 = NormalisedWord(u, length, s);
        ulong r0 = NormalisedWord(u, length - 1, s);
        for (int j = length - 2; j >= 0; j--)
        {
            Div3By2(r1, r0, NormalisedWord(u, j, s), d1, d0, v, out r1, out r0);
        }

        res = s == 0 ? new UInt256(r0, r1) : new UInt256((r0 >> s) | (r1 << (64 - s)), r1 >> s);
    }

    // u mod m for a four-word m (a full-size modulus, MULMOD's usual case): a sliding four-word remainder, one 3-by-2
    // step and two words of multiply-and-subtract per dividend word. Returns false in the vanishingly rare case that
    // the remainder's top words equal the modulus's (the general routine handles it).
    private static bool ReduceByFourWords(ReadOnlySpan<ulong> u, in UInt256 m, out UInt256 res)
    {
        ulong d3 = m.U3, d2 = m.U2, d1 = m.U1, d0 = m.U0;
        int s = BitOperations.LeadingZeroCount(d3);
        if (s != 0)
        {
            int back = 64 - s;
            d3 = (d3 << s) | (d2 >> back);
            d2 = (d2 << s) | (d1 >> back);
            d1 = (d1 << s) | (d0 >> back);
            d0 <<= s;
        }

        ulong v = Reciprocal3By2(d3, d2);
        int length = u.Length;
        ulong r3 = NormalisedWord(u, length, s);
        ulong r2 = NormalisedWord(u, length - 1, s);
        ulong r1 = NormalisedWord(u, length - 2, s);
        ulong r0 = NormalisedWord(u, length - 3, s);
        for (int j = length - 4; j >= 0; j--)
        {
            if (r3 == d3 && r2 == d2)
            {
                Unsafe.SkipInit(out res);
                return false;
            }

            ulong next = NormalisedWord(u, j, s);
            ulong q = Div3By2(r3, r2, r1, d3, d2, v, out ulong w3, out ulong w2);

            // (w3 w2 r0 next) −= q · (d1 d0).
            ulong t1 = WideMath.BigMul(q, d1, out ulong t0);
            ulong h0 = WideMath.BigMul(q, d0, out ulong l0);
            t0 += h0;
            t1 += t0 < h0 ? 1UL : 0UL;
            ulong w0 = SubBorrow(next, l0, 0, out ulong borrow);
            ulong w1 = SubBorrow(r0, t0, borrow, out borrow);
            w2 = SubBorrow(w2, t1, borrow, out borrow);
            w3 = SubBorrow(w3, 0, borrow, out borrow);
            if (borrow != 0)
            {
                // q was one too large (probability about 2/2^64): add the modulus back.
                w0 = AddCarry(w0, d0, 0, out ulong c);
                w1 = AddCarry(w1, d1, c, out c);
                w2 = AddCarry(w2, d2, c, out c);
                w3 += d3 + c;
            }

            (r3, r2, r1, r0) = (w3, w2, w1, w0);
        }

        res = s == 0
            ? new UInt256(r0, r1, r2, r3)
            : new UInt256((r0 >> s) | (r1 << (64 - s)), (r1 >> s) | (r2 << (64 - s)), (r2 >> s) | (r3 << (64 - s)), r3 >> s);
        return true;
    }

    // Word i of u shifted left by s bits (the normalised dividend), with u[−1] = u[length] = 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong NormalisedWord(ReadOnlySpan<ulong> u, int i, int s)
    {
        ulong high = (uint)i < (uint)u.Length ? u[i] << s : 0;
        ulong low = s != 0 && (uint)(i - 1) < (uint)u.Length ? u[i - 1] >> (64 - s) : 0;
        return high | low;
    }
}
