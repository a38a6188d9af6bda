using System.Numerics;
using Cere.Core;
using Cere.Vm.Precompiles;
using Cere.Vm.Tests.Precompiles.Reference;
using CsCheck;
using static Cere.Vm.Tests.Precompiles.Bn254TestValues;

namespace Cere.Vm.Tests.Precompiles;

/// <summary>
/// The GLV scalar multiplication of ECMUL (0x07): its constants (β, λ, the lattice basis) checked from their
/// definitions, the scalar split checked as integers, and the result against plain double-and-add and the BigInteger
/// reference.
/// </summary>
[TestFixture]
public sealed class Bn254GlvTests
{
    private static readonly BigInteger Lambda = G1Glv.Lambda;

    private static readonly Gen<BigInteger> ScalarBelowR = Gen.Frequency(
        (6, Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % R)),
        (1, Gen.OneOf(BigInteger.Zero, BigInteger.One, R - 1, Lambda, Lambda + 1, R - Lambda, G1Glv.A1, G1Glv.A2, G1Glv.B1, (R + 1) / 2)));

    private static readonly Gen<BigInteger> AnyScalar = Gen.Frequency(
        (6, Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true))),
        (1, Gen.OneOf(BigInteger.Zero, BigInteger.One, new BigInteger(2), R - 1, R, R + 1, 2 * R, 5 * R, (BigInteger.One << 256) - 1, P, Lambda, R + Lambda)));

    private static readonly Gen<byte[]> G1Point = AnyScalar.Select(k => AltBn128.Mul([.. Be32(1), .. Be32(2), .. Be32(k == 0 ? 1 : k)])!);

    [Test]
    public void BetaAndLambdaAreCubeRootsOfUnity()
    {
        Fp beta = G1Glv.Beta;
        Assert.Multiple(() =>
        {
            Assert.That(beta.IsOne, Is.False);
            Assert.That((beta * beta * beta).IsOne, Is.True, "β³ = 1 in Fp");
            Assert.That(BigInteger.ModPow(Lambda, 3, R), Is.EqualTo(BigInteger.One), "λ³ = 1 mod r");
            Assert.That(Lambda, Is.Not.EqualTo(BigInteger.One));
        });
    }

    [Test]
    public void EndomorphismIsMultiplicationByLambda() => G1Point.Sample(point =>
    {
        Assert.That(G1Affine.TryRead(point, out G1Affine p), Is.True);
        byte[] phi = new byte[64];
        G1Jacobian.FromAffine(p).Endomorphism().ToAffine().Write(phi);
        Assert.That(phi, Is.EqualTo(Bn254Reference.Mul([.. point, .. Be32(Lambda)])), "φ(P) = λ·P by the BigInteger reference");
    }, iter: 5);

    [Test]
    public void BasisVectorsAreInTheLattice()
    {
        // v1 = (A1, −B1) and v2 = (A2, B2): a + b·λ ≡ 0 (mod r), and the basis has determinant ±r (it spans the lattice).
        Assert.Multiple(() =>
        {
            Assert.That(BigInteger.Remainder(G1Glv.A1 - (G1Glv.B1 * Lambda), R), Is.EqualTo(BigInteger.Zero));
            Assert.That(BigInteger.Remainder(G1Glv.A2 + (G1Glv.B2 * Lambda), R), Is.EqualTo(BigInteger.Zero));
            Assert.That(BigInteger.Abs((G1Glv.A1 * G1Glv.B2) + (G1Glv.B1 * G1Glv.A2)), Is.EqualTo(R));
        });
    }

    [Test]
    public void SplitRecombinesAndIsShort() => ScalarBelowR.Sample(k =>
    {
        Assert.That(G1Glv.TrySplit(UInt256.FromBigInteger(k), out UInt128 m1, out bool n1, out UInt128 m2, out bool n2), Is.True);
        BigInteger k1 = n1 ? -(BigInteger)m1 : m1;
        BigInteger k2 = n2 ? -(BigInteger)m2 : m2;
        Assert.That(BigInteger.Remainder(k1 + (k2 * Lambda) - k, R), Is.EqualTo(BigInteger.Zero), $"k1 + k2·λ ≡ k for k = {k}");
        Assert.That(BigInteger.Abs(k1).GetBitLength() <= 128 && BigInteger.Abs(k2).GetBitLength() <= 128, Is.True);
    }, iter: 2000);

    [Test]
    public void GlvMatchesDoubleAndAdd() => Gen.Select(G1Point, AnyScalar).Sample((point, k) =>
    {
        Assert.That(G1Affine.TryRead(point, out G1Affine p), Is.True);
        byte[] scalar = Be32(k);
        byte[] glv = new byte[64], binary = new byte[64];
        G1Jacobian.Multiply(p, scalar).ToAffine().Write(glv);
        G1Jacobian.MultiplyBinary(p, scalar).ToAffine().Write(binary);
        Assert.That(glv, Is.EqualTo(binary), $"k = {k}");
    }, iter: 300);

    [Test]
    public void GlvMatchesTheBigIntegerReferenceOnEdgeScalars()
    {
        byte[] g = [.. Be32(1), .. Be32(2)];
        BigInteger[] scalars = [0, 1, 2, 3, R - 1, R, R + 1, Lambda, Lambda + 1, R - Lambda, G1Glv.A1, G1Glv.A2, G1Glv.B1, (BigInteger.One << 128) - 1, BigInteger.One << 128, (BigInteger.One << 256) - 1];
        foreach (BigInteger k in scalars)
        {
            byte[] input = [.. g, .. Be32(k)];
            Assert.That(AltBn128.Mul(input), Is.EqualTo(Bn254Reference.Mul(input)), $"k = {k}");
        }
    }
}
