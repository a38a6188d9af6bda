using System.Text.Json;
using Cere.Core.Blocks;
using Cere.Core.Transactions;
using Cere.Tests.Shared;

namespace Cere.Core.Tests.Blocks;

/// <summary>
/// The block and header codec against every blockchain fixture (../shared/vectors/blockchain): genesis and
/// valid blocks decode to the fixture's hash, number and transaction count, and re-encode to the same bytes.
/// (Importing and validating the blocks is the block processor's test.)
/// </summary>
public class BlockFixtureCodecTests
{
    private static IEnumerable<TestCaseData> Files() =>
        VectorFiles.Enumerate("blockchain").Select(f => new TestCaseData(f).SetName("block codec: " + f));

    [TestCaseSource(nameof(Files))]
    public void DecodesAndReEncodes(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(file)));
        int checkedBlocks = 0;
        foreach (JsonProperty test in doc.RootElement.EnumerateObject())
        {
            JsonElement t = test.Value;
            byte[] genesisRlp = Hex.Decode(t.GetProperty("genesisRLP").GetString()!);
            Block genesis = BlockCodec.Decode(genesisRlp);
            Assert.That(genesis.Hash, Is.EqualTo(Hash256.Parse(t.GetProperty("genesisBlockHeader").GetProperty("hash").GetString()!)), $"{test.Name}: genesis hash");
            Assert.That(BlockCodec.Encode(genesis), Is.EqualTo(genesisRlp), $"{test.Name}: genesis re-encoding");

            foreach (JsonElement b in t.GetProperty("blocks").EnumerateArray())
            {
                if (!b.TryGetProperty("blockHeader", out JsonElement header))
                {
                    continue; // a block the fixture expects to be rejected; its RLP may be deliberately broken
                }

                byte[] rlp = Hex.Decode(b.GetProperty("rlp").GetString()!);
                if (HasBlobTransaction(b))
                {
                    // The node carries no blobs: a block with an EIP-4844 transaction must not decode.
                    TransactionException? e = Assert.Throws<TransactionException>(() => BlockCodec.Decode(rlp));
                    Assert.That(e!.Error, Is.EqualTo(TxError.TypeNotSupported));
                    checkedBlocks++;
                    continue;
                }

                Block block = BlockCodec.Decode(rlp);
                Assert.Multiple(() =>
                {
                    Assert.That(block.Hash, Is.EqualTo(Hash256.Parse(header.GetProperty("hash").GetString()!)), $"{test.Name}: block hash");
                    Assert.That(block.Number, Is.EqualTo(Convert.ToUInt64(header.GetProperty("number").GetString(), 16)), $"{test.Name}: number");
                    Assert.That(block.Header.StateRoot, Is.EqualTo(Hash256.Parse(header.GetProperty("stateRoot").GetString()!)), $"{test.Name}: state root");
                    Assert.That(block.Transactions, Has.Length.EqualTo(b.GetProperty("transactions").GetArrayLength()), $"{test.Name}: transaction count");
                    Assert.That(BlockCodec.Encode(block), Is.EqualTo(rlp), $"{test.Name}: re-encoding");
                    Assert.That(BlockCodec.EncodedLength(block), Is.EqualTo(rlp.Length), $"{test.Name}: encoded length");
                });
                for (int i = 0; i < block.Transactions.Length; i++)
                {
                    JsonElement txJson = b.GetProperty("transactions")[i];
                    if (txJson.TryGetProperty("sender", out JsonElement sender))
                    {
                        Assert.That(block.Transactions[i].Sender, Is.EqualTo(Address.Parse(sender.GetString()!)), $"{test.Name}: tx {i} sender");
                    }
                }

                checkedBlocks++;
            }
        }

        Assert.That(checkedBlocks + doc.RootElement.EnumerateObject().Count(), Is.GreaterThan(0));
    }

    private static bool HasBlobTransaction(JsonElement block)
    {
        foreach (JsonElement tx in block.GetProperty("transactions").EnumerateArray())
        {
            if (tx.TryGetProperty("type", out JsonElement type) && type.GetString() == "0x03")
            {
                return true;
            }
        }

        return false;
    }
}
