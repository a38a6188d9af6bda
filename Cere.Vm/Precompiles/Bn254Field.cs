using System.Numerics;

namespace Cere.Vm.Precompiles;

/// <summary>The alt_bn128 base field modulus and Fp helpers.</summary>
internal static class Bn254Field
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

/// <summary>An element a + b·i of LegacyFp2 = Fp[i]/(i² + 1).</summary>
internal readonly record struct LegacyFp2(BigInteger A, BigInteger B)
{
    public static readonly LegacyFp2 Zero = new(0, 0);
    public static readonly LegacyFp2 One = new(1, 0);

    public bool IsZero => A.IsZero && B.IsZero;

    public static LegacyFp2 operator +(LegacyFp2 x, LegacyFp2 y) => new(Bn254Field.Mod(x.A + y.A), Bn254Field.Mod(x.B + y.B));

    public static LegacyFp2 operator -(LegacyFp2 x, LegacyFp2 y) => new(Bn254Field.Mod(x.A - y.A), Bn254Field.Mod(x.B - y.B));

    public static LegacyFp2 operator -(LegacyFp2 x) => new(Bn254Field.Mod(-x.A), Bn254Field.Mod(-x.B));

    public static LegacyFp2 operator *(LegacyFp2 x, LegacyFp2 y) => new(Bn254Field.Mod((x.A * y.A) - (x.B * y.B)), Bn254Field.Mod((x.A * y.B) + (x.B * y.A)));

    public static LegacyFp2 operator *(LegacyFp2 x, BigInteger k) => new(Bn254Field.Mod(x.A * k), Bn254Field.Mod(x.B * k));

    public LegacyFp2 Inverse()
    {
        BigInteger inv = Bn254Field.Inverse((A * A) + (B * B));
        return new LegacyFp2(Bn254Field.Mod(A * inv), Bn254Field.Mod(-B * inv));
    }

    public LegacyFp2 Conjugate() => new(A, Bn254Field.Mod(-B));

    public LegacyFp2 Pow(BigInteger e)
    {
        LegacyFp2 result = One, b = this;
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

/// <summary>An element of LegacyFp12 = Fp[w]/(w^12 − 18w^6 + 82), as 12 coefficients (the py_ecc representation).</summary>
internal sealed class LegacyFp12
{
    public static readonly LegacyFp12 One = FromCoefficients(1);

    private readonly BigInteger[] _c;

    private LegacyFp12(BigInteger[] c) => _c = c;

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

    public static LegacyFp12 FromCoefficients(params BigInteger[] c)
    {
        BigInteger[] all = new BigInteger[12];
        for (int i = 0; i < c.Length; i++)
        {
            all[i] = Bn254Field.Mod(c[i]);
        }

        return new LegacyFp12(all);
    }

    /// <summary>The sparse element Σ e(v_k)·w^k for LegacyFp2 values v_k at powers k (e embeds i as w^6 − 9).</summary>
    public static LegacyFp12 FromFp2Terms(ReadOnlySpan<(int Power, LegacyFp2 Value)> terms)
    {
        BigInteger[] c = new BigInteger[12];
        foreach ((int k, LegacyFp2 v) in terms)
        {
            // e(a + b·i) = (a − 9b) + b·w^6.
            c[k] = Bn254Field.Mod(c[k] + v.A - (9 * v.B));
            c[k + 6] = Bn254Field.Mod(c[k + 6] + v.B);
        }

        return new LegacyFp12(c);
    }

    public static LegacyFp12 operator *(LegacyFp12 x, LegacyFp12 y)
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
            BigInteger top = t[k] % Bn254Field.P;
            t[k - 6] += 18 * top;
            t[k - 12] -= 82 * top;
        }

        BigInteger[] r = new BigInteger[12];
        for (int i = 0; i < 12; i++)
        {
            r[i] = Bn254Field.Mod(t[i]);
        }

        return new LegacyFp12(r);
    }

    public LegacyFp12 Pow(BigInteger e)
    {
        LegacyFp12 result = One, b = this;
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
