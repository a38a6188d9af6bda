using System.Runtime.CompilerServices;
using Cere.Core;

namespace Cere.Vm.Interpreter;

/// <summary>
/// The heavier arithmetic opcodes on the stack in place: each takes a reference to the top item and leaves its
/// result where the last operand was.
/// </summary>
/// <remarks>
/// Kept out of line on purpose: inlining them all into the interpreter loop gives the JIT more locals than it
/// tracks, and then the whole loop keeps its temporaries in memory.
/// </remarks>
internal static class StackArithmetic
{
    /// <summary>ADD: carries through the four words without out parameters (they keep temporaries in memory).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Add(ref UInt256 top)
    {
        ref UInt256 b = ref Unsafe.Subtract(ref top, 1);
        ulong a0 = top.U0, a1 = top.U1, a2 = top.U2, a3 = top.U3;
        ulong r0 = a0 + b.U0;
        ulong c = r0 < a0 ? 1UL : 0UL;
        ulong t1 = a1 + b.U1;
        ulong r1 = t1 + c;
        c = (t1 < a1 ? 1UL : 0UL) | (r1 < t1 ? 1UL : 0UL);
        ulong t2 = a2 + b.U2;
        ulong r2 = t2 + c;
        c = (t2 < a2 ? 1UL : 0UL) | (r2 < t2 ? 1UL : 0UL);
        ulong r3 = a3 + b.U3 + c;
        b = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>SUB: top − second.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Sub(ref UInt256 top)
    {
        ref UInt256 b = ref Unsafe.Subtract(ref top, 1);
        ulong a0 = top.U0, a1 = top.U1, a2 = top.U2, a3 = top.U3;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2;
        ulong r0 = a0 - b0;
        ulong c = a0 < b0 ? 1UL : 0UL;
        ulong t1 = a1 - b1;
        ulong r1 = t1 - c;
        c = (a1 < b1 ? 1UL : 0UL) | (t1 < c ? 1UL : 0UL);
        ulong t2 = a2 - b2;
        ulong r2 = t2 - c;
        c = (a2 < b2 ? 1UL : 0UL) | (t2 < c ? 1UL : 0UL);
        ulong r3 = a3 - b.U3 - c;
        b = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>LT: top &lt; second.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Lt(ref UInt256 top)
    {
        ref UInt256 b = ref Unsafe.Subtract(ref top, 1);
        b = new UInt256(UInt256.LessThan(top, b) ? 1UL : 0UL);
    }

    /// <summary>GT: top &gt; second.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Gt(ref UInt256 top)
    {
        ref UInt256 b = ref Unsafe.Subtract(ref top, 1);
        b = new UInt256(UInt256.LessThan(b, top) ? 1UL : 0UL);
    }

    /// <summary>EQ.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Eq(ref UInt256 top)
    {
        ref UInt256 b = ref Unsafe.Subtract(ref top, 1);
        b = new UInt256(((top.U0 ^ b.U0) | (top.U1 ^ b.U1) | (top.U2 ^ b.U2) | (top.U3 ^ b.U3)) == 0 ? 1UL : 0UL);
    }

    /// <summary>ISZERO.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void IsZero(ref UInt256 top) => top = new UInt256((top.U0 | top.U1 | top.U2 | top.U3) == 0 ? 1UL : 0UL);

    /// <summary>AND.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void And(ref UInt256 top)
    {
        ref UInt256 b = ref Unsafe.Subtract(ref top, 1);
        b = new UInt256(top.U0 & b.U0, top.U1 & b.U1, top.U2 & b.U2, top.U3 & b.U3);
    }

    /// <summary>OR.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Or(ref UInt256 top)
    {
        ref UInt256 b = ref Unsafe.Subtract(ref top, 1);
        b = new UInt256(top.U0 | b.U0, top.U1 | b.U1, top.U2 | b.U2, top.U3 | b.U3);
    }

    /// <summary>XOR.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Xor(ref UInt256 top)
    {
        ref UInt256 b = ref Unsafe.Subtract(ref top, 1);
        b = new UInt256(top.U0 ^ b.U0, top.U1 ^ b.U1, top.U2 ^ b.U2, top.U3 ^ b.U3);
    }

    /// <summary>NOT.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Not(ref UInt256 top) => top = new UInt256(~top.U0, ~top.U1, ~top.U2, ~top.U3);

    /// <summary>MUL.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Mul(ref UInt256 top)
    {
        ref ulong a = ref Unsafe.As<UInt256, ulong>(ref top);
        ref ulong b = ref Unsafe.Subtract(ref a, 4);

        // One operand in 64 bits (a constant, a size, a counter) is the common case: four products, not ten.
        if ((Unsafe.Add(ref b, 1) | Unsafe.Add(ref b, 2) | Unsafe.Add(ref b, 3)) == 0)
        {
            MulWord(ref a, b, ref b);
        }
        else if ((Unsafe.Add(ref a, 1) | Unsafe.Add(ref a, 2) | Unsafe.Add(ref a, 3)) == 0)
        {
            MulWord(ref b, a, ref b);
        }
        else
        {
            UInt256.Multiply(top, Unsafe.Subtract(ref top, 1), out Unsafe.Subtract(ref top, 1));
        }
    }

    /// <summary>to = x · m mod 2^256 for a 64-bit m, word by word (to may be x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulWord(ref ulong x, ulong m, ref ulong to)
    {
        ulong h0 = WideMath.BigMul(x, m, out ulong r0);
        ulong h1 = WideMath.BigMul(Unsafe.Add(ref x, 1), m, out ulong l1);
        ulong h2 = WideMath.BigMul(Unsafe.Add(ref x, 2), m, out ulong l2);
        ulong x3 = Unsafe.Add(ref x, 3);
        ulong r1 = l1 + h0;
        ulong c = r1 < l1 ? 1UL : 0UL;

        // h1 ≤ 2^64 − 2, so h1 + c does not wrap.
        ulong t = h1 + c;
        ulong r2 = l2 + t;
        c = r2 < t ? 1UL : 0UL;
        Unsafe.Add(ref to, 3) = (x3 * m) + h2 + c;
        to = r0;
        Unsafe.Add(ref to, 1) = r1;
        Unsafe.Add(ref to, 2) = r2;
    }

    /// <summary>DIV.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Div(ref UInt256 top) => UInt256.Divide(top, Unsafe.Subtract(ref top, 1), out Unsafe.Subtract(ref top, 1));

    /// <summary>SDIV.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SDiv(ref UInt256 top) => UInt256.SignedDivide(top, Unsafe.Subtract(ref top, 1), out Unsafe.Subtract(ref top, 1));

    /// <summary>MOD.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Mod(ref UInt256 top) => UInt256.Mod(top, Unsafe.Subtract(ref top, 1), out Unsafe.Subtract(ref top, 1));

    /// <summary>SMOD.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SMod(ref UInt256 top) => UInt256.SignedMod(top, Unsafe.Subtract(ref top, 1), out Unsafe.Subtract(ref top, 1));

    /// <summary>ADDMOD.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AddMod(ref UInt256 top) =>
        UInt256.AddMod(top, Unsafe.Subtract(ref top, 1), Unsafe.Subtract(ref top, 2), out Unsafe.Subtract(ref top, 2));

    /// <summary>MULMOD.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void MulMod(ref UInt256 top) =>
        UInt256.MulMod(top, Unsafe.Subtract(ref top, 1), Unsafe.Subtract(ref top, 2), out Unsafe.Subtract(ref top, 2));

    /// <summary>EXP: charges the EIP-160 per-byte cost; returns the gas left (negative: out of gas, nothing changed).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Exp(ref UInt256 top, long gas)
    {
        ref UInt256 e = ref Unsafe.Subtract(ref top, 1);
        gas -= GasCosts.ExpByte * e.ByteLength; // EIP-160
        if (gas >= 0)
        {
            UInt256.Exp(top, e, out e);
        }

        return gas;
    }

    /// <summary>SIGNEXTEND.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SignExtend(ref UInt256 top) => UInt256.SignExtend(top, Unsafe.Subtract(ref top, 1), out Unsafe.Subtract(ref top, 1));

    /// <summary>SLT.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Slt(ref UInt256 top) =>
        Unsafe.Subtract(ref top, 1) = new UInt256(UInt256.SignedLessThan(top, Unsafe.Subtract(ref top, 1)) ? 1UL : 0UL);

    /// <summary>SGT.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Sgt(ref UInt256 top) =>
        Unsafe.Subtract(ref top, 1) = new UInt256(UInt256.SignedLessThan(Unsafe.Subtract(ref top, 1), top) ? 1UL : 0UL);

    /// <summary>BYTE.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Byte(ref UInt256 top) => UInt256.Byte(top, Unsafe.Subtract(ref top, 1), out Unsafe.Subtract(ref top, 1));

    /// <summary>SHL: shift at the top, value below.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Shl(ref UInt256 top) => UInt256.LeftShift(Unsafe.Subtract(ref top, 1), top, out Unsafe.Subtract(ref top, 1));

    /// <summary>SHR: shift at the top, value below.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Shr(ref UInt256 top) => UInt256.RightShift(Unsafe.Subtract(ref top, 1), top, out Unsafe.Subtract(ref top, 1));

    /// <summary>SAR: shift at the top, value below.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Sar(ref UInt256 top) => UInt256.ArithmeticRightShift(Unsafe.Subtract(ref top, 1), top, out Unsafe.Subtract(ref top, 1));
}
