using System.Text.Json;
using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;

namespace Cere.Storage.Tests.State;

/// <summary>
/// The world state must give the state roots that ethereum/tests publish for known account sets (accounts with
/// balances, nonces, code and storage): every genesis <c>pre</c> and every final <c>postState</c> of BlockchainTests.
/// </summary>
public sealed class StateRootVectorTests
{
    private static IEnumerable<TestCaseData> Fixtures() => AllocFixture.All();

    [TestCaseSource(nameof(Fixtures))]
    public void RootMatches(AllocFixture fixture)
    {
        MemoryStore db = new();
        WorldState state = WorldState.Open(db, Hash256.EmptyTrieRoot);
        fixture.LoadInto(state);
        Assert.That(state.ComputeStateRoot(), Is.EqualTo(fixture.Root), "computed root");
        Assert.That(state.Commit(0), Is.EqualTo(fixture.Root), "committed root");

        // Everything reads back from the database alone.
        WorldState reopened = WorldState.OpenHead(db);
        foreach (JsonProperty account in fixture.Alloc.EnumerateObject())
        {
            Address address = Address.Parse(account.Name);
            Assert.That(reopened.GetBalance(address), Is.EqualTo(UInt256.Parse(account.Value.GetProperty("balance").GetString()!)));
            Assert.That(reopened.GetCode(address), Is.EqualTo(Hex.Decode(account.Value.GetProperty("code").GetString()!)));
            foreach (JsonProperty slot in account.Value.GetProperty("storage").EnumerateObject())
            {
                Assert.That(reopened.GetStorage(address, UInt256.Parse(slot.Name)), Is.EqualTo(UInt256.Parse(slot.Value.GetString()!)));
            }
        }

        Assert.That(ReachableState.Collect(db, [fixture.Root], checkCode: true).Accounts, Is.EqualTo(fixture.Alloc.EnumerateObject().Count()));
    }
}
