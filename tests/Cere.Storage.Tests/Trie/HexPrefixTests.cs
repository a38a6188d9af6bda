using System.Text.Json;
using Cere.Core;
using Cere.Storage.Trie;
using Cere.Tests.Shared;

namespace Cere.Storage.Tests.Trie;

/// <summary>BasicTests hexencodetest.json: hex-prefix encoding of nibble sequences with the leaf flag.</summary>
public sealed class HexPrefixTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("basic", "hexencodetest.json")));
        foreach (JsonProperty entry in doc.RootElement.EnumerateObject())
        {
            byte[] seq = [.. entry.Value.GetProperty("seq").EnumerateArray().Select(e => (byte)e.GetInt32())];
            yield return new TestCaseData(seq, entry.Value.GetProperty("term").GetBoolean(), entry.Value.GetProperty("out").GetString())
                .SetName("hexencodetest/" + entry.Name);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void EncodesAndDecodes(byte[] nibbles, bool isLeaf, string expectedHex)
    {
        byte[] encoded = HexPrefix.Encode(nibbles, isLeaf);
        Assert.That(Hex.Encode(encoded, prefix: false), Is.EqualTo(expectedHex));
        Assert.That(HexPrefix.TryDecode(encoded, out bool leaf, out byte[] decoded), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(leaf, Is.EqualTo(isLeaf));
            Assert.That(decoded, Is.EqualTo(nibbles));
        });
    }

    /// <summary>
    /// Paths of every length up to 130 nibbles (the encoder packs 32 nibbles at a time, then byte by byte): the bytes
    /// are the pairs of nibbles after the flag nibble (and a pad nibble when even), and decoding gives the path back.
    /// </summary>
    [Test]
    public void LongPathsPackPairsOfNibbles()
    {
        Random rng = new(7);
        for (int n = 0; n <= 130; n++)
        {
            foreach (bool isLeaf in new[] { false, true })
            {
                byte[] nibbles = new byte[n];
                for (int i = 0; i < n; i++)
                {
                    nibbles[i] = (byte)rng.Next(16);
                }

                // The reference: flag nibble, pad nibble when even, then the path, two nibbles to a byte.
                List<int> all = [(isLeaf ? 2 : 0) + (n % 2)];
                if (n % 2 == 0)
                {
                    all.Add(0);
                }

                all.AddRange(nibbles.Select(x => (int)x));
                byte[] expected = [.. all.Chunk(2).Select(p => (byte)((p[0] << 4) | p[1]))];
                byte[] encoded = HexPrefix.Encode(nibbles, isLeaf);
                Assert.That(encoded, Is.EqualTo(expected), $"{n} nibbles, leaf {isLeaf}");
                Assert.That(HexPrefix.TryDecode(encoded, out bool leaf, out byte[] decoded), Is.True);
                Assert.That(leaf, Is.EqualTo(isLeaf));
                Assert.That(decoded, Is.EqualTo(nibbles), $"{n} nibbles, leaf {isLeaf}");
            }
        }
    }

    [TestCase("")]
    [TestCase("40")]
    [TestCase("01")]
    [TestCase("2f12")]
    public void RejectsMalformed(string hex)
    {
        Assert.That(HexPrefix.TryDecode(Hex.Decode(hex), out _, out _), Is.False);
    }
}
