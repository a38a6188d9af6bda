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
    /// Long division of u (m words, m ≤ 8) by v (n words, v[n−1] ≠ 0, 1 ≤ n ≤ 4, m ≥ n): Knuth TAOCP vol. 2 §4.3.1
    /// algorithm D with 64-bit digits, each quotient digit from a 3-by-2 word division (Möller and Granlund) so that
    /// at most one add-back follows. Writes m − n + 1 quotient words to q and n remainder words to r.
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

        if (n == 1)
        {
            ulong d = vn[0];
            ulong recip = Reciprocal2By1(d);
            ulong rem = un[m];
            for (int j = m - 1; j >= 0; j--)
            {
                q[j] = Div2By1(rem, un[j], d, recip, out rem);
            }

            r[0] = rem >> s;
            return;
        }

        ulong d1 = vn[n - 1];
        ulong d0 = vn[n - 2];
        ulong v3 = Reciprocal3By2(d1, d0);
        for (int j = m - n; j >= 0; j--)
        {
            ulong u2 = un[j + n];
            ulong u1 = un[j + n - 1];
            ulong u0 = un[j + n - 2];
            ulong qhat;
            if (u2 == d1 && u1 == d0)
            {
                // The top two words equal the divisor's (possible only for n ≥ 3): the digit is β − 1 or less, and the
                // 3-by-2 step needs (u2, u1) below (d1, d0), so subtract over the whole window and correct afterwards.
                qhat = ulong.MaxValue;
                ulong mulCarry = 0;
                ulong borrow = 0;
                for (int i = 0; i < n; i++)
                {
                    ulong ph = MulAdd(qhat, vn[i], mulCarry, out ulong pl);
                    un[i + j] = SubBorrow(un[i + j], pl, borrow, out borrow);
                    mulCarry = ph;
                }

                un[j + n] = SubBorrow(u2, mulCarry, borrow, out borrow);
                while (borrow != 0)
                {
                    qhat--;
                    ulong carry = 0;
                    for (int i = 0; i < n; i++)
                    {
                        un[i + j] = AddCarry(un[i + j], vn[i], carry, out carry);
                    }

                    un[j + n] = AddCarry(un[j + n], 0, carry, out carry);
                    borrow = carry ^ 1;
                }
            }
            else
            {
                qhat = Div3By2(u2, u1, u0, d1, d0, v3, out ulong r1, out ulong r0);

                // The 3-by-2 step covered the top three words; subtract qhat times the divisor's lower n − 2 words.
                ulong mulCarry = 0;
                ulong borrow = 0;
                for (int i = 0; i < n - 2; i++)
                {
                    ulong ph = MulAdd(qhat, vn[i], mulCarry, out ulong pl);
                    un[i + j] = SubBorrow(un[i + j], pl, borrow, out borrow);
                    mulCarry = ph;
                }

                r0 = SubBorrow(r0, mulCarry, borrow, out borrow);
                r1 = SubBorrow(r1, 0, borrow, out borrow);
                un[j + n - 2] = r0;
                un[j + n - 1] = r1;
                un[j + n] = 0;

                if (borrow != 0)
                {
                    // qhat was one too large (probability about 2/β): add the divisor back (Knuth step D6).
                    qhat--;
                    ulong carry = 0;
                    for (int i = 0; i < n; i++)
                    {
                        un[i + j] = AddCarry(un[i + j], vn[i], carry, out carry);
                    }
                }
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

    /// <summary>
    /// The reciprocal of a normalised two-word divisor (d1 top bit set) for <see cref="Div3By2"/>:
    /// floor((β³ − 1) / (d1·β + d0)) − β, Möller and Granlund (2011), algorithm 6.
    /// </summary>
    internal static ulong Reciprocal3By2(ulong d1, ulong d0)
    {
        ulong v = Reciprocal2By1(d1);
        ulong p = (d1 * v) + d0;
        if (p < d0)
        {
            v--;
            if (p >= d1)
            {
                v--;
                p -= d1;
            }

            p -= d1;
        }

        ulong t1 = Math.BigMul(v, d0, out ulong t0);
        p += t1;
        if (p < t1)
        {
            v--;
            if (p > d1 || (p == d1 && t0 >= d0))
            {
                v--;
            }
        }

        return v;
    }

    /// <summary>
    /// (u2:u1:u0) / (d1:d0) for a normalised divisor and (u2:u1) &lt; (d1:d0), with v from <see cref="Reciprocal3By2"/>:
    /// Möller and Granlund (2011), algorithm 5. Returns the quotient word and the two-word remainder.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Div3By2(ulong u2, ulong u1, ulong u0, ulong d1, ulong d0, ulong v, out ulong r1, out ulong r0)
    {
        ulong q1 = Math.BigMul(v, u2, out ulong q0);
        q0 += u1;
        q1 += u2 + (q0 < u1 ? 1UL : 0UL);

        ulong rr1 = u1 - (q1 * d1);
        ulong t1 = Math.BigMul(d0, q1, out ulong t0);

        // (rr1:rr0) = (rr1:u0) − (t1:t0) − (d1:d0), all mod β².
        ulong rr0 = SubBorrow(u0, t0, 0, out ulong b);
        rr1 = SubBorrow(rr1, t1, b, out _);
        rr0 = SubBorrow(rr0, d0, 0, out b);
        rr1 = SubBorrow(rr1, d1, b, out _);

        q1++;
        if (rr1 >= q0)
        {
            q1--;
            rr0 = AddCarry(rr0, d0, 0, out ulong c);
            rr1 = AddCarry(rr1, d1, c, out _);
        }

        if (rr1 > d1 || (rr1 == d1 && rr0 >= d0))
        {
            q1++;
            rr0 = SubBorrow(rr0, d0, 0, out b);
            rr1 = SubBorrow(rr1, d1, b, out _);
        }

        r1 = rr1;
        r0 = rr0;
        return q1;
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
