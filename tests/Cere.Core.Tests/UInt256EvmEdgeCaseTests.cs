using System.Numerics;
using static Cere.Core.Tests.Reference;

namespace Cere.Core.Tests;

/// <summary>The corner cases the yellow paper (appendix H) spells out, each checked against the BigInteger model.</summary>
public class UInt256EvmEdgeCaseTests
{
    private static readonly UInt256 MinInt256 = Wrap(-Two255);
    private static readonly UInt256 MinusOne = Wrap(-1);

    [Test]
    public void SdivOfMinimumByMinusOneIsMinimum()
    {
        // Yellow paper: SDIV gives −2^255 when μs[0] = −2^255 and μs[1] = −1 (the only quotient that does not fit).
        UInt256.SignedDivide(MinInt256, MinusOne, out UInt256 r);
        Assert.That(r, Is.EqualTo(SDiv(MinInt256, MinusOne)));
        Assert.That(Signed(r), Is.EqualTo(-Two255));
    }

    [Test]
    public void SignedOpsByZeroGiveZero()
    {
        UInt256.SignedDivide(MinInt256, UInt256.Zero, out UInt256 q);
        UInt256.SignedMod(MinusOne, UInt256.Zero, out UInt256 m);
        Assert.That(q.IsZero && m.IsZero, Is.True);
    }

    [TestCase(-7, 2)]
    [TestCase(7, -2)]
    [TestCase(-7, -2)]
    [TestCase(-8, 3)]
    public void SmodTakesTheSignOfTheDividend(int a, int b)
    {
        UInt256 x = Wrap(a), y = Wrap(b);
        UInt256.SignedMod(x, y, out UInt256 r);
        Assert.That(Signed(r), Is.EqualTo(BigInteger.Remainder(a, b)));
        UInt256.SignedDivide(x, y, out UInt256 q);
        Assert.That(Signed(q), Is.EqualTo(BigInteger.Divide(a, b)));
    }

    [TestCase(0UL, 0xFFUL)]
    [TestCase(0UL, 0x7FUL)]
    [TestCase(1UL, 0xFF80UL)]
    [TestCase(1UL, 0x7F80UL)]
    [TestCase(7UL, 0x80_00_00_00_00_00_00_00UL)]
    [TestCase(30UL, 0x12UL)]
    [TestCase(31UL, 0xFFUL)]
    [TestCase(32UL, 0xFFUL)]
    [TestCase(ulong.MaxValue, 0xFFUL)]
    public void SignExtendExamples(ulong index, ulong value)
    {
        UInt256.SignExtend(index, value, out UInt256 r);
        Assert.That(r, Is.EqualTo(SignExtend(index, value)));
    }

    [Test]
    public void SignExtendOfByte30WithTheSignSet()
    {
        UInt256 x = Wrap(BigInteger.One << 247);
        UInt256.SignExtend(new UInt256(30), x, out UInt256 r);
        Assert.That(r, Is.EqualTo(SignExtend(new UInt256(30), x)));
        Assert.That(r.IsNegative, Is.True);
    }

    [Test]
    public void SignExtendWithHugeIndexLeavesTheValue()
    {
        UInt256.SignExtend(UInt256.MaxValue, MinusOne - 5, out UInt256 r);
        Assert.That(r, Is.EqualTo(MinusOne - 5));
        UInt256.SignExtend(new UInt256(0, 1), new UInt256(0x80), out r);
        Assert.That(r, Is.EqualTo(new UInt256(0x80)));
    }

