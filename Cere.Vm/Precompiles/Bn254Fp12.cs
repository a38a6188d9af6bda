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
