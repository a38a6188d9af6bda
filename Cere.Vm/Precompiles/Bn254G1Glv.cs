using System.Numerics;
using Cere.Core;

namespace Cere.Vm.Precompiles;

/// <summary>
/// G1 scalar multiplication by the GLV method (Gallant, Lambert, Vanstone 2001): alt_bn128 has the endomorphism
/// φ(x, y) = (β·x, y) with β a cube root of unity in Fp, and φ(P) = λ·P on G1 for a cube root of unity λ mod r. A
/// scalar k is split as k ≡ k1 + k2·λ (mod r) with |k1|, |k2| &lt; 2^128, and k·P = k1·P + k2·φ(P) is computed with
/// one 128-step doubling chain shared by both halves (width-5 NAF digits, eight precomputed odd multiples each):
/// about 130 doublings and 45 additions instead of 256 doublings and 128 additions.
/// </summary>
internal static class G1Glv
{
    /// <summary>β, the cube root of unity in Fp with φ(P) = λ·P (0x59e26bce…fffffe).</summary>
    public static readonly Fp Beta = ReadFp("0000000000000000" + "59e26bcea0d48bacd4f263f1acdb5c4f5763473177fffffe");

    /// <summary>λ, the cube root of unity mod r that φ multiplies by.</summary>
    public static readonly BigInteger Lambda = BigInteger.Parse("4407920970296243842393367215006156084916469457145843978461");

    // A reduced basis of the lattice {(a, b) : a + b·λ ≡ 0 (mod r)}: v1 = (A1, −B1), v2 = (A2, B2), all positive here.
    // Found by the extended Euclidean algorithm on (r, λ) (GLV §4); the test suite checks both vectors.
    internal static readonly BigInteger A1 = BigInteger.Parse("9931322734385697763");
    internal static readonly BigInteger B1 = BigInteger.Parse("147946756881789319000765030803803410728");
    internal static readonly BigInteger A2 = BigInteger.Parse("147946756881789319010696353538189108491");
    internal static readonly BigInteger B2 = A1;

    // c1 = ⌊k·G1 / 2^256⌋ and c2 = ⌊k·G2 / 2^256⌋ approximate k·B2/r and k·B1/r (Babai rounding). Truncation makes each
    // off by less than 1, which keeps |k1|, |k2| below (A1 + A2)·(1 + ε) < 2^128; the split is exact whatever c1, c2 are.
    private static readonly UInt256 G1 = UInt256.FromBigInteger((B2 << 256) / Bn254Constants.R);
    private static readonly UInt256 G2 = UInt256.FromBigInteger((B1 << 256) / Bn254Constants.R);
    private static readonly UInt256 A1Word = UInt256.FromBigInteger(A1), A2Word = UInt256.FromBigInteger(A2);
    private static readonly UInt256 B1Word = UInt256.FromBigInteger(B1), B2Word = UInt256.FromBigInteger(B2);
    private static readonly UInt256 RWord = UInt256.FromBigInteger(Bn254Constants.R);

    private const int Window = 5;
    private const int TableSize = 1 << (Window - 2); // odd multiples 1·P, 3·P, …, 15·P
    private const int MaxDigits = 130;

