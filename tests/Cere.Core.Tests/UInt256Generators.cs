using System.Numerics;
using CsCheck;

namespace Cere.Core.Tests;

/// <summary>CsCheck generators of UInt256 values biased toward the edges where carries, borrows and signs go wrong.</summary>
internal static class UInt256Generators
{
    /// <summary>One 64-bit word: uniform, or zero, or a carry/sign edge, or small.</summary>
    public static readonly Gen<ulong> Word = Gen.Frequency(
        (5, Gen.ULong),
        (3, Gen.Const(0UL)),
        (2, Gen.OneOf(1UL, 2UL, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63, (1UL << 63) - 1, (1UL << 63) + 1, 1UL << 32, uint.MaxValue)),
        (1, Gen.ULong.Select(x => x & 0xFFFF)));

    /// <summary>Values every 256-bit implementation must get right (word boundaries, the sign bit, the maximum).</summary>
    public static readonly UInt256[] EdgeValues =
    [
        new(0), new(1), new(2), new(3), new(10),
        new(ulong.MaxValue), new(0, 1), new(1, 1), new(ulong.MaxValue - 1), new(ulong.MaxValue, 1),
        new(0, 0, 1), new(ulong.MaxValue, ulong.MaxValue), new(0, 0, 0, 1), new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(0, 0, 0, 1UL << 63),                                                  // 2^255 = −2^255 as int256
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, (1UL << 63) - 1),    // 2^255 − 1 = int256 max
        new(1, 0, 0, 1UL << 63),                                                  // −2^255 + 1
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),      // 2^256 − 1 = −1
        new(ulong.MaxValue - 1, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),  // −2
        new(0, 0, 0, ulong.MaxValue),
        new(0, 1UL << 63), new(0, 0, 1UL << 63),
    ];

    private static readonly Gen<UInt256> Words = Gen.Select(Word, Word, Word, Word, (a, b, c, d) => new UInt256(a, b, c, d));

    /// <summary>Random words, edge values, and values cut to a random bit length (so operands of every size meet).</summary>
    public static readonly Gen<UInt256> Value = Gen.Frequency(
        (4, Words),
        (1, Gen.OneOf(EdgeValues)),
        (3, Gen.Select(Words, Gen.Int[0, 255], (x, s) => RightShiftReference(x, s))),
        (1, Gen.Select(Gen.OneOf(EdgeValues), Gen.Int[-3, 3], (x, d) => Reference.Wrap(Reference.Big(x) + d))));

    /// <summary>A shift or index operand: mostly 0..300 (around the 256 and 32 limits), sometimes any 256-bit value.</summary>
    public static readonly Gen<UInt256> Small = Gen.Frequency(
        (4, Gen.Int[0, 300].Select(i => new UInt256((ulong)i))),
        (1, Gen.Int[0, 40].Select(i => new UInt256((ulong)i))),
        (1, Value));

    public static readonly Gen<(UInt256, UInt256)> Pair = Gen.Select(Value, Value);

    public static readonly Gen<(UInt256, UInt256, UInt256)> Triple = Gen.Select(Value, Value, Value);

    // Built from BigInteger so the generator does not lean on the shift under test.
    private static UInt256 RightShiftReference(UInt256 x, int s) => Reference.Wrap(Reference.Big(x) >> s);

    /// <summary>Prints a value for a shrunk counterexample.</summary>
    public static string Show(UInt256 x) => "0x" + Reference.Big(x).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The EVM's definitions (yellow paper, appendix H) on BigInteger: the independent model the tests compare with.</summary>
internal static class Reference
{
    public static readonly BigInteger Two256 = BigInteger.One << 256;
    public static readonly BigInteger Two255 = BigInteger.One << 255;

    /// <summary>The value as a BigInteger, built from the words (not from UInt256's own conversion).</summary>
    public static BigInteger Big(UInt256 x) =>
        new BigInteger(x.U0) | (new BigInteger(x.U1) << 64) | (new BigInteger(x.U2) << 128) | (new BigInteger(x.U3) << 192);

    /// <summary>The two's complement reading of the value.</summary>
    public static BigInteger Signed(UInt256 x)
    {
        BigInteger b = Big(x);
        return b >= Two255 ? b - Two256 : b;
    }

    /// <summary>Reduces any integer mod 2^256 and builds the words (not with UInt256's own conversion).</summary>
    public static UInt256 Wrap(BigInteger value)
    {
        BigInteger v = ((value % Two256) + Two256) % Two256;
        BigInteger mask = ulong.MaxValue;
        return new UInt256((ulong)(v & mask), (ulong)((v >> 64) & mask), (ulong)((v >> 128) & mask), (ulong)((v >> 192) & mask));
    }

    public static UInt256 SDiv(UInt256 a, UInt256 b)
    {
        BigInteger sb = Signed(b);
        // BigInteger.Divide truncates toward zero as SDIV does; −2^255 / −1 = 2^255 wraps to −2^255.
        return sb.IsZero ? default : Wrap(BigInteger.Divide(Signed(a), sb));
    }

    public static UInt256 SMod(UInt256 a, UInt256 b)
    {
        BigInteger sb = Signed(b);
        // BigInteger.Remainder takes the sign of the dividend, as SMOD does.
        return sb.IsZero ? default : Wrap(BigInteger.Remainder(Signed(a), sb));
    }

    public static UInt256 SignExtend(UInt256 b, UInt256 x)
    {
        BigInteger bb = Big(b);
        if (bb >= 31)
        {
            return x;
        }

        int bits = 8 * ((int)bb + 1);
        BigInteger low = Big(x) & ((BigInteger.One << bits) - 1);
        bool negative = !(low >> (bits - 1)).IsZero;
        return Wrap(negative ? low - (BigInteger.One << bits) : low);
    }

    public static UInt256 Byte(UInt256 i, UInt256 x)
    {
        BigInteger bi = Big(i);
        return bi >= 32 ? default : Wrap((Big(x) >> (248 - (8 * (int)bi))) & 0xFF);
    }

    public static UInt256 Shl(UInt256 shift, UInt256 x)
    {
        BigInteger s = Big(shift);
        return s >= 256 ? default : Wrap(Big(x) << (int)s);
    }

    public static UInt256 Shr(UInt256 shift, UInt256 x)
    {
        BigInteger s = Big(shift);
        return s >= 256 ? default : Wrap(Big(x) >> (int)s);
    }

    public static UInt256 Sar(UInt256 shift, UInt256 x)
    {
        BigInteger s = Big(shift);
        // BigInteger's >> is arithmetic (rounds toward −∞), as SAR is.
        return Wrap(Signed(x) >> (int)BigInteger.Min(s, 256));
    }
}
