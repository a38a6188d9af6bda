using System.Numerics;
using CsCheck;
using static Cere.Core.Tests.Reference;

namespace Cere.Core.Tests;

/// <summary>Signed (two's complement) and bitwise operations of UInt256 against the BigInteger model of the yellow paper.</summary>
public class UInt256SignedBitwiseTests
{
    private const int Iterations = 20_000;

    private static string Show2((UInt256 A, UInt256 B) t) => $"a={UInt256Generators.Show(t.A)} b={UInt256Generators.Show(t.B)}";

    private static readonly Gen<(UInt256, UInt256)> IndexAndValue = Gen.Select(UInt256Generators.Small, UInt256Generators.Value);

    [Test]
    public void SignedDivideMatchesSdiv() => UInt256Generators.Pair.Sample((a, b) =>
    {
        UInt256.SignedDivide(a, b, out UInt256 r);
        return r == SDiv(a, b);
    }, iter: Iterations, print: Show2);

    [Test]
    public void SignedModMatchesSmod() => UInt256Generators.Pair.Sample((a, b) =>
    {
        UInt256.SignedMod(a, b, out UInt256 r);
        return r == SMod(a, b);
    }, iter: Iterations, print: Show2);

    [Test]
    public void SignedComparisonsMatchSltSgt() => UInt256Generators.Pair.Sample((a, b) =>
    {
        int expected = Signed(a).CompareTo(Signed(b));
        return UInt256.SignedLessThan(a, b) == (expected < 0)
            && UInt256.SignedGreaterThan(a, b) == (expected > 0)
            && a.IsNegative == (Signed(a).Sign < 0);
    }, iter: Iterations, print: Show2);

    [Test]
    public void SignExtendMatchesYellowPaper() => IndexAndValue.Sample((b, x) =>
    {
        UInt256.SignExtend(b, x, out UInt256 r);
        return r == SignExtend(b, x);
    }, iter: Iterations, print: Show2);

    [Test]
    public void ByteMatchesYellowPaper() => IndexAndValue.Sample((i, x) =>
    {
        UInt256.Byte(i, x, out UInt256 r);
        return r == Reference.Byte(i, x) && UInt256.Byte(i, x) == (byte)Reference.Byte(i, x).U0;
    }, iter: Iterations, print: Show2);

    [Test]
    public void ShiftLeftMatchesShl() => IndexAndValue.Sample((s, x) =>
    {
        UInt256.LeftShift(x, s, out UInt256 r);
        bool intForm = !s.FitsInUInt64 || s.U0 > int.MaxValue || (x << (int)s.U0) == r;
        return r == Shl(s, x) && intForm;
    }, iter: Iterations, print: Show2);

    [Test]
    public void ShiftRightMatchesShr() => IndexAndValue.Sample((s, x) =>
    {
        UInt256.RightShift(x, s, out UInt256 r);
        bool intForm = !s.FitsInUInt64 || s.U0 > int.MaxValue || (x >> (int)s.U0) == r;
        return r == Shr(s, x) && intForm;
    }, iter: Iterations, print: Show2);

    [Test]
    public void ArithmeticShiftRightMatchesSar() => IndexAndValue.Sample((s, x) =>
    {
        UInt256.ArithmeticRightShift(x, s, out UInt256 r);
        return r == Sar(s, x);
    }, iter: Iterations, print: Show2);

    [Test]
    public void NegativeIntShiftsGiveZero()
    {
        UInt256 x = UInt256.MaxValue;
        Assert.That(x << -1, Is.EqualTo(UInt256.Zero));
        Assert.That(x >> -1, Is.EqualTo(UInt256.Zero));
        UInt256.ArithmeticRightShift(x, -1, out UInt256 r);
        Assert.That(r, Is.EqualTo(UInt256.MaxValue));
    }

    [Test]
    public void BitwiseOperationsMatchBigInteger() => UInt256Generators.Pair.Sample((a, b) =>
    {
        BigInteger ba = Big(a), bb = Big(b);
        UInt256.And(a, b, out UInt256 and);
        UInt256.Or(a, b, out UInt256 or);
        UInt256.Xor(a, b, out UInt256 xor);
        UInt256.Not(a, out UInt256 not);
        return and == Wrap(ba & bb) && or == Wrap(ba | bb) && xor == Wrap(ba ^ bb) && not == Wrap(Two256 - 1 - ba)
            && (a & b) == and && (a | b) == or && (a ^ b) == xor && ~a == not;
    }, iter: Iterations, print: Show2);

    [Test]
    public void BitQueriesMatchBigInteger() => Gen.Select(UInt256Generators.Value, Gen.Int[0, 255]).Sample((x, i) =>
    {
        BigInteger b = Big(x);
        int bitLength = b.IsZero ? 0 : (int)b.GetBitLength();
        return x.BitLength == bitLength
            && x.CountLeadingZeros == 256 - bitLength
            && x.ByteLength == (bitLength + 7) / 8
            && x.Bit(i) == !((b >> i) & 1).IsZero
            && x.IsZero == b.IsZero && x.IsOne == b.IsOne && x.FitsInUInt64 == (b <= ulong.MaxValue);
    }, iter: Iterations);
}
