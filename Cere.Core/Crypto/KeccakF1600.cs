using System.Numerics;

namespace Cere.Core.Crypto;

/// <summary>The Keccak-f[1600] permutation (FIPS 202, section 3.3), the core of Keccak-256 and SHA3-256.</summary>
internal static class KeccakF1600
{
    /// <summary>The number of rounds (12 + 2·ℓ with ℓ = 6 for 64-bit lanes; FIPS 202, section 3.4).</summary>
    internal const int Rounds = 24;

    /// <summary>The ι step's round constants (FIPS 202, section 3.2.5), as the XKCP test vectors list them.</summary>
    internal static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808aUL, 0x8000000080008000UL,
        0x000000000000808bUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008aUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000aUL,
        0x000000008000808bUL, 0x800000000000008bUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800aUL, 0x800000008000000aUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    /// <summary>Applies the permutation to <paramref name="state"/> in place.</summary>
    /// <remarks>
    /// Scalar on every CPU, because it was the fastest measured: a single-state AVX2 variant (commit 9fd8505, seven
    /// ymm registers in a diagonal lane layout) needs 33 vpermq and 34 vpblendd per round for π and χ and ran
    /// 1.4 to 1.75 times slower on the AMD EPYC (Zen 3) build machine, which has no AVX-512 to try. Figures in
    /// benches/results/keccak.md. A vector variant that wins belongs here behind its <c>IsSupported</c> check.
    /// </remarks>
    internal static void Permute(ref KeccakState state) => PermuteScalar(ref state);

