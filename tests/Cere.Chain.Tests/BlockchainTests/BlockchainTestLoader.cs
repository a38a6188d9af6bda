using System.Text.Json;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;
using Cere.Core.Receipts;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.BlockchainTests;

/// <summary>Reads BlockchainTests fixture files into <see cref="BlockchainTestCase"/>s.</summary>
public static class BlockchainTestLoader
{
    /// <summary>Every test of the file <paramref name="file"/> (relative to the vectors root).</summary>
    public static List<BlockchainTestCase> Load(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(VectorFiles.Path(file)));
        List<BlockchainTestCase> cases = [];
        foreach (JsonProperty test in doc.RootElement.EnumerateObject())
        {
            JsonElement t = test.Value;
            List<FixtureBlock> blocks = [];
            foreach (JsonElement b in t.GetProperty("blocks").EnumerateArray())
            {
                blocks.Add(new FixtureBlock(
                    Hex.Decode(b.GetProperty("rlp").GetString()!),
                    b.TryGetProperty("expectException", out JsonElement ex) ? ex.GetString() : null));
            }

            JsonElement g = t.GetProperty("genesisBlockHeader");
            cases.Add(new BlockchainTestCase
            {
                File = file,
                Name = test.Name,
                Network = t.GetProperty("network").GetString()!,
                GenesisHeader = Header(g),
                GenesisHash = Hash256.Parse(g.GetProperty("hash").GetString()!),
                Pre = Accounts(t.GetProperty("pre")),
                Blocks = blocks,
                LastBlockHash = Hash256.Parse(t.GetProperty("lastblockhash").GetString()!),
                PostState = t.TryGetProperty("postState", out JsonElement post) ? Accounts(post) : null,
                PostStateHash = t.TryGetProperty("postStateHash", out JsonElement ph) ? Hash256.Parse(ph.GetString()!) : null,
            });
        }

        return cases;
    }

    private static BlockHeader Header(JsonElement g) => new()
    {
        ParentHash = Hash(g, "parentHash"),
        OmmersHash = Hash(g, "uncleHash"),
        Beneficiary = Address.Parse(g.GetProperty("coinbase").GetString()!),
        StateRoot = Hash(g, "stateRoot"),
        TransactionsRoot = Hash(g, "transactionsTrie"),
        ReceiptsRoot = Hash(g, "receiptTrie"),
        LogsBloom = new Bloom(Hex.Decode(g.GetProperty("bloom").GetString()!)),
        Difficulty = Quantity(g, "difficulty"),
        Number = (ulong)Quantity(g, "number"),
        GasLimit = (ulong)Quantity(g, "gasLimit"),
        GasUsed = (ulong)Quantity(g, "gasUsed"),
        Timestamp = (ulong)Quantity(g, "timestamp"),
        ExtraData = Hex.Decode(g.GetProperty("extraData").GetString()!),
        MixHash = Hash(g, "mixHash"),
        Nonce = (ulong)Quantity(g, "nonce"),
        BaseFeePerGas = g.TryGetProperty("baseFeePerGas", out JsonElement bf) ? UInt256.Parse(bf.GetString()!) : null,
        WithdrawalsRoot = g.TryGetProperty("withdrawalsRoot", out JsonElement wr) ? Hash256.Parse(wr.GetString()!) : null,
        BlobGasUsed = g.TryGetProperty("blobGasUsed", out JsonElement bu) ? (ulong)UInt256.Parse(bu.GetString()!) : null,
        ExcessBlobGas = g.TryGetProperty("excessBlobGas", out JsonElement eb) ? (ulong)UInt256.Parse(eb.GetString()!) : null,
        ParentBeaconBlockRoot = g.TryGetProperty("parentBeaconBlockRoot", out JsonElement pb) ? Hash256.Parse(pb.GetString()!) : null,
    };

    private static Dictionary<Address, GenesisAccount> Accounts(JsonElement accounts)
    {
        Dictionary<Address, GenesisAccount> result = [];
        foreach (JsonProperty a in accounts.EnumerateObject())
        {
            Dictionary<UInt256, UInt256> storage = [];
            foreach (JsonProperty s in a.Value.GetProperty("storage").EnumerateObject())
            {
                storage[UInt256.Parse(s.Name)] = UInt256.Parse(s.Value.GetString()!);
            }

            result[Address.Parse(a.Name)] = new GenesisAccount(
                Quantity(a.Value, "balance"),
                (ulong)Quantity(a.Value, "nonce"),
                Hex.Decode(a.Value.GetProperty("code").GetString()!),
                storage);
        }

        return result;
    }

    private static Hash256 Hash(JsonElement e, string name) => Hash256.Parse(e.GetProperty(name).GetString()!);

    private static UInt256 Quantity(JsonElement e, string name) => UInt256.Parse(e.GetProperty(name).GetString()!);
}
