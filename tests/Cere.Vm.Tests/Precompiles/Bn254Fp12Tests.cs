using System.Numerics;
using Cere.Vm.Precompiles;
using Cere.Vm.Tests.Precompiles.Reference;
using CsCheck;
using static Cere.Vm.Tests.Precompiles.Bn254TestValues;

namespace Cere.Vm.Tests.Precompiles;

/// <summary>
/// The Fp6/Fp12 tower against the old flat Fp12 = Fp[w]/(w¹² − 18w⁶ + 82) in BigInteger arithmetic. Both use the same
/// w (w⁶ = ξ = 9 + u, so u = w⁶ − 9), so an element maps coefficient by coefficient.
/// </summary>
[TestFixture]
public sealed class Bn254Fp12Tests
{
    private static readonly Gen<Fp6> Element6 = Gen.Select(Element2, Element2, Element2, (a, b, c) => new Fp6(ToFp2(a), ToFp2(b), ToFp2(c)));

    private static readonly Gen<Fp12> Element12 = Gen.Select(Element6, Element6, (a, b) => new Fp12(a, b));

    [Test]
    public void MulMatchesReference() => Gen.Select(Element12, Element12).Sample((x, y) =>
        Assert.That(Coefficients(ToRef(x * y)), Is.EqualTo(Coefficients(ToRef(x) * ToRef(y)))), iter: 100);

    [Test]
    public void SquareMatchesMul() => Element12.Sample(x =>
    {
        Assert.That(Fp12.Square(x), Is.EqualTo(x * x));
        Assert.That(Fp6.Square(x.C0), Is.EqualTo(x.C0 * x.C0));
    });

    [Test]
    public void Fp6MulBy01MatchesMul() => Gen.Select(Element6, Element2, Element2).Sample((x, b0, b1) =>
        Assert.That(Fp6.MulBy01(x, ToFp2(b0), ToFp2(b1)), Is.EqualTo(x * new Fp6(ToFp2(b0), ToFp2(b1), Fp2.Zero))));

    [Test]
    public void MulByLineMatchesMul() => Gen.Select(Element12, Element2, Element2, Element2).Sample((x, a, b, c) =>
    {
        Fp12 line = new(new Fp6(ToFp2(a), Fp2.Zero, Fp2.Zero), new Fp6(ToFp2(b), ToFp2(c), Fp2.Zero));
        Assert.That(Fp12.MulByLine(x, ToFp2(a), ToFp2(b), ToFp2(c)), Is.EqualTo(x * line));
    });

    [Test]
    public void InverseGivesOne() => Element12.Sample(x =>
    {
        Assert.That((x * Fp12.Inverse(x)).IsOne, Is.True);
        Assert.That((x.C0 * Fp6.Inverse(x.C0)) == Fp6.One, Is.True);
    }, iter: 100);

    [Test]
    public void FrobeniusIsThePthPower() => Element12.Sample(x =>
        Assert.That(Coefficients(ToRef(Fp12.Frobenius(x))), Is.EqualTo(Coefficients(ToRef(x).Pow(P)))), iter: 5);

    [Test]
    public void SixFrobeniusMapsAreConjugationAndTwelveAreIdentity() => Element12.Sample(x =>
    {
        Fp12 y = x;
        for (int i = 0; i < 6; i++)
        {
            y = Fp12.Frobenius(y);
        }

        Assert.That(y, Is.EqualTo(Fp12.Conjugate(x)));
        for (int i = 0; i < 6; i++)
        {
            y = Fp12.Frobenius(y);
        }

        Assert.That(y, Is.EqualTo(x));
    }, iter: 50);

    [Test]
    public void PowMatchesReference() => Gen.Select(Element12, Gen.ULong).Sample((x, e) =>
        Assert.That(Coefficients(ToRef(Fp12.Pow(x, [e]))), Is.EqualTo(Coefficients(ToRef(x).Pow(e)))), iter: 10);

    [Test]
    public void CyclotomicSquareAndPowMatchGenericOnTheCyclotomicSubgroup() => Element12.Sample(x =>
    {
        // x^((p⁶ − 1)(p² + 1)) lies in the cyclotomic subgroup.
        Fp12 t = Fp12.Conjugate(x) * Fp12.Inverse(x);
        t = Fp12.Frobenius(Fp12.Frobenius(t)) * t;
        Assert.That(Fp12.CyclotomicSquare(t), Is.EqualTo(Fp12.Square(t)));
        Assert.That(Fp12.CyclotomicPow(t, Bn254Constants.U), Is.EqualTo(Fp12.Pow(t, [Bn254Constants.U])));
        Assert.That(Fp12.CyclotomicPow(t, 5), Is.EqualTo(t * t * t * t * t));
    }, iter: 30);

    /// <summary>The flat reference form: the Fp2 coefficient of w^k sits in C0/C1 by parity of k.</summary>
    internal static RefFp12 ToRef(Fp12 x)
    {
        Fp2[] byPower = [x.C0.C0, x.C1.C0, x.C0.C1, x.C1.C1, x.C0.C2, x.C1.C2];
        (int, RefFp2)[] terms = new (int, RefFp2)[6];
        for (int k = 0; k < 6; k++)
        {
            terms[k] = (k, Bn254TestValues.ToRef(byPower[k]));
        }

        return RefFp12.FromFp2Terms(terms);
    }

    internal static BigInteger[] Coefficients(RefFp12 x)
    {
        BigInteger[] c = new BigInteger[12];
        for (int i = 0; i < 12; i++)
        {
            c[i] = x.Coefficient(i);
        }

        return c;
    }
}
