using System.Runtime.CompilerServices;

namespace Cere.Vm.Interpreter;

/// <summary>
/// The cheap, frequent opcodes inlined into the interpreter loop: each works in place on raw stack words (top item
/// at <c>a</c>, the one below at <c>a − 4</c>), with scalar 64-bit temporaries only.
/// </summary>
/// <remarks>
/// Scalar on purpose: struct temporaries in the loop stop the JIT from enregistering them (the whole loop's frame
/// then grows), and word-wise stores keep store-to-load forwarding working for the next opcode's word-wise reads.
/// The caller (the loop) guarantees, by its block entry checks, that the items exist.
/// </remarks>
internal static unsafe class InlineArithmetic
{
    /// <summary>ADD: a + b into b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ulong* a)
    {
        ulong* b = a - 4;
        ulong a0 = a[0], a1 = a[1], a2 = a[2];
        ulong r0 = a0 + b[0];
        ulong c = r0 < a0 ? 1UL : 0UL;
        ulong t1 = a1 + b[1];
        ulong r1 = t1 + c;
        c = (t1 < a1 ? 1UL : 0UL) | (r1 < t1 ? 1UL : 0UL);
        ulong t2 = a2 + b[2];
        ulong r2 = t2 + c;
        c = (t2 < a2 ? 1UL : 0UL) | (r2 < t2 ? 1UL : 0UL);
        b[3] = a[3] + b[3] + c;
        b[0] = r0;
        b[1] = r1;
        b[2] = r2;
    }

    /// <summary>SUB: a − b into b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub(ulong* a)
    {
        ulong* b = a - 4;
        ulong a0 = a[0], a1 = a[1], a2 = a[2];
        ulong b0 = b[0], b1 = b[1], b2 = b[2];
        ulong r0 = a0 - b0;
        ulong c = a0 < b0 ? 1UL : 0UL;
        ulong t1 = a1 - b1;
        ulong r1 = t1 - c;
        c = (a1 < b1 ? 1UL : 0UL) | (t1 < c ? 1UL : 0UL);
        ulong t2 = a2 - b2;
        ulong r2 = t2 - c;
        c = (a2 < b2 ? 1UL : 0UL) | (t2 < c ? 1UL : 0UL);
        b[3] = a[3] - b[3] - c;
        b[0] = r0;
        b[1] = r1;
        b[2] = r2;
    }

    /// <summary>LT (<paramref name="swap"/> false: a &lt; b) or GT (true: b &lt; a), the 0/1 result into b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Less(ulong* a, bool swap)
    {
        ulong* b = a - 4;
        ulong* x = swap ? b : a;
        ulong* y = swap ? a : b;
        bool less;

        // Most compared values are small (counters, lengths, offsets): one compare when both fit in 64 bits.
        if ((x[1] | x[2] | x[3] | y[1] | y[2] | y[3]) == 0)
        {
            less = x[0] < y[0];
        }
        else
        {
            less = x[3] != y[3] ? x[3] < y[3] : x[2] != y[2] ? x[2] < y[2] : x[1] != y[1] ? x[1] < y[1] : x[0] < y[0];
        }

        SetBool(b, less);
    }

    /// <summary>EQ, the 0/1 result into b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Eq(ulong* a)
    {
        ulong* b = a - 4;
        SetBool(b, ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0);
    }

    /// <summary>ISZERO in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void IsZero(ulong* a) => SetBool(a, (a[0] | a[1] | a[2] | a[3]) == 0);

    /// <summary>AND into b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void And(ulong* a)
    {
        ulong* b = a - 4;
        b[0] &= a[0];
        b[1] &= a[1];
        b[2] &= a[2];
        b[3] &= a[3];
    }

    /// <summary>OR into b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Or(ulong* a)
    {
        ulong* b = a - 4;
        b[0] |= a[0];
        b[1] |= a[1];
        b[2] |= a[2];
        b[3] |= a[3];
    }

    /// <summary>XOR into b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Xor(ulong* a)
    {
        ulong* b = a - 4;
        b[0] ^= a[0];
        b[1] ^= a[1];
        b[2] ^= a[2];
        b[3] ^= a[3];
    }

    /// <summary>NOT in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Not(ulong* a)
    {
        a[0] = ~a[0];
        a[1] = ~a[1];
        a[2] = ~a[2];
        a[3] = ~a[3];
    }

    /// <summary>
    /// SHR by 1..63 (the shift at a, the value below, the result into b); false, with nothing changed, for any other
    /// shift (the caller then runs the general handler).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ShrSmall(ulong* a)
    {
        ulong shift = a[0];
        if ((a[1] | a[2] | a[3]) != 0 || shift - 1 >= 63)
        {
            return false;
        }

        ulong* b = a - 4;
        int k = (int)shift;
        int back = 64 - k;
        ulong b1 = b[1], b2 = b[2], b3 = b[3];
        b[0] = (b[0] >> k) | (b1 << back);
        b[1] = (b1 >> k) | (b2 << back);
        b[2] = (b2 >> k) | (b3 << back);
        b[3] = b3 >> k;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetBool(ulong* to, bool value)
    {
        to[0] = value ? 1UL : 0UL;
        to[1] = 0;
        to[2] = 0;
        to[3] = 0;
    }
}
