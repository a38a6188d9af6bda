using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cere.Vm.Precompiles;

/// <summary>Inversion in Fp by Kaliski's almost-Montgomery-inverse binary algorithm.</summary>
internal readonly partial struct Fp
{
    /// <summary>
    /// a⁻¹ (zero maps to zero). A binary extended GCD on the stored limbs (Kaliski 1995, "The Montgomery inverse and
    /// its applications") yields a_stored⁻¹·2^k for some 254 ≤ k ≤ 508; one Montgomery multiplication by a precomputed
    /// R³·2^−k brings it back to Montgomery form. Runs of trailing zeros are shifted out at once. Not constant time:
    /// every input of the precompiles is public. About a quarter of the cost of Fermat's a^(p−2) (~312 multiplications),
    /// which dominated ECADD and every affine conversion.
    /// </summary>
    public static Fp Inverse(in Fp a)
    {
        if (a.IsZero)
        {
            return Zero;
        }

        // Invariants (Kaliski): p = u·s + v·r, 0 < s ≤ p, 0 ≤ r < 2p, so no value leaves 255 bits.
        ulong u0 = P0, u1 = P1, u2 = P2, u3 = P3;
        ulong v0 = a._l0, v1 = a._l1, v2 = a._l2, v3 = a._l3;
        ulong r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        ulong s0 = 1, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        while ((v0 | v1 | v2 | v3) != 0)
        {
            if ((u0 & 1) == 0)
            {
                int t = Math.Min(BitOperations.TrailingZeroCount(u0), 63);
                ShiftRight(ref u0, ref u1, ref u2, ref u3, t);
                ShiftLeft(ref s0, ref s1, ref s2, ref s3, t);
                k += t;
            }
            else if ((v0 & 1) == 0)
            {
                int t = Math.Min(BitOperations.TrailingZeroCount(v0), 63);
                ShiftRight(ref v0, ref v1, ref v2, ref v3, t);
                ShiftLeft(ref r0, ref r1, ref r2, ref r3, t);
                k += t;
            }
            else if (Greater(u0, u1, u2, u3, v0, v1, v2, v3))
            {
                SubtractInPlace(ref u0, ref u1, ref u2, ref u3, v0, v1, v2, v3);
                ShiftRight(ref u0, ref u1, ref u2, ref u3, 1);
                AddInPlace(ref r0, ref r1, ref r2, ref r3, s0, s1, s2, s3);
                ShiftLeft(ref s0, ref s1, ref s2, ref s3, 1);
                k++;
            }
            else
            {
                SubtractInPlace(ref v0, ref v1, ref v2, ref v3, u0, u1, u2, u3);
                ShiftRight(ref v0, ref v1, ref v2, ref v3, 1);
                AddInPlace(ref s0, ref s1, ref s2, ref s3, r0, r1, r2, r3);
                ShiftLeft(ref r0, ref r1, ref r2, ref r3, 1);
                k++;
            }
        }

        // gcd(u, v) = u = 1 now, and p − (r mod p) = a_stored⁻¹·2^k (never zero, so the negation is p − r).
        Fp x = Neg(SubtractPIfNotBelow(r0, r1, r2, r3));

        // a_stored = a·R, so a⁻¹·R = (a_stored⁻¹·2^k)·R²·2^−k = MontMul(x, R³·2^−k).
        return MontMul(x, InverseScale.Table[k]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Greater(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3)
    {
        ulong borrow = 0;
        Sbb(b0, a0, ref borrow);
        Sbb(b1, a1, ref borrow);
        Sbb(b2, a2, ref borrow);
        Sbb(b3, a3, ref borrow);
        return borrow != 0; // b − a borrows exactly when a > b
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractInPlace(ref ulong a0, ref ulong a1, ref ulong a2, ref ulong a3, ulong b0, ulong b1, ulong b2, ulong b3)
    {
        ulong borrow = 0;
        a0 = Sbb(a0, b0, ref borrow);
        a1 = Sbb(a1, b1, ref borrow);
        a2 = Sbb(a2, b2, ref borrow);
        a3 = Sbb(a3, b3, ref borrow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInPlace(ref ulong a0, ref ulong a1, ref ulong a2, ref ulong a3, ulong b0, ulong b1, ulong b2, ulong b3)
    {
        ulong carry = 0;
        a0 = Adc(a0, b0, ref carry);
        a1 = Adc(a1, b1, ref carry);
        a2 = Adc(a2, b2, ref carry);
        a3 = Adc(a3, b3, ref carry);
    }

    // 1 ≤ t ≤ 63.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftRight(ref ulong a0, ref ulong a1, ref ulong a2, ref ulong a3, int t)
    {
        a0 = (a0 >> t) | (a1 << (64 - t));
        a1 = (a1 >> t) | (a2 << (64 - t));
        a2 = (a2 >> t) | (a3 << (64 - t));
        a3 >>= t;
    }

    // 1 ≤ t ≤ 63; the invariants keep the result within four limbs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftLeft(ref ulong a0, ref ulong a1, ref ulong a2, ref ulong a3, int t)
    {
        a3 = (a3 << t) | (a2 >> (64 - t));
        a2 = (a2 << t) | (a1 >> (64 - t));
        a1 = (a1 << t) | (a0 >> (64 - t));
        a0 <<= t;
    }

    /// <summary>R³·2^−k mod p for k = 0..512, as stored limbs (so MontMul by entry k multiplies by R²·2^−k).</summary>
    private static class InverseScale
    {
        public static readonly Fp[] Table = Build();

        private static Fp[] Build()
        {
            BigInteger p = new BigInteger(P0) | (new BigInteger(P1) << 64) | (new BigInteger(P2) << 128) | (new BigInteger(P3) << 192);
            BigInteger half = (p + 1) / 2;
            BigInteger t = BigInteger.ModPow(2, 768, p);
            Fp[] table = new Fp[513];
            for (int k = 0; k < table.Length; k++)
            {
                table[k] = new Fp((ulong)(t & ulong.MaxValue), (ulong)((t >> 64) & ulong.MaxValue), (ulong)((t >> 128) & ulong.MaxValue), (ulong)(t >> 192));
                t = t * half % p;
            }

            return table;
        }
    }
}