    /// <summary>k·q for a non-infinite affine q and a 256-bit big-endian k.</summary>
    public static G1Jacobian Multiply(in G1Affine q, ReadOnlySpan<byte> scalarBe32)
    {
        UInt256 k = new(scalarBe32[..32]);
        while (k >= RWord)
        {
            k -= RWord; // at most five times: 2^256 < 6r
        }

        if (!TrySplit(k, out UInt128 k1, out bool k1Negative, out UInt128 k2, out bool k2Negative))
        {
            return G1Jacobian.MultiplyBinary(q, scalarBe32); // unreachable by the bound above; kept so a slip cannot give a wrong result
        }

        Span<sbyte> naf1 = stackalloc sbyte[MaxDigits];
        Span<sbyte> naf2 = stackalloc sbyte[MaxDigits];
        int len1 = Naf(k1, naf1);
        int len2 = Naf(k2, naf2);

        // t1[i] = (2i+1)·(±q); t2[i] = φ(t1[i]), negated when the halves' signs differ.
        Span<G1Jacobian> t1 = stackalloc G1Jacobian[TableSize];
        Span<G1Jacobian> t2 = stackalloc G1Jacobian[TableSize];
        t1[0] = G1Jacobian.FromAffine(q);
        if (k1Negative)
        {
            t1[0] = t1[0].Negate();
        }

        G1Jacobian twice = G1Jacobian.Double(t1[0]);
        for (int i = 1; i < TableSize; i++)
        {
            t1[i] = G1Jacobian.Add(t1[i - 1], twice);
        }

        for (int i = 0; i < TableSize; i++)
        {
            t2[i] = t1[i].Endomorphism();
            if (k1Negative != k2Negative)
            {
                t2[i] = t2[i].Negate();
            }
        }

        G1Jacobian acc = G1Jacobian.Infinity;
        for (int i = Math.Max(len1, len2) - 1; i >= 0; i--)
        {
            acc = G1Jacobian.Double(acc);
            if (i < len1 && naf1[i] != 0)
            {
                acc = AddDigit(acc, t1, naf1[i]);
            }

            if (i < len2 && naf2[i] != 0)
            {
                acc = AddDigit(acc, t2, naf2[i]);
            }
        }

        return acc;
    }

    /// <summary>
    /// Splits k &lt; r into k1 + k2·λ ≡ k (mod r); false only if a half does not fit in 128 bits (it always does for
    /// these constants, see the remark on G1/G2).
    /// </summary>
    internal static bool TrySplit(in UInt256 k, out UInt128 k1, out bool k1Negative, out UInt128 k2, out bool k2Negative)
    {
        UInt256.MultiplyFull(k, G1, out _, out UInt256 c1);
        UInt256.MultiplyFull(k, G2, out _, out UInt256 c2);

        // k1 = k − c1·A1 − c2·A2 and k2 = c1·B1 − c2·B2, exact as integers and small, so wrapping 256-bit arithmetic
        // followed by a sign test gives them.
        UInt256 s1 = k - (c1 * A1Word) - (c2 * A2Word);
        UInt256 s2 = (c1 * B1Word) - (c2 * B2Word);
        return TrySmall(s1, out k1, out k1Negative) & TrySmall(s2, out k2, out k2Negative);
    }

    private static bool TrySmall(in UInt256 v, out UInt128 magnitude, out bool negative)
    {
        negative = (v.U3 >> 63) != 0;
        UInt256 m = negative ? -v : v;
        magnitude = new UInt128(m.U1, m.U0);
        return (m.U2 | m.U3) == 0 && magnitude < (UInt128.One << 127) + (UInt128.One << 126);
    }

    // Width-5 non-adjacent form: digits in {0, ±1, ±3, …, ±15}, least significant first; any two non-zero digits are
    // at least five places apart. Returns the number of digits.
    private static int Naf(UInt128 k, Span<sbyte> digits)
    {
        int n = 0;
        while (k != UInt128.Zero)
        {
            int d = 0;
            if ((k & UInt128.One) != UInt128.Zero)
            {
                d = (int)(ulong)(k & ((UInt128.One << Window) - 1));
                if (d >= 1 << (Window - 1))
                {
                    d -= 1 << Window;
                }

                k = d > 0 ? k - (uint)d : k + (uint)(-d);
            }

            digits[n++] = (sbyte)d;
            k >>= 1;
        }

        return n;
    }

    private static G1Jacobian AddDigit(in G1Jacobian acc, ReadOnlySpan<G1Jacobian> table, int digit) =>
        digit > 0 ? G1Jacobian.Add(acc, table[(digit - 1) >> 1]) : G1Jacobian.Add(acc, table[(-digit - 1) >> 1].Negate());

    private static Fp ReadFp(string hex64)
    {
        return Fp.TryRead(Convert.FromHexString(hex64), out Fp v) ? v : throw new InvalidOperationException("β is not below p");
    }
}
