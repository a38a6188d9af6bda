using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Cere.Core;

/// <summary>Unsigned division and remainder of <see cref="UInt256"/> (EVM DIV and MOD: a zero divisor gives zero).</summary>
public readonly partial struct UInt256
{
    /// <summary>res = a / b rounded down; 0 when b = 0 (EVM DIV).</summary>
    public static void Divide(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        if (b.FitsInUInt64)
        {
            ulong d = b.U0;
            if (d == 0)
            {
                res = default;
                return;
            }

            if (a.FitsInUInt64)
            {
                res = new UInt256(a.U0 / d);
                return;
            }

            DivRemWord(a, d, out res);
            return;
        }

        if (LessThan(a, b))
        {
            res = default;
            return;
        }

        DivRemMultiWord(a, b, out res, out _);
    }

    /// <summary>res = a mod b; 0 when b = 0 (EVM MOD).</summary>
    public static void Mod(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        if (b.FitsInUInt64)
        {
            ulong d = b.U0;
            if (d == 0)
            {
                res = default;
                return;
            }

            if (a.FitsInUInt64)
            {
                res = new UInt256(a.U0 % d);
                return;
            }

            res = new UInt256(DivRemWord(a, d, out _));
            return;
        }

        if (LessThan(a, b))
        {
            res = a;
            return;
        }

        DivRemMultiWord(a, b, out _, out res);
    }

    /// <summary>Quotient and remainder together; both 0 when b = 0.</summary>
    public static void DivRem(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        if (b.FitsInUInt64)
        {
            ulong d = b.U0;
            if (d == 0)
            {
                quotient = default;
                remainder = default;
                return;
            }

            ulong r = DivRemWord(a, d, out quotient);
            remainder = new UInt256(r);
            return;
        }

        if (LessThan(a, b))
        {
            remainder = a;
            quotient = default;
            return;
        }

        DivRemMultiWord(a, b, out quotient, out remainder);
    }

    /// <summary>Division rounding down; zero divisor gives zero (EVM semantics, no exception).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator /(in UInt256 a, in UInt256 b)
    {
        Divide(a, b, out UInt256 res);
        return res;
    }

    /// <summary>Remainder; zero divisor gives zero (EVM semantics, no exception).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator %(in UInt256 a, in UInt256 b)
    {
        Mod(a, b, out UInt256 res);
        return res;
    }

    /// <summary>q = x / d for a single-word divisor (d ≠ 0); returns x mod d.</summary>
    internal static ulong DivRemWord(in UInt256 x, ulong d, out UInt256 q)
    {
        // Normalise so the divisor's top bit is set: that is what the 2-by-1 step (and its reciprocal) need.
        int s = BitOperations.LeadingZeroCount(d);
        ulong dn = d << s;
        ulong n0 = x.U0, n1 = x.U1, n2 = x.U2, n3 = x.U3, n4 = 0;
        if (s != 0)
        {
            int back = 64 - s;
            n4 = n3 >> back;
            n3 = (n3 << s) | (n2 >> back);
            n2 = (n2 << s) | (n1 >> back);
            n1 = (n1 << s) | (n0 >> back);
            n0 <<= s;
        }

        ulong v = Reciprocal2By1(dn);
        ulong q3 = Div2By1(n4, n3, dn, v, out ulong r);
        ulong q2 = Div2By1(r, n2, dn, v, out r);
        ulong q1 = Div2By1(r, n1, dn, v, out r);
        ulong q0 = Div2By1(r, n0, dn, v, out r);
        q = new UInt256(q0, q1, q2, q3);
        return r >> s;
    }

    // a / b and a mod b for b of two or more words and a ≥ b.
    private static void DivRemMultiWord(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        ReadOnlySpan<ulong> u = Words(a);
        ReadOnlySpan<ulong> v = Words(b);
        int m = SignificantWords(a);
        int n = SignificantWords(b);
        Span<ulong> q = stackalloc ulong[4];
        Span<ulong> r = stackalloc ulong[4];
        q.Clear();
        r.Clear();
        DivRemWords(u[..m], v[..n], q, r);
        quotient = new UInt256(q[0], q[1], q[2], q[3]);
        remainder = new UInt256(r[0], r[1], r[2], r[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<ulong> Words(in UInt256 x) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in x.U0), 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SignificantWords(in UInt256 x) =>
        x.U3 != 0 ? 4 : x.U2 != 0 ? 3 : x.U1 != 0 ? 2 : x.U0 != 0 ? 1 : 0;

    /// <summary>
    /// Long division of u (m words, m ≤ 8) by v (n words, v[n−1] ≠ 0, 1 ≤ n ≤ 4, m ≥ n), Knuth TAOCP vol. 2 §4.3.1
    /// algorithm D with 64-bit digits. Writes m − n + 1 quotient words to q and n remainder words to r.
    /// </summary>
    [SkipLocalsInit]
    internal static void DivRemWords(ReadOnlySpan<ulong> u, ReadOnlySpan<ulong> v, Span<ulong> q, Span<ulong> r)
    {
        int m = u.Length;
        int n = v.Length;
        int s = BitOperations.LeadingZeroCount(v[n - 1]);
        Span<ulong> vn = stackalloc ulong[4];
        Span<ulong> un = stackalloc ulong[9];
        if (s != 0)
        {
            int back = 64 - s;
            for (int i = n - 1; i > 0; i--)
            {
                vn[i] = (v[i] << s) | (v[i - 1] >> back);
            }

            vn[0] = v[0] << s;
            un[m] = u[m - 1] >> back;
            for (int i = m - 1; i > 0; i--)
            {
                un[i] = (u[i] << s) | (u[i - 1] >> back);
            }

            un[0] = u[0] << s;
        }
        else
        {
            v.CopyTo(vn);
            u.CopyTo(un);
            un[m] = 0;
        }

        ulong vTop = vn[n - 1];
        ulong recip = Reciprocal2By1(vTop);

        if (n == 1)
        {
            ulong rem = un[m];
            for (int j = m - 1; j >= 0; j--)
            {
                q[j] = Div2By1(rem, un[j], vTop, recip, out rem);
            }

            r[0] = rem >> s;
            return;
        }

        ulong vNext = vn[n - 2];
        for (int j = m - n; j >= 0; j--)
        {
            ulong uTop = un[j + n];
            ulong uNext = un[j + n - 1];
            ulong uThird = un[j + n - 2];
            ulong qhat;
            ulong rhat;
            bool rhatOverflow;

            // The invariant un[j+n..] < vn keeps uTop ≤ vTop; equality means the estimate would be β, cap it at β − 1.
            if (uTop >= vTop)
            {
                qhat = ulong.MaxValue;
                rhat = uNext + vTop;
                rhatOverflow = rhat < vTop;
            }
            else
            {
                qhat = Div2By1(uTop, uNext, vTop, recip, out rhat);
                rhatOverflow = false;
            }

            // Refine with the second divisor digit: afterwards qhat is exact or one too large (Knuth step D3).
            while (!rhatOverflow)
            {
                ulong ph = Math.BigMul(qhat, vNext, out ulong pl);
                if (ph < rhat || (ph == rhat && pl <= uThird))
                {
                    break;
                }

                qhat--;
                rhat += vTop;
                rhatOverflow = rhat < vTop;
            }

            // un[j .. j+n] −= qhat · vn (step D4).
            ulong mulCarry = 0;
            ulong borrow = 0;
            for (int i = 0; i < n; i++)
            {
                ulong ph = MulAdd(qhat, vn[i], mulCarry, out ulong pl);
                un[i + j] = SubBorrow(un[i + j], pl, borrow, out borrow);
                mulCarry = ph;
            }

            un[j + n] = SubBorrow(uTop, mulCarry, borrow, out borrow);

            if (borrow != 0)
            {
                // qhat was one too large (rare, probability about 2/β): add the divisor back (step D6).
                qhat--;
                ulong carry = 0;
                for (int i = 0; i < n; i++)
                {
                    un[i + j] = AddCarry(un[i + j], vn[i], carry, out carry);
                }

                un[j + n] += carry;
            }

            q[j] = qhat;
        }

        if (s != 0)
        {
            int back = 64 - s;
            for (int i = 0; i < n; i++)
            {
                r[i] = (un[i] >> s) | (un[i + 1] << back);
            }
        }
        else
        {
            un[..n].CopyTo(r);
        }
    }

    /// <summary>floor((β² − 1) / d) − β for a normalised d (top bit set), β = 2^64: the reciprocal of Möller and Granlund.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Reciprocal2By1(ulong d)
    {
        // (β² − 1 − β·d) / d; the high word ~d is below d, so the quotient fits in one word.
        if (X86Base.X64.IsSupported)
        {
            // SYSLIB5004 marks DivRem as preview API; it is the plain DIV instruction and the fallback below covers its absence.
#pragma warning disable SYSLIB5004
            return X86Base.X64.DivRem(ulong.MaxValue, ~d, d).Quotient;
#pragma warning restore SYSLIB5004
        }

        return (ulong)(new UInt128(~d, ulong.MaxValue) / d);
    }

    /// <summary>
    /// (u1:u0) / d for a normalised d and u1 &lt; d using the precomputed reciprocal v: Möller and Granlund,
    /// "Improved division by invariant integers" (2011), algorithm 4. Returns the quotient word.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Div2By1(ulong u1, ulong u0, ulong d, ulong v, out ulong rem)
    {
        ulong q1 = Math.BigMul(v, u1, out ulong q0);
        q0 += u0;
        q1 += u1 + 1 + (q0 < u0 ? 1UL : 0UL);
        ulong r = u0 - (q1 * d);
        if (r > q0)
        {
            q1--;
            r += d;
        }

        if (r >= d)
        {
            q1++;
            r -= d;
        }

        rem = r;
        return q1;
    }
}
