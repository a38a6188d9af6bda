using System.Numerics;
using Cere.Vm.Precompiles;
using Cere.Vm.Tests.Precompiles.Reference;
using CsCheck;
using static Cere.Vm.Tests.Precompiles.Bn254TestValues;

namespace Cere.Vm.Tests.Precompiles;

/// <summary>
/// 0x08 (ECPAIRING): the pairing value against the old BigInteger pairing, bilinearity, the hard-part addition chain
/// against plain exponentiation, and the EIP-197 failure rules.
/// </summary>
[TestFixture]
public sealed class Bn254PairingTests
{
    private static readonly Gen<BigInteger> Scalar = Gen.Byte.Array[32].Select(b => (new BigInteger(b, isUnsigned: true) % (R - 1)) + 1);

    private static readonly byte[] G1 = [.. Be32(1), .. Be32(2)];

    [Test]
    public void PairingValueMatchesReference([Values(1, 2)] int seed)
    {
        var rng = new Random(seed);
        BigInteger a = RandomScalar(rng), b = RandomScalar(rng);
        byte[] p = G1Mul(G1, a), q = G2Mul(b);
        Assert.That(G1Affine.TryRead(p, out G1Affine pNew), Is.True);
        Assert.That(G2Affine.TryRead(q, out G2Affine qNew), Is.True);
        Assert.That(RefG1.TryRead(p, out RefG1 pRef), Is.True);
        Assert.That(RefG2.TryRead(q, out RefG2 qRef), Is.True);

        Fp12 e = Bn254Pairing.FinalExponentiation(Bn254Pairing.MillerLoop([pNew], [qNew]));
        RefFp12 expected = RefPairing.FinalExponentiation(RefPairing.MillerLoop(qRef, pRef));
        Assert.That(Bn254Fp12Tests.Coefficients(Bn254Fp12Tests.ToRef(e)), Is.EqualTo(Bn254Fp12Tests.Coefficients(expected)));
        Assert.That(e.IsOne, Is.False, "non-degenerate");
    }

    [Test]
    public void HardPartChainEqualsPlainExponentiation() => Gen.Byte.Array[32].Sample(seed =>
    {
        // A cyclotomic-subgroup element: the easy part applied to a Miller-loop value.
        BigInteger k = (new BigInteger(seed, isUnsigned: true) % (R - 1)) + 1;
        Assert.That(G1Affine.TryRead(G1Mul(G1, k), out G1Affine p), Is.True);
        Assert.That(G2Affine.TryRead(Bn254CurveTests.G2Generator, out G2Affine q), Is.True);
        Fp12 f = Bn254Pairing.MillerLoop([p], [q]);
        Fp12 t = Fp12.Conjugate(f) * Fp12.Inverse(f);
        t = Fp12.Frobenius(Fp12.Frobenius(t)) * t;
        Assert.That(Bn254Pairing.HardPart(t), Is.EqualTo(Bn254Pairing.HardPartByExponent(t)));
    }, iter: 4);

    [Test]
    public void BilinearPairsCancel() => Gen.Select(Scalar, Scalar).Sample((a, b) =>
    {
        // e(aP, bQ) · e(−abP, Q) = 1, and a wrong product does not cancel.
        BigInteger ab = a * b % R;
        byte[] good = [.. G1Mul(G1, a), .. G2Mul(b), .. G1Mul(G1, R - ab), .. Bn254CurveTests.G2Generator];
        byte[] bad = [.. G1Mul(G1, a), .. G2Mul(b), .. G1Mul(G1, R - ab + 1), .. Bn254CurveTests.G2Generator];
        Assert.That(AltBn128.Pairing(good), Is.EqualTo(True));
        Assert.That(AltBn128.Pairing(bad), Is.EqualTo(False));
    }, iter: 5);

    [Test]
    public void PrecompileMatchesReferenceOnTwoPairs()
    {
        BigInteger a = 1234567, b = 7654321;
        byte[] good = [.. G1Mul(G1, a), .. G2Mul(b), .. G1Mul(G1, R - (a * b % R)), .. Bn254CurveTests.G2Generator];
        byte[] bad = [.. G1Mul(G1, a), .. G2Mul(b), .. G1Mul(G1, a * b % R), .. Bn254CurveTests.G2Generator];
        Assert.That(AltBn128.Pairing(good), Is.EqualTo(Bn254Reference.Pairing(good)).And.EqualTo(True));
        Assert.That(AltBn128.Pairing(bad), Is.EqualTo(Bn254Reference.Pairing(bad)).And.EqualTo(False));
    }

