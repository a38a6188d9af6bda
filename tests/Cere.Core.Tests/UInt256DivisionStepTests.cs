using System.Numerics;
using CsCheck;

namespace Cere.Core.Tests;

/// <summary>The word-level division steps (Möller–Granlund reciprocals, 2-by-1 and 3-by-2) against BigInteger.</summary>
public class UInt256DivisionStepTests
{
    private const int Iterations = 50_000;
    private static readonly BigInteger Beta = BigInteger.One << 64;

    // A normalised divisor word: top bit set, random below it or at the edges.
    private static readonly Gen<ulong> NormalisedWord = Gen.Frequency(
        (6, Gen.ULong.Select(x => x | (1UL << 63))),
        (1, Gen.OneOf(1UL << 63, ulong.MaxValue, ulong.MaxValue - 1, (1UL << 63) + 1)),
        (1, Gen.ULong.Select(x => (x & 0xFF) | (1UL << 63))),
        (1, Gen.ULong.Select(x => x | 0xFFFF_FFFF_FFFF_FF00UL)));

    [Test]
    public void Reciprocal2By1IsFloorOfBetaSquaredOverD() => NormalisedWord.Sample(d =>
    {
        ulong expected = (ulong)((Beta * Beta - 1) / d - Beta);
        return UInt256.Reciprocal2By1(d) == expected && UInt256.Reciprocal2By1ByDivision(d) == expected
            && UInt256.Reciprocal2By1BySoftware(d) == expected;
    }, iter: Iterations);

    [Test]
    public void SoftwareReciprocalForEveryTableEntry()
    {
        // Each of the 256 table entries, at both ends of its range of divisors.
        for (ulong top = 256; top < 512; top++)
        {
            foreach (ulong d in new[] { top << 55, (top << 55) | ((1UL << 55) - 1), (top << 55) | 1, (top << 55) | (1UL << 54) })
            {
                Assert.That(UInt256.Reciprocal2By1BySoftware(d), Is.EqualTo((ulong)((Beta * Beta - 1) / d - Beta)), $"d = 0x{d:x}");
            }
        }
    }

    [Test]
    public void Reciprocal3By2IsFloorOfBetaCubedOverD() => Gen.Select(NormalisedWord, UInt256Generators.Word).Sample((d1, d0) =>
    {
        BigInteger d = (new BigInteger(d1) << 64) + d0;
        return UInt256.Reciprocal3By2(d1, d0) == (ulong)((Beta * Beta * Beta - 1) / d - Beta);
    }, iter: Iterations);

    [Test]
    public void Div2By1IsExact() => Gen.Select(NormalisedWord, Gen.ULong, UInt256Generators.Word).Sample((d, hiSeed, lo) =>
    {
        ulong hi = hiSeed % d;
        ulong q = UInt256.Div2By1(hi, lo, d, UInt256.Reciprocal2By1(d), out ulong r);
        BigInteger n = (new BigInteger(hi) << 64) + lo;
        return q == (ulong)(n / d) && r == (ulong)(n % d);
    }, iter: Iterations);

    [Test]
    public void Div3By2IsExact() => Gen.Select(NormalisedWord, UInt256Generators.Word, Gen.ULong, UInt256Generators.Word, UInt256Generators.Word)
        .Sample((d1, d0, seed, u1Seed, u0) =>
        {
            BigInteger d = (new BigInteger(d1) << 64) + d0;
            // (u2:u1) must be below (d1:d0): take the top two words of a number below d.
            BigInteger top = ((new BigInteger(seed) << 64) + u1Seed) % d;
            ulong u2 = (ulong)(top >> 64), u1 = (ulong)(top & ulong.MaxValue);
            ulong q = UInt256.Div3By2(u2, u1, u0, d1, d0, UInt256.Reciprocal3By2(d1, d0), out ulong r1, out ulong r0);
            BigInteger n = (top << 64) + u0;
            BigInteger r = (new BigInteger(r1) << 64) + r0;
            return q == (ulong)(n / d) && r == n % d;
        }, iter: Iterations);
}
