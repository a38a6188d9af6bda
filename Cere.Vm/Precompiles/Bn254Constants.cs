using System.Numerics;

namespace Cere.Vm.Precompiles;

/// <summary>alt_bn128 curve constants derived once from p, the group order r and ξ = 9 + u (EIP-196/197).</summary>
internal static class Bn254Constants
{
    /// <summary>The base field modulus p.</summary>
    public static readonly BigInteger P = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");

    /// <summary>The order r of G1 and G2.</summary>
    public static readonly BigInteger R = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");

    /// <summary>r as little-endian 64-bit limbs (the subgroup check multiplies by it).</summary>
    public static readonly ulong[] RLimbs = Limbs(R);

    /// <summary>b' = 3/ξ, the constant of the twist y² = x³ + b' that carries G2 (EIP-197).</summary>
    public static readonly Fp2 TwistB = Fp2.MulByFp(Fp2.Inverse(Fp2.Xi), Fp.FromUInt64(3));

    /// <summary>γ_k = ξ^(k(p−1)/6) for k = 0..5: the p-power Frobenius maps w^k to γ_k·w^k in Fp12 (w⁶ = ξ).</summary>
    public static readonly Fp2[] FrobeniusGamma = Gammas();

    /// <summary>The BN parameter u of alt_bn128 (p and r are polynomials in it).</summary>
    public const ulong U = 4965661367192848881;

    /// <summary>(p⁴ − p² + 1)/r, the "hard part" of the final exponentiation, as little-endian limbs.</summary>
    public static readonly ulong[] HardExponent = Limbs((BigInteger.Pow(P, 4) - BigInteger.Pow(P, 2) + 1) / R, 12);

    /// <summary>Little-endian 64-bit limbs of a non-negative integer below 2^(64·count).</summary>
    public static ulong[] Limbs(BigInteger v, int count = 4)
    {
        ulong[] l = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            l[i] = (ulong)(v & ulong.MaxValue);
            v >>= 64;
        }

        return l;
    }

    private static Fp2[] Gammas()
    {
        Fp2[] g = new Fp2[6];
        for (int k = 0; k < 6; k++)
        {
            g[k] = Fp2.Pow(Fp2.Xi, Limbs(k * (P - 1) / 6));
        }

        return g;
    }
}
