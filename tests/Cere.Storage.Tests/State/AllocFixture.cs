using System.Text.Json;
using Cere.Core;
using Cere.Storage.State;
using Cere.Tests.Shared;

namespace Cere.Storage.Tests.State;

/// <summary>
/// An account set with the state root it must give, taken from ethereum/tests BlockchainTests: <c>pre</c> with the
/// genesis header's stateRoot, and <c>postState</c> with the stateRoot of the block named by <c>lastblockhash</c>.
/// </summary>
public sealed record AllocFixture(string Name, JsonElement Alloc, Hash256 Root)
{
    /// <summary>Every pre and post allocation of every blockchain test, one case each.</summary>
    public static IEnumerable<TestCaseData> All()
    {
        foreach (string file in VectorFiles.Enumerate("blockchain"))
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(file)));
            string shortFile = file["blockchain/".Length..^".json".Length];
            foreach (JsonProperty test in doc.RootElement.EnumerateObject())
            {
                JsonElement t = test.Value;
                JsonElement genesis = t.GetProperty("genesisBlockHeader");
                Hash256 genesisRoot = Hash256.Parse(genesis.GetProperty("stateRoot").GetString()!);
                yield return new TestCaseData(new AllocFixture($"{shortFile}/{test.Name}/pre", t.GetProperty("pre").Clone(), genesisRoot))
                    .SetName($"{shortFile}/{test.Name}/pre");

                if (!t.TryGetProperty("postState", out JsonElement post))
                {
                    continue; // three files give only postStateHash: nothing to build the state from
                }

                string last = t.GetProperty("lastblockhash").GetString()!;
                Hash256? postRoot = genesis.GetProperty("hash").GetString() == last ? genesisRoot : null;
                foreach (JsonElement block in t.GetProperty("blocks").EnumerateArray())
                {
                    if (block.TryGetProperty("blockHeader", out JsonElement header) && header.GetProperty("hash").GetString() == last)
                    {
                        postRoot = Hash256.Parse(header.GetProperty("stateRoot").GetString()!);
                    }
                }

                if (postRoot is { } root)
                {
                    yield return new TestCaseData(new AllocFixture($"{shortFile}/{test.Name}/post", post.Clone(), root))
                        .SetName($"{shortFile}/{test.Name}/post");
                }
            }
        }
    }

    /// <summary>Writes the accounts into <paramref name="state"/> (existing empty accounts stay: this is not a transaction).</summary>
    public void LoadInto(IWorldState state)
    {
        foreach (JsonProperty account in Alloc.EnumerateObject())
        {
            Address address = Address.Parse(account.Name);
            state.CreateAccount(address);
            state.AddBalance(address, UInt256.Parse(account.Value.GetProperty("balance").GetString()!));
            state.SetNonce(address, (ulong)UInt256.Parse(account.Value.GetProperty("nonce").GetString()!));
            byte[] code = Hex.Decode(account.Value.GetProperty("code").GetString()!);
            if (code.Length > 0)
            {
                state.SetCode(address, code);
            }

            foreach (JsonProperty slot in account.Value.GetProperty("storage").EnumerateObject())
            {
                state.SetStorage(address, UInt256.Parse(slot.Name), UInt256.Parse(slot.Value.GetString()!));
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