    [Test]
    public void EmptyInputAndInfinityPairsGiveOne()
    {
        byte[] g2 = Bn254CurveTests.G2Generator;
        Assert.That(AltBn128.Pairing([]), Is.EqualTo(True));
        Assert.That(AltBn128.Pairing(new byte[192]), Is.EqualTo(True));
        Assert.That(AltBn128.Pairing([.. new byte[64], .. g2]), Is.EqualTo(True));
        Assert.That(AltBn128.Pairing([.. G1, .. new byte[128]]), Is.EqualTo(True));
        Assert.That(AltBn128.Pairing([.. G1, .. g2]), Is.EqualTo(False), "e(G1, G2) ≠ 1");
        Assert.That(AltBn128.Pairing([.. G1, .. g2, .. new byte[192]]), Is.EqualTo(False));
    }

    [Test]
    public void BadLengthsFail([Values(1, 64, 191, 193, 383)] int length) => Assert.That(AltBn128.Pairing(new byte[length]), Is.Null);

    [Test]
    public void InvalidPointsFailEvenBesideInfinity()
    {
        byte[] g2 = Bn254CurveTests.G2Generator;
        byte[] g2OffCurve = [.. g2[..127], (byte)(g2[127] ^ 1)];
        byte[] g2NotCanonical = [.. Be32(new BigInteger(g2.AsSpan(0, 32), isUnsigned: true, isBigEndian: true) + P), .. g2[32..]];
        byte[] g1OffCurve = [.. Be32(1), .. Be32(3)];
        byte[] g1NotCanonical = [.. Be32(P + 1), .. Be32(2)];
        byte[][] bad =
        [
            [.. g1OffCurve, .. g2], [.. g1NotCanonical, .. g2], [.. G1, .. g2OffCurve], [.. G1, .. g2NotCanonical],
            [.. new byte[64], .. g2OffCurve], [.. g1OffCurve, .. new byte[128]], [.. G1, .. g2, .. G1, .. NotInSubgroup()],
            [.. new byte[64], .. NotInSubgroup()],
        ];
        foreach (byte[] input in bad)
        {
            Assert.That(AltBn128.Pairing(input), Is.Null);
            Assert.That(Bn254Reference.Pairing(input), Is.Null, "the reference agrees");
        }
    }

    private static readonly byte[] True = [.. new byte[31], 1];

    private static readonly byte[] False = new byte[32];

    private static BigInteger RandomScalar(Random rng)
    {
        byte[] b = new byte[32];
        rng.NextBytes(b);
        return (new BigInteger(b, isUnsigned: true) % (R - 1)) + 1;
    }

    private static byte[] G1Mul(byte[] p, BigInteger k) => AltBn128.Mul([.. p, .. Be32(k)])!;

    private static byte[] G2Mul(BigInteger k)
    {
        Assert.That(G2Affine.TryRead(Bn254CurveTests.G2Generator, out G2Affine g), Is.True);
        G2Affine q = G2Jacobian.Multiply(g, Bn254Constants.Limbs(k)).ToAffine();
        byte[] o = new byte[128];
        q.X.B.Write(o.AsSpan(0, 32));
        q.X.A.Write(o.AsSpan(32, 32));
        q.Y.B.Write(o.AsSpan(64, 32));
        q.Y.A.Write(o.AsSpan(96, 32));
        return o;
    }

    /// <summary>A point on the twist outside G2 (x = 1 + u or the next x that gives one).</summary>
    private static byte[] NotInSubgroup()
    {
        for (int x = 1; ; x++)
        {
            RefFp2 rx = new(x, 1);
            if (Bn254CurveTests.TrySqrt((rx * rx * rx) + RefG2.B2, out RefFp2 ry))
            {
                return [.. Be32(rx.B), .. Be32(rx.A), .. Be32(ry.B), .. Be32(ry.A)];
            }
        }
    }
}
