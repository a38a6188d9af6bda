namespace Cere.Vm.Precompiles;

/// <summary>An affine point of the alt_bn128 twist y² = x³ + 3/ξ over Fp2 (G2 of EIP-197); (0, 0) is infinity.</summary>
internal readonly struct G2Affine
{
    /// <summary>The x coordinate.</summary>
    public readonly Fp2 X;

    /// <summary>The y coordinate.</summary>
    public readonly Fp2 Y;

    /// <summary>Builds a point from coordinates the caller knows to be on the twist.</summary>
    public G2Affine(in Fp2 x, in Fp2 y)
    {
        X = x;
        Y = y;
    }

    /// <summary>True for the point at infinity.</summary>
    public bool IsInfinity => X.IsZero && Y.IsZero;

    /// <summary>
    /// Reads 128 bytes x_im ‖ x_re ‖ y_im ‖ y_re (EIP-197): false if a coordinate is not below p, the point is not
    /// on the twist, or it is not in the order-r subgroup.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out G2Affine point)
    {
        point = default;
        if (!Fp.TryRead(data[..32], out Fp xi) || !Fp.TryRead(data.Slice(32, 32), out Fp xr)
            || !Fp.TryRead(data.Slice(64, 32), out Fp yi) || !Fp.TryRead(data.Slice(96, 32), out Fp yr))
        {
            return false;
        }

        G2Affine p = new(new Fp2(xr, xi), new Fp2(yr, yi));
        if (p.IsInfinity)
        {
            return true;
        }

        if (!p.IsOnCurve() || !p.IsInSubgroup())
        {
            return false;
        }

        point = p;
        return true;
    }

    /// <summary>y² = x³ + b'.</summary>
    public bool IsOnCurve() => Fp2.Square(Y) == (Fp2.Square(X) * X) + Bn254Constants.TwistB;

    /// <summary>
    /// Q is in the order-r subgroup: [u+1]Q + ψ([u]Q) + ψ²([u]Q) = ψ³([2u]Q), a test valid for BN curves whose seed
    /// has u ≢ 4 (mod 13) and u ≢ 92 (mod 97), which alt_bn128's does (Dai, Lin, Zhao, Zhou, ePrint 2022/348;
    /// applied to BN254 by Sanso and Liang, ethresear.ch 13974). One 63-bit multiplication instead of one by r.
    /// The twist has a large cofactor, so a point on it need not be in G2; EIP-197 requires the check.
    /// </summary>
    public bool IsInSubgroup()
    {
        G2Jacobian uq = G2Jacobian.Multiply(this, [Bn254Constants.U]);
        G2Affine uqAffine = uq.ToAffine();
        G2Affine psiUq = uqAffine.Frobenius();
        G2Jacobian lhs = G2Jacobian.AddAffine(G2Jacobian.AddAffine(G2Jacobian.AddAffine(uq, this), psiUq), psiUq.Frobenius());
        G2Jacobian rhs = G2Jacobian.Double(uq).Frobenius().Frobenius().Frobenius();
        return G2Jacobian.Same(lhs, rhs);
    }

    /// <summary>r·Q = O, the definition; slow (a 254-bit multiplication), kept to check <see cref="IsInSubgroup"/>.</summary>
    public bool IsInSubgroupByOrder() => G2Jacobian.Multiply(this, Bn254Constants.RLimbs).IsInfinity;

    /// <summary>−Q.</summary>
    public G2Affine Negate() => new(X, -Y);

    /// <summary>
    /// The p-power Frobenius of the untwisted point, brought back to the twist:
    /// (x, y) ↦ (conj(x)·ξ^((p−1)/3), conj(y)·ξ^((p−1)/2)).
    /// </summary>
    public G2Affine Frobenius() => new(
        Fp2.Conjugate(X) * Bn254Constants.FrobeniusGamma[2],
        Fp2.Conjugate(Y) * Bn254Constants.FrobeniusGamma[3]);
}

