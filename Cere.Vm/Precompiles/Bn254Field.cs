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

/// <summary>An element a + b·i of Fp2 = Fp[i]/(i² + 1).</summary>
internal readonly record struct Fp2(BigInteger A, BigInteger B)
{
    public static readonly Fp2 Zero = new(0, 0);
    public static readonly Fp2 One = new(1, 0);

    public bool IsZero => A.IsZero && B.IsZero;

    public static Fp2 operator +(Fp2 x, Fp2 y) => new(Bn254Field.Mod(x.A + y.A), Bn254Field.Mod(x.B + y.B));

    public static Fp2 operator -(Fp2 x, Fp2 y) => new(Bn254Field.Mod(x.A - y.A), Bn254Field.Mod(x.B - y.B));

    public static Fp2 operator -(Fp2 x) => new(Bn254Field.Mod(-x.A), Bn254Field.Mod(-x.B));

    public static Fp2 operator *(Fp2 x, Fp2 y) => new(Bn254Field.Mod((x.A * y.A) - (x.B * y.B)), Bn254Field.Mod((x.A * y.B) + (x.B * y.A)));

    public static Fp2 operator *(Fp2 x, BigInteger k) => new(Bn254Field.Mod(x.A * k), Bn254Field.Mod(x.B * k));

    public Fp2 Inverse()
    {
        BigInteger inv = Bn254Field.Inverse((A * A) + (B * B));
        return new Fp2(Bn254Field.Mod(A * inv), Bn254Field.Mod(-B * inv));
    }

    public Fp2 Conjugate() => new(A, Bn254Field.Mod(-B));

    public Fp2 Pow(BigInteger e)
    {
        Fp2 result = One, b = this;
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

/// <summary>An element of Fp12 = Fp[w]/(w^12 − 18w^6 + 82), as 12 coefficients (the py_ecc representation).</summary>
internal sealed class Fp12
{
    public static readonly Fp12 One = FromCoefficients(1);

    private readonly BigInteger[] _c;

    private Fp12(BigInteger[] c) => _c = c;

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

    public static Fp12 FromCoefficients(params BigInteger[] c)
    {
        BigInteger[] all = new BigInteger[12];
        for (int i = 0; i < c.Length; i++)
        {
            all[i] = Bn254Field.Mod(c[i]);
        }

        return new Fp12(all);
    }

    /// <summary>The sparse element Σ e(v_k)·w^k for Fp2 values v_k at powers k (e embeds i as w^6 − 9).</summary>
    public static Fp12 FromFp2Terms(ReadOnlySpan<(int Power, Fp2 Value)> terms)
    {
        BigInteger[] c = new BigInteger[12];
        foreach ((int k, Fp2 v) in terms)
        {
            // e(a + b·i) = (a − 9b) + b·w^6.
            c[k] = Bn254Field.Mod(c[k] + v.A - (9 * v.B));
            c[k + 6] = Bn254Field.Mod(c[k + 6] + v.B);
        }

        return new Fp12(c);
    }

    public static Fp12 operator *(Fp12 x, Fp12 y)
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

        return new Fp12(r);
    }

    public Fp12 Pow(BigInteger e)
    {
        Fp12 result = One, b = this;
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
