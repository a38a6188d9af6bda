using System.Numerics;
using CsCheck;
using static Cere.Core.Tests.Reference;

namespace Cere.Core.Tests;

/// <summary>Unsigned arithmetic of UInt256 against BigInteger reduced mod 2^256, on random and edge values.</summary>
public class UInt256ArithmeticTests
{
    private const int Iterations = 20_000;

    private static string Show2((UInt256 A, UInt256 B) t) => $"a={UInt256Generators.Show(t.A)} b={UInt256Generators.Show(t.B)}";

    private static string Show3((UInt256 A, UInt256 B, UInt256 C) t) =>
        $"a={UInt256Generators.Show(t.A)} b={UInt256Generators.Show(t.B)} m={UInt256Generators.Show(t.C)}";

    [Test]
    public void AddWrapsAndReportsOverflow() => UInt256Generators.Pair.Sample((a, b) =>
    {
        BigInteger exact = Big(a) + Big(b);
        bool overflow = UInt256.AddOverflow(a, b, out UInt256 r);
        UInt256.Add(a, b, out UInt256 r2);
        return r == Wrap(exact) && r2 == r && overflow == (exact >= Two256) && a + b == r;
    }, iter: Iterations, print: Show2);

    [Test]
    public void SubtractWrapsAndReportsUnderflow() => UInt256Generators.Pair.Sample((a, b) =>
    {
        BigInteger exact = Big(a) - Big(b);
        bool underflow = UInt256.SubtractUnderflow(a, b, out UInt256 r);
        UInt256.Subtract(a, b, out UInt256 r2);
        return r == Wrap(exact) && r2 == r && underflow == (exact.Sign < 0) && a - b == r;
    }, iter: Iterations, print: Show2);

    [Test]
    public void NegateIsTwosComplement() => UInt256Generators.Value.Sample(a =>
    {
        UInt256.Negate(a, out UInt256 r);
        return r == Wrap(-Big(a)) && -a == r;
    }, iter: Iterations, print: UInt256Generators.Show);

    [Test]
    public void MultiplyWrapsAndReportsOverflow() => UInt256Generators.Pair.Sample((a, b) =>
    {
        BigInteger exact = Big(a) * Big(b);
        bool overflow = UInt256.MultiplyOverflow(a, b, out UInt256 r);
        UInt256.Multiply(a, b, out UInt256 r2);
        return r == Wrap(exact) && r2 == r && overflow == (exact >= Two256) && a * b == r;
    }, iter: Iterations, print: Show2);

    [Test]
    public void MultiplyFullIsTheExactProduct() => UInt256Generators.Pair.Sample((a, b) =>
    {
        BigInteger exact = Big(a) * Big(b);
        UInt256.MultiplyFull(a, b, out UInt256 low, out UInt256 high);
        return low == Wrap(exact) && high == Wrap(exact >> 256);
    }, iter: Iterations, print: Show2);

    [Test]
    public void DivideRoundsDownAndGivesZeroForZeroDivisor() => UInt256Generators.Pair.Sample((a, b) =>
    {
        UInt256 expected = Big(b).IsZero ? default : Wrap(Big(a) / Big(b));
        UInt256.Divide(a, b, out UInt256 r);
        return r == expected && a / b == r;
    }, iter: Iterations, print: Show2);

    [Test]
    public void ModGivesRemainderAndZeroForZeroDivisor() => UInt256Generators.Pair.Sample((a, b) =>
    {
        UInt256 expected = Big(b).IsZero ? default : Wrap(Big(a) % Big(b));
        UInt256.Mod(a, b, out UInt256 r);
        return r == expected && a % b == r;
    }, iter: Iterations, print: Show2);

    [Test]
    public void DivRemAgreesWithDivideAndMod() => UInt256Generators.Pair.Sample((a, b) =>
    {
        UInt256.DivRem(a, b, out UInt256 q, out UInt256 r);
        bool zero = Big(b).IsZero;
        return q == (zero ? default : Wrap(Big(a) / Big(b))) && r == (zero ? default : Wrap(Big(a) % Big(b)));
    }, iter: Iterations, print: Show2);

    [Test]
    public void DivideByOneWordDivisor() => Gen.Select(UInt256Generators.Value, UInt256Generators.Word).Sample((a, d) =>
    {
        UInt256 b = new(d);
        UInt256 expected = d == 0 ? default : Wrap(Big(a) / d);
        UInt256 expectedRem = d == 0 ? default : Wrap(Big(a) % d);
        return a / b == expected && a % b == expectedRem;
    }, iter: Iterations);

