namespace Cere.Vm.Precompiles;

/// <summary>An element c0 + c1·v + c2·v² of Fp6 = Fp2[v]/(v³ − ξ), ξ = 9 + u: the middle of the Fp12 tower.</summary>
internal readonly struct Fp6 : IEquatable<Fp6>
{
    /// <summary>The constant coefficient.</summary>
    public readonly Fp2 C0;

    /// <summary>The coefficient of v.</summary>
    public readonly Fp2 C1;

    /// <summary>The coefficient of v².</summary>
    public readonly Fp2 C2;

    /// <summary>Builds c0 + c1·v + c2·v².</summary>
    public Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    /// <summary>Zero.</summary>
    public static Fp6 Zero => default;

    /// <summary>One.</summary>
    public static Fp6 One => new(Fp2.One, Fp2.Zero, Fp2.Zero);

    /// <summary>True for zero.</summary>
    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    /// <summary>x + y.</summary>
    public static Fp6 Add(in Fp6 x, in Fp6 y) => new(x.C0 + y.C0, x.C1 + y.C1, x.C2 + y.C2);

    /// <summary>x − y.</summary>
    public static Fp6 Sub(in Fp6 x, in Fp6 y) => new(x.C0 - y.C0, x.C1 - y.C1, x.C2 - y.C2);

    /// <summary>−x.</summary>
    public static Fp6 Neg(in Fp6 x) => new(-x.C0, -x.C1, -x.C2);

    /// <summary>2x.</summary>
    public static Fp6 Double(in Fp6 x) => new(Fp2.Double(x.C0), Fp2.Double(x.C1), Fp2.Double(x.C2));

    /// <summary>x·y with six Fp2 multiplications (Karatsuba over the three coefficients).</summary>
    public static Fp6 Mul(in Fp6 x, in Fp6 y)
    {
        Fp2 t0 = x.C0 * y.C0;
        Fp2 t1 = x.C1 * y.C1;
        Fp2 t2 = x.C2 * y.C2;
        Fp2 c0 = t0 + Fp2.MulByXi(((x.C1 + x.C2) * (y.C1 + y.C2)) - t1 - t2);
        Fp2 c1 = ((x.C0 + x.C1) * (y.C0 + y.C1)) - t0 - t1 + Fp2.MulByXi(t2);
        Fp2 c2 = ((x.C0 + x.C2) * (y.C0 + y.C2)) - t0 - t2 + t1;
        return new Fp6(c0, c1, c2);
    }

    /// <summary>x² (Chung–Hasan SQR2: two multiplications and three squarings in Fp2).</summary>
    public static Fp6 Square(in Fp6 x)
    {
        Fp2 s0 = Fp2.Square(x.C0);
        Fp2 s1 = Fp2.Double(x.C0 * x.C1);
        Fp2 s2 = Fp2.Square(x.C0 - x.C1 + x.C2);
        Fp2 s3 = Fp2.Double(x.C1 * x.C2);
        Fp2 s4 = Fp2.Square(x.C2);
        return new Fp6(s0 + Fp2.MulByXi(s3), s1 + Fp2.MulByXi(s4), s1 + s2 + s3 - s0 - s4);
    }

    /// <summary>x·(b0 + b1·v), the shape line functions take (five Fp2 multiplications).</summary>
    public static Fp6 MulBy01(in Fp6 x, in Fp2 b0, in Fp2 b1)
    {
        Fp2 t0 = x.C0 * b0;
        Fp2 t1 = x.C1 * b1;
        Fp2 c0 = t0 + Fp2.MulByXi(x.C2 * b1);
        Fp2 c1 = ((x.C0 + x.C1) * (b0 + b1)) - t0 - t1;
        Fp2 c2 = (x.C2 * b0) + t1;
        return new Fp6(c0, c1, c2);
    }

    /// <summary>x·k for k in Fp2.</summary>
    public static Fp6 MulByFp2(in Fp6 x, in Fp2 k) => new(x.C0 * k, x.C1 * k, x.C2 * k);

    /// <summary>x·v = ξ·c2 + c0·v + c1·v².</summary>
    public static Fp6 MulByV(in Fp6 x) => new(Fp2.MulByXi(x.C2), x.C0, x.C1);

    /// <summary>x⁻¹ (zero maps to zero).</summary>
    public static Fp6 Inverse(in Fp6 x)
    {
        Fp2 a = Fp2.Square(x.C0) - Fp2.MulByXi(x.C1 * x.C2);
        Fp2 b = Fp2.MulByXi(Fp2.Square(x.C2)) - (x.C0 * x.C1);
        Fp2 c = Fp2.Square(x.C1) - (x.C0 * x.C2);
        Fp2 norm = (x.C0 * a) + Fp2.MulByXi((x.C2 * b) + (x.C1 * c));
        Fp2 inv = Fp2.Inverse(norm);
        return new Fp6(a * inv, b * inv, c * inv);
    }

    /// <summary>x^p: conjugate each coefficient and scale v^j = w^(2j) by γ_(2j).</summary>
    public static Fp6 Frobenius(in Fp6 x)
    {
        Fp2[] g = Bn254Constants.FrobeniusGamma;
        return new Fp6(Fp2.Conjugate(x.C0), Fp2.Conjugate(x.C1) * g[2], Fp2.Conjugate(x.C2) * g[4]);
    }

    /// <summary>Field addition.</summary>
    public static Fp6 operator +(in Fp6 x, in Fp6 y) => Add(x, y);

    /// <summary>Field subtraction.</summary>
    public static Fp6 operator -(in Fp6 x, in Fp6 y) => Sub(x, y);

    /// <summary>Field negation.</summary>
    public static Fp6 operator -(in Fp6 x) => Neg(x);

    /// <summary>Field multiplication.</summary>
    public static Fp6 operator *(in Fp6 x, in Fp6 y) => Mul(x, y);

    /// <summary>Equality.</summary>
    public static bool operator ==(in Fp6 x, in Fp6 y) => x.Equals(y);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Fp6 x, in Fp6 y) => !x.Equals(y);

    /// <inheritdoc/>
    public bool Equals(Fp6 other) => C0.Equals(other.C0) && C1.Equals(other.C1) && C2.Equals(other.C2);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp6 o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
}
