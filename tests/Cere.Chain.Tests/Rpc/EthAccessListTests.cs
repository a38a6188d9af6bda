using System.Text.Json;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// eth_createAccessList through the JSON-RPC processor: the list geth's algorithm finds (sender, recipient and
/// precompiles left out, reverted frames' reads kept), and a reported gasUsed that a mined transaction carrying the
/// list matches exactly.
/// </summary>
[TestFixture]
public sealed class EthAccessListTests
{
    private CallTestNode _node = null!;
    private Address _target;
    private Address _other;

    [SetUp]
    public void Start()
    {
        _node = new CallTestNode();
        _target = _node.Deploy();
        _other = _node.Deploy();
        Assert.That(_node.Mine(_node.Sign(_other, Abi.Call("set(uint256,uint256)", 5, 55), 200_000)).GetProperty("status").GetString(), Is.EqualTo("0x1"));
    }

    private JsonElement Create(byte[] data, string extra = "") =>
        _node.Result("eth_createAccessList", $"[{CallTestNode.CallObject(_target, data, extra)}, \"latest\"]");

    private static AccessListEntry[] Parse(JsonElement list)
    {
        List<AccessListEntry> entries = [];
        foreach (JsonElement e in list.EnumerateArray())
        {
            List<Hash256> keys = [];
            foreach (JsonElement k in e.GetProperty("storageKeys").EnumerateArray())
            {
                keys.Add(new Hash256(Hex.Decode(k.GetString()!)));
            }

            entries.Add(new AccessListEntry(Address.Parse(e.GetProperty("address").GetString()!), keys.ToArray()));
        }

        return entries.ToArray();
    }

    private static ulong Quantity(JsonElement e) => ulong.Parse(e.GetString()!.AsSpan(2), System.Globalization.NumberStyles.HexNumber);

    [Test]
    public void ReadOfAnotherContractListsItsSlotAndTheMinedGasMatches()
    {
        byte[] data = Abi.Call("forward(address,uint256)", Abi.Word(_other), 5);
        JsonElement r = Create(data);
        AccessListEntry[] list = Parse(r.GetProperty("accessList"));

        // Exactly the other contract with keccak(5 . 0) (hashed by Nethereum); the recipient and sender are left out.
        Assert.That(list, Has.Length.EqualTo(1));
        Assert.That(list[0].Address, Is.EqualTo(_other));
        Assert.That(list[0].StorageKeys, Is.EqualTo(new[] { new Hash256(Hex.Decode(Abi.Hex32(Abi.MappingSlot(5, 0)))) }));
        Assert.That(r.TryGetProperty("error", out _), Is.False);

        // A transaction carrying the list uses exactly the reported gas, and less than one without it (4300 more intrinsic gas, 4500 less for the cold account and slot).
        ulong reported = Quantity(r.GetProperty("gasUsed"));
        JsonElement with = _node.Mine(_node.Sign(_target, data, 200_000, accessList: list));
        JsonElement without = _node.Mine(_node.Sign(_target, data, 200_000));
        Assert.That(Quantity(with.GetProperty("gasUsed")), Is.EqualTo(reported));
        Assert.That(Quantity(without.GetProperty("gasUsed")), Is.EqualTo(reported + 200));
    }

    [Test]
    public void ReadsInsideARevertedFrameAreListed()
    {
        // peekThenRevert reads other's slot in a sub-call that reverts: EIP-2929 forgets the warmth, the list must not.
        JsonElement r = Create(Abi.Call("peekThenRevert(address,uint256)", Abi.Word(_other), 5));
        AccessListEntry[] list = Parse(r.GetProperty("accessList"));
        Assert.That(list, Has.Length.EqualTo(1));
        Assert.That(list[0].Address, Is.EqualTo(_other));
        Assert.That(list[0].StorageKeys, Is.EqualTo(new[] { new Hash256(Hex.Decode(Abi.Hex32(Abi.MappingSlot(5, 0)))) }));
    }

    [Test]
    public void RecipientsOwnSlotsAreListedUnderItsAddress()
    {
        byte[] data = Abi.Call("set(uint256,uint256)", 7, 1);
        JsonElement r = Create(data);
        AccessListEntry[] list = Parse(r.GetProperty("accessList"));
        Hash256 counter = new(Hex.Decode(Abi.Hex32(1)));
        Hash256 slot7 = new(Hex.Decode(Abi.Hex32(Abi.MappingSlot(7, 0))));
        Hash256[] expected = counter < slot7 ? [counter, slot7] : [slot7, counter];
        Assert.That(list, Has.Length.EqualTo(1));
        Assert.That(list[0].Address, Is.EqualTo(_target));
        Assert.That(list[0].StorageKeys, Is.EqualTo(expected));

        JsonElement mined = _node.Mine(_node.Sign(_target, data, 200_000, accessList: list));
        Assert.That(Quantity(mined.GetProperty("gasUsed")), Is.EqualTo(Quantity(r.GetProperty("gasUsed"))));
    }

    [Test]
    public void GivenEntriesAreKeptAndPrecompilesLeftOut()
    {
        Address extra = Address.Parse("0x4000000000000000000000000000000000000004");
        string key = Abi.Hex32(9);
        string given = $"\"accessList\":[{{\"address\":\"{extra}\",\"storageKeys\":[\"{key}\"]}},{{\"address\":\"0x0000000000000000000000000000000000000001\",\"storageKeys\":[]}}]";
        AccessListEntry[] list = Parse(Create(Abi.Call("get(uint256)", 5), given).GetProperty("accessList"));
        Assert.That(list, Has.Length.EqualTo(2), "the recipient (its slot was read) and the given entry; the precompile is dropped");
        AccessListEntry kept = Array.Find(list, e => e.Address == extra)!;
        Assert.That(kept.StorageKeys, Is.EqualTo(new[] { new Hash256(Hex.Decode(key)) }));
        AccessListEntry own = Array.Find(list, e => e.Address == _target)!;
        Assert.That(own.StorageKeys, Is.EqualTo(new[] { new Hash256(Hex.Decode(Abi.Hex32(Abi.MappingSlot(5, 0)))) }));
    }

    [Test]
    public void RevertIsReportedInTheErrorField()
    {
        JsonElement r = Create(Abi.CallWithString("fail(string)", "boom"));
        Assert.That(r.GetProperty("error").GetString(), Is.EqualTo("execution reverted"));
        Assert.That(r.GetProperty("accessList").GetArrayLength(), Is.EqualTo(0));
    }

    [TestCase("[]", "missing value for required argument 0")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"accessList\":{}}]", "invalid argument 0: accessList: expected an array")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"accessList\":[{\"storageKeys\":[]}]}]", "invalid argument 0: accessList[0]: expected an object with an address")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"latest\", {}]", "too many arguments, want at most 2")]
    public void BadParamsAreInvalidParams(string args, string message)
    {
        JsonElement e = _node.Error("eth_createAccessList", args);
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32602));
        Assert.That(e.GetProperty("message").GetString(), Does.StartWith(message));
    }
}