    /// <summary>
    /// The portable variant: the 25 lanes live in locals for all 24 rounds, so the JIT keeps them in registers or
    /// fixed stack slots; no array is touched inside the round loop.
    /// </summary>
    internal static void PermuteScalar(ref KeccakState state)
    {
        // Lane (x, y) is a[x + 5y]. Each loop pass runs two rounds, a → e then e → a, so that no lane is copied
        // back between rounds; θ, ρ, π, χ and ι are fused per output row of five lanes. The column parities c
        // that θ needs are accumulated while χ produces the lanes (which are then in registers) instead of
        // re-reading all 25 lanes at the start of the next round: measured 3-4 % faster.
        ulong a0 = state[0];
        ulong a1 = state[1];
        ulong a2 = state[2];
        ulong a3 = state[3];
        ulong a4 = state[4];
        ulong a5 = state[5];
        ulong a6 = state[6];
        ulong a7 = state[7];
        ulong a8 = state[8];
        ulong a9 = state[9];
        ulong a10 = state[10];
        ulong a11 = state[11];
        ulong a12 = state[12];
        ulong a13 = state[13];
        ulong a14 = state[14];
        ulong a15 = state[15];
        ulong a16 = state[16];
        ulong a17 = state[17];
        ulong a18 = state[18];
        ulong a19 = state[19];
        ulong a20 = state[20];
        ulong a21 = state[21];
        ulong a22 = state[22];
        ulong a23 = state[23];
        ulong a24 = state[24];
        ulong e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
        ulong d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;
        ulong c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
        ulong c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
        ulong c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
        ulong c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
        ulong c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
        ReadOnlySpan<ulong> rc = RoundConstants;
        for (int round = 0; round < Rounds; round += 2)
        {
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            b0 = a0 ^ d0;
            b1 = BitOperations.RotateLeft(a6 ^ d1, 44);
            b2 = BitOperations.RotateLeft(a12 ^ d2, 43);
            b3 = BitOperations.RotateLeft(a18 ^ d3, 21);
            b4 = BitOperations.RotateLeft(a24 ^ d4, 14);
            e0 = b0 ^ (~b1 & b2) ^ rc[round];
            c0 = e0;
            e1 = b1 ^ (~b2 & b3);
            c1 = e1;
            e2 = b2 ^ (~b3 & b4);
            c2 = e2;
            e3 = b3 ^ (~b4 & b0);
            c3 = e3;
            e4 = b4 ^ (~b0 & b1);
            c4 = e4;
            b0 = BitOperations.RotateLeft(a3 ^ d3, 28);
            b1 = BitOperations.RotateLeft(a9 ^ d4, 20);
            b2 = BitOperations.RotateLeft(a10 ^ d0, 3);
            b3 = BitOperations.RotateLeft(a16 ^ d1, 45);
            b4 = BitOperations.RotateLeft(a22 ^ d2, 61);
            e5 = b0 ^ (~b1 & b2);
            c0 ^= e5;
            e6 = b1 ^ (~b2 & b3);
            c1 ^= e6;
            e7 = b2 ^ (~b3 & b4);
            c2 ^= e7;
            e8 = b3 ^ (~b4 & b0);
            c3 ^= e8;
            e9 = b4 ^ (~b0 & b1);
            c4 ^= e9;
            b0 = BitOperations.RotateLeft(a1 ^ d1, 1);
            b1 = BitOperations.RotateLeft(a7 ^ d2, 6);
            b2 = BitOperations.RotateLeft(a13 ^ d3, 25);
            b3 = BitOperations.RotateLeft(a19 ^ d4, 8);
            b4 = BitOperations.RotateLeft(a20 ^ d0, 18);
            e10 = b0 ^ (~b1 & b2);
            c0 ^= e10;
            e11 = b1 ^ (~b2 & b3);
            c1 ^= e11;
            e12 = b2 ^ (~b3 & b4);
            c2 ^= e12;
            e13 = b3 ^ (~b4 & b0);
            c3 ^= e13;
            e14 = b4 ^ (~b0 & b1);
            c4 ^= e14;
            b0 = BitOperations.RotateLeft(a4 ^ d4, 27);
            b1 = BitOperations.RotateLeft(a5 ^ d0, 36);
            b2 = BitOperations.RotateLeft(a11 ^ d1, 10);
            b3 = BitOperations.RotateLeft(a17 ^ d2, 15);
            b4 = BitOperations.RotateLeft(a23 ^ d3, 56);
            e15 = b0 ^ (~b1 & b2);
            c0 ^= e15;
            e16 = b1 ^ (~b2 & b3);
            c1 ^= e16;
            e17 = b2 ^ (~b3 & b4);
            c2 ^= e17;
            e18 = b3 ^ (~b4 & b0);
            c3 ^= e18;
            e19 = b4 ^ (~b0 & b1);
            c4 ^= e19;
            b0 = BitOperations.RotateLeft(a2 ^ d2, 62);
            b1 = BitOperations.RotateLeft(a8 ^ d3, 55);
            b2 = BitOperations.RotateLeft(a14 ^ d4, 39);
            b3 = BitOperations.RotateLeft(a15 ^ d0, 41);
            b4 = BitOperations.RotateLeft(a21 ^ d1, 2);
            e20 = b0 ^ (~b1 & b2);
            c0 ^= e20;
            e21 = b1 ^ (~b2 & b3);
            c1 ^= e21;
            e22 = b2 ^ (~b3 & b4);
            c2 ^= e22;
            e23 = b3 ^ (~b4 & b0);
            c3 ^= e23;
            e24 = b4 ^ (~b0 & b1);
            c4 ^= e24;

            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            b0 = e0 ^ d0;
            b1 = BitOperations.RotateLeft(e6 ^ d1, 44);
            b2 = BitOperations.RotateLeft(e12 ^ d2, 43);
            b3 = BitOperations.RotateLeft(e18 ^ d3, 21);
            b4 = BitOperations.RotateLeft(e24 ^ d4, 14);
            a0 = b0 ^ (~b1 & b2) ^ rc[round + 1];
            c0 = a0;
            a1 = b1 ^ (~b2 & b3);
            c1 = a1;
            a2 = b2 ^ (~b3 & b4);
            c2 = a2;
            a3 = b3 ^ (~b4 & b0);
            c3 = a3;
            a4 = b4 ^ (~b0 & b1);
            c4 = a4;
            b0 = BitOperations.RotateLeft(e3 ^ d3, 28);
            b1 = BitOperations.RotateLeft(e9 ^ d4, 20);
            b2 = BitOperations.RotateLeft(e10 ^ d0, 3);
            b3 = BitOperations.RotateLeft(e16 ^ d1, 45);
            b4 = BitOperations.RotateLeft(e22 ^ d2, 61);
            a5 = b0 ^ (~b1 & b2);
            c0 ^= a5;
            a6 = b1 ^ (~b2 & b3);
            c1 ^= a6;
            a7 = b2 ^ (~b3 & b4);
            c2 ^= a7;
            a8 = b3 ^ (~b4 & b0);
            c3 ^= a8;
            a9 = b4 ^ (~b0 & b1);
            c4 ^= a9;
            b0 = BitOperations.RotateLeft(e1 ^ d1, 1);
            b1 = BitOperations.RotateLeft(e7 ^ d2, 6);
            b2 = BitOperations.RotateLeft(e13 ^ d3, 25);
            b3 = BitOperations.RotateLeft(e19 ^ d4, 8);
            b4 = BitOperations.RotateLeft(e20 ^ d0, 18);
            a10 = b0 ^ (~b1 & b2);
            c0 ^= a10;
            a11 = b1 ^ (~b2 & b3);
            c1 ^= a11;
            a12 = b2 ^ (~b3 & b4);
            c2 ^= a12;
            a13 = b3 ^ (~b4 & b0);
            c3 ^= a13;
            a14 = b4 ^ (~b0 & b1);
            c4 ^= a14;
            b0 = BitOperations.RotateLeft(e4 ^ d4, 27);
            b1 = BitOperations.RotateLeft(e5 ^ d0, 36);
            b2 = BitOperations.RotateLeft(e11 ^ d1, 10);
            b3 = BitOperations.RotateLeft(e17 ^ d2, 15);
            b4 = BitOperations.RotateLeft(e23 ^ d3, 56);
            a15 = b0 ^ (~b1 & b2);
            c0 ^= a15;
            a16 = b1 ^ (~b2 & b3);
            c1 ^= a16;
            a17 = b2 ^ (~b3 & b4);
            c2 ^= a17;
            a18 = b3 ^ (~b4 & b0);
            c3 ^= a18;
            a19 = b4 ^ (~b0 & b1);
            c4 ^= a19;
            b0 = BitOperations.RotateLeft(e2 ^ d2, 62);
            b1 = BitOperations.RotateLeft(e8 ^ d3, 55);
            b2 = BitOperations.RotateLeft(e14 ^ d4, 39);
            b3 = BitOperations.RotateLeft(e15 ^ d0, 41);
            b4 = BitOperations.RotateLeft(e21 ^ d1, 2);
            a20 = b0 ^ (~b1 & b2);
            c0 ^= a20;
            a21 = b1 ^ (~b2 & b3);
            c1 ^= a21;
            a22 = b2 ^ (~b3 & b4);
            c2 ^= a22;
            a23 = b3 ^ (~b4 & b0);
            c3 ^= a23;
            a24 = b4 ^ (~b0 & b1);
            c4 ^= a24;
        }

        state[0] = a0;
        state[1] = a1;
        state[2] = a2;
        state[3] = a3;
        state[4] = a4;
        state[5] = a5;
        state[6] = a6;
        state[7] = a7;
        state[8] = a8;
        state[9] = a9;
        state[10] = a10;
        state[11] = a11;
        state[12] = a12;
        state[13] = a13;
        state[14] = a14;
        state[15] = a15;
        state[16] = a16;
        state[17] = a17;
        state[18] = a18;
        state[19] = a19;
        state[20] = a20;
        state[21] = a21;
        state[22] = a22;
        state[23] = a23;
        state[24] = a24;
    }
}
