using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cere.Core.Crypto;

/// <summary>An AVX2 Keccak-f[1600] for one state, kept for measurement against the scalar one.</summary>
internal static partial class KeccakF1600
{
    // Layout: seven ymm registers. r00 holds lane (0,0) in all four slots; r01 holds row 0, x = 1..4; r20
    // holds column 0, y = 2, 4, 1, 3; rk1 (k = 1..4) holds lanes (x, k·x mod 5) for x = 1..4. Then θ's column
    // parities for x = 1..4 are plain XORs of five registers, and π (x, y) → (y, 2x + 3y) sends each register
    // to one register (a renaming plus at most one vpermq). χ is the expensive step: its neighbours (x+1, y)
    // and (x+2, y) are spread over several registers and are gathered with vpermq and vpblendd.
    // The body was generated and checked lane by lane against the reference permutation by a script.
    /// <summary>The AVX2 variant (callers check <see cref="Avx2.IsSupported"/>): 123 vector operations per round.</summary>
    internal static void PermuteAvx2(ref KeccakState state)
    {
        Vector256<ulong> r00 = Vector256.Create(state[0]);
        Vector256<ulong> r01 = Vector256.Create(state[1], state[2], state[3], state[4]);
        Vector256<ulong> r20 = Vector256.Create(state[10], state[20], state[5], state[15]);
        Vector256<ulong> r11 = Vector256.Create(state[6], state[12], state[18], state[24]);
        Vector256<ulong> r21 = Vector256.Create(state[11], state[22], state[8], state[19]);
        Vector256<ulong> r31 = Vector256.Create(state[16], state[7], state[23], state[14]);
        Vector256<ulong> r41 = Vector256.Create(state[21], state[17], state[13], state[9]);
        ReadOnlySpan<ulong> roundConstants = RoundConstants;
        for (int round = 0; round < Rounds; round++)
        {
            Vector256<ulong> rc = Vector256.Create(roundConstants[round]);
            Vector256<ulong> t1 = Avx2.Xor(r01, r11);
            Vector256<ulong> t2 = Avx2.Xor(t1, r21);
            Vector256<ulong> t3 = Avx2.Xor(t2, r31);
            Vector256<ulong> t4 = Avx2.Xor(t3, r41);
            Vector256<ulong> t5 = Avx2.Permute4x64(r20, 0b01001110);
            Vector256<ulong> t6 = Avx2.Xor(r20, t5);
            Vector256<ulong> t7 = Avx2.Permute4x64(t6, 0b10110001);
            Vector256<ulong> t8 = Avx2.Xor(t6, t7);
            Vector256<ulong> t9 = Avx2.Xor(t8, r00);
            Vector256<ulong> t10 = Avx2.Permute4x64(t4, 0b10010000);
            Vector256<ulong> t11 = Avx2.Blend(t10.AsUInt32(), t9.AsUInt32(), 0b00000011).AsUInt64();
            Vector256<ulong> t12 = Avx2.Permute4x64(t4, 0b11111001);
            Vector256<ulong> t13 = Avx2.Blend(t12.AsUInt32(), t9.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t14 = Avx2.ShiftLeftLogical(t13, 1);
            Vector256<ulong> t15 = Avx2.ShiftRightLogical(t13, 63);
            Vector256<ulong> t16 = Avx2.Or(t14, t15);
            Vector256<ulong> t17 = Avx2.Xor(t11, t16);
            Vector256<ulong> t18 = Avx2.Permute4x64(t4, 0b11111111);
            Vector256<ulong> t19 = Avx2.Permute4x64(t4, 0b00000000);
            Vector256<ulong> t20 = Avx2.ShiftLeftLogical(t19, 1);
            Vector256<ulong> t21 = Avx2.ShiftRightLogical(t19, 63);
            Vector256<ulong> t22 = Avx2.Or(t20, t21);
            Vector256<ulong> t23 = Avx2.Xor(t18, t22);
            Vector256<ulong> t24 = Avx2.Xor(r00, t23);
            Vector256<ulong> t25 = Avx2.Xor(r01, t17);
            Vector256<ulong> t26 = Avx2.Xor(r20, t23);
            Vector256<ulong> t27 = Avx2.Xor(r11, t17);
            Vector256<ulong> t28 = Avx2.Xor(r21, t17);
            Vector256<ulong> t29 = Avx2.Xor(r31, t17);
            Vector256<ulong> t30 = Avx2.Xor(r41, t17);
            Vector256<ulong> rho31 = t24;
            Vector256<ulong> t33 = Avx2.ShiftLeftLogicalVariable(t25, Vector256.Create(1UL, 62UL, 28UL, 27UL));
            Vector256<ulong> t34 = Avx2.ShiftRightLogicalVariable(t25, Vector256.Create(63UL, 2UL, 36UL, 37UL));
            Vector256<ulong> rho32 = Avx2.Or(t33, t34);
            Vector256<ulong> t36 = Avx2.ShiftLeftLogicalVariable(t26, Vector256.Create(3UL, 18UL, 36UL, 41UL));
            Vector256<ulong> t37 = Avx2.ShiftRightLogicalVariable(t26, Vector256.Create(61UL, 46UL, 28UL, 23UL));
            Vector256<ulong> rho35 = Avx2.Or(t36, t37);
            Vector256<ulong> t39 = Avx2.ShiftLeftLogicalVariable(t27, Vector256.Create(44UL, 43UL, 21UL, 14UL));
            Vector256<ulong> t40 = Avx2.ShiftRightLogicalVariable(t27, Vector256.Create(20UL, 21UL, 43UL, 50UL));
            Vector256<ulong> rho38 = Avx2.Or(t39, t40);
            Vector256<ulong> t42 = Avx2.ShiftLeftLogicalVariable(t28, Vector256.Create(10UL, 61UL, 55UL, 8UL));
            Vector256<ulong> t43 = Avx2.ShiftRightLogicalVariable(t28, Vector256.Create(54UL, 3UL, 9UL, 56UL));
            Vector256<ulong> rho41 = Avx2.Or(t42, t43);
            Vector256<ulong> t45 = Avx2.ShiftLeftLogicalVariable(t29, Vector256.Create(45UL, 6UL, 56UL, 39UL));
            Vector256<ulong> t46 = Avx2.ShiftRightLogicalVariable(t29, Vector256.Create(19UL, 58UL, 8UL, 25UL));
            Vector256<ulong> rho44 = Avx2.Or(t45, t46);
            Vector256<ulong> t48 = Avx2.ShiftLeftLogicalVariable(t30, Vector256.Create(2UL, 15UL, 25UL, 20UL));
            Vector256<ulong> t49 = Avx2.ShiftRightLogicalVariable(t30, Vector256.Create(62UL, 49UL, 39UL, 44UL));
            Vector256<ulong> rho47 = Avx2.Or(t48, t49);
            Vector256<ulong> t50 = Avx2.Permute4x64(rho47, 0b00011011);
            Vector256<ulong> t51 = Avx2.Permute4x64(rho44, 0b10001101);
            Vector256<ulong> t52 = Avx2.Permute4x64(rho35, 0b01110010);
            Vector256<ulong> t53 = Avx2.Permute4x64(rho41, 0b01110010);
            Vector256<ulong> t54 = Avx2.Permute4x64(rho38, 0b00000000);
            Vector256<ulong> t55 = Avx2.Permute4x64(rho38, 0b01010101);
            Vector256<ulong> t56 = Avx2.AndNot(t54, t55);
            Vector256<ulong> t57 = Avx2.Xor(rho31, t56);
            Vector256<ulong> t58 = Avx2.Permute4x64(rho38, 0b11111001);
            Vector256<ulong> t59 = Avx2.Blend(t58.AsUInt32(), rho31.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t60 = Avx2.Permute4x64(rho38, 0b00101110);
            Vector256<ulong> t61 = Avx2.Blend(t60.AsUInt32(), rho31.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t62 = Avx2.AndNot(t59, t61);
            Vector256<ulong> t63 = Avx2.Xor(rho38, t62);
            Vector256<ulong> t64 = Avx2.Permute4x64(rho41, 0b11100110);
            Vector256<ulong> t65 = Avx2.Blend(rho44.AsUInt32(), t64.AsUInt32(), 0b00000011).AsUInt64();
            Vector256<ulong> t66 = Avx2.Blend(t65.AsUInt32(), rho47.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t67 = Avx2.Blend(t66.AsUInt32(), rho35.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t68 = Avx2.Permute4x64(t67, 0b10110001);
            Vector256<ulong> t69 = Avx2.Permute4x64(rho41, 0b11100000);
            Vector256<ulong> t70 = Avx2.Blend(rho47.AsUInt32(), rho44.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t71 = Avx2.Blend(t70.AsUInt32(), rho35.AsUInt32(), 0b00000011).AsUInt64();
            Vector256<ulong> t72 = Avx2.Blend(t71.AsUInt32(), t69.AsUInt32(), 0b00001100).AsUInt64();
            Vector256<ulong> t73 = Avx2.Permute4x64(t72, 0b01001110);
            Vector256<ulong> t74 = Avx2.AndNot(t68, t73);
            Vector256<ulong> t75 = Avx2.Xor(rho32, t74);
            Vector256<ulong> t76 = Avx2.Blend(rho35.AsUInt32(), rho41.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t77 = Avx2.Blend(t76.AsUInt32(), rho44.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t78 = Avx2.Blend(t77.AsUInt32(), rho32.AsUInt32(), 0b00001100).AsUInt64();
            Vector256<ulong> t79 = Avx2.Permute4x64(t78, 0b01101100);
            Vector256<ulong> t80 = Avx2.Blend(rho44.AsUInt32(), rho35.AsUInt32(), 0b00001100).AsUInt64();
            Vector256<ulong> t81 = Avx2.Blend(t80.AsUInt32(), rho32.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t82 = Avx2.Blend(t81.AsUInt32(), rho41.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t83 = Avx2.Permute4x64(t82, 0b10110100);
            Vector256<ulong> t84 = Avx2.AndNot(t79, t83);
            Vector256<ulong> t85 = Avx2.Xor(t50, t84);
            Vector256<ulong> t86 = Avx2.Permute4x64(rho35, 0b11100111);
            Vector256<ulong> t87 = Avx2.Blend(rho47.AsUInt32(), t86.AsUInt32(), 0b00000011).AsUInt64();
            Vector256<ulong> t88 = Avx2.Blend(t87.AsUInt32(), rho41.AsUInt32(), 0b00001100).AsUInt64();
            Vector256<ulong> t89 = Avx2.Blend(t88.AsUInt32(), rho32.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t90 = Avx2.Permute4x64(t89, 0b11010010);
            Vector256<ulong> t91 = Avx2.Permute4x64(rho32, 0b11101000);
            Vector256<ulong> t92 = Avx2.Blend(rho41.AsUInt32(), rho47.AsUInt32(), 0b00000011).AsUInt64();
            Vector256<ulong> t93 = Avx2.Blend(t92.AsUInt32(), t91.AsUInt32(), 0b00001100).AsUInt64();
            Vector256<ulong> t94 = Avx2.Blend(t93.AsUInt32(), rho35.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t95 = Avx2.Permute4x64(t94, 0b10010011);
            Vector256<ulong> t96 = Avx2.AndNot(t90, t95);
            Vector256<ulong> t97 = Avx2.Xor(t51, t96);
            Vector256<ulong> t98 = Avx2.Permute4x64(rho44, 0b11100000);
            Vector256<ulong> t99 = Avx2.Permute4x64(rho47, 0b11000100);
            Vector256<ulong> t100 = Avx2.Permute4x64(rho32, 0b00100100);
            Vector256<ulong> t101 = Avx2.Blend(rho41.AsUInt32(), t98.AsUInt32(), 0b00001100).AsUInt64();
            Vector256<ulong> t102 = Avx2.Blend(t101.AsUInt32(), t99.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t103 = Avx2.Blend(t102.AsUInt32(), t100.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t104 = Avx2.Permute4x64(rho47, 0b11100101);
            Vector256<ulong> t105 = Avx2.Permute4x64(rho32, 0b11010100);
            Vector256<ulong> t106 = Avx2.Permute4x64(rho44, 0b01100100);
            Vector256<ulong> t107 = Avx2.Blend(t104.AsUInt32(), rho41.AsUInt32(), 0b00001100).AsUInt64();
            Vector256<ulong> t108 = Avx2.Blend(t107.AsUInt32(), t105.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t109 = Avx2.Blend(t108.AsUInt32(), t106.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t110 = Avx2.AndNot(t103, t109);
            Vector256<ulong> t111 = Avx2.Xor(t52, t110);
            Vector256<ulong> t112 = Avx2.Blend(rho44.AsUInt32(), t104.AsUInt32(), 0b00000011).AsUInt64();
            Vector256<ulong> t113 = Avx2.Blend(t112.AsUInt32(), rho35.AsUInt32(), 0b00001100).AsUInt64();
            Vector256<ulong> t114 = Avx2.Blend(t113.AsUInt32(), rho32.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t115 = Avx2.Permute4x64(t114, 0b10010011);
            Vector256<ulong> t116 = Avx2.Permute4x64(rho35, 0b11101100);
            Vector256<ulong> t117 = Avx2.Blend(t116.AsUInt32(), rho44.AsUInt32(), 0b00110000).AsUInt64();
            Vector256<ulong> t118 = Avx2.Blend(t117.AsUInt32(), rho32.AsUInt32(), 0b00000011).AsUInt64();
            Vector256<ulong> t119 = Avx2.Blend(t118.AsUInt32(), rho47.AsUInt32(), 0b11000000).AsUInt64();
            Vector256<ulong> t120 = Avx2.Permute4x64(t119, 0b11001001);
            Vector256<ulong> t121 = Avx2.AndNot(t115, t120);
            Vector256<ulong> t122 = Avx2.Xor(t53, t121);
            Vector256<ulong> t123 = Avx2.Xor(t57, rc);
            r00 = t123;
            r01 = t63;
            r20 = t75;
            r11 = t85;
            r21 = t97;
            r31 = t111;
            r41 = t122;
        }

        state[0] = r00.ToScalar();
        state[1] = r01.GetElement(0);
        state[2] = r01.GetElement(1);
        state[3] = r01.GetElement(2);
        state[4] = r01.GetElement(3);
        state[10] = r20.GetElement(0);
        state[20] = r20.GetElement(1);
        state[5] = r20.GetElement(2);
        state[15] = r20.GetElement(3);
        state[6] = r11.GetElement(0);
        state[12] = r11.GetElement(1);
        state[18] = r11.GetElement(2);
        state[24] = r11.GetElement(3);
        state[11] = r21.GetElement(0);
        state[22] = r21.GetElement(1);
        state[8] = r21.GetElement(2);
        state[19] = r21.GetElement(3);
        state[16] = r31.GetElement(0);
        state[7] = r31.GetElement(1);
        state[23] = r31.GetElement(2);
        state[14] = r31.GetElement(3);
        state[21] = r41.GetElement(0);
        state[17] = r41.GetElement(1);
        state[13] = r41.GetElement(2);
        state[9] = r41.GetElement(3);
    }
}