    [TestCase(0UL)]
    [TestCase(1UL)]
    [TestCase(31UL)]
    [TestCase(32UL)]
    [TestCase(33UL)]
    [TestCase(ulong.MaxValue)]
    public void ByteIndexes(ulong index)
    {
        UInt256 x = UInt256.Parse("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        UInt256.Byte(index, x, out UInt256 r);
        Assert.That(r, Is.EqualTo(Reference.Byte(index, x)));
    }

    [Test]
    public void ByteWithIndexAboveTwoToThe64IsZero()
    {
        UInt256.Byte(new UInt256(0, 1), UInt256.MaxValue, out UInt256 r);
        Assert.That(r.IsZero, Is.True);
    }

    private static IEnumerable<UInt256> ShiftAmounts() =>
    [
        new(0), new(1), new(63), new(64), new(65), new(128), new(255), new(256), new(257), new(0, 1), UInt256.MaxValue,
    ];

    [TestCaseSource(nameof(ShiftAmounts))]
    public void ShiftsAtTheLimits(UInt256 shift)
    {
        foreach (UInt256 x in new[] { UInt256.One, MinusOne, MinInt256, Wrap(Two255 - 1) })
        {
            UInt256.LeftShift(x, shift, out UInt256 shl);
            UInt256.RightShift(x, shift, out UInt256 shr);
            UInt256.ArithmeticRightShift(x, shift, out UInt256 sar);
            Assert.That(shl, Is.EqualTo(Shl(shift, x)), "SHL");
            Assert.That(shr, Is.EqualTo(Shr(shift, x)), "SHR");
            Assert.That(sar, Is.EqualTo(Sar(shift, x)), "SAR");
        }
    }

    [Test]
    public void SarOfNegativeByHugeShiftIsMinusOne()
    {
        UInt256.ArithmeticRightShift(MinInt256, UInt256.MaxValue, out UInt256 r);
        Assert.That(Signed(r), Is.EqualTo(BigInteger.MinusOne));
    }

    private static IEnumerable<TestCaseData> ModularCases()
    {
        UInt256 max = UInt256.MaxValue;
        // secp256k1 field prime: the kind of modulus contracts use with ADDMOD/MULMOD.
        UInt256 p = UInt256.Parse("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
        yield return new TestCaseData(max, max, max).SetName("{m}(max,max,max)");
        yield return new TestCaseData(max, max, max - 1).SetName("{m}(max,max,max-1)");
        yield return new TestCaseData(max, new UInt256(2), new UInt256(3)).SetName("{m}(max,2,3)");
        yield return new TestCaseData(max, max, UInt256.Zero).SetName("{m}(max,max,0)");
        yield return new TestCaseData(max, max, UInt256.One).SetName("{m}(max,max,1)");
        yield return new TestCaseData(p - 1, p - 1, p).SetName("{m}(p-1,p-1,p)");
        yield return new TestCaseData(max, p, p).SetName("{m}(max,p,p)");
        yield return new TestCaseData(max, max, new UInt256(ulong.MaxValue)).SetName("{m}(max,max,2^64-1)");
        yield return new TestCaseData(max, max, Wrap(Two255 + 1)).SetName("{m}(max,max,2^255+1)");
        yield return new TestCaseData(Wrap(Two255), Wrap(Two255), Wrap(Two255)).SetName("{m}(2^255,2^255,2^255)");
    }

    [TestCaseSource(nameof(ModularCases))]
    public void AddModAndMulModWithBigModulus(UInt256 a, UInt256 b, UInt256 m)
    {
        UInt256.AddMod(a, b, m, out UInt256 add);
        UInt256.MulMod(a, b, m, out UInt256 mul);
        BigInteger bm = Big(m);
        Assert.That(add, Is.EqualTo(bm.IsZero ? default : Wrap((Big(a) + Big(b)) % bm)), "ADDMOD");
        Assert.That(mul, Is.EqualTo(bm.IsZero ? default : Wrap(Big(a) * Big(b) % bm)), "MULMOD");
    }

    private static IEnumerable<TestCaseData> ExpCases()
    {
        UInt256 max = UInt256.MaxValue;
        yield return new TestCaseData(UInt256.Zero, UInt256.Zero).SetName("{m}(0,0)");
        yield return new TestCaseData(UInt256.Zero, max).SetName("{m}(0,max)");
        yield return new TestCaseData(UInt256.One, max).SetName("{m}(1,max)");
        yield return new TestCaseData(new UInt256(2), new UInt256(255)).SetName("{m}(2,255)");
        yield return new TestCaseData(new UInt256(2), new UInt256(256)).SetName("{m}(2,256)");
        yield return new TestCaseData(new UInt256(2), max).SetName("{m}(2,max)");
        yield return new TestCaseData(new UInt256(3), max).SetName("{m}(3,max)");
        yield return new TestCaseData(max, max).SetName("{m}(max,max)");
        yield return new TestCaseData(max, max - 1).SetName("{m}(max,max-1)");
        yield return new TestCaseData(new UInt256(0, 1), new UInt256(4)).SetName("{m}(2^64,4)");
        yield return new TestCaseData(new UInt256(0, 1), new UInt256(3)).SetName("{m}(2^64,3)");
        yield return new TestCaseData(new UInt256(7), UInt256.Parse("0x8000000000000000000000000000000000000000000000000000000000000001")).SetName("{m}(7,2^255+1)");
    }

    [TestCaseSource(nameof(ExpCases))]
    public void ExpWithHugeExponents(UInt256 b, UInt256 e)
    {
        UInt256.Exp(b, e, out UInt256 r);
        Assert.That(r, Is.EqualTo(Wrap(BigInteger.ModPow(Big(b), Big(e), Two256))));
    }

    [Test]
    public void DivisionByZeroGivesZero()
    {
        Assert.That(UInt256.MaxValue / UInt256.Zero, Is.EqualTo(UInt256.Zero));
        Assert.That(UInt256.MaxValue % UInt256.Zero, Is.EqualTo(UInt256.Zero));
        UInt256.DivRem(UInt256.MaxValue, UInt256.Zero, out UInt256 q, out UInt256 r);
        Assert.That(q.IsZero && r.IsZero, Is.True);
    }

    [Test]
    public void ConstantsAreWhatTheyClaim()
    {
        Assert.That(Big(UInt256.Zero), Is.EqualTo(BigInteger.Zero));
        Assert.That(Big(UInt256.One), Is.EqualTo(BigInteger.One));
        Assert.That(Big(UInt256.MaxValue), Is.EqualTo(Two256 - 1));
        Assert.That(UInt256.MaxValue + UInt256.One, Is.EqualTo(UInt256.Zero));
        Assert.That(UInt256.Zero - UInt256.One, Is.EqualTo(UInt256.MaxValue));
    }
}
