using System.Numerics;
using Cere.Vm.Precompiles;
using Cere.Vm.Tests.Precompiles.Reference;
using CsCheck;
using static Cere.Vm.Tests.Precompiles.Bn254TestValues;

namespace Cere.Vm.Tests.Precompiles;

/// <summary>
/// 0x06 (ECADD) and 0x07 (ECMUL) against the old BigInteger implementation on random and edge inputs, and the G2
/// decoding rules (on-twist, order-r subgroup, canonical coordinates) that 0x08 relies on.
/// </summary>
[TestFixture]
public sealed class Bn254CurveTests
{
    private static readonly Gen<BigInteger> Scalar = Gen.Frequency(
        (4, Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true))),
        (1, Gen.OneOf(BigInteger.Zero, BigInteger.One, new BigInteger(2), R - 1, R, R + 1, (BigInteger.One << 256) - 1, P, P - 1)));

    /// <summary>
    /// Random G1 points as k·(1, 2), plus infinity. Made with the fast ECMUL (the reference would take most of the
    /// run); the tests check with the reference decoder that each is a valid point.
    /// </summary>
    private static readonly Gen<byte[]> G1Point = Gen.Frequency(
        (8, Scalar.Select(k => AltBn128.Mul([.. Be32(1), .. Be32(2), .. Be32(k)])!)),
        (1, Gen.Const(new byte[64])));

    [Test]
    public void AddMatchesReference() => Gen.Select(G1Point, G1Point).Sample((a, b) =>
    {
        byte[] input = [.. a, .. b];
        byte[]? expected = Bn254Reference.Add(input);
        Assert.That(expected, Is.Not.Null, "valid inputs");
        Assert.That(AltBn128.Add(input), Is.EqualTo(expected));
    }, iter: 200);

    [Test]
    public void AddOfPointAndItselfOrItsNegationMatchesReference() => G1Point.Sample(a =>
    {
        byte[] neg = [.. a[..32], .. Be32(RefField.Mod(-new BigInteger(a.AsSpan(32), isUnsigned: true, isBigEndian: true)))];
        byte[] twice = [.. a, .. a];
        byte[] cancel = [.. a, .. neg];
        Assert.That(AltBn128.Add(twice), Is.EqualTo(Bn254Reference.Add(twice)));
        Assert.That(AltBn128.Add(cancel), Is.EqualTo(new byte[64]));
    }, iter: 50);

    [Test]
    public void MulMatchesReference() => Gen.Select(G1Point, Scalar).Sample((a, k) =>
    {
        byte[] input = [.. a, .. Be32(k)];
        Assert.That(AltBn128.Mul(input), Is.EqualTo(Bn254Reference.Mul(input)));
    }, iter: 25);

    [Test]
    public void ShortAndLongInputsArePaddedOrTruncated()
    {
        byte[] g = RefG1Bytes(new RefG1(1, 2, false));
        byte[][] inputs = [[], g[..63], g, [.. g, .. g, 1, 2, 3], [.. g, 0, 0, 7]];
        foreach (byte[] input in inputs)
        {
            Assert.That(AltBn128.Add(input), Is.EqualTo(Bn254Reference.Add(input)));
            Assert.That(AltBn128.Mul(input), Is.EqualTo(Bn254Reference.Mul(input)));
        }
    }

    [Test]
    public void InvalidG1PointsFail()
    {
        byte[] g = RefG1Bytes(new RefG1(1, 2, false));
        byte[] offCurve = [.. Be32(1), .. Be32(3)];
        byte[] xNotCanonical = [.. Be32(P + 1), .. Be32(2)];
        byte[] yNotCanonical = [.. Be32(1), .. Be32(P + 2)];
        byte[] infinityPlusP = [.. Be32(0), .. Be32(P)];
        foreach (byte[] bad in new[] { offCurve, xNotCanonical, yNotCanonical, infinityPlusP })
        {
            Assert.That(AltBn128.Add([.. bad, .. g]), Is.Null);
            Assert.That(AltBn128.Add([.. g, .. bad]), Is.Null);
            Assert.That(AltBn128.Mul([.. bad, .. Be32(5)]), Is.Null);
            Assert.That(Bn254Reference.Add([.. bad, .. g]), Is.Null, "the reference agrees");
        }
    }

    [Test]
    public void G2GeneratorIsAcceptedAndItsMultiplesToo()
    {
        Assert.That(G2Affine.TryRead(G2Generator, out G2Affine g), Is.True);
        Assert.That(g.IsInfinity, Is.False);
        G2Affine g5 = G2Jacobian.Multiply(g, [5]).ToAffine();
        Assert.That(g5.IsOnCurve() && g5.IsInSubgroup(), Is.True);
        Assert.That(G2Jacobian.Multiply(g, Bn254Constants.Limbs(R - 1)).ToAffine(), Is.EqualTo(g.Negate()));
    }

    [Test]
    public void G2InfinityIsAccepted()
    {
        Assert.That(G2Affine.TryRead(new byte[128], out G2Affine inf), Is.True);
        Assert.That(inf.IsInfinity, Is.True);
    }

    [Test]
    public void G2NonCanonicalCoordinatesFail()
    {
        for (int i = 0; i < 4; i++)
        {
            byte[] bad = (byte[])G2Generator.Clone();
            BigInteger c = new(bad.AsSpan(32 * i, 32), isUnsigned: true, isBigEndian: true);
            Be32(c + P).CopyTo(bad, 32 * i);
            Assert.That(G2Affine.TryRead(bad, out _), Is.False, $"coordinate {i} + p");
        }
    }

    [Test]
    public void G2PointsOffTheTwistFail()
    {
        byte[] bad = (byte[])G2Generator.Clone();
        bad[127] ^= 1;
        Assert.That(G2Affine.TryRead(bad, out _), Is.False);
        Assert.That(RefG2.TryRead(bad, out _), Is.False, "the reference agrees");
    }

    [Test]
    public void G2TwistPointsOutsideTheSubgroupFail()
    {
        int found = 0;
        for (int x = 1; found < 4; x++)
        {
            RefFp2 rx = new(x, 1);
            RefFp2 rhs = (rx * rx * rx) + RefG2.B2;
            if (!TrySqrt(rhs, out RefFp2 ry))
            {
                continue;
            }

            found++;
            byte[] enc = [.. Be32(rx.B), .. Be32(rx.A), .. Be32(ry.B), .. Be32(ry.A)];
            Assert.That(G2Affine.TryRead(enc, out G2Affine point), Is.False, $"x = {x} + u is not in G2");
            Assert.That(RefG2.TryRead(enc, out _), Is.False, "the reference agrees");
            Assert.That(new G2Affine(ToFp2(rx), ToFp2(ry)).IsOnCurve(), Is.True, "it is on the twist");

            // Clearing the cofactor h = 2p − r lands it in G2.
            G2Affine cleared = G2Jacobian.Multiply(new G2Affine(ToFp2(rx), ToFp2(ry)), Bn254Constants.Limbs((2 * P) - R)).ToAffine();
            Assert.That(cleared.IsInSubgroup() && cleared.IsOnCurve(), Is.True);
        }
    }

    [Test]
    public void FastSubgroupTestAgreesWithMultiplyingByTheOrder() => Gen.Select(Element2, Gen.ULong[1, ulong.MaxValue]).Sample((rx, k) =>
    {
        // A twist point from a random x (if x³ + b' is a square), its cofactor-free part [h]T (in G2), its r-free part
        // [r]T (order dividing the cofactor: the corner case a fast test must still reject) and a mix of both.
        if (!TrySqrt((rx * rx * rx) + RefG2.B2, out RefFp2 ry))
        {
            return;
        }

        G2Affine t = new(ToFp2(rx), ToFp2(ry));
        Assert.That(t.IsOnCurve(), Is.True);
        G2Affine inG2 = G2Jacobian.Multiply(t, Bn254Constants.Limbs((2 * P) - R)).ToAffine();
        G2Affine torsion = G2Jacobian.Multiply(t, Bn254Constants.RLimbs).ToAffine();
        G2Affine mixed = G2Jacobian.AddAffine(G2Jacobian.Multiply(inG2, [k]), torsion).ToAffine();
        foreach (G2Affine q in new[] { t, inG2, torsion, mixed, G2Jacobian.Multiply(inG2, [k]).ToAffine() })
        {
            Assert.That(q.IsInSubgroup(), Is.EqualTo(q.IsInSubgroupByOrder()));
        }

        Assert.That(inG2.IsInSubgroup(), Is.True);
        Assert.That(t.IsInSubgroup() || torsion.IsInSubgroup() || mixed.IsInSubgroup(), Is.False);
    }, iter: 20);

    /// <summary>The G2 generator of EIP-197 (x_im ‖ x_re ‖ y_im ‖ y_re).</summary>
    internal static readonly byte[] G2Generator =
    [
        .. Be32(BigInteger.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
        .. Be32(BigInteger.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
        .. Be32(BigInteger.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531")),
        .. Be32(BigInteger.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930")),
    ];

    internal static byte[] RefG1Bytes(RefG1 p) => p.ToBytes();

    /// <summary>Square root in Fp2 for p ≡ 3 mod 4 (Adj and Rodríguez-Henríquez, algorithm 9), in BigInteger arithmetic.</summary>
    internal static bool TrySqrt(RefFp2 a, out RefFp2 root)
    {
        RefFp2 a1 = a.Pow((P - 3) / 4);
        RefFp2 alpha = a1 * a1 * a;
        RefFp2 x0 = a1 * a;
        root = alpha == new RefFp2(P - 1, 0) ? new RefFp2(0, 1) * x0 : (alpha + RefFp2.One).Pow((P - 1) / 2) * x0;
        return root * root == a;
    }
}
