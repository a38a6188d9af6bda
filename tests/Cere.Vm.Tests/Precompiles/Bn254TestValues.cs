using System.Numerics;
using Cere.Vm.Precompiles;
using Cere.Vm.Tests.Precompiles.Reference;
using CsCheck;

namespace Cere.Vm.Tests.Precompiles;

/// <summary>Conversions between the Montgomery types and BigInteger, and CsCheck generators of field elements.</summary>
internal static class Bn254TestValues
{
    public static readonly BigInteger P = RefField.P;

    public static readonly BigInteger R = RefField.R;

    /// <summary>Field elements: uniform 256-bit values mod p, mixed with 0, 1, 2, p − 1, p − 2 and values near limb edges.</summary>
    public static readonly Gen<BigInteger> Element = Gen.Frequency(
        (6, Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % P)),
        (1, Gen.OneOf(BigInteger.Zero, BigInteger.One, new BigInteger(2), P - 1, P - 2, (P - 1) / 2, (P + 1) / 2)),
        (1, Gen.Int[0, 255].Select(k => ((BigInteger.One << k) + P - 1) % P)));

    public static readonly Gen<RefFp2> Element2 = Gen.Select(Element, Element, (a, b) => new RefFp2(a, b));

    public static Fp ToFp(BigInteger v)
    {
        BigInteger m = RefField.Mod(v);
        Span<byte> be = stackalloc byte[32];
        m.TryWriteBytes(be[(32 - m.GetByteCount(true))..], out _, isUnsigned: true, isBigEndian: true);
        Assert.That(Fp.TryRead(be, out Fp f), Is.True);
        return f;
    }

    public static BigInteger ToBig(Fp f)
    {
        Span<byte> be = stackalloc byte[32];
        f.Write(be);
        return new BigInteger(be, isUnsigned: true, isBigEndian: true);
    }

    public static Fp2 ToFp2(RefFp2 v) => new(ToFp(v.A), ToFp(v.B));

    public static RefFp2 ToRef(Fp2 v) => new(ToBig(v.A), ToBig(v.B));

    public static byte[] Be32(BigInteger v)
    {
        byte[] be = new byte[32];
        v.TryWriteBytes(be.AsSpan(32 - v.GetByteCount(true)), out _, isUnsigned: true, isBigEndian: true);
        return be;
    }
}