    [Test]
    public void DivideWithCloseOperands() =>
        // Divisors just below the dividend stress the quotient-digit estimate and its correction.
        Gen.Select(UInt256Generators.Value, Gen.Int[0, 70], UInt256Generators.Word).Sample((a, shift, noise) =>
        {
            UInt256 b = Wrap((Big(a) >> shift) ^ noise);
            UInt256 expected = Big(b).IsZero ? default : Wrap(Big(a) / Big(b));
            UInt256 expectedRem = Big(b).IsZero ? default : Wrap(Big(a) % Big(b));
            return a / b == expected && a % b == expectedRem;
        }, iter: Iterations);

    [Test]
    public void ExactMultiplesDivideExactly() =>
        // An exact multiple makes the quotient-digit step land on remainder = divisor, its rarest correction.
        UInt256Generators.Pair.Sample((q, d) =>
        {
            if (Big(d).IsZero)
            {
                return true;
            }

            BigInteger quotient = Big(q) >> (int)Big(d).GetBitLength();
            UInt256 a = Wrap(quotient * Big(d));
            return a / d == Wrap(quotient) && (a % d).IsZero;
        }, iter: Iterations, print: Show2);

    // (hi·2^64 + lo) / d where the reciprocal-based 2-by-1 step first computes a remainder exactly equal to d.
    [TestCase(0xc528050da04b81acUL, 0x7d8e724a8fd6c4c4UL, 0x888038c078e93304UL)]
    [TestCase(0xfe3669a7758414daUL, 0xa255f91008ccb04cUL, 0xae92178749802c9eUL)]
    [TestCase(0xc806d0f7e00c198eUL, 0x919e6757592aa177UL, 0x961bad78b660c9feUL)]
    [TestCase(0xf9fe825ed6abe8c2UL, 0x3d7f3c6d470cf39eUL, 0x870599218a00c58eUL)]
    public void TwoByOneStepWithRemainderEqualToDivisor(ulong lo, ulong hi, ulong d)
    {
        UInt256 a = new(lo, hi);
        UInt256 b = new(d);
        Assert.That(a / b, Is.EqualTo(Wrap(Big(a) / d)));
        Assert.That(a % b, Is.EqualTo(Wrap(Big(a) % d)));
        UInt256 shifted = new(0, lo, hi);
        Assert.That(shifted / b, Is.EqualTo(Wrap(Big(shifted) / d)));
    }

    [Test]
    public void AddModUsesTheExactSum() => UInt256Generators.Triple.Sample((a, b, m) =>
    {
        UInt256 expected = Big(m).IsZero ? default : Wrap((Big(a) + Big(b)) % Big(m));
        UInt256.AddMod(a, b, m, out UInt256 r);
        return r == expected;
    }, iter: Iterations, print: Show3);

    [Test]
    public void MulModUsesTheExactProduct() => UInt256Generators.Triple.Sample((a, b, m) =>
    {
        UInt256 expected = Big(m).IsZero ? default : Wrap(Big(a) * Big(b) % Big(m));
        UInt256.MulMod(a, b, m, out UInt256 r);
        return r == expected;
    }, iter: Iterations, print: Show3);

    [Test]
    public void ExpIsModularPower() => UInt256Generators.Pair.Sample((b, e) =>
    {
        UInt256.Exp(b, e, out UInt256 r);
        return r == Wrap(BigInteger.ModPow(Big(b), Big(e), Two256));
    }, iter: 5_000, print: Show2);

    [Test]
    public void ExpWithSmallExponents() => Gen.Select(UInt256Generators.Value, Gen.Int[0, 300]).Sample((b, e) =>
    {
        UInt256.Exp(b, new UInt256((ulong)e), out UInt256 r);
        return r == Wrap(BigInteger.Pow(Big(b), e));
    }, iter: 5_000);

    [Test]
    public void ComparisonsAgreeWithBigInteger() => UInt256Generators.Pair.Sample((a, b) =>
    {
        int expected = Big(a).CompareTo(Big(b));
        return Math.Sign(a.CompareTo(b)) == expected
            && (a < b) == (expected < 0) && (a > b) == (expected > 0)
            && (a <= b) == (expected <= 0) && (a >= b) == (expected >= 0)
            && (a == b) == (expected == 0) && (a != b) == (expected != 0)
            && a.Equals(b) == (expected == 0)
            && (expected != 0 || a.GetHashCode() == b.GetHashCode());
    }, iter: Iterations, print: Show2);

