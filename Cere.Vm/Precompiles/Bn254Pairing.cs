using System.Numerics;

namespace Cere.Vm.Precompiles;

/// <summary>The optimal-ate pairing on alt_bn128: Miller loop over twist points in LegacyFp2, lines evaluated into LegacyFp12.</summary>
internal static class Bn254Pairing
{
    private static readonly BigInteger AteLoopCount = BigInteger.Parse("29793968203157093288");
    private const int LogAteLoopCount = 63;

    private static readonly LegacyFp2 Xi = new(9, 1);

    // Frobenius on the twist: (x, y) ↦ (conj(x)·ξ^((p−1)/3), conj(y)·ξ^((p−1)/2)).
    private static readonly LegacyFp2 FrobX = Xi.Pow((Bn254Field.P - 1) / 3);
    private static readonly LegacyFp2 FrobY = Xi.Pow((Bn254Field.P - 1) / 2);

    private static readonly BigInteger FinalExponent = (BigInteger.Pow(Bn254Field.P, 12) - 1) / Bn254Field.R;

    /// <summary>f_{Q,P} before the final exponentiation (Q on the twist, P in G1, neither at infinity).</summary>
    public static LegacyFp12 MillerLoop(Bn254G2 q, Bn254G1 p)
    {
        Bn254G2 r = q;
        LegacyFp12 f = LegacyFp12.One;
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

        Bn254G2 q1 = new(q.X.Conjugate() * FrobX, q.Y.Conjugate() * FrobY, false);
        Bn254G2 nq2 = new(q1.X.Conjugate() * FrobX, -(q1.Y.Conjugate() * FrobY), false);
        f *= Line(r, q1, p);
        r = r.Add(q1);
        f *= Line(r, nq2, p);
        return f;
    }

    public static LegacyFp12 FinalExponentiation(LegacyFp12 f) => f.Pow(FinalExponent);

    /// <summary>
    /// The line through twist points a and b evaluated at P, in LegacyFp12. With the twist (x, y) ↦ (x·w², y·w³) the
    /// slope is m·w for the LegacyFp2 slope m, so the line is −y_P + (m·x_P)·w + (y_a − m·x_a)·w³; the vertical line is x_P − x_a·w².
    /// </summary>
    private static LegacyFp12 Line(Bn254G2 a, Bn254G2 b, Bn254G1 p)
    {
        LegacyFp2 m;
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
            return LegacyFp12.FromFp2Terms([(0, new LegacyFp2(p.X, 0)), (2, -a.X)]);
        }

        return LegacyFp12.FromFp2Terms([(0, new LegacyFp2(Bn254Field.Mod(-p.Y), 0)), (1, m * p.X), (3, a.Y - (m * a.X))]);
    }
}
