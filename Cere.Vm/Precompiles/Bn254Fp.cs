using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Cere.Core;

namespace Cere.Vm.Precompiles;

/// <summary>
/// An element of the alt_bn128 base field Fp (p ≈ 2^253.6), stored as four little-endian 64-bit limbs in Montgomery
/// form (x·2^256 mod p). Always fully reduced (&lt; p), so equality is limb equality.
/// </summary>
internal readonly partial struct Fp : IEquatable<Fp>
{
    // p = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47 (EIP-196).
    public const ulong P0 = 0x3c208c16d87cfd47, P1 = 0x97816a916871ca8d, P2 = 0xb85045b68181585d, P3 = 0x30644e72e131a029;

    // −p⁻¹ mod 2^64, the Montgomery reduction factor.
    private const ulong NPrime = 0x87d20782e4866389;

    // 2^512 mod p: multiplying by it enters Montgomery form.
    private const ulong R20 = 0xf32cfc5b538afa89, R21 = 0xb5e71911d44501fb, R22 = 0x47ab1eff0a417ff6, R23 = 0x06d89f71cab8351f;

    // 2^256 mod p: one in Montgomery form.
    private const ulong One0 = 0xd35d438dc58f0d9d, One1 = 0x0a78eb28f5c70b3d, One2 = 0x666ea36f7879462c, One3 = 0x0e0a77c19a07df2f;

    private readonly ulong _l0, _l1, _l2, _l3;

    private Fp(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        _l0 = l0;
        _l1 = l1;
        _l2 = l2;
        _l3 = l3;
    }

    /// <summary>Zero.</summary>
    public static Fp Zero => default;

    /// <summary>One.</summary>
    public static Fp One => new(One0, One1, One2, One3);

    /// <summary>True for zero.</summary>
    public bool IsZero => (_l0 | _l1 | _l2 | _l3) == 0;

    /// <summary>True for one.</summary>
    public bool IsOne => _l0 == One0 && _l1 == One1 && _l2 == One2 && _l3 == One3;

    /// <summary>The field element equal to a small integer.</summary>
    public static Fp FromUInt64(ulong v) => ToMontgomery(v, 0, 0, 0);

    /// <summary>Reads a 32-byte big-endian integer; false if it is not below p (EIP-196 rejects such coordinates).</summary>
    public static bool TryRead(ReadOnlySpan<byte> be32, out Fp value)
    {
        ulong l3 = BinaryPrimitives.ReadUInt64BigEndian(be32);
        ulong l2 = BinaryPrimitives.ReadUInt64BigEndian(be32[8..]);
        ulong l1 = BinaryPrimitives.ReadUInt64BigEndian(be32[16..]);
        ulong l0 = BinaryPrimitives.ReadUInt64BigEndian(be32[24..]);
        if (!LessThanP(l0, l1, l2, l3))
        {
            value = default;
            return false;
        }

        value = ToMontgomery(l0, l1, l2, l3);
        return true;
    }

    /// <summary>Writes the canonical value as a 32-byte big-endian integer.</summary>
    public void Write(Span<byte> be32)
    {
        // Montgomery multiplication by plain 1 divides by 2^256, leaving the canonical value.
        Fp c = MontMul(this, new Fp(1, 0, 0, 0));
        BinaryPrimitives.WriteUInt64BigEndian(be32, c._l3);
        BinaryPrimitives.WriteUInt64BigEndian(be32[8..], c._l2);
        BinaryPrimitives.WriteUInt64BigEndian(be32[16..], c._l1);
        BinaryPrimitives.WriteUInt64BigEndian(be32[24..], c._l0);
    }

    /// <summary>a + b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Add(in Fp a, in Fp b)
    {
        // Both are below p < 2^254, so the sum fits in 256 bits.
        ulong c = 0;
        ulong r0 = Adc(a._l0, b._l0, ref c);
        ulong r1 = Adc(a._l1, b._l1, ref c);
        ulong r2 = Adc(a._l2, b._l2, ref c);
        ulong r3 = Adc(a._l3, b._l3, ref c);
        return SubtractPIfNotBelow(r0, r1, r2, r3);
    }

    /// <summary>a − b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Sub(in Fp a, in Fp b)
    {
        ulong borrow = 0;
        ulong r0 = Sbb(a._l0, b._l0, ref borrow);
        ulong r1 = Sbb(a._l1, b._l1, ref borrow);
        ulong r2 = Sbb(a._l2, b._l2, ref borrow);
        ulong r3 = Sbb(a._l3, b._l3, ref borrow);

        // On borrow add p back; the mask keeps this branch-free.
        ulong mask = 0 - borrow;
        ulong c = 0;
        r0 = Adc(r0, P0 & mask, ref c);
        r1 = Adc(r1, P1 & mask, ref c);
        r2 = Adc(r2, P2 & mask, ref c);
        r3 = Adc(r3, P3 & mask, ref c);
        return new Fp(r0, r1, r2, r3);
    }

    /// <summary>−a.</summary>
    public static Fp Neg(in Fp a) => Sub(Zero, a);

    /// <summary>2a.</summary>
    public static Fp Double(in Fp a) => Add(a, a);

    /// <summary>a².</summary>
    public static Fp Square(in Fp a) => MontMul(a, a);

    /// <summary>a·b.</summary>
    public static Fp Mul(in Fp a, in Fp b) => MontMul(a, b);

    /// <summary>Square root if a is a square (p ≡ 3 mod 4, so a^((p+1)/4)).</summary>
    public static bool TrySqrt(in Fp a, out Fp root)
    {
        // (p + 1) / 4, most significant limb first.
        ReadOnlySpan<ulong> e = [P3 >> 2, (P2 >> 2) | (P3 << 62), (P1 >> 2) | (P2 << 62), ((P0 >> 2) | (P1 << 62)) + 1];
        Fp r = One;
        for (int i = 0; i < 4; i++)
        {
            for (int bit = 63; bit >= 0; bit--)
            {
                r = MontMul(r, r);
                if (((e[i] >> bit) & 1) != 0)
                {
                    r = MontMul(r, a);
                }
            }
        }

        root = r;
        return MontMul(r, r).Equals(a);
    }

    /// <summary>Field addition.</summary>
    public static Fp operator +(in Fp a, in Fp b) => Add(a, b);

    /// <summary>Field subtraction.</summary>
    public static Fp operator -(in Fp a, in Fp b) => Sub(a, b);

    /// <summary>Field negation.</summary>
    public static Fp operator -(in Fp a) => Neg(a);

    /// <summary>Field multiplication.</summary>
    public static Fp operator *(in Fp a, in Fp b) => MontMul(a, b);

    /// <summary>Limb equality (elements are always reduced).</summary>
    public static bool operator ==(in Fp a, in Fp b) => a.Equals(b);

    /// <summary>Limb inequality.</summary>
    public static bool operator !=(in Fp a, in Fp b) => !a.Equals(b);

    /// <inheritdoc/>
    public bool Equals(Fp other) => ((_l0 ^ other._l0) | (_l1 ^ other._l1) | (_l2 ^ other._l2) | (_l3 ^ other._l3)) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_l0, _l1, _l2, _l3);

    /// <summary>The canonical value as lowercase hex (for test messages).</summary>
    public override string ToString()
    {
        Span<byte> b = stackalloc byte[32];
        Write(b);
        return Convert.ToHexStringLower(b);
    }

    private static Fp ToMontgomery(ulong l0, ulong l1, ulong l2, ulong l3) => MontMul(new Fp(l0, l1, l2, l3), new Fp(R20, R21, R22, R23));

    /// <summary>
    /// a·b·2^−256 mod p by CIOS Montgomery multiplication. p's top limb is below 2^62, so the "no-carry" variant
    /// applies: the running sum never needs a fifth limb, and one conditional subtraction finishes the reduction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp MontMul(in Fp a, in Fp b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        Round(a, b._l0, ref t0, ref t1, ref t2, ref t3);
        Round(a, b._l1, ref t0, ref t1, ref t2, ref t3);
        Round(a, b._l2, ref t0, ref t1, ref t2, ref t3);
        Round(a, b._l3, ref t0, ref t1, ref t2, ref t3);
        return SubtractPIfNotBelow(t0, t1, t2, t3);
    }

    /// <summary>One CIOS round: t = (t + a·bi + m·p) / 2^64 with m chosen so the low limb vanishes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(in Fp a, ulong bi, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
    {
        ulong hiA = MulAdd(a._l0, bi, t0, out t0);
        ulong m = t0 * NPrime;
        ulong hiC = MulAdd(m, P0, t0, out _);

        hiA = MulAdd(a._l1, bi, t1, hiA, out t1);
        hiC = MulAdd(m, P1, t1, hiC, out t0);

        hiA = MulAdd(a._l2, bi, t2, hiA, out t2);
        hiC = MulAdd(m, P2, t2, hiC, out t1);

        hiA = MulAdd(a._l3, bi, t3, hiA, out t3);
        hiC = MulAdd(m, P3, t3, hiC, out t2);

        t3 = hiC + hiA;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp SubtractPIfNotBelow(ulong r0, ulong r1, ulong r2, ulong r3)
    {
        ulong borrow = 0;
        ulong s0 = Sbb(r0, P0, ref borrow);
        ulong s1 = Sbb(r1, P1, ref borrow);
        ulong s2 = Sbb(r2, P2, ref borrow);
        ulong s3 = Sbb(r3, P3, ref borrow);

        // borrow = 1 means r < p: keep r. Selected by mask so the outcome does not steer a branch.
        ulong keep = 0 - borrow;
        return new Fp((r0 & keep) | (s0 & ~keep), (r1 & keep) | (s1 & ~keep), (r2 & keep) | (s2 & ~keep), (r3 & keep) | (s3 & ~keep));
    }

    private static bool LessThanP(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        ulong borrow = 0;
        Sbb(l0, P0, ref borrow);
        Sbb(l1, P1, ref borrow);
        Sbb(l2, P2, ref borrow);
        Sbb(l3, P3, ref borrow);
        return borrow != 0;
    }

    /// <summary>hi:lo = a·b + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd(ulong a, ulong b, ulong c, out ulong lo)
    {
        ulong hi = WideMath.BigMul(a, b, out ulong l);
        lo = l + c;
        return hi + (lo < c ? 1UL : 0UL);
    }

    /// <summary>hi:lo = a·b + c + d (cannot overflow 128 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd(ulong a, ulong b, ulong c, ulong d, out ulong lo)
    {
        ulong hi = WideMath.BigMul(a, b, out ulong l);
        l += c;
        hi += l < c ? 1UL : 0UL;
        lo = l + d;
        return hi + (lo < d ? 1UL : 0UL);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Adc(ulong a, ulong b, ref ulong carry)
    {
        ulong r = a + b + carry;
        carry = ((a & b) | ((a | b) & ~r)) >> 63;
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Sbb(ulong a, ulong b, ref ulong borrow)
    {
        ulong r = a - b - borrow;
        borrow = ((~a & b) | (~(a ^ b) & r)) >> 63;
        return r;
    }
}
