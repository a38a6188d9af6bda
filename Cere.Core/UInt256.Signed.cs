using System.Runtime.CompilerServices;

namespace Cere.Core;

/// <summary>Two's complement (signed) views of <see cref="UInt256"/> used by the EVM's signed opcodes.</summary>
public readonly partial struct UInt256
{
    /// <summary>True when the top bit is set (negative as a two's complement int256).</summary>
    public bool IsNegative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (long)U3 < 0;
    }

    /// <summary>Signed a &lt; b (EVM SLT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SignedLessThan(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3)
        {
            return (long)a.U3 < (long)b.U3;
        }

        // Same top word, so same sign: the rest compares as unsigned.
        return LessThan(a, b);
    }

    /// <summary>Signed a &gt; b (EVM SGT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SignedGreaterThan(in UInt256 a, in UInt256 b) => SignedLessThan(b, a);

    /// <summary>Signed division truncating toward zero (EVM SDIV): x/0 = 0 and −2^255 / −1 = −2^255.</summary>
    public static void SignedDivide(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        bool aNeg = a.IsNegative;
        bool bNeg = b.IsNegative;
        Abs(a, aNeg, out UInt256 ua);
        Abs(b, bNeg, out UInt256 ub);

        // |−2^255| is 2^255 as unsigned; its quotient by 1 is 2^255 = −2^255 again, which is what the EVM wants.
        Divide(ua, ub, out UInt256 q);
        if (aNeg != bNeg)
        {
            Negate(q, out q);
        }

        res = q;
    }

    /// <summary>Signed remainder with the sign of the dividend (EVM SMOD): x mod 0 = 0.</summary>
    public static void SignedMod(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        bool aNeg = a.IsNegative;
        Abs(a, aNeg, out UInt256 ua);
        Abs(b, b.IsNegative, out UInt256 ub);
        Mod(ua, ub, out UInt256 r);
        if (aNeg)
        {
            Negate(r, out r);
        }

        res = r;
    }

    /// <summary>EVM SIGNEXTEND: extends the sign bit of byte <paramref name="byteIndex"/> (0 = least significant) upward; index ≥ 31 leaves the value unchanged.</summary>
    public static void SignExtend(in UInt256 byteIndex, in UInt256 value, out UInt256 res)
    {
        if (!byteIndex.FitsInUInt64 || byteIndex.U0 >= 31)
        {
            res = value;
            return;
        }

        int signBit = ((int)byteIndex.U0 * 8) + 7;
        int word = signBit >> 6;
        int bit = signBit & 63;
        ulong v0 = value.U0, v1 = value.U1, v2 = value.U2, v3 = value.U3;
        ulong top = word switch
        {
            0 => v0,
            1 => v1,
            2 => v2,
            _ => v3,
        };

        // All ones or all zeros, the sign bit copied across a word.
        ulong fill = (ulong)(-(long)((top >> bit) & 1));

        // Keep the bits up to and including the sign bit of that word, replace the rest with the fill.
        ulong keep = bit == 63 ? ulong.MaxValue : (1UL << (bit + 1)) - 1;
        ulong merged = (top & keep) | (fill & ~keep);
        res = word switch
        {
            0 => new UInt256(merged, fill, fill, fill),
            1 => new UInt256(v0, merged, fill, fill),
            2 => new UInt256(v0, v1, merged, fill),
            _ => new UInt256(v0, v1, v2, merged),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Abs(in UInt256 value, bool negative, out UInt256 res)
    {
        if (negative)
        {
            Negate(value, out res);
        }
        else
        {
            res = value;
        }
    }
}
