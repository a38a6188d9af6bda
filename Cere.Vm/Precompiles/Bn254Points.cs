using System.Numerics;

namespace Cere.Vm.Precompiles;

/// <summary>An affine point of alt_bn128 G1 (y² = x³ + 3 over Fp); (0, 0) encodes the point at infinity.</summary>
internal readonly record struct Bn254G1(BigInteger X, BigInteger Y, bool IsInfinity)
{
    public static readonly Bn254G1 Infinity = new(0, 0, true);

    /// <summary>Reads 64 bytes x ‖ y; false if a coordinate is not below p or the point is not on the curve.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out Bn254G1 point)
    {
        BigInteger x = new(data[..32], isUnsigned: true, isBigEndian: true);
        BigInteger y = new(data.Slice(32, 32), isUnsigned: true, isBigEndian: true);
        point = Infinity;
        if (x >= Bn254Field.P || y >= Bn254Field.P)
        {
            return false;
        }

        if (x.IsZero && y.IsZero)
        {
            return true;
        }

        if (Bn254Field.Mod((y * y) - (x * x * x) - 3) != 0)
        {
            return false;
        }

        point = new Bn254G1(x, y, false);
        return true;
    }

    public Bn254G1 Add(Bn254G1 o)
    {
        if (IsInfinity)
        {
            return o;
        }

        if (o.IsInfinity)
        {
            return this;
        }

        BigInteger m;
        if (X == o.X)
        {
            if (Bn254Field.Mod(Y + o.Y).IsZero)
            {
                return Infinity;
            }

            m = Bn254Field.Mod(3 * X * X * Bn254Field.Inverse(2 * Y));
        }
        else
        {
            m = Bn254Field.Mod((o.Y - Y) * Bn254Field.Inverse(o.X - X));
        }

        BigInteger x3 = Bn254Field.Mod((m * m) - X - o.X);
        BigInteger y3 = Bn254Field.Mod((m * (X - x3)) - Y);
        return new Bn254G1(x3, y3, false);
    }

    public Bn254G1 Multiply(BigInteger k)
    {
        Bn254G1 result = Infinity, b = this;
        while (!k.IsZero)
        {
            if (!k.IsEven)
            {
                result = result.Add(b);
            }

            b = b.Add(b);
            k >>= 1;
        }

        return result;
    }

    public byte[] ToBytes()
    {
        byte[] output = new byte[64];
        if (!IsInfinity)
        {
            X.TryWriteBytes(output.AsSpan(32 - X.GetByteCount(true), X.GetByteCount(true)), out _, isUnsigned: true, isBigEndian: true);
            Y.TryWriteBytes(output.AsSpan(64 - Y.GetByteCount(true), Y.GetByteCount(true)), out _, isUnsigned: true, isBigEndian: true);
        }

        return output;
    }
}

/// <summary>An affine point of the alt_bn128 G2 twist (y² = x³ + 3/(9 + i) over LegacyFp2).</summary>
internal readonly record struct Bn254G2(LegacyFp2 X, LegacyFp2 Y, bool IsInfinity)
{
    public static readonly Bn254G2 Infinity = new(LegacyFp2.Zero, LegacyFp2.Zero, true);

    public static readonly LegacyFp2 B2 = new LegacyFp2(3, 0) * new LegacyFp2(9, 1).Inverse();

    /// <summary>Reads 128 bytes x_im ‖ x_re ‖ y_im ‖ y_re (EIP-197); false if off the curve or outside the order-r subgroup.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out Bn254G2 point)
    {
        BigInteger xi = Read(data, 0), xr = Read(data, 32), yi = Read(data, 64), yr = Read(data, 96);
        point = Infinity;
        if (xi >= Bn254Field.P || xr >= Bn254Field.P || yi >= Bn254Field.P || yr >= Bn254Field.P)
        {
            return false;
        }

        if (xi.IsZero && xr.IsZero && yi.IsZero && yr.IsZero)
        {
            return true;
        }

        LegacyFp2 x = new(xr, xi), y = new(yr, yi);
        if (!((y * y) - (x * x * x) - B2).IsZero)
        {
            return false;
        }

        Bn254G2 p = new(x, y, false);
        if (!p.Multiply(Bn254Field.R).IsInfinity)
        {
            return false;
        }

        point = p;
        return true;
    }

    public Bn254G2 Add(Bn254G2 o)
    {
        if (IsInfinity)
        {
            return o;
        }

        if (o.IsInfinity)
        {
            return this;
        }

        LegacyFp2 m;
        if (X == o.X)
        {
            if ((Y + o.Y).IsZero)
            {
                return Infinity;
            }

            m = X * X * 3 * (Y * 2).Inverse();
        }
        else
        {
            m = (o.Y - Y) * (o.X - X).Inverse();
        }

        LegacyFp2 x3 = (m * m) - X - o.X;
        LegacyFp2 y3 = (m * (X - x3)) - Y;
        return new Bn254G2(x3, y3, false);
    }

    public Bn254G2 Multiply(BigInteger k)
    {
        Bn254G2 result = Infinity, b = this;
        while (!k.IsZero)
        {
            if (!k.IsEven)
            {
                result = result.Add(b);
            }

            b = b.Add(b);
            k >>= 1;
        }

        return result;
    }

    private static BigInteger Read(ReadOnlySpan<byte> data, int offset) => new(data.Slice(offset, 32), isUnsigned: true, isBigEndian: true);
}
