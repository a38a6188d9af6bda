namespace Cere.Vm.Precompiles;

/// <summary>An element a + b·u of Fp2 = Fp[u]/(u² + 1), the field of the alt_bn128 twist (EIP-197).</summary>
internal readonly struct Fp2 : IEquatable<Fp2>
{
    /// <summary>The real part.</summary>
    public readonly Fp A;

    /// <summary>The coefficient of u.</summary>
    public readonly Fp B;

    /// <summary>Builds a + b·u.</summary>
    public Fp2(in Fp a, in Fp b)
    {
        A = a;
        B = b;
    }

    /// <summary>Zero.</summary>
    public static Fp2 Zero => default;

    /// <summary>One.</summary>
    public static Fp2 One => new(Fp.One, Fp.Zero);

    /// <summary>ξ = 9 + u, the non-residue that builds Fp6 (v³ = ξ) and the twist (b' = 3/ξ).</summary>
    public static Fp2 Xi => new(Fp.FromUInt64(9), Fp.One);

    /// <summary>True for zero.</summary>
    public bool IsZero => A.IsZero && B.IsZero;

    /// <summary>True for one.</summary>
    public bool IsOne => A.IsOne && B.IsZero;

    /// <summary>x + y.</summary>
    public static Fp2 Add(in Fp2 x, in Fp2 y) => new(x.A + y.A, x.B + y.B);

    /// <summary>x − y.</summary>
    public static Fp2 Sub(in Fp2 x, in Fp2 y) => new(x.A - y.A, x.B - y.B);

    /// <summary>−x.</summary>
    public static Fp2 Neg(in Fp2 x) => new(-x.A, -x.B);

    /// <summary>2x.</summary>
    public static Fp2 Double(in Fp2 x) => new(Fp.Double(x.A), Fp.Double(x.B));

    /// <summary>x·y with three base multiplications (Karatsuba).</summary>
    public static Fp2 Mul(in Fp2 x, in Fp2 y)
    {
        Fp aa = x.A * y.A;
        Fp bb = x.B * y.B;
        Fp cross = (x.A + x.B) * (y.A + y.B);
        return new Fp2(aa - bb, cross - aa - bb);
    }

    /// <summary>x² = (a + b)(a − b) + 2ab·u.</summary>
    public static Fp2 Square(in Fp2 x)
    {
        Fp ab = x.A * x.B;
        return new Fp2((x.A + x.B) * (x.A - x.B), Fp.Double(ab));
    }

    /// <summary>x·k for k in Fp.</summary>
    public static Fp2 MulByFp(in Fp2 x, in Fp k) => new(x.A * k, x.B * k);

    /// <summary>x·ξ = (9a − b) + (a + 9b)·u.</summary>
    public static Fp2 MulByXi(in Fp2 x)
    {
        Fp a8 = Fp.Double(Fp.Double(Fp.Double(x.A)));
        Fp b8 = Fp.Double(Fp.Double(Fp.Double(x.B)));
        return new Fp2(a8 + x.A - x.B, x.A + b8 + x.B);
    }

    /// <summary>x⁻¹ = conj(x) / (a² + b²); zero maps to zero.</summary>
    public static Fp2 Inverse(in Fp2 x)
    {
        Fp inv = Fp.Inverse(Fp.Square(x.A) + Fp.Square(x.B));
        return new Fp2(x.A * inv, -(x.B * inv));
    }

    /// <summary>The conjugate a − b·u, which is also the p-power Frobenius.</summary>
    public static Fp2 Conjugate(in Fp2 x) => new(x.A, -x.B);

    /// <summary>x^e for a little-endian exponent given as 64-bit limbs (not constant time: public data only).</summary>
    public static Fp2 Pow(in Fp2 x, ReadOnlySpan<ulong> exponent)
    {
        Fp2 r = One;
        for (int i = exponent.Length - 1; i >= 0; i--)
        {
            for (int bit = 63; bit >= 0; bit--)
            {
                r = Square(r);
                if (((exponent[i] >> bit) & 1) != 0)
                {
                    r = Mul(r, x);
                }
            }
        }

        return r;
    }

    /// <summary>Field addition.</summary>
    public static Fp2 operator +(in Fp2 x, in Fp2 y) => Add(x, y);

    /// <summary>Field subtraction.</summary>
    public static Fp2 operator -(in Fp2 x, in Fp2 y) => Sub(x, y);

    /// <summary>Field negation.</summary>
    public static Fp2 operator -(in Fp2 x) => Neg(x);

    /// <summary>Field multiplication.</summary>
    public static Fp2 operator *(in Fp2 x, in Fp2 y) => Mul(x, y);

    /// <summary>Equality.</summary>
    public static bool operator ==(in Fp2 x, in Fp2 y) => x.Equals(y);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Fp2 x, in Fp2 y) => !x.Equals(y);

    /// <inheritdoc/>
    public bool Equals(Fp2 other) => A.Equals(other.A) && B.Equals(other.B);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp2 o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(A, B);

    /// <inheritdoc/>
    public override string ToString() => $"({A}, {B})";
}