    [Test]
    public void ResultsMayOverwriteAnOperand() => UInt256Generators.Triple.Sample((a, b, m) =>
    {
        // The EVM writes a result into the stack slot of an operand: every method must read before it writes.
        UInt256 x = a;
        bool ok = true;
        UInt256.Add(x, b, out x);
        ok &= x == a + b;
        x = b;
        UInt256.Multiply(a, x, out x);
        ok &= x == a * b;
        x = a;
        UInt256.Divide(x, b, out x);
        ok &= x == a / b;
        x = b;
        UInt256.Mod(a, x, out x);
        ok &= x == a % b;
        x = m;
        UInt256.MulMod(a, b, x, out x);
        UInt256.MulMod(a, b, m, out UInt256 mm);
        ok &= x == mm;
        x = a;
        UInt256.AddMod(x, b, m, out x);
        UInt256.AddMod(a, b, m, out UInt256 am);
        ok &= x == am;
        x = a;
        UInt256.SignedDivide(x, b, out x);
        ok &= x == SDiv(a, b);
        x = b;
        UInt256.Exp(a, x, out x);
        ok &= x == Wrap(BigInteger.ModPow(Big(a), Big(b), Two256));
        return ok;
    }, iter: 2_000, print: Show3);

    [Test]
    public void ThreeWordDivisorWithRemainderTopEqualToDivisorTop()
    {
        // a = (d2, d1, w, x) over b = (d2, d1, d0) with w < d0: the first digit is 0 and the second step sees top words
        // equal to the divisor's, the case the straight-line path hands to the general routine. The outputs overwrite
        // the operands, so the hand-over must not have clobbered them.
        UInt256 b = new(16, 5, (1UL << 63) + 1);
        UInt256 a = new(7, 3, 5, (1UL << 63) + 1);
        UInt256 expectedQ = Wrap(Big(a) / Big(b));
        UInt256 expectedR = Wrap(Big(a) % Big(b));
        UInt256 x = a;
        UInt256.Divide(x, b, out x);
        Assert.That(x, Is.EqualTo(expectedQ));
        x = b;
        UInt256.Mod(a, x, out x);
        Assert.That(x, Is.EqualTo(expectedR));
        UInt256 q = a, r = b;
        UInt256.DivRem(q, r, out q, out r);
        Assert.That((q, r), Is.EqualTo((expectedQ, expectedR)));
    }

    // Dividend/divisor pairs whose first quotient-digit estimate survives the two-digit check and is still one too
    // large, so long division must add the divisor back (Knuth step D6, probability about 2/2^64 on random input).
    // Found by searching edge-word values with a model of the algorithm; the expected values come from BigInteger.
    [TestCase("0x8000000000000001800000000000000100000000000000000000000000000002", "0x800000000000000180000000000000017fffffffffffffff")]
    [TestCase("0x7fffffffffffffff00000000000000000000000000000000fffffffffffffffd", "0x80000000000000000000000000000000fffffffffffffffe")]
    [TestCase("0xffffffffffffffff0000000000000001fffffffffffffffe0000000000000002", "0x1000000000000000000000000000000020000000000000002")]
    [TestCase("0x7fffffffffffffff7fffffffffffffff80000000000000010000000000000000", "0x7fffffffffffffff7fffffffffffffffffffffffffffffff")]
    [TestCase("0xffffffffffffffffffffffffffffffff0000000000000000ffffffffffffffff", "0xffffffffffffffffffffffffffffffffffffffffffffffff")]
    [TestCase("0xfffffffffffffffefffffffffffffffefffffffffffffffeffffffffffffffff", "0x17ffffffffffffffffffffffffffffffe7fffffffffffffff")]
    public void DivisionThatNeedsTheAddBackStep(string dividend, string divisor)
    {
        UInt256 a = UInt256.Parse(dividend);
        UInt256 b = UInt256.Parse(divisor);
        Assert.That(a / b, Is.EqualTo(Wrap(Big(a) / Big(b))));
        Assert.That(a % b, Is.EqualTo(Wrap(Big(a) % Big(b))));
        UInt256.MulMod(a, UInt256.One, b, out UInt256 viaMulMod);
        Assert.That(viaMulMod, Is.EqualTo(Wrap(Big(a) % Big(b))));
    }
}
