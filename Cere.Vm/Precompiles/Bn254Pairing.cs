namespace Cere.Vm.Precompiles;

/// <summary>
/// The optimal-ate pairing on alt_bn128 (EIP-197): a shared Miller loop over 6u + 2 for all pairs, lines evaluated
/// straight into sparse Fp12 products, then one final exponentiation.
/// </summary>
internal static class Bn254Pairing
{
    /// <summary>
    /// 6u + 2 in non-adjacent form, most significant digit first: 22 non-zero digits against 37 one bits, so 15 fewer
    /// addition steps. A −1 digit adds −Q; the vertical lines this changes lie in Fp6 and vanish in the final exponentiation.
    /// </summary>
    private static readonly sbyte[] AteLoopNaf = NonAdjacentForm((6 * (UInt128)Bn254Constants.U) + 2);

    /// <summary>
    /// Π f_{6u+2,Q_i}(P_i) times the two Frobenius lines per pair (the value before the final exponentiation).
    /// Neither point of a pair may be infinity (such pairs contribute 1 and are dropped by the caller).
    /// </summary>
    public static Fp12 MillerLoop(ReadOnlySpan<G1Affine> ps, ReadOnlySpan<G2Affine> qs)
    {
        int n = ps.Length;
        Span<G2Jacobian> t = n <= 8 ? stackalloc G2Jacobian[n] : new G2Jacobian[n];
        Span<G2Affine> minusQ = n <= 8 ? stackalloc G2Affine[n] : new G2Affine[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = G2Jacobian.FromAffine(qs[i]);
            minusQ[i] = qs[i].Negate();
        }

        // The leading digit is 1: T starts at Q and f at 1.
        Fp12 f = Fp12.One;
        sbyte[] naf = AteLoopNaf;
        for (int d = 1; d < naf.Length; d++)
        {
            f = Fp12.Square(f);

            for (int i = 0; i < n; i++)
            {
                f = DoublingStep(ref t[i], ps[i], f);
            }

            if (naf[d] != 0)
            {
                for (int i = 0; i < n; i++)
                {
                    f = AdditionStep(ref t[i], naf[d] > 0 ? qs[i] : minusQ[i], ps[i], f);
                }
            }
        }

        // The optimal-ate tail: lines through T and π(Q), then through T + π(Q) and −π²(Q).
        for (int i = 0; i < n; i++)
        {
            G2Affine q1 = qs[i].Frobenius();
            G2Affine minusQ2 = q1.Frobenius().Negate();
            f = AdditionStep(ref t[i], q1, ps[i], f);
            f = AdditionStep(ref t[i], minusQ2, ps[i], f);
        }

        return f;
    }

    /// <summary>
    /// f^((p¹² − 1)/r): the easy part (p⁶ − 1)(p² + 1) by conjugation, inversion and Frobenius, then the hard part
    /// (p⁴ − p² + 1)/r by the addition chain in powers of u (Devegili, Scott and Dahab; Scott et al. 2009).
    /// </summary>
    public static Fp12 FinalExponentiation(in Fp12 f)
    {
        Fp12 t = Fp12.Conjugate(f) * Fp12.Inverse(f);
        t = Fp12.Frobenius(Fp12.Frobenius(t)) * t;
        return HardPart(t);
    }

    /// <summary>The hard part by plain square-and-multiply over (p⁴ − p² + 1)/r: slow, kept to check the chain.</summary>
    public static Fp12 HardPartByExponent(in Fp12 t) => Fp12.Pow(t, Bn254Constants.HardExponent);

    /// <summary>
    /// The hard part for an element of the cyclotomic subgroup (so conjugation inverts it), as three
    /// exponentiations by u, Frobenius maps and a short product chain.
    /// </summary>
    public static Fp12 HardPart(in Fp12 t)
    {
        Fp12 fp = Fp12.Frobenius(t);
        Fp12 fp2 = Fp12.Frobenius(fp);
        Fp12 fp3 = Fp12.Frobenius(fp2);
        Fp12 fu = Fp12.CyclotomicPow(t, Bn254Constants.U);
        Fp12 fu2 = Fp12.CyclotomicPow(fu, Bn254Constants.U);
        Fp12 fu3 = Fp12.CyclotomicPow(fu2, Bn254Constants.U);

        Fp12 y0 = fp * fp2 * fp3;
        Fp12 y1 = Fp12.Conjugate(t);
        Fp12 y2 = Fp12.Frobenius(Fp12.Frobenius(fu2));
        Fp12 y3 = Fp12.Conjugate(Fp12.Frobenius(fu));
        Fp12 y4 = Fp12.Conjugate(fu * Fp12.Frobenius(fu2));
        Fp12 y5 = Fp12.Conjugate(fu2);
        Fp12 y6 = Fp12.Conjugate(fu3 * Fp12.Frobenius(fu3));

        Fp12 t0 = Fp12.CyclotomicSquare(y6) * y4 * y5;
        Fp12 t1 = y3 * y5 * t0;
        t0 *= y2;
        t1 = Fp12.CyclotomicSquare(Fp12.CyclotomicSquare(t1) * t0);
        t0 = t1 * y1;
        t1 *= y0;
        return Fp12.CyclotomicSquare(t0) * t1;
    }

