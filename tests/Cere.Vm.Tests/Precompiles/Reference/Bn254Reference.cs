using System.Numerics;

namespace Cere.Vm.Tests.Precompiles.Reference;

// The BigInteger alt_bn128 implementation that the precompiles used before the Montgomery rewrite, kept unchanged
// (types renamed) as an independent, slow reference for differential tests and the benchmark baseline.

/// <summary>
/// The former 0x06–0x08 alt_bn128 precompiles (EIP-196/197), test-only reference.
/// A straightforward BigInteger implementation (affine G1, twist points in RefFp2, RefFp12 as polynomials mod
/// w^12 − 18w^6 + 82): correct first; the precompile is priced at 45,000 + 34,000·k gas.
/// </summary>
internal static class Bn254Reference
{
    public static byte[]? Add(byte[] input)
    {
        Span<byte> data = stackalloc byte[128];
        Pad(input, data);
        if (!RefG1.TryRead(data[..64], out RefG1 a) || !RefG1.TryRead(data[64..], out RefG1 b))
        {
            return null;
        }

        return a.Add(b).ToBytes();
    }

    public static byte[]? Mul(byte[] input)
    {
        Span<byte> data = stackalloc byte[96];
        Pad(input, data);
        if (!RefG1.TryRead(data[..64], out RefG1 a))
        {
            return null;
        }

        BigInteger k = new(data[64..], isUnsigned: true, isBigEndian: true);
        return a.Multiply(k).ToBytes();
    }

    public static byte[]? Pairing(byte[] input)
    {
        if (input.Length % 192 != 0)
        {
            return null;
        }

        RefFp12 product = RefFp12.One;
        for (int i = 0; i < input.Length; i += 192)
        {
            ReadOnlySpan<byte> pair = input.AsSpan(i, 192);
            if (!RefG1.TryRead(pair[..64], out RefG1 p) || !RefG2.TryRead(pair[64..], out RefG2 q))
            {
                return null;
            }

            if (p.IsInfinity || q.IsInfinity)
            {
                continue;
            }

            product *= RefPairing.MillerLoop(q, p);
        }

        byte[] output = new byte[32];
        if (RefPairing.FinalExponentiation(product).IsOne)
        {
            output[31] = 1;
        }

        return output;
    }

    private static void Pad(byte[] input, Span<byte> data)
    {
        data.Clear();
        input.AsSpan(0, Math.Min(input.Length, data.Length)).CopyTo(data);
    }
}

/// <summary>The alt_bn128 base field modulus and Fp helpers.</summary>
internal static class RefField
{
    public static readonly BigInteger P = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");

    public static readonly BigInteger R = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");

    public static BigInteger Mod(BigInteger a)
    {
        BigInteger r = a % P;
        return r.Sign < 0 ? r + P : r;
    }

    public static BigInteger Inverse(BigInteger a) => BigInteger.ModPow(Mod(a), P - 2, P);
}

/// <summary>An element a + b·i of RefFp2 = Fp[i]/(i² + 1).</summary>
internal readonly record struct RefFp2(BigInteger A, BigInteger B)
{
    public static readonly RefFp2 Zero = new(0, 0);
    public static readonly RefFp2 One = new(1, 0);

    public bool IsZero => A.IsZero && B.IsZero;

    public static RefFp2 operator +(RefFp2 x, RefFp2 y) => new(RefField.Mod(x.A + y.A), RefField.Mod(x.B + y.B));

    public static RefFp2 operator -(RefFp2 x, RefFp2 y) => new(RefField.Mod(x.A - y.A), RefField.Mod(x.B - y.B));

    public static RefFp2 operator -(RefFp2 x) => new(RefField.Mod(-x.A), RefField.Mod(-x.B));

    public static RefFp2 operator *(RefFp2 x, RefFp2 y) => new(RefField.Mod((x.A * y.A) - (x.B * y.B)), RefField.Mod((x.A * y.B) + (x.B * y.A)));

    public static RefFp2 operator *(RefFp2 x, BigInteger k) => new(RefField.Mod(x.A * k), RefField.Mod(x.B * k));

    public RefFp2 Inverse()
    {
        BigInteger inv = RefField.Inverse((A * A) + (B * B));
        return new RefFp2(RefField.Mod(A * inv), RefField.Mod(-B * inv));
    }

    public RefFp2 Conjugate() => new(A, RefField.Mod(-B));

    public RefFp2 Pow(BigInteger e)
    {
        RefFp2 result = One, b = this;
        while (!e.IsZero)
        {
            if (!e.IsEven)
            {
                result *= b;
            }

            b *= b;
            e >>= 1;
        }

        return result;
    }
}

