using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cere.Core;

/// <summary>Bitwise operations, shifts and byte extraction of <see cref="UInt256"/>.</summary>
public readonly partial struct UInt256
{
    // With 256-bit vectors each bitwise operation is one load, one instruction and one store. Unsafe.As views the
    // 32-byte struct (four ulongs, sequential layout) as a Vector256<ulong> of the same size, so no byte is read or
    // written outside the value.

    /// <summary>res = a AND b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void And(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Unsafe.SkipInit(out res);
            AsWritableVector(ref res) = AsVector(a) & AsVector(b);
            return;
        }

        res = new UInt256(a.U0 & b.U0, a.U1 & b.U1, a.U2 & b.U2, a.U3 & b.U3);
    }

    /// <summary>res = a OR b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Or(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Unsafe.SkipInit(out res);
            AsWritableVector(ref res) = AsVector(a) | AsVector(b);
            return;
        }

        res = new UInt256(a.U0 | b.U0, a.U1 | b.U1, a.U2 | b.U2, a.U3 | b.U3);
    }

    /// <summary>res = a XOR b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Xor(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Unsafe.SkipInit(out res);
            AsWritableVector(ref res) = AsVector(a) ^ AsVector(b);
            return;
        }

        res = new UInt256(a.U0 ^ b.U0, a.U1 ^ b.U1, a.U2 ^ b.U2, a.U3 ^ b.U3);
    }

    /// <summary>res = NOT a (every bit flipped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Not(in UInt256 a, out UInt256 res)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Unsafe.SkipInit(out res);
            AsWritableVector(ref res) = ~AsVector(a);
            return;
        }

        res = new UInt256(~a.U0, ~a.U1, ~a.U2, ~a.U3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> AsVector(in UInt256 value) =>
        Unsafe.As<UInt256, Vector256<ulong>>(ref Unsafe.AsRef(in value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector256<ulong> AsWritableVector(ref UInt256 value) =>
        ref Unsafe.As<UInt256, Vector256<ulong>>(ref value);

    /// <summary>res = value &lt;&lt; shift mod 2^256; a shift outside 0..255 (including negative) gives zero.</summary>
    public static void LeftShift(in UInt256 value, int shift, out UInt256 res)
    {
        if ((uint)shift >= 256)
        {
            res = default;
            return;
        }

        ulong v0 = value.U0, v1 = value.U1, v2 = value.U2, v3 = value.U3;
        int words = shift >> 6;
        int bits = shift & 63;
        if (bits != 0)
        {
            int back = 64 - bits;
            v3 = (v3 << bits) | (v2 >> back);
            v2 = (v2 << bits) | (v1 >> back);
            v1 = (v1 << bits) | (v0 >> back);
            v0 <<= bits;
        }

        res = words switch
        {
            0 => new UInt256(v0, v1, v2, v3),
            1 => new UInt256(0, v0, v1, v2),
            2 => new UInt256(0, 0, v0, v1),
            _ => new UInt256(0, 0, 0, v0),
        };
    }

    /// <summary>res = value &gt;&gt; shift (logical); a shift outside 0..255 (including negative) gives zero.</summary>
    public static void RightShift(in UInt256 value, int shift, out UInt256 res)
    {
        if ((uint)shift >= 256)
        {
            res = default;
            return;
        }

        ShiftRightFill(value, shift, 0, out res);
    }

    /// <summary>res = value &gt;&gt; shift filling with the sign bit (EVM SAR); a shift outside 0..255 gives 0 or all ones.</summary>
    public static void ArithmeticRightShift(in UInt256 value, int shift, out UInt256 res)
    {
        // Fill word: all ones for a negative value, zero otherwise.
        ulong fill = (ulong)((long)value.U3 >> 63);
        if ((uint)shift >= 256)
        {
            res = new UInt256(fill, fill, fill, fill);
            return;
        }

        ShiftRightFill(value, shift, fill, out res);
    }

    /// <summary>res = value &lt;&lt; shift, with the shift taken as a 256-bit number (EVM SHL).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LeftShift(in UInt256 value, in UInt256 shift, out UInt256 res) =>
        LeftShift(value, ShiftAmount(shift), out res);

    /// <summary>res = value &gt;&gt; shift (logical), with the shift taken as a 256-bit number (EVM SHR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RightShift(in UInt256 value, in UInt256 shift, out UInt256 res) =>
        RightShift(value, ShiftAmount(shift), out res);

    /// <summary>Arithmetic right shift with the shift taken as a 256-bit number (EVM SAR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ArithmeticRightShift(in UInt256 value, in UInt256 shift, out UInt256 res) =>
        ArithmeticRightShift(value, ShiftAmount(shift), out res);

    // Any shift of 256 or more behaves the same, so huge shifts collapse to 256.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShiftAmount(in UInt256 shift) => shift.FitsInUInt64 && shift.U0 < 256 ? (int)shift.U0 : 256;

    // Shifts right by 0..255, bringing `fill` (0 or all ones) in from the top.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftRightFill(in UInt256 value, int shift, ulong fill, out UInt256 res)
    {
        ulong v0 = value.U0, v1 = value.U1, v2 = value.U2, v3 = value.U3;
        int words = shift >> 6;
        int bits = shift & 63;
        switch (words)
        {
            case 1:
                (v0, v1, v2, v3) = (v1, v2, v3, fill);
                break;
            case 2:
                (v0, v1, v2, v3) = (v2, v3, fill, fill);
                break;
            case 3:
                (v0, v1, v2, v3) = (v3, fill, fill, fill);
                break;
        }

        if (bits != 0)
        {
            int back = 64 - bits;
            v0 = (v0 >> bits) | (v1 << back);
            v1 = (v1 >> bits) | (v2 << back);
            v2 = (v2 >> bits) | (v3 << back);
            v3 = (v3 >> bits) | (fill << back);
        }

        res = new UInt256(v0, v1, v2, v3);
    }

    /// <summary>EVM BYTE: byte <paramref name="index"/> of the 32-byte big-endian form (0 = most significant); 0 when index ≥ 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Byte(in UInt256 index, in UInt256 value)
    {
        if (!index.FitsInUInt64 || index.U0 >= 32)
        {
            return 0;
        }

        int fromLow = 31 - (int)index.U0;
        ulong word = (fromLow >> 3) switch
        {
            0 => value.U0,
            1 => value.U1,
            2 => value.U2,
            _ => value.U3,
        };
        return (byte)(word >> ((fromLow & 7) * 8));
    }

    /// <summary>EVM BYTE into a 256-bit result (see <see cref="Byte(in UInt256, in UInt256)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Byte(in UInt256 index, in UInt256 value, out UInt256 res) => res = new UInt256(Byte(index, value));

    /// <summary>Bitwise AND.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator &(in UInt256 a, in UInt256 b)
    {
        And(a, b, out UInt256 res);
        return res;
    }

    /// <summary>Bitwise OR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator |(in UInt256 a, in UInt256 b)
    {
        Or(a, b, out UInt256 res);
        return res;
    }

    /// <summary>Bitwise XOR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator ^(in UInt256 a, in UInt256 b)
    {
        Xor(a, b, out UInt256 res);
        return res;
    }

    /// <summary>Bitwise NOT.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator ~(in UInt256 a)
    {
        Not(a, out UInt256 res);
        return res;
    }

    /// <summary>Left shift mod 2^256 (unlike C# ints, the count is not masked: 256 or more, or negative, gives zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator <<(in UInt256 value, int shift)
    {
        LeftShift(value, shift, out UInt256 res);
        return res;
    }

    /// <summary>Logical right shift (the count is not masked: 256 or more, or negative, gives zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 operator >>(in UInt256 value, int shift)
    {
        RightShift(value, shift, out UInt256 res);
        return res;
    }
}