    /// <summary>Non-adjacent form digits (−1, 0, 1) of k, most significant first.</summary>
    private static sbyte[] NonAdjacentForm(UInt128 k)
    {
        List<sbyte> digits = [];
        while (k > 0)
        {
            sbyte z = 0;
            if ((k & 1) != 0)
            {
                z = (k & 3) == 1 ? (sbyte)1 : (sbyte)-1;
                k = z > 0 ? k - 1 : k + 1;
            }

            digits.Add(z);
            k >>= 1;
        }

        digits.Reverse();
        return [.. digits];
    }

    /// <summary>
    /// T ← 2T and f·l_{T,T}(P). With the twist (x, y) ↦ (x·w², y·w³) and T = (X/Z², Y/Z³), the tangent at P scaled by
    /// 2YZ³ (an Fp2 factor the final exponentiation removes) is 2YZ³·y_P − 3X²Z²·x_P·w + (3X³ − 2Y²)·w³.
    /// </summary>
    private static Fp12 DoublingStep(ref G2Jacobian t, in G1Affine p, in Fp12 f)
    {
        Fp2 zz = Fp2.Square(t.Z);
        Fp2 a = Fp2.Square(t.X);
        Fp2 b = Fp2.Square(t.Y);
        Fp2 c = Fp2.Square(b);
        Fp2 d = Fp2.Double(Fp2.Square(t.X + b) - a - c);
        Fp2 e = Fp2.Double(a) + a;
        Fp2 x3 = Fp2.Square(e) - Fp2.Double(d);
        Fp2 y3 = (e * (d - x3)) - Fp2.Double(Fp2.Double(Fp2.Double(c)));
        Fp2 z3 = Fp2.Double(t.Y * t.Z);

        Fp2 l0 = Fp2.MulByFp(z3 * zz, p.Y);
        Fp2 l1 = Fp2.MulByFp(e * zz, -p.X);
        Fp2 l3 = (e * t.X) - Fp2.Double(b);
        t = new G2Jacobian(x3, y3, z3);
        return Fp12.MulByLine(f, l0, l1, l3);
    }

    /// <summary>
    /// T ← T + Q and f·l_{T,Q}(P) for affine Q. With H = x_Q·Z² − X and r = 2(y_Q·Z³ − Y), the chord at P scaled by
    /// 2ZH is Z₃·y_P − r·x_P·w + (r·x_Q − y_Q·Z₃)·w³, Z₃ = 2ZH being the new Z. Q ≠ ±T on this path for Q in G2.
    /// </summary>
    private static Fp12 AdditionStep(ref G2Jacobian t, in G2Affine q, in G1Affine p, in Fp12 f)
    {
        Fp2 zz = Fp2.Square(t.Z);
        Fp2 u2 = q.X * zz;
        Fp2 s2 = q.Y * t.Z * zz;
        Fp2 h = u2 - t.X;
        Fp2 r = Fp2.Double(s2 - t.Y);
        Fp2 hh = Fp2.Square(h);
        Fp2 i = Fp2.Double(Fp2.Double(hh));
        Fp2 j = h * i;
        Fp2 v = t.X * i;
        Fp2 x3 = Fp2.Square(r) - j - Fp2.Double(v);
        Fp2 y3 = (r * (v - x3)) - Fp2.Double(t.Y * j);
        Fp2 z3 = Fp2.Square(t.Z + h) - zz - hh;

        Fp2 l0 = Fp2.MulByFp(z3, p.Y);
        Fp2 l1 = Fp2.MulByFp(r, -p.X);
        Fp2 l3 = (r * q.X) - (q.Y * z3);
        t = new G2Jacobian(x3, y3, z3);
        return Fp12.MulByLine(f, l0, l1, l3);
    }
}
