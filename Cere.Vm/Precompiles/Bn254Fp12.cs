using System.Numerics;

namespace Cere.Vm.Precompiles;

/// <summary>An element c0 + c1·w of Fp12 = Fp6[w]/(w² − v), where the pairing takes its values (w⁶ = ξ).</summary>
internal readonly struct Fp12 : IEquatable<Fp12>
{
    /// <summary>The constant part (coefficients of w⁰, w², w⁴).</summary>
    public readonly Fp6 C0;

    /// <summary>The part times w (coefficients of w¹, w³, w⁵).</summary>
    public readonly Fp6 C1;

    /// <summary>Builds c0 + c1·w.</summary>
    public Fp12(in Fp6 c0, in Fp6 c1)
    {
        C0 = c0;
        C1 = c1;
    }

    /// <summary>One.</summary>
    public static Fp12 One => new(Fp6.One, Fp6.Zero);

    /// <summary>True for one.</summary>
    public bool IsOne => C0.C0.IsOne && C0.C1.IsZero && C0.C2.IsZero && C1.IsZero;

    /// <summary>x·y (three Fp6 multiplications).</summary>
    public static Fp12 Mul(in Fp12 x, in Fp12 y)
    {
        Fp6 t0 = x.C0 * y.C0;
        Fp6 t1 = x.C1 * y.C1;
        Fp6 c1 = ((x.C0 + x.C1) * (y.C0 + y.C1)) - t0 - t1;
        return new Fp12(t0 + Fp6.MulByV(t1), c1);
    }

    /// <summary>x² = (c0 + c1)(c0 + v·c1) − t − v·t + 2t·w with t = c0·c1 (two Fp6 multiplications).</summary>
    public static Fp12 Square(in Fp12 x)
    {
        Fp6 t = x.C0 * x.C1;
        Fp6 c0 = ((x.C0 + x.C1) * (x.C0 + Fp6.MulByV(x.C1))) - t - Fp6.MulByV(t);
        return new Fp12(c0, Fp6.Double(t));
    }

    /// <summary>
    /// x² for x in the cyclotomic subgroup (order dividing p⁴ − p² + 1, as after the easy part of the final exponentiation),
    /// by Granger and Scott's squaring (PKC 2010): seen as g0 + g1·w + g2·w² over Fp4 = Fp2[t]/(t² − ξ), t = w³, the
    /// square is (3g0² − 2ḡ0) + (3t·g2² + 2ḡ1)·w + (3g1² − 2ḡ2)·w², ḡ the Fp4 conjugate. Six Fp2 squarings and three
    /// multiplications instead of twelve multiplications.
    /// </summary>
    public static Fp12 CyclotomicSquare(in Fp12 x)
    {
        // Coefficients of w^k: a0, a2, a4 in C0 and a1, a3, a5 in C1; g0 = a0 + a3·t, g1 = a1 + a4·t, g2 = a2 + a5·t.
        (Fp2 s0, Fp2 s3) = Fp4Square(x.C0.C0, x.C1.C1);
        (Fp2 s1, Fp2 s4) = Fp4Square(x.C1.C0, x.C0.C2);
        (Fp2 s2, Fp2 s5) = Fp4Square(x.C0.C1, x.C1.C2);

        // h0 = 3·g0² − 2·ḡ0.
        Fp2 b0 = Triple(s0) - Fp2.Double(x.C0.C0);
        Fp2 b3 = Triple(s3) + Fp2.Double(x.C1.C1);

        // h1 = 3·t·g2² + 2·ḡ1, where t·(c + d·t) = ξ·d + c·t.
        Fp2 b1 = Triple(Fp2.MulByXi(s5)) + Fp2.Double(x.C1.C0);
        Fp2 b4 = Triple(s2) - Fp2.Double(x.C0.C2);

        // h2 = 3·g1² − 2·ḡ2.
        Fp2 b2 = Triple(s1) - Fp2.Double(x.C0.C1);
        Fp2 b5 = Triple(s4) + Fp2.Double(x.C1.C2);

        return new Fp12(new Fp6(b0, b2, b4), new Fp6(b1, b3, b5));
    }

    /// <summary>x^e for x in the cyclotomic subgroup and a 64-bit exponent, squaring by <see cref="CyclotomicSquare"/>.</summary>
    public static Fp12 CyclotomicPow(in Fp12 x, ulong e)
    {
        Fp12 r = x;
        for (int bit = 62 - BitOperations.LeadingZeroCount(e); bit >= 0; bit--)
        {
            r = CyclotomicSquare(r);
            if (((e >> bit) & 1) != 0)
            {
                r = Mul(r, x);
            }
        }

        return r;
    }

    /// <summary>
    /// x·(a + b·w + c·w³), the shape of a Miller-loop line evaluated at a G1 point: 13 Fp2 multiplications
    /// instead of 18 for a full product.
    /// </summary>
    public static Fp12 MulByLine(in Fp12 x, in Fp2 a, in Fp2 b, in Fp2 c)
    {
        Fp6 t0 = Fp6.MulByFp2(x.C0, a);
        Fp6 t1 = Fp6.MulBy01(x.C1, b, c);
        Fp6 sum = Fp6.MulBy01(x.C0 + x.C1, a + b, c);
        return new Fp12(t0 + Fp6.MulByV(t1), sum - t0 - t1);
    }

    /// <summary>c0 − c1·w, which is x^(p⁶); for elements of the cyclotomic subgroup it is also the inverse.</summary>
    public static Fp12 Conjugate(in Fp12 x) => new(x.C0, -x.C1);

    /// <summary>x⁻¹ = (c0 − c1·w) / (c0² − v·c1²).</summary>
    public static Fp12 Inverse(in Fp12 x)
    {
        Fp6 t = Fp6.Inverse(Fp6.Square(x.C0) - Fp6.MulByV(Fp6.Square(x.C1)));
        return new Fp12(x.C0 * t, -(x.C1 * t));
    }

    /// <summary>x^p: each Fp2 coefficient of w^k is conjugated and scaled by γ_k = ξ^(k(p−1)/6).</summary>
    public static Fp12 Frobenius(in Fp12 x)
    {
        Fp2[] g = Bn254Constants.FrobeniusGamma;
        Fp6 c0 = Fp6.Frobenius(x.C0);
        Fp6 c1 = new(Fp2.Conjugate(x.C1.C0) * g[1], Fp2.Conjugate(x.C1.C1) * g[3], Fp2.Conjugate(x.C1.C2) * g[5]);
        return new Fp12(c0, c1);
    }

    /// <summary>x^e for a little-endian limb exponent (public exponents only: not constant time).</summary>
    public static Fp12 Pow(in Fp12 x, ReadOnlySpan<ulong> exponent)
    {
        Fp12 r = One;
        bool started = false;
        for (int i = exponent.Length - 1; i >= 0; i--)
        {
            for (int bit = 63; bit >= 0; bit--)
            {
                if (started)
                {
                    r = Square(r);
                }

                if (((exponent[i] >> bit) & 1) != 0)
                {
                    r = started ? Mul(r, x) : x;
                    started = true;
                }
            }
        }

        return r;
    }

    /// <summary>(a + b·t)² = (a² + ξb²) + 2ab·t in Fp4 = Fp2[t]/(t² − ξ), the 2ab from (a + b)² − a² − b².</summary>
    private static (Fp2 C, Fp2 D) Fp4Square(in Fp2 a, in Fp2 b)
    {
        Fp2 aa = Fp2.Square(a);
        Fp2 bb = Fp2.Square(b);
        return (aa + Fp2.MulByXi(bb), Fp2.Square(a + b) - aa - bb);
    }

    private static Fp2 Triple(in Fp2 v) => Fp2.Double(v) + v;

    /// <summary>Field multiplication.</summary>
    public static Fp12 operator *(in Fp12 x, in Fp12 y) => Mul(x, y);

    /// <summary>Equality.</summary>
    public static bool operator ==(in Fp12 x, in Fp12 y) => x.Equals(y);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Fp12 x, in Fp12 y) => !x.Equals(y);

    /// <inheritdoc/>
    public bool Equals(Fp12 other) => C0.Equals(other.C0) && C1.Equals(other.C1);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp12 o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1);
}
