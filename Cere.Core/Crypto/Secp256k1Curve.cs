using System.Runtime.CompilerServices;

namespace Cere.Core.Crypto;

/// <summary>Constants of the secp256k1 curve (SEC 2 §2.4.1) that signature checks need, and scalar arithmetic modulo its order.</summary>
public static class Secp256k1Curve
{
    /// <summary>The group order n = FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFE BAAEDCE6 AF48A03B BFD25E8C D0364141.</summary>
    public static readonly UInt256 Order = new(0xBFD25E8CD0364141UL, 0xBAAEDCE6AF48A03BUL, 0xFFFFFFFFFFFFFFFEUL, 0xFFFFFFFFFFFFFFFFUL);

    /// <summary>⌊n / 2⌋: the largest s that EIP-2 (Homestead) allows in a transaction signature.</summary>
    public static readonly UInt256 HalfOrder = new(0xDFE92F46681B20A0UL, 0x5D576E7357A4501DUL, 0xFFFFFFFFFFFFFFFFUL, 0x7FFFFFFFFFFFFFFFUL);

    /// <summary>True when 1 ≤ <paramref name="value"/> &lt; n: a valid private key, r or s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValidScalar(in UInt256 value) => !value.IsZero && UInt256.LessThan(value, Order);

    /// <summary>n − <paramref name="value"/> for 0 &lt; value &lt; n (the other s of a malleable signature pair).</summary>
    public static UInt256 NegateModOrder(in UInt256 value)
    {
        // Plain 256-bit subtraction with borrow; the caller guarantees value ≤ n, so no wrap-around.
        ulong d0 = Order.U0 - value.U0;
        ulong b0 = Order.U0 < value.U0 ? 1UL : 0UL;
        ulong t1 = Order.U1 - value.U1;
        ulong b1 = (Order.U1 < value.U1 ? 1UL : 0UL) | (t1 < b0 ? 1UL : 0UL);
        ulong d1 = t1 - b0;
        ulong t2 = Order.U2 - value.U2;
        ulong b2 = (Order.U2 < value.U2 ? 1UL : 0UL) | (t2 < b1 ? 1UL : 0UL);
        ulong d2 = t2 - b1;
        ulong d3 = Order.U3 - value.U3 - b2;
        return new UInt256(d0, d1, d2, d3);
    }
}
