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
    public void KnuthAddBackCase()
    {
        // Dividends of the form (2^255 + small) / (2^128 + ...) hit the rare "estimate one too large" correction.
        UInt256 a = new(0, 0, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF);
        UInt256 b = new(1, 0, 0x8000_0000_0000_0000);
        Assert.That(a / b, Is.EqualTo(Wrap(Big(a) / Big(b))));
        Assert.That(a % b, Is.EqualTo(Wrap(Big(a) % Big(b))));
    }
}
