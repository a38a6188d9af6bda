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
        if ((b.U2 | b.U3) == 0)
        {
            DivRemTwoWords(a, b.U1, b.U0, out quotient, out remainder);
            return;
        }

        if (b.U3 == 0)
        {
            if (DivRemThreeWords(a, b, out quotient, out remainder))
            {
                return;
            }
        }
        else
        {
            DivRemFourWords(a, b, out quotient, out remainder);
            return;
        }

        DivRemGeneral(a, b, out quotient, out remainder);
    }

    private static void DivRemGeneral(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        ReadOnlySpan<ulong> u = Words(a);
        ReadOnlySpan<ulong> v = Words(b);
        int m = SignificantWords(a);
        int n = SignificantWords(b);
        Words4 q = default;
        Words4 r = default;
        DivRemWords(u[..m], v[..n], q, r);
        quotient = new UInt256(q[0], q[1], q[2], q[3]);
        remainder = new UInt256(r[0], r[1], r[2], r[3]);
    }

    // a / b for a three-word b (U2 ≠ 0, U3 = 0): two quotient digits, each a 3-by-2 step on the top words and one
    // word of multiply-and-subtract. Returns false, writing nothing useful, in the vanishingly rare case that the
    // second step's top words equal the divisor's (the general routine handles it).
    private static bool DivRemThreeWords(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        ulong d2 = b.U2, d1 = b.U1, d0 = b.U0;
        ulong n0 = a.U0, n1 = a.U1, n2 = a.U2, n3 = a.U3, n4 = 0;
        int s = BitOperations.LeadingZeroCount(d2);
        if (s != 0)
        {
            int back = 64 - s;
            d2 = (d2 << s) | (d1 >> back);
            d1 = (d1 << s) | (d0 >> back);
            d0 <<= s;
            n4 = n3 >> back;
            n3 = (n3 << s) | (n2 >> back);
            n2 = (n2 << s) | (n1 >> back);
            n1 = (n1 << s) | (n0 >> back);
            n0 <<= s;
        }

        ulong v = Reciprocal3By2(d2, d1);

        // First digit: (n4 n3 n2 n1) / (d2 d1 d0); n4 < 2^s ≤ d2 keeps (n4, n3) below (d2, d1).
        ulong q1 = Div3By2(n4, n3, n2, d2, d1, v, out ulong w2, out ulong w1);
        ulong w0 = SubtractLowWord(q1, d0, n1, ref w1, ref w2, out bool negative);
        if (negative)
        {
            q1--;
            AddBack3(d2, d1, d0, ref w2, ref w1, ref w0);
        }

        // Second digit: (w2 w1 w0 n0) / (d2 d1 d0).
        if (w2 == d2 && w1 == d1)
        {
            // Leave the outputs untouched: they may be the caller's operands, which the general routine reads next.
            Unsafe.SkipInit(out quotient);
            Unsafe.SkipInit(out remainder);
            return false;
        }

        ulong q0 = Div3By2(w2, w1, w0, d2, d1, v, out ulong x2, out ulong x1);
        ulong x0 = SubtractLowWord(q0, d0, n0, ref x1, ref x2, out negative);
        if (negative)
        {
            q0--;
            AddBack3(d2, d1, d0, ref x2, ref x1, ref x0);
        }

        quotient = new UInt256(q0, q1);
        remainder = s == 0
            ? new UInt256(x0, x1, x2)
            : new UInt256((x0 >> s) | (x1 << (64 - s)), (x1 >> s) | (x2 << (64 - s)), x2 >> s);
        return true;
    }

    // a / b for a four-word b: the quotient is one word; a 3-by-2 step on the top words, then two words of
    // multiply-and-subtract.
    private static void DivRemFourWords(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        ulong d3 = b.U3, d2 = b.U2, d1 = b.U1, d0 = b.U0;
        ulong n0 = a.U0, n1 = a.U1, n2 = a.U2, n3 = a.U3, n4 = 0;
        int s = BitOperations.LeadingZeroCount(d3);
        if (s != 0)
        {
            int back = 64 - s;
            d3 = (d3 << s) | (d2 >> back);
            d2 = (d2 << s) | (d1 >> back);
            d1 = (d1 << s) | (d0 >> back);
            d0 <<= s;
            n4 = n3 >> back;
            n3 = (n3 << s) | (n2 >> back);
            n2 = (n2 << s) | (n1 >> back);
            n1 = (n1 << s) | (n0 >> back);
            n0 <<= s;
        }

        // n4 < 2^s ≤ d3 keeps (n4, n3) below (d3, d2).
        ulong q = Div3By2(n4, n3, n2, d3, d2, Reciprocal3By2(d3, d2), out ulong w3, out ulong w2);

        // (w3 w2 n1 n0) −= q · (d1 d0).
        ulong t1 = WideMath.BigMul(q, d1, out ulong t0);
        ulong h0 = WideMath.BigMul(q, d0, out ulong l0);
        t0 += h0;
        t1 += t0 < h0 ? 1UL : 0UL;
        ulong w0 = SubBorrow(n0, l0, 0, out ulong borrow);
        ulong w1 = SubBorrow(n1, t0, borrow, out borrow);
        w2 = SubBorrow(w2, t1, borrow, out borrow);
        w3 = SubBorrow(w3, 0, borrow, out borrow);
        if (borrow != 0)
        {
            q--;
            w0 = AddCarry(w0, d0, 0, out ulong c);
            w1 = AddCarry(w1, d1, c, out c);
            w2 = AddCarry(w2, d2, c, out c);
            w3 += d3 + c;
        }

        quotient = new UInt256(q);
        remainder = s == 0
            ? new UInt256(w0, w1, w2, w3)
            : new UInt256(
                (w0 >> s) | (w1 << (64 - s)),
                (w1 >> s) | (w2 << (64 - s)),
                (w2 >> s) | (w3 << (64 - s)),
                w3 >> s);
    }

    // (r1 r0 low) −= q · d0, where (r1 r0) is a 3-by-2 remainder; returns the new low word, negative on borrow out.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractLowWord(ulong q, ulong d0, ulong low, ref ulong r0, ref ulong r1, out bool negative)
    {
        ulong ph = WideMath.BigMul(q, d0, out ulong pl);
        ulong w0 = SubBorrow(low, pl, 0, out ulong borrow);
        r0 = SubBorrow(r0, ph, borrow, out borrow);
        r1 = SubBorrow(r1, 0, borrow, out borrow);
        negative = borrow != 0;
        return w0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBack3(ulong d2, ulong d1, ulong d0, ref ulong w2, ref ulong w1, ref ulong w0)
    {
        w0 = AddCarry(w0, d0, 0, out ulong c);
        w1 = AddCarry(w1, d1, c, out c);
        w2 += d2 + c;
    }

    // a / (d1:d0) with d1 ≠ 0: three straight 3-by-2 steps, since a remainder below a two-word divisor never needs
    // the multiply-and-subtract loop of the general case.
    private static void DivRemTwoWords(in UInt256 a, ulong d1, ulong d0, out UInt256 quotient, out UInt256 remainder)
    {
        int s = BitOperations.LeadingZeroCount(d1);
        ulong n0 = a.U0, n1 = a.U1, n2 = a.U2, n3 = a.U3, n4 = 0;
        if (s != 0)
        {
            int back = 64 - s;
            d1 = (d1 << s) | (d0 >> back);
            d0 <<= s;
            n4 = n3 >> back;
            n3 = (n3 << s) | (n2 >> back);
            n2 = (n2 << s) | (n1 >> back);
            n1 = (n1 << s) | (n0 >> back);
            n0 <<= s;
        }

        // n4 < 2^s ≤ 2^63 ≤ d1, so (n4:n3) is below the divisor as each step requires.
        ulong v = Reciprocal3By2(d1, d0);
        ulong q2 = Div3By2(n4, n3, n2, d1, d0, v, out ulong r1, out ulong r0);
        ulong q1 = Div3By2(r1, r0, n1, d1, d0, v, out r1, out r0);
        ulong q0 = Div3By2(r1, r0, n0, d1, d0, v, out r1, out r0);
        quotient = new UInt256(q0, q1, q2);
        remainder = s == 0 ? new UInt256(r0, r1) : new UInt256((r0 >> s) | (r1 << (64 - s)), r1 >> s);
    }

    // The four words as a span: the struct is sequential, U0..U3 contiguous, so the span covers exactly the value.
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
    internal static void DivRemWords(ReadOnlySpan<ulong> u, ReadOnlySpan<ulong> v, Span<ulong> q, Span<ulong> r)
    {
        int m = u.Length;
        int n = v.Length;
        if (n is < 1 or > 4 || m < n || m > 8 || q.Length < m - n + 1 || r.Length < n || v[n - 1] == 0)
        {
            ThrowBadDivisionShape(m, n);
        }

        // After the check above every index below stays inside its buffer (un: m + 1 ≤ 9 words, vn: n ≤ 4, q: m − n + 1,
        // r: n), so the loops use unchecked element references: this is the innermost loop of DIV, MOD and MULMOD.
        Words4 vnBuffer = default;
        Words9 unBuffer = default;
        ref ulong vn = ref vnBuffer[0];
        ref ulong un = ref unBuffer[0];
        ref ulong uSrc = ref MemoryMarshal.GetReference(u);
        ref ulong vSrc = ref MemoryMarshal.GetReference(v);
        ref ulong qOut = ref MemoryMarshal.GetReference(q);
        ref ulong rOut = ref MemoryMarshal.GetReference(r);

        int s = BitOperations.LeadingZeroCount(Unsafe.Add(ref vSrc, n - 1));
        if (s != 0)
        {
            int back = 64 - s;
            for (int i = n - 1; i > 0; i--)
            {
                Unsafe.Add(ref vn, i) = (Unsafe.Add(ref vSrc, i) << s) | (Unsafe.Add(ref vSrc, i - 1) >> back);
            }

            vn = vSrc << s;
            Unsafe.Add(ref un, m) = Unsafe.Add(ref uSrc, m - 1) >> back;
            for (int i = m - 1; i > 0; i--)
            {
                Unsafe.Add(ref un, i) = (Unsafe.Add(ref uSrc, i) << s) | (Unsafe.Add(ref uSrc, i - 1) >> back);
            }

            un = uSrc << s;
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                Unsafe.Add(ref vn, i) = Unsafe.Add(ref vSrc, i);
            }

            for (int i = 0; i < m; i++)
            {
                Unsafe.Add(ref un, i) = Unsafe.Add(ref uSrc, i);
            }
        }

        if (n == 1)
        {
            ulong d = vn;
            ulong recip = Reciprocal2By1(d);
            ulong rem = Unsafe.Add(ref un, m);
            for (int j = m - 1; j >= 0; j--)
            {
                Unsafe.Add(ref qOut, j) = Div2By1(rem, Unsafe.Add(ref un, j), d, recip, out rem);
            }

            rOut = rem >> s;
            return;
        }

        ulong d1 = Unsafe.Add(ref vn, n - 1);
        ulong d0 = Unsafe.Add(ref vn, n - 2);
        ulong v3 = Reciprocal3By2(d1, d0);
        for (int j = m - n; j >= 0; j--)
        {
            ref ulong window = ref Unsafe.Add(ref un, j);
            ulong u2 = Unsafe.Add(ref window, n);
            ulong u1 = Unsafe.Add(ref window, n - 1);
            ulong u0 = Unsafe.Add(ref window, n - 2);
            ulong qhat;
            if (u2 == d1 && u1 == d0)
            {
                // The top two words equal the divisor's (possible only for n ≥ 3): the digit is β − 1 or less, and the
                // 3-by-2 step needs (u2, u1) below (d1, d0), so subtract over the whole window and correct afterwards.
                qhat = ulong.MaxValue;
                ulong borrow = SubtractMultiple(ref window, ref vn, n, qhat, out ulong mulCarry);
                Unsafe.Add(ref window, n) = SubBorrow(u2, mulCarry, borrow, out borrow);
                while (borrow != 0)
                {
                    qhat--;
                    ulong carry = AddBack(ref window, ref vn, n);
                    Unsafe.Add(ref window, n) = AddCarry(Unsafe.Add(ref window, n), 0, carry, out carry);
                    borrow = carry ^ 1;
                }
            }
            else
            {
                qhat = Div3By2(u2, u1, u0, d1, d0, v3, out ulong r1, out ulong r0);

                // The 3-by-2 step covered the top three words; subtract qhat times the divisor's lower n − 2 words.
                ulong borrow = SubtractMultiple(ref window, ref vn, n - 2, qhat, out ulong mulCarry);
                r0 = SubBorrow(r0, mulCarry, borrow, out borrow);
                r1 = SubBorrow(r1, 0, borrow, out borrow);
                Unsafe.Add(ref window, n - 2) = r0;
                Unsafe.Add(ref window, n - 1) = r1;
                Unsafe.Add(ref window, n) = 0;

                if (borrow != 0)
                {
                    // qhat was one too large (probability about 2/β): add the divisor back (Knuth step D6).
                    qhat--;
                    AddBack(ref window, ref vn, n);
                }
            }

            Unsafe.Add(ref qOut, j) = qhat;
        }

        if (s != 0)
        {
            int back = 64 - s;
            for (int i = 0; i < n; i++)
            {
                Unsafe.Add(ref rOut, i) = (Unsafe.Add(ref un, i) >> s) | (Unsafe.Add(ref un, i + 1) << back);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                Unsafe.Add(ref rOut, i) = Unsafe.Add(ref un, i);
            }
        }
    }

    // Kept out of line so the formatting code does not bloat DivRemWords' frame.
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowBadDivisionShape(int m, int n) =>
        throw new ArgumentException($"long division needs 1..4 divisor words with a nonzero top, 8 dividend words at most and room for the results (m = {m}, n = {n})");

    // window[0 .. count) −= qhat · divisor[0 .. count); returns the borrow, and the multiply carry for the next word.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractMultiple(ref ulong window, ref ulong divisor, int count, ulong qhat, out ulong mulCarry)
    {
        ulong carry = 0;
        ulong borrow = 0;
        for (int i = 0; i < count; i++)
        {
            ulong ph = MulAdd(qhat, Unsafe.Add(ref divisor, i), carry, out ulong pl);
            ref ulong w = ref Unsafe.Add(ref window, i);
            w = SubBorrow(w, pl, borrow, out borrow);
            carry = ph;
        }

        mulCarry = carry;
        return borrow;
    }

    // window[0 .. count) += divisor[0 .. count); returns the carry out.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddBack(ref ulong window, ref ulong divisor, int count)
    {
        ulong carry = 0;
        for (int i = 0; i < count; i++)
        {
            ref ulong w = ref Unsafe.Add(ref window, i);
            w = AddCarry(w, Unsafe.Add(ref divisor, i), carry, out carry);
        }

        return carry;
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

        ulong t1 = WideMath.BigMul(v, d0, out ulong t0);
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
        ulong q1 = WideMath.BigMul(v, u2, out ulong q0);
        q0 += u1;
        q1 += u2 + (q0 < u1 ? 1UL : 0UL);

        ulong rr1 = u1 - (q1 * d1);
        ulong t1 = WideMath.BigMul(d0, q1, out ulong t0);

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
        // One DIV measured about twice as fast as the table-and-Newton route on this project's x64 machines; where
        // there is no 128/64 DIV (Arm64), the software route beats UInt128 division by far.
        return X86Base.X64.IsSupported ? Reciprocal2By1ByDivision(d) : Reciprocal2By1BySoftware(d);
    }

    /// <summary>The reciprocal by a table lookup and Newton steps: Möller and Granlund (2011), algorithm 3, for 64-bit words.</summary>
    internal static ulong Reciprocal2By1BySoftware(ulong d)
    {
        ulong d0 = d & 1;
        ulong d9 = d >> 55;
        ulong d40 = (d >> 24) + 1;
        ulong d63 = (d >> 1) + d0;
        ulong v0 = ReciprocalTable[(int)d9 - 256];
        ulong v1 = (v0 << 11) - ((v0 * v0 * d40) >> 40) - 1;
        ulong v2 = (v1 << 13) + ((v1 * ((1UL << 60) - (v1 * d40))) >> 47);
        ulong e = ((v2 >> 1) & (0 - d0)) - (v2 * d63);
        ulong v3 = (WideMath.BigMul(v2, e, out _) >> 1) + (v2 << 31);
        ulong hi = WideMath.BigMul(v3, d, out ulong lo);
        lo += d;
        hi += lo < d ? 1UL : 0UL;
        return v3 - hi - d;
    }

    /// <summary>The reciprocal by hardware division (or UInt128 division where there is no DIV instruction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Reciprocal2By1ByDivision(ulong d)
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

    // v0 for the 9 leading bits of d (256..511): floor((2^19 − 3·2^8) / d9), an 11-bit first approximation.
    private static ReadOnlySpan<ushort> ReciprocalTable =>
    [
        0x7fd, 0x7f5, 0x7ed, 0x7e5, 0x7dd, 0x7d5, 0x7ce, 0x7c6, 0x7bf, 0x7b7, 0x7b0, 0x7a8, 0x7a1, 0x79a, 0x792, 0x78b,
        0x784, 0x77d, 0x776, 0x76f, 0x768, 0x761, 0x75b, 0x754, 0x74d, 0x747, 0x740, 0x739, 0x733, 0x72c, 0x726, 0x720,
        0x719, 0x713, 0x70d, 0x707, 0x700, 0x6fa, 0x6f4, 0x6ee, 0x6e8, 0x6e2, 0x6dc, 0x6d6, 0x6d1, 0x6cb, 0x6c5, 0x6bf,
        0x6ba, 0x6b4, 0x6ae, 0x6a9, 0x6a3, 0x69e, 0x698, 0x693, 0x68d, 0x688, 0x683, 0x67d, 0x678, 0x673, 0x66e, 0x669,
        0x664, 0x65e, 0x659, 0x654, 0x64f, 0x64a, 0x645, 0x640, 0x63c, 0x637, 0x632, 0x62d, 0x628, 0x624, 0x61f, 0x61a,
        0x616, 0x611, 0x60c, 0x608, 0x603, 0x5ff, 0x5fa, 0x5f6, 0x5f1, 0x5ed, 0x5e9, 0x5e4, 0x5e0, 0x5dc, 0x5d7, 0x5d3,
        0x5cf, 0x5cb, 0x5c6, 0x5c2, 0x5be, 0x5ba, 0x5b6, 0x5b2, 0x5ae, 0x5aa, 0x5a6, 0x5a2, 0x59e, 0x59a, 0x596, 0x592,
        0x58e, 0x58a, 0x586, 0x583, 0x57f, 0x57b, 0x577, 0x574, 0x570, 0x56c, 0x568, 0x565, 0x561, 0x55e, 0x55a, 0x556,
        0x553, 0x54f, 0x54c, 0x548, 0x545, 0x541, 0x53e, 0x53a, 0x537, 0x534, 0x530, 0x52d, 0x52a, 0x526, 0x523, 0x520,
        0x51c, 0x519, 0x516, 0x513, 0x50f, 0x50c, 0x509, 0x506, 0x503, 0x500, 0x4fc, 0x4f9, 0x4f6, 0x4f3, 0x4f0, 0x4ed,
        0x4ea, 0x4e7, 0x4e4, 0x4e1, 0x4de, 0x4db, 0x4d8, 0x4d5, 0x4d2, 0x4cf, 0x4cc, 0x4ca, 0x4c7, 0x4c4, 0x4c1, 0x4be,
        0x4bb, 0x4b9, 0x4b6, 0x4b3, 0x4b0, 0x4ad, 0x4ab, 0x4a8, 0x4a5, 0x4a3, 0x4a0, 0x49d, 0x49b, 0x498, 0x495, 0x493,
        0x490, 0x48d, 0x48b, 0x488, 0x486, 0x483, 0x481, 0x47e, 0x47c, 0x479, 0x477, 0x474, 0x472, 0x46f, 0x46d, 0x46a,
        0x468, 0x465, 0x463, 0x461, 0x45e, 0x45c, 0x459, 0x457, 0x455, 0x452, 0x450, 0x44e, 0x44b, 0x449, 0x447, 0x444,
        0x442, 0x440, 0x43e, 0x43b, 0x439, 0x437, 0x435, 0x432, 0x430, 0x42e, 0x42c, 0x42a, 0x428, 0x425, 0x423, 0x421,
        0x41f, 0x41d, 0x41b, 0x419, 0x417, 0x414, 0x412, 0x410, 0x40e, 0x40c, 0x40a, 0x408, 0x406, 0x404, 0x402, 0x400,
    ];

    /// <summary>
    /// (u1:u0) / d for a normalised d and u1 &lt; d using the precomputed reciprocal v: Möller and Granlund,
    /// "Improved division by invariant integers" (2011), algorithm 4. Returns the quotient word.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Div2By1(ulong u1, ulong u0, ulong d, ulong v, out ulong rem)
    {
        ulong q1 = WideMath.BigMul(v, u1, out ulong q0);
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
