using System.Globalization;
using System.Text.Json;
using Cere.Chain.Rpc.Modules;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.Rpc.Modules;

/// <summary>
/// Block objects as eth_getBlockBy* writes them, checked against the official EIP-4895 blockchain fixtures: the
/// fixture's own JSON of each block (hash, size = its RLP length, the withdrawals list) is the expected value.
/// </summary>
[TestFixture]
public sealed class BlockJsonFixtureTests
{
    private static IEnumerable<TestCaseData> WithdrawalFixtures()
    {
        foreach (string file in VectorFiles.Enumerate("blockchain"))
        {
            // Files whose blocks are all invalid (no JSON of theirs to compare with) are not cases.
            if (file.Contains("bc4895-withdrawals", StringComparison.Ordinal) && HasValidBlockWithWithdrawals(file))
            {
                yield return new TestCaseData(file).SetName("block json: " + file);
            }
        }
    }

    [TestCaseSource(nameof(WithdrawalFixtures))]
    public void BlockObjectCarriesTheFixturesWithdrawalsAndSize(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(file)));
        int blocks = 0;
        foreach (JsonProperty test in doc.RootElement.EnumerateObject())
        {
            foreach (JsonElement b in test.Value.GetProperty("blocks").EnumerateArray())
            {
                if (!b.TryGetProperty("blockHeader", out JsonElement header) || !b.TryGetProperty("withdrawals", out JsonElement expected))
                {
                    continue; // a block the fixture expects to be rejected: it has no JSON to compare with
                }

                byte[] rlp = Hex.Decode(b.GetProperty("rlp").GetString()!);
                using JsonDocument written = Write(BlockCodec.Decode(rlp));
                JsonElement actual = written.RootElement;
                string where = $"{test.Name} block {header.GetProperty("number").GetString()}";
                Assert.That(actual.GetProperty("hash").GetString(), Is.EqualTo(header.GetProperty("hash").GetString()), where);
                Assert.That(Quantity(actual.GetProperty("size")), Is.EqualTo((ulong)rlp.Length), $"{where}: size");
                JsonElement list = actual.GetProperty("withdrawals");
                Assert.That(list.GetArrayLength(), Is.EqualTo(expected.GetArrayLength()), $"{where}: withdrawal count");
                for (int i = 0; i < expected.GetArrayLength(); i++)
                {
                    JsonElement e = expected[i];
                    JsonElement a = list[i];
                    Assert.Multiple(() =>
                    {
                        foreach (string field in (string[])["index", "validatorIndex", "amount"])
                        {
                            // Fixtures write "0x00"; JSON-RPC quantities are minimal ("0x0"): compare the numbers.
                            Assert.That(Quantity(a.GetProperty(field)), Is.EqualTo(Quantity(e.GetProperty(field))), $"{where}: withdrawal {i} {field}");
                            Assert.That(a.GetProperty(field).GetString(), Does.Match("^0x(0|[1-9a-f][0-9a-f]*)$"), $"{where}: withdrawal {i} {field} is a quantity");
                        }

                        Assert.That(a.GetProperty("address").GetString(), Is.EqualTo(e.GetProperty("address").GetString()!.ToLowerInvariant()), $"{where}: withdrawal {i} address");
                    });
                }

                blocks++;
            }
        }

        Assert.That(blocks, Is.GreaterThan(0), "no block of the fixture was compared");
    }

    [Test]
    public void PreShanghaiBlockHasNoWithdrawalsMember()
    {
        BlockHeader header = new() { Number = 1, GasLimit = 30_000_000 };
        using JsonDocument written = Write(new Block(header, []));
        Assert.That(written.RootElement.TryGetProperty("withdrawals", out _), Is.False);
    }

    private static bool HasValidBlockWithWithdrawals(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(file)));
        foreach (JsonProperty test in doc.RootElement.EnumerateObject())
        {
            foreach (JsonElement b in test.Value.GetProperty("blocks").EnumerateArray())
            {
                if (b.TryGetProperty("blockHeader", out _) && b.TryGetProperty("withdrawals", out _))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static JsonDocument Write(Block block)
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter w = new(stream))
        {
            ChainJson.WriteBlock(w, block, fullTransactions: false);
        }

        return JsonDocument.Parse(stream.ToArray());
    }

    private static ulong Quantity(JsonElement e) => ulong.Parse(e.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
