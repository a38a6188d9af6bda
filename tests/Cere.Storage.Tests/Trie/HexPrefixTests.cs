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

    [TestCase("")]
    [TestCase("40")]
    [TestCase("01")]
    [TestCase("2f12")]
    public void RejectsMalformed(string hex)
    {
        Assert.That(HexPrefix.TryDecode(Hex.Decode(hex), out _, out _), Is.False);
    }
}
