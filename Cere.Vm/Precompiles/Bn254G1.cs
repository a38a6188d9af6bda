namespace Cere.Vm.Precompiles;

/// <summary>An affine alt_bn128 G1 point (y² = x³ + 3 over Fp); EIP-196 encodes infinity as (0, 0).</summary>
internal readonly struct G1Affine
{
    /// <summary>The x coordinate (zero for infinity).</summary>
    public readonly Fp X;

    /// <summary>The y coordinate (zero for infinity).</summary>
    public readonly Fp Y;

    /// <summary>Builds a point from coordinates the caller knows to be on the curve.</summary>
    public G1Affine(in Fp x, in Fp y)
    {
        X = x;
        Y = y;
    }

    /// <summary>True for the point at infinity.</summary>
    public bool IsInfinity => X.IsZero && Y.IsZero;

    /// <summary>
    /// Reads 64 bytes x ‖ y (EIP-196): false if a coordinate is not below p or the point is not on the curve.
    /// G1 has prime order, so every curve point is in the group.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out G1Affine point)
    {
        point = default;
        if (!Fp.TryRead(data[..32], out Fp x) || !Fp.TryRead(data.Slice(32, 32), out Fp y))
        {
            return false;
        }

        if (x.IsZero && y.IsZero)
        {
            return true;
        }

        if (Fp.Square(y) != (Fp.Square(x) * x) + Fp.FromUInt64(3))
        {
            return false;
        }

        point = new G1Affine(x, y);
        return true;
    }

    /// <summary>
    /// a + b in affine coordinates: one inversion and three multiplications (the chord or tangent slope λ, then
    /// x3 = λ² − x1 − x2, y3 = λ(x1 − x3) − y1). ECADD's result must be affine anyway, so this beats going through
    /// Jacobian coordinates, which costs the same inversion plus eleven more multiplications.
    /// </summary>
    public static G1Affine Add(in G1Affine a, in G1Affine b)
    {
        if (a.IsInfinity)
        {
            return b;
        }

        if (b.IsInfinity)
        {
            return a;
        }

        Fp slope;
        if (a.X == b.X)
        {
            if (a.Y != b.Y || a.Y.IsZero)
            {
                return default; // b = −a (G1 has odd order, so no point has y = 0)
            }

            Fp xx = Fp.Square(a.X);
            slope = (Fp.Double(xx) + xx) * Fp.Inverse(Fp.Double(a.Y)); // tangent: 3x² / 2y
        }
        else
        {
            slope = (b.Y - a.Y) * Fp.Inverse(b.X - a.X); // chord
        }

        Fp x3 = Fp.Square(slope) - a.X - b.X;
        return new G1Affine(x3, (slope * (a.X - x3)) - a.Y);
    }

    /// <summary>Writes x ‖ y as 64 big-endian bytes (zeros for infinity).</summary>
    public void Write(Span<byte> output)
    {
        X.Write(output[..32]);
        Y.Write(output.Slice(32, 32));
    }
}

