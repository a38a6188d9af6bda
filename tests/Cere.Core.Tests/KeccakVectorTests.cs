using System.Text.Json;
using Cere.Core.Crypto;
using Cere.Tests.Shared;

namespace Cere.Core.Tests;

/// <summary>
/// Keccak-256 against <c>keccak/keccak256_generated.json</c> (digests from two independent JavaScript
/// implementations) and SHA3-256 against the XKCP <c>ShortMsgKAT_SHA3-256.txt</c>: one-shot, <see cref="Hash256"/>
/// and incremental, the latter fed in random pieces.
/// </summary>
public class KeccakVectorTests
{
    private const string Folder = "keccak";

    public static IEnumerable<TestCaseData> GeneratedMessages()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(Folder, "keccak256_generated.json")));
        foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            int len = v.GetProperty("lenBytes").GetInt32();
            yield return new TestCaseData(
                    v.GetProperty("msg").GetString()!,
                    v.GetProperty("keccak256").GetString()!,
                    v.GetProperty("sha3_256").GetString()!)
                .SetName($"Generated_{len:D3}Bytes");
        }
    }

    public static IEnumerable<TestCaseData> ExtraValues()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(Folder, "keccak256_generated.json")));
        foreach (JsonElement v in doc.RootElement.GetProperty("extra").EnumerateArray())
        {
            yield return new TestCaseData(v.GetProperty("msg").GetString()!, v.GetProperty("keccak256").GetString()!)
                .SetName($"Extra({v.GetProperty("note").GetString()})");
        }
    }

    /// <summary>The byte-aligned entries (Len % 8 == 0) of the XKCP SHA3-256 short-message KAT.</summary>
    public static IEnumerable<TestCaseData> Sha3Kat()
    {
        int? len = null;
        string? msg = null;
        foreach (string raw in File.ReadLines(VectorFiles.Path(Folder, "ShortMsgKAT_SHA3-256.txt")))
        {
            string line = raw.Trim();
            if (line.StartsWith("Len = ", StringComparison.Ordinal))
            {
                len = int.Parse(line["Len = ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                msg = null;
            }
            else if (line.StartsWith("Msg = ", StringComparison.Ordinal))
            {
                msg = line["Msg = ".Length..];
            }
            else if (line.StartsWith("MD = ", StringComparison.Ordinal))
            {
                if (len is null || msg is null)
                {
                    throw new FormatException($"MD line without Len and Msg before it: {line}");
                }

                if (len.Value % 8 == 0)
                {
                    // Len = 0 still lists one byte ("00"); the message is the first Len / 8 bytes.
                    yield return new TestCaseData(msg[..(len.Value / 4)], line["MD = ".Length..])
                        .SetName($"ShortMsgKAT_SHA3_256_Len{len.Value:D4}");
                }

                len = null;
                msg = null;
            }
        }
    }

    [Test]
    public void FilesHoldTheExpectedNumberOfEntries()
    {
        // Guards the sources above: a parser that silently found nothing would make every case list empty.
        Assert.That(GeneratedMessages().Count(), Is.EqualTo(256));
        Assert.That(ExtraValues().Count(), Is.EqualTo(7));
        Assert.That(Sha3Kat().Count(), Is.EqualTo(256));
    }

    [TestCaseSource(nameof(GeneratedMessages))]
    public void Keccak256MatchesGeneratedVector(string msgHex, string keccakHex, string sha3Hex)
    {
        byte[] msg = Convert.FromHexString(msgHex);
        AssertKeccak(msg, Convert.FromHexString(keccakHex));

        // The same messages' SHA3-256 digests are the upstream KAT values: the shared sponge again.
        byte[] sha3 = new byte[32];
        KeccakSha3.Hash256(msg, sha3);
        Assert.That(Convert.ToHexString(sha3), Is.EqualTo(sha3Hex.ToUpperInvariant()));
    }

    [TestCaseSource(nameof(ExtraValues))]
    public void Keccak256MatchesNamedValue(string msgHex, string keccakHex) =>
        AssertKeccak(Convert.FromHexString(msgHex), Convert.FromHexString(keccakHex));

    [TestCaseSource(nameof(Sha3Kat))]
    public void Sha3VariantMatchesXkcpKat(string msgHex, string mdHex)
    {
        byte[] msg = Convert.FromHexString(msgHex);
        byte[] md = new byte[32];
        KeccakSha3.Hash256(msg, md);
        Assert.That(Convert.ToHexString(md), Is.EqualTo(mdHex));

        foreach (byte[] pieces in RandomSplits(msg, seed: msg.Length))
        {
            KeccakHasher hasher = KeccakHasher.CreateSha3();
            Feed(ref hasher, msg, pieces);
            byte[] incremental = new byte[32];
            hasher.Finish(incremental);
            Assert.That(Convert.ToHexString(incremental), Is.EqualTo(mdHex), $"fed in pieces {string.Join(",", pieces)}");
        }
    }

    private static void AssertKeccak(byte[] msg, byte[] expected)
    {
        byte[] oneShot = new byte[32];
        Keccak256.Hash(msg, oneShot);
        Assert.That(oneShot, Is.EqualTo(expected), "Keccak256.Hash");

        // A longer output span is allowed; only the first 32 bytes are written.
        byte[] wide = new byte[40];
        Keccak256.Hash(msg, wide);
        Assert.That(wide[..32], Is.EqualTo(expected), "Keccak256.Hash into 40 bytes");
        Assert.That(wide[32..], Is.All.EqualTo(0), "bytes past the digest untouched");

        Assert.That(Keccak256.Compute(msg).ToArray(), Is.EqualTo(expected), "Keccak256.Compute");

        foreach (byte[] pieces in RandomSplits(msg, seed: msg.Length * 31 + 7))
        {
            KeccakHasher hasher = default;
            Feed(ref hasher, msg, pieces);
            Assert.That(hasher.Finish().ToArray(), Is.EqualTo(expected), $"KeccakHasher fed in pieces {string.Join(",", pieces)}");
        }
    }

    private static void Feed(ref KeccakHasher hasher, byte[] msg, byte[] pieceLengths)
    {
        int at = 0;
        foreach (byte n in pieceLengths)
        {
            hasher.Update(msg.AsSpan(at, n));
            at += n;
        }

        Assert.That(at, Is.EqualTo(msg.Length), "the split covers the message");
    }

    /// <summary>
    /// Ways to cut <paramref name="msg"/>: whole, byte by byte, and a few random cuts (including empty pieces),
    /// with a fixed seed so that a failure can be replayed.
    /// </summary>
    private static IEnumerable<byte[]> RandomSplits(byte[] msg, int seed)
    {
        yield return msg.Length == 0 ? [] : [(byte)msg.Length];
        byte[] ones = new byte[msg.Length];
        Array.Fill(ones, (byte)1);
        yield return ones;

        Random rng = new(seed);
        for (int k = 0; k < 4; k++)
        {
            List<byte> cuts = [];
            int left = msg.Length;
            while (left > 0)
            {
                int n = rng.Next(0, Math.Min(left, 150) + 1);
                cuts.Add((byte)n);
                left -= n;
            }

            yield return [.. cuts];
        }
    }
}
