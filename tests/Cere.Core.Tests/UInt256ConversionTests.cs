using System.Globalization;
using System.Numerics;
using CsCheck;
using static Cere.Core.Tests.Reference;

namespace Cere.Core.Tests;

/// <summary>Byte, text and BigInteger round trips of UInt256, and the errors bad input gets.</summary>
public class UInt256ConversionTests
{
    private const int Iterations = 10_000;

    [Test]
    public void BigEndianBytesRoundTrip() => UInt256Generators.Value.Sample(x =>
    {
        byte[] full = new byte[32];
        x.WriteBigEndian(full);
        byte[] expected = Big(x).ToByteArray(isUnsigned: true, isBigEndian: true);
        byte[] minimal = x.ToBigEndianMinimal();
        bool minimalOk = Big(x).IsZero ? minimal.Length == 0 : minimal.AsSpan().SequenceEqual(expected);
        bool fullOk = full.AsSpan(32 - minimal.Length).SequenceEqual(minimal) && full.AsSpan(0, 32 - minimal.Length).IndexOfAnyExcept((byte)0) < 0;
        return minimalOk && fullOk && x.ByteLength == minimal.Length
            && new UInt256(full) == x && new UInt256(minimal) == x;
    }, iter: Iterations, print: UInt256Generators.Show);

    [Test]
    public void ShortInputsHaveImpliedLeadingZeros() => Gen.Byte.Array[0, 32].Sample(bytes =>
        new UInt256(bytes) == Wrap(new BigInteger(bytes, isUnsigned: true, isBigEndian: true)), iter: Iterations);

    [Test]
    public void WriteBigEndianMinimalWritesOnlyTheSignificantBytes() => UInt256Generators.Value.Sample(x =>
    {
        byte[] buffer = new byte[40];
        Array.Fill(buffer, (byte)0xEE);
        x.WriteBigEndianMinimal(buffer);
        int n = x.ByteLength;
        return buffer.AsSpan(0, n).SequenceEqual(x.ToBigEndianMinimal()) && buffer.AsSpan(n).IndexOfAnyExcept((byte)0xEE) < 0;
    }, iter: Iterations, print: UInt256Generators.Show);

    [Test]
    public void BigIntegerRoundTrips() => UInt256Generators.Value.Sample(x =>
        x.ToBigInteger() == Big(x) && UInt256.FromBigInteger(Big(x)) == x, iter: Iterations, print: UInt256Generators.Show);

    [Test]
    public void DecimalTextRoundTrips() => UInt256Generators.Value.Sample(x =>
    {
        string text = x.ToString();
        return text == Big(x).ToString(CultureInfo.InvariantCulture) && UInt256.Parse(text) == x
            && UInt256.TryParse(text, out UInt256 y) && y == x;
    }, iter: Iterations, print: UInt256Generators.Show);

    [Test]
    public void HexQuantityRoundTrips() => UInt256Generators.Value.Sample(x =>
    {
        string hex = x.ToHexQuantity();
        string expected = "0x" + (Big(x).IsZero ? "0" : Big(x).ToString("x", CultureInfo.InvariantCulture).TrimStart('0'));
        return hex == expected && UInt256.Parse(hex) == x && UInt256.Parse(hex.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)) == x;
    }, iter: Iterations, print: UInt256Generators.Show);

    [Test]
    public void MachineIntegerConversions() => UInt256Generators.Value.Sample(x =>
    {
        bool fits = Big(x) <= ulong.MaxValue;
        bool explicitOk;
        try
        {
            ulong narrowed = (ulong)x;
            explicitOk = fits && narrowed == (ulong)Big(x);
        }
        catch (OverflowException)
        {
            explicitOk = !fits;
        }

        return explicitOk && x.ToUInt64Truncated() == (ulong)(Big(x) & ulong.MaxValue);
    }, iter: Iterations, print: UInt256Generators.Show);

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(int.MaxValue)]
    public void ImplicitFromNonNegativeInt(int value) => Assert.That(Big(value), Is.EqualTo(new BigInteger(value)));

    [Test]
    public void ImplicitFromIntRejectsNegative() => Assert.Throws<OverflowException>(() => _ = (UInt256)(-1));

    [Test]
    public void ImplicitFromUnsigned()
    {
        UInt256 a = ulong.MaxValue;
        UInt256 b = uint.MaxValue;
        Assert.That(Big(a), Is.EqualTo(new BigInteger(ulong.MaxValue)));
        Assert.That(Big(b), Is.EqualTo(new BigInteger(uint.MaxValue)));
    }

    [Test]
    public void TooManyBytesAreRejected()
    {
        ArgumentException? e = Assert.Throws<ArgumentException>(() => _ = new UInt256(new byte[33]));
        Assert.That(e!.Message, Does.Contain("33"));
    }

    [Test]
    public void WriteBigEndianNeedsExactly32Bytes()
    {
        Assert.Throws<ArgumentException>(() => UInt256.One.WriteBigEndian(new byte[31]));
        Assert.Throws<ArgumentException>(() => UInt256.One.WriteBigEndian(new byte[33]));
        Assert.Throws<ArgumentException>(() => UInt256.MaxValue.WriteBigEndianMinimal(new byte[31]));
    }

    [Test]
    public void FromBigIntegerRejectsOutOfRange()
    {
        Assert.Throws<OverflowException>(() => UInt256.FromBigInteger(BigInteger.MinusOne));
        Assert.Throws<OverflowException>(() => UInt256.FromBigInteger(Two256));
        Assert.That(UInt256.FromBigInteger(Two256 - 1), Is.EqualTo(UInt256.MaxValue));
    }

    [TestCase("")]
    [TestCase("0x")]
    [TestCase("12a")]
    [TestCase("-1")]
    [TestCase(" 1")]
    [TestCase("0xg")]
    [TestCase("1.5")]
    public void MalformedTextIsAFormatError(string text)
    {
        Assert.Throws<FormatException>(() => UInt256.Parse(text));
        Assert.That(UInt256.TryParse(text, out _), Is.False);
    }

    [Test]
    public void TooLargeTextIsAnOverflow()
    {
        string max = (Two256 - 1).ToString(CultureInfo.InvariantCulture);
        string tooBig = Two256.ToString(CultureInfo.InvariantCulture);
        Assert.That(UInt256.Parse(max), Is.EqualTo(UInt256.MaxValue));
        Assert.Throws<OverflowException>(() => UInt256.Parse(tooBig));
        Assert.Throws<OverflowException>(() => UInt256.Parse("0x1" + new string('0', 64)));
        Assert.That(UInt256.Parse("0x000" + new string('f', 64)), Is.EqualTo(UInt256.MaxValue));
        Assert.That(UInt256.TryParse(tooBig, out _), Is.False);
        Assert.That(UInt256.TryParse(null, out _), Is.False);
        Assert.Throws<ArgumentNullException>(() => UInt256.Parse(null!));
    }

    [Test]
    public void LeadingZerosInDecimalAreAccepted() => Assert.That(UInt256.Parse("000000000000000000000000042"), Is.EqualTo(new UInt256(42)));
}
