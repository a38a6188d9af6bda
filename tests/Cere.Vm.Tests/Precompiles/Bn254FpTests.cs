using System.Numerics;
using Cere.Vm.Precompiles;
using Cere.Vm.Tests.Precompiles.Reference;
using CsCheck;
using static Cere.Vm.Tests.Precompiles.Bn254TestValues;

namespace Cere.Vm.Tests.Precompiles;

/// <summary>The Montgomery base field Fp and Fp2 against BigInteger arithmetic mod p (and the old BigInteger Fp2).</summary>
[TestFixture]
public sealed class Bn254FpTests
{
    [Test]
    public void ConstantsMatchTheModulus()
    {
        BigInteger limbs = Fp.P0 + ((BigInteger)Fp.P1 << 64) + ((BigInteger)Fp.P2 << 128) + ((BigInteger)Fp.P3 << 192);
        Assert.That(limbs, Is.EqualTo(P));
        Assert.That(ToBig(Fp.One), Is.EqualTo(BigInteger.One));
        Assert.That(ToBig(Fp.Zero), Is.EqualTo(BigInteger.Zero));
        Assert.That(ToBig(Fp.FromUInt64(9)), Is.EqualTo(new BigInteger(9)));
        Assert.That(ToBig(Fp.FromUInt64(ulong.MaxValue)), Is.EqualTo(new BigInteger(ulong.MaxValue)));
    }

    [Test]
    public void ReadRejectsNonCanonicalValues()
    {
        Assert.That(Fp.TryRead(Be32(P), out _), Is.False);
        Assert.That(Fp.TryRead(Be32(P + 1), out _), Is.False);
        Assert.That(Fp.TryRead(Be32((BigInteger.One << 256) - 1), out _), Is.False);
        Assert.That(Fp.TryRead(Be32(BigInteger.One << 254), out _), Is.False);
        Assert.That(Fp.TryRead(Be32(P - 1), out Fp top), Is.True);
        Assert.That(ToBig(top), Is.EqualTo(P - 1));
    }

    [Test]
    public void RoundTripsThroughBytes() => Element.Sample(a => Assert.That(ToBig(ToFp(a)), Is.EqualTo(a)));

    [Test]
    public void AddSubNegMatchBigInteger() => Gen.Select(Element, Element).Sample((a, b) =>
    {
        Fp x = ToFp(a), y = ToFp(b);
        Assert.That(ToBig(x + y), Is.EqualTo((a + b) % P));
        Assert.That(ToBig(x - y), Is.EqualTo(RefField.Mod(a - b)));
        Assert.That(ToBig(-x), Is.EqualTo(RefField.Mod(-a)));
        Assert.That(ToBig(Fp.Double(x)), Is.EqualTo(2 * a % P));
    });

    [Test]
    public void MulAndSquareMatchBigInteger() => Gen.Select(Element, Element).Sample((a, b) =>
    {
        Fp x = ToFp(a), y = ToFp(b);
        Assert.That(ToBig(x * y), Is.EqualTo(a * b % P));
        Assert.That(ToBig(Fp.Square(x)), Is.EqualTo(a * a % P));
        Assert.That(Fp.Square(x), Is.EqualTo(x * x));
    });

    [Test]
    public void InverseMatchesBigInteger() => Element.Sample(a =>
    {
        Fp x = ToFp(a);
        Assert.That(ToBig(Fp.Inverse(x)), Is.EqualTo(a.IsZero ? BigInteger.Zero : BigInteger.ModPow(a, P - 2, P)));
        if (!a.IsZero)
        {
            Assert.That((x * Fp.Inverse(x)).IsOne, Is.True);
        }
    }, iter: 5000);

    [Test]
    public void InverseOfElementsStoredAsLongRunsOfZeroBits()
    {
        // The binary inversion shifts runs of trailing zeros out of the stored (Montgomery) limbs at once, at most 63 bits
        // at a time: stored values 2^j, 2^j ± 1 and p − 2^j give it runs across and up to limb boundaries.
        BigInteger rInverse = BigInteger.ModPow(BigInteger.ModPow(2, 256, P), P - 2, P);
        for (int j = 0; j < 254; j++)
        {
            BigInteger power = BigInteger.One << j;
            foreach (BigInteger stored in new[] { power, power + 1, power - 1, P - power })
            {
                if (stored.IsZero || stored >= P)
                {
                    continue;
                }

                BigInteger a = stored * rInverse % P; // the element whose Montgomery form is `stored`
                Fp x = ToFp(a);
                Assert.That(ToBig(Fp.Inverse(x)), Is.EqualTo(BigInteger.ModPow(a, P - 2, P)), $"stored value 2^{j} variant {stored}");
            }
        }
    }

    [Test]
    public void SqrtFindsRootsOfSquaresOnly() => Element.Sample(a =>
    {
        Fp x = ToFp(a);
        Assert.That(Fp.TrySqrt(Fp.Square(x), out Fp root), Is.True);
        Assert.That(Fp.Square(root), Is.EqualTo(Fp.Square(x)));
        bool isSquare = BigInteger.ModPow(a, (P - 1) / 2, P) <= 1;
        Assert.That(Fp.TrySqrt(x, out _), Is.EqualTo(isSquare));
    }, iter: 200);

    [Test]
    public void Fp2MulSquareMatchReference() => Gen.Select(Element2, Element2).Sample((a, b) =>
    {
        Fp2 x = ToFp2(a), y = ToFp2(b);
        Assert.That(ToRef(x * y), Is.EqualTo(a * b));
        Assert.That(ToRef(Fp2.Square(x)), Is.EqualTo(a * a));
        Assert.That(ToRef(x + y), Is.EqualTo(a + b));
        Assert.That(ToRef(x - y), Is.EqualTo(a - b));
        Assert.That(ToRef(-x), Is.EqualTo(-a));
        Assert.That(ToRef(Fp2.MulByXi(x)), Is.EqualTo(a * new RefFp2(9, 1)));
        Assert.That(ToRef(Fp2.Conjugate(x)), Is.EqualTo(a.Conjugate()));
    });

    [Test]
    public void Fp2InverseMatchesReference() => Element2.Sample(a =>
    {
        Fp2 x = ToFp2(a);
        Assert.That(ToRef(Fp2.Inverse(x)), Is.EqualTo(a.IsZero ? RefFp2.Zero : a.Inverse()));
        if (!a.IsZero)
        {
            Assert.That((x * Fp2.Inverse(x)).IsOne, Is.True);
        }
    }, iter: 300);

    [Test]
    public void Fp2PowMatchesReference() => Gen.Select(Element2, Gen.ULong).Sample((a, e) =>
        Assert.That(ToRef(Fp2.Pow(ToFp2(a), [e, 3])), Is.EqualTo(a.Pow(e + ((BigInteger)3 << 64)))), iter: 100);
}
