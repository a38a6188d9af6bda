using System.Security.Cryptography;
using Cere.Core.Crypto;

namespace Cere.Core.Tests;

/// <summary>
/// Our SHA3-256 (the Keccak-256 sponge with SHA3 padding) against .NET's <see cref="SHA3_256"/> (OpenSSL), an
/// implementation we did not write, over random inputs crossing several rate blocks; and the hasher's API rules.
/// </summary>
public class KeccakCrossCheckTests
{
    private const int MaxLength = 2000;

    [Test]
    public void Sha3VariantMatchesOpenSslForEveryLengthUpTo2000()
    {
        Assert.That(SHA3_256.IsSupported, Is.True, "SHA3_256 needs OpenSSL 1.1.1 or later; without it this cross-check cannot run");
        Random rng = new(20261125);
        byte[] data = new byte[MaxLength];
        byte[] ours = new byte[32];
        byte[] reference = new byte[32];
        for (int len = 0; len <= MaxLength; len++)
        {
            Span<byte> msg = data.AsSpan(0, len);
            rng.NextBytes(msg);
            KeccakSha3.Hash256(msg, ours);
            SHA3_256.HashData(msg, reference);
            Assert.That(ours, Is.EqualTo(reference), $"one-shot, {len} bytes");

            KeccakHasher hasher = KeccakHasher.CreateSha3();
            int at = 0;
            while (at < len)
            {
                int n = Math.Min(rng.Next(0, 300), len - at);
                hasher.Update(msg.Slice(at, n));
                at += n;
            }

            hasher.Finish(ours);
            Assert.That(ours, Is.EqualTo(reference), $"incremental, {len} bytes");
        }
    }

    [Test]
    public void Keccak256OfLongInputMatchesHasherFedInBlocks()
    {
        // Beyond the vectors' 255 bytes: the one-shot path and the incremental path must agree on long input.
        byte[] data = new byte[100_000];
        new Random(7).NextBytes(data);
        KeccakHasher hasher = default;
        for (int at = 0; at < data.Length; at += 1000)
        {
            hasher.Update(data.AsSpan(at, 1000));
        }

        Assert.That(hasher.Finish(), Is.EqualTo(Keccak256.Compute(data)));
    }

    [Test]
    public void ShortOutputIsRejectedAndLeavesTheHasherUnchanged()
    {
        byte[] msg = "abc"u8.ToArray();
        KeccakHasher hasher = default;
        hasher.Update(msg);
        ArgumentException? e = Assert.Throws<ArgumentException>(() => hasher.Finish(new byte[31]));
        Assert.That(e!.ParamName, Is.EqualTo("output"));
        Assert.That(hasher.Finish(), Is.EqualTo(Keccak256.Compute(msg)));

        ArgumentException? e2 = Assert.Throws<ArgumentException>(() => Keccak256.Hash(msg, new byte[31]));
        Assert.That(e2!.Message, Does.Contain("32 bytes"));
    }

    [Test]
    public void FinishResetsAndResetForgets()
    {
        KeccakHasher hasher = default;
        hasher.Update("abc"u8);
        Assert.That(hasher.Finish(), Is.EqualTo(Keccak256.Compute("abc"u8)));
        Assert.That(hasher.Finish(), Is.EqualTo(Hash256.EmptyKeccak), "Finish leaves a fresh hasher");

        hasher.Update(new byte[500]);
        hasher.Reset();
        hasher.Update([0x80]);
        Assert.That(hasher.Finish(), Is.EqualTo(Hash256.EmptyTrieRoot));

        KeccakHasher sha3 = KeccakHasher.CreateSha3();
        sha3.Update("abc"u8);
        sha3.Reset();
        byte[] digest = new byte[32];
        sha3.Finish(digest);
        Assert.That(digest, Is.EqualTo(SHA3_256.HashData(ReadOnlySpan<byte>.Empty)), "Reset keeps the SHA3 padding");
    }
}