/// <summary>A point of the alt_bn128 twist in Jacobian coordinates over Fp2; Z = 0 is infinity.</summary>
internal readonly struct G2Jacobian
{
    /// <summary>Jacobian X.</summary>
    public readonly Fp2 X;

    /// <summary>Jacobian Y.</summary>
    public readonly Fp2 Y;

    /// <summary>Jacobian Z.</summary>
    public readonly Fp2 Z;

    /// <summary>Builds a point from Jacobian coordinates.</summary>
    public G2Jacobian(in Fp2 x, in Fp2 y, in Fp2 z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>The point at infinity.</summary>
    public static G2Jacobian Infinity => new(Fp2.One, Fp2.One, Fp2.Zero);

    /// <summary>True for the point at infinity.</summary>
    public bool IsInfinity => Z.IsZero;

    /// <summary>The Jacobian form of an affine point.</summary>
    public static G2Jacobian FromAffine(in G2Affine p) => p.IsInfinity ? Infinity : new G2Jacobian(p.X, p.Y, Fp2.One);

    /// <summary>The affine form (one inversion).</summary>
    public G2Affine ToAffine()
    {
        if (IsInfinity)
        {
            return default;
        }

        Fp2 zi = Fp2.Inverse(Z);
        Fp2 zi2 = Fp2.Square(zi);
        return new G2Affine(X * zi2, Y * zi2 * zi);
    }

    /// <summary>2p (dbl-2009-l, a = 0).</summary>
    public static G2Jacobian Double(in G2Jacobian p)
    {
        Fp2 a = Fp2.Square(p.X);
        Fp2 b = Fp2.Square(p.Y);
        Fp2 c = Fp2.Square(b);
        Fp2 d = Fp2.Double(Fp2.Square(p.X + b) - a - c);
        Fp2 e = Fp2.Double(a) + a;
        Fp2 f = Fp2.Square(e);
        Fp2 x3 = f - Fp2.Double(d);
        Fp2 c8 = Fp2.Double(Fp2.Double(Fp2.Double(c)));
        Fp2 y3 = (e * (d - x3)) - c8;
        Fp2 z3 = Fp2.Double(p.Y * p.Z);
        return new G2Jacobian(x3, y3, z3);
    }

    /// <summary>p + q for Jacobian p and affine q (madd-2007-bl), with the doubling and inverse cases handled.</summary>
    public static G2Jacobian AddAffine(in G2Jacobian p, in G2Affine q)
    {
        if (q.IsInfinity)
        {
            return p;
        }

        if (p.IsInfinity)
        {
            return FromAffine(q);
        }

        Fp2 z1z1 = Fp2.Square(p.Z);
        Fp2 u2 = q.X * z1z1;
        Fp2 s2 = q.Y * p.Z * z1z1;
        Fp2 h = u2 - p.X;
        Fp2 r = Fp2.Double(s2 - p.Y);
        if (h.IsZero)
        {
            return r.IsZero ? Double(p) : Infinity;
        }

        Fp2 hh = Fp2.Square(h);
        Fp2 i = Fp2.Double(Fp2.Double(hh));
        Fp2 j = h * i;
        Fp2 v = p.X * i;
        Fp2 x3 = Fp2.Square(r) - j - Fp2.Double(v);
        Fp2 y3 = (r * (v - x3)) - Fp2.Double(p.Y * j);
        Fp2 z3 = Fp2.Square(p.Z + h) - z1z1 - hh;
        return new G2Jacobian(x3, y3, z3);
    }

    /// <summary>ψ on Jacobian coordinates: conjugation is a field automorphism, so it commutes with X/Z², Y/Z³.</summary>
    public G2Jacobian Frobenius() => new(
        Fp2.Conjugate(X) * Bn254Constants.FrobeniusGamma[2],
        Fp2.Conjugate(Y) * Bn254Constants.FrobeniusGamma[3],
        Fp2.Conjugate(Z));

    /// <summary>True if a and b are the same point (compared as X₁Z₂² = X₂Z₁², Y₁Z₂³ = Y₂Z₁³, without inversion).</summary>
    public static bool Same(in G2Jacobian a, in G2Jacobian b)
    {
        if (a.IsInfinity || b.IsInfinity)
        {
            return a.IsInfinity && b.IsInfinity;
        }

        Fp2 za2 = Fp2.Square(a.Z);
        Fp2 zb2 = Fp2.Square(b.Z);
        return a.X * zb2 == b.X * za2 && a.Y * zb2 * b.Z == b.Y * za2 * a.Z;
    }

    /// <summary>k·q for a little-endian limb scalar.</summary>
    public static G2Jacobian Multiply(in G2Affine q, ReadOnlySpan<ulong> scalar)
    {
        G2Jacobian acc = Infinity;
        for (int i = scalar.Length - 1; i >= 0; i--)
        {
            for (int bit = 63; bit >= 0; bit--)
            {
                acc = Double(acc);
                if (((scalar[i] >> bit) & 1) != 0)
                {
                    acc = AddAffine(acc, q);
                }
            }
        }

        return acc;
    }
}