/// <summary>An alt_bn128 G1 point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is infinity.</summary>
internal readonly struct G1Jacobian
{
    /// <summary>Jacobian X.</summary>
    public readonly Fp X;

    /// <summary>Jacobian Y.</summary>
    public readonly Fp Y;

    /// <summary>Jacobian Z.</summary>
    public readonly Fp Z;

    private G1Jacobian(in Fp x, in Fp y, in Fp z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>The point at infinity.</summary>
    public static G1Jacobian Infinity => new(Fp.One, Fp.One, Fp.Zero);

    /// <summary>True for the point at infinity.</summary>
    public bool IsInfinity => Z.IsZero;

    /// <summary>The Jacobian form of an affine point.</summary>
    public static G1Jacobian FromAffine(in G1Affine p) => p.IsInfinity ? Infinity : new G1Jacobian(p.X, p.Y, Fp.One);

    /// <summary>The affine form (one inversion).</summary>
    public G1Affine ToAffine()
    {
        if (IsInfinity)
        {
            return default;
        }

        Fp zi = Fp.Inverse(Z);
        Fp zi2 = Fp.Square(zi);
        return new G1Affine(X * zi2, Y * zi2 * zi);
    }

    /// <summary>2p (the a = 0 doubling formulas, dbl-2009-l).</summary>
    public static G1Jacobian Double(in G1Jacobian p)
    {
        Fp a = Fp.Square(p.X);
        Fp b = Fp.Square(p.Y);
        Fp c = Fp.Square(b);
        Fp d = Fp.Double(Fp.Square(p.X + b) - a - c);
        Fp e = Fp.Double(a) + a;
        Fp f = Fp.Square(e);
        Fp x3 = f - Fp.Double(d);
        Fp c8 = Fp.Double(Fp.Double(Fp.Double(c)));
        Fp y3 = (e * (d - x3)) - c8;
        Fp z3 = Fp.Double(p.Y * p.Z);
        return new G1Jacobian(x3, y3, z3);
    }

    /// <summary>p + q for Jacobian p and affine q (madd-2007-bl), with the doubling and inverse cases handled.</summary>
    public static G1Jacobian AddAffine(in G1Jacobian p, in G1Affine q)
    {
        if (q.IsInfinity)
        {
            return p;
        }

        if (p.IsInfinity)
        {
            return FromAffine(q);
        }

        Fp z1z1 = Fp.Square(p.Z);
        Fp u2 = q.X * z1z1;
        Fp s2 = q.Y * p.Z * z1z1;
        Fp h = u2 - p.X;
        Fp r = Fp.Double(s2 - p.Y);
        if (h.IsZero)
        {
            return r.IsZero ? Double(p) : Infinity;
        }

        Fp hh = Fp.Square(h);
        Fp i = Fp.Double(Fp.Double(hh));
        Fp j = h * i;
        Fp v = p.X * i;
        Fp x3 = Fp.Square(r) - j - Fp.Double(v);
        Fp y3 = (r * (v - x3)) - Fp.Double(p.Y * j);
        Fp z3 = Fp.Square(p.Z + h) - z1z1 - hh;
        return new G1Jacobian(x3, y3, z3);
    }

    /// <summary>p + q for Jacobian p and q (add-2007-bl), with the doubling and inverse cases handled.</summary>
    public static G1Jacobian Add(in G1Jacobian p, in G1Jacobian q)
    {
        if (q.IsInfinity)
        {
            return p;
        }

        if (p.IsInfinity)
        {
            return q;
        }

        Fp z1z1 = Fp.Square(p.Z);
        Fp z2z2 = Fp.Square(q.Z);
        Fp u1 = p.X * z2z2;
        Fp u2 = q.X * z1z1;
        Fp s1 = p.Y * q.Z * z2z2;
        Fp s2 = q.Y * p.Z * z1z1;
        Fp h = u2 - u1;
        Fp r = Fp.Double(s2 - s1);
        if (h.IsZero)
        {
            return r.IsZero ? Double(p) : Infinity;
        }

        Fp i = Fp.Square(Fp.Double(h));
        Fp j = h * i;
        Fp v = u1 * i;
        Fp x3 = Fp.Square(r) - j - Fp.Double(v);
        Fp y3 = (r * (v - x3)) - Fp.Double(s1 * j);
        Fp z3 = (Fp.Square(p.Z + q.Z) - z1z1 - z2z2) * h;
        return new G1Jacobian(x3, y3, z3);
    }

    /// <summary>−p.</summary>
    public G1Jacobian Negate() => new(X, -Y, Z);

    /// <summary>
    /// φ(p) = (β·x, y), the curve's endomorphism of order 3, which acts on G1 as multiplication by λ (see
    /// <see cref="G1Glv"/>); in Jacobian form only X changes, since x = X/Z².
    /// </summary>
    public G1Jacobian Endomorphism() => new(X * G1Glv.Beta, Y, Z);

    /// <summary>
    /// k·q for a 256-bit big-endian scalar (EIP-196 does not reduce it mod the group order; G1 has prime order r, so
    /// k·q = (k mod r)·q). Uses the GLV split into two 128-bit halves (<see cref="G1Glv"/>).
    /// </summary>
    public static G1Jacobian Multiply(in G1Affine q, ReadOnlySpan<byte> scalarBe32) =>
        q.IsInfinity ? Infinity : G1Glv.Multiply(q, scalarBe32);

    /// <summary>k·q by plain double-and-add over all 256 bits: the GLV path's fallback and its reference in tests.</summary>
    public static G1Jacobian MultiplyBinary(in G1Affine q, ReadOnlySpan<byte> scalarBe32)
    {
        G1Jacobian acc = Infinity;
        for (int i = 0; i < 32; i++)
        {
            int b = scalarBe32[i];
            for (int bit = 7; bit >= 0; bit--)
            {
                acc = Double(acc);
                if (((b >> bit) & 1) != 0)
                {
                    acc = AddAffine(acc, q);
                }
            }
        }

        return acc;
    }
}