/// <summary>An element of RefFp12 = Fp[w]/(w^12 − 18w^6 + 82), as 12 coefficients (the py_ecc representation).</summary>
internal sealed class RefFp12
{
    public static readonly RefFp12 One = FromCoefficients(1);

    private readonly BigInteger[] _c;

    private RefFp12(BigInteger[] c) => _c = c;

    /// <summary>The coefficient of w^i (0 ≤ i &lt; 12).</summary>
    public BigInteger Coefficient(int i) => _c[i];

    public bool IsOne
    {
        get
        {
            if (!_c[0].IsOne)
            {
                return false;
            }

            for (int i = 1; i < 12; i++)
            {
                if (!_c[i].IsZero)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public static RefFp12 FromCoefficients(params BigInteger[] c)
    {
        BigInteger[] all = new BigInteger[12];
        for (int i = 0; i < c.Length; i++)
        {
            all[i] = RefField.Mod(c[i]);
        }

        return new RefFp12(all);
    }

    /// <summary>The sparse element Σ e(v_k)·w^k for RefFp2 values v_k at powers k (e embeds i as w^6 − 9).</summary>
    public static RefFp12 FromFp2Terms(ReadOnlySpan<(int Power, RefFp2 Value)> terms)
    {
        BigInteger[] c = new BigInteger[12];
        foreach ((int k, RefFp2 v) in terms)
        {
            // e(a + b·i) = (a − 9b) + b·w^6.
            c[k] = RefField.Mod(c[k] + v.A - (9 * v.B));
            c[k + 6] = RefField.Mod(c[k + 6] + v.B);
        }

        return new RefFp12(c);
    }

    public static RefFp12 operator *(RefFp12 x, RefFp12 y)
    {
        BigInteger[] t = new BigInteger[23];
        for (int i = 0; i < 12; i++)
        {
            if (x._c[i].IsZero)
            {
                continue;
            }

            for (int j = 0; j < 12; j++)
            {
                t[i + j] += x._c[i] * y._c[j];
            }
        }

        // w^12 = 18·w^6 − 82.
        for (int k = 22; k >= 12; k--)
        {
            BigInteger top = t[k] % RefField.P;
            t[k - 6] += 18 * top;
            t[k - 12] -= 82 * top;
        }

        BigInteger[] r = new BigInteger[12];
        for (int i = 0; i < 12; i++)
        {
            r[i] = RefField.Mod(t[i]);
        }

        return new RefFp12(r);
    }

    public RefFp12 Pow(BigInteger e)
    {
        RefFp12 result = One, b = this;
        while (!e.IsZero)
        {
            if (!e.IsEven)
            {
                result *= b;
            }

            e >>= 1;
            if (!e.IsZero)
            {
                b *= b;
            }
        }

        return result;
    }
}

/// <summary>An affine point of alt_bn128 G1 (y² = x³ + 3 over Fp); (0, 0) encodes the point at infinity.</summary>
internal readonly record struct RefG1(BigInteger X, BigInteger Y, bool IsInfinity)
{
    public static readonly RefG1 Infinity = new(0, 0, true);

    /// <summary>Reads 64 bytes x ‖ y; false if a coordinate is not below p or the point is not on the curve.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RefG1 point)
    {
        BigInteger x = new(data[..32], isUnsigned: true, isBigEndian: true);
        BigInteger y = new(data.Slice(32, 32), isUnsigned: true, isBigEndian: true);
        point = Infinity;
        if (x >= RefField.P || y >= RefField.P)
        {
            return false;
        }

        if (x.IsZero && y.IsZero)
        {
            return true;
        }

        if (RefField.Mod((y * y) - (x * x * x) - 3) != 0)
        {
            return false;
        }

        point = new RefG1(x, y, false);
        return true;
    }

    public RefG1 Add(RefG1 o)
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
            if (RefField.Mod(Y + o.Y).IsZero)
            {
                return Infinity;
            }

            m = RefField.Mod(3 * X * X * RefField.Inverse(2 * Y));
        }
        else
        {
            m = RefField.Mod((o.Y - Y) * RefField.Inverse(o.X - X));
        }

        BigInteger x3 = RefField.Mod((m * m) - X - o.X);
        BigInteger y3 = RefField.Mod((m * (X - x3)) - Y);
        return new RefG1(x3, y3, false);
    }

    public RefG1 Multiply(BigInteger k)
    {
        RefG1 result = Infinity, b = this;
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

/// <summary>An affine point of the alt_bn128 G2 twist (y² = x³ + 3/(9 + i) over RefFp2).</summary>
internal readonly record struct RefG2(RefFp2 X, RefFp2 Y, bool IsInfinity)
{
    public static readonly RefG2 Infinity = new(RefFp2.Zero, RefFp2.Zero, true);

    public static readonly RefFp2 B2 = new RefFp2(3, 0) * new RefFp2(9, 1).Inverse();

    /// <summary>Reads 128 bytes x_im ‖ x_re ‖ y_im ‖ y_re (EIP-197); false if off the curve or outside the order-r subgroup.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RefG2 point)
    {
        BigInteger xi = Read(data, 0), xr = Read(data, 32), yi = Read(data, 64), yr = Read(data, 96);
        point = Infinity;
        if (xi >= RefField.P || xr >= RefField.P || yi >= RefField.P || yr >= RefField.P)
        {
            return false;
        }

        if (xi.IsZero && xr.IsZero && yi.IsZero && yr.IsZero)
        {
            return true;
        }

        RefFp2 x = new(xr, xi), y = new(yr, yi);
        if (!((y * y) - (x * x * x) - B2).IsZero)
        {
            return false;
        }

        RefG2 p = new(x, y, false);
        if (!p.Multiply(RefField.R).IsInfinity)
        {
            return false;
        }

        point = p;
        return true;
    }

    public RefG2 Add(RefG2 o)
    {
        if (IsInfinity)
        {
            return o;
        }

        if (o.IsInfinity)
        {
            return this;
        }

        RefFp2 m;
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

        RefFp2 x3 = (m * m) - X - o.X;
        RefFp2 y3 = (m * (X - x3)) - Y;
        return new RefG2(x3, y3, false);
    }

    public RefG2 Multiply(BigInteger k)
    {
        RefG2 result = Infinity, b = this;
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

/// <summary>The optimal-ate pairing on alt_bn128: Miller loop over twist points in RefFp2, lines evaluated into RefFp12.</summary>
internal static class RefPairing
{
    private static readonly BigInteger AteLoopCount = BigInteger.Parse("29793968203157093288");
    private const int LogAteLoopCount = 63;

    private static readonly RefFp2 Xi = new(9, 1);

    // Frobenius on the twist: (x, y) ↦ (conj(x)·ξ^((p−1)/3), conj(y)·ξ^((p−1)/2)).
    private static readonly RefFp2 FrobX = Xi.Pow((RefField.P - 1) / 3);
    private static readonly RefFp2 FrobY = Xi.Pow((RefField.P - 1) / 2);

    private static readonly BigInteger FinalExponent = (BigInteger.Pow(RefField.P, 12) - 1) / RefField.R;

    /// <summary>f_{Q,P} before the final exponentiation (Q on the twist, P in G1, neither at infinity).</summary>
    public static RefFp12 MillerLoop(RefG2 q, RefG1 p)
    {
        RefG2 r = q;
        RefFp12 f = RefFp12.One;
        for (int i = LogAteLoopCount; i >= 0; i--)
        {
            f = f * f * Line(r, r, p);
            r = r.Add(r);
            if (!(AteLoopCount >> i).IsEven)
            {
                f *= Line(r, q, p);
                r = r.Add(q);
            }
        }

        RefG2 q1 = new(q.X.Conjugate() * FrobX, q.Y.Conjugate() * FrobY, false);
        RefG2 nq2 = new(q1.X.Conjugate() * FrobX, -(q1.Y.Conjugate() * FrobY), false);
        f *= Line(r, q1, p);
        r = r.Add(q1);
        f *= Line(r, nq2, p);
        return f;
    }

    public static RefFp12 FinalExponentiation(RefFp12 f) => f.Pow(FinalExponent);

    /// <summary>
    /// The line through twist points a and b evaluated at P, in RefFp12. With the twist (x, y) ↦ (x·w², y·w³) the
    /// slope is m·w for the RefFp2 slope m, so the line is −y_P + (m·x_P)·w + (y_a − m·x_a)·w³; the vertical line is x_P − x_a·w².
    /// </summary>
    private static RefFp12 Line(RefG2 a, RefG2 b, RefG1 p)
    {
        RefFp2 m;
        if (a.X != b.X)
        {
            m = (b.Y - a.Y) * (b.X - a.X).Inverse();
        }
        else if (a.Y == b.Y)
        {
            m = a.X * a.X * 3 * (a.Y * 2).Inverse();
        }
        else
        {
            return RefFp12.FromFp2Terms([(0, new RefFp2(p.X, 0)), (2, -a.X)]);
        }

        return RefFp12.FromFp2Terms([(0, new RefFp2(RefField.Mod(-p.Y), 0)), (1, m * p.X), (3, a.Y - (m * a.X))]);
    }
}
