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
            ulong hi = Math.BigMul(a.U0, b.U0, out ulong lo);
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
        Words8 q = default;
        Words4 r = default;
        DivRemWords(u, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in m.U0), n), q, r);
        res = new UInt256(r[0], r[1], r[2], r[3]);
    }
}
