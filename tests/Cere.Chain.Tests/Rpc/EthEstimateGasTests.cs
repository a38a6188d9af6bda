using System.Text.Json;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// eth_estimateGas through the JSON-RPC processor. The estimate is checked against real mined transactions: a
/// signed transaction with the estimate succeeds and one with a unit less fails, including calls whose needed gas
/// is well above the gas they use (a gasleft() check, an EIP-3529 refund, the EIP-150 63/64 rule).
/// </summary>
[TestFixture]
public sealed class EthEstimateGasTests
{
    private CallTestNode _node = null!;
    private Address _target;

    [SetUp]
    public void Start()
    {
        _node = new CallTestNode();
        _target = _node.Deploy();
    }

    private ulong Estimate(Address? to, byte[] data, string extra = "")
    {
        string r = _node.Result("eth_estimateGas", $"[{CallTestNode.CallObject(to, data, extra)}]").GetString()!;
        return ulong.Parse(r.AsSpan(2), System.Globalization.NumberStyles.HexNumber);
    }

    /// <summary>The calls with a gas-dependent path, by name.</summary>
    public static IEnumerable<TestCaseData> GasDependentCalls()
    {
        yield return new TestCaseData("set", Abi.Call("set(uint256,uint256)", 1, 2)).SetName("estimate is minimal: set(1, 2)");
        yield return new TestCaseData("needsGas", Abi.Call("needsGas(uint256)", 300_000)).SetName("estimate is minimal: needsGas(300000) (gasleft check)");
        yield return new TestCaseData("clear", Abi.Call("clear(uint256)", 3)).SetName("estimate is minimal: clear(3) (EIP-3529 refund)");
        yield return new TestCaseData("forwardBurn", Abi.Call("forwardBurn(uint256)", 20)).SetName("estimate is minimal: forwardBurn(20) (EIP-150 63/64)");
    }

    [TestCaseSource(nameof(GasDependentCalls))]
    public void EstimateIsTheSmallestGasLimitThatSucceedsOnChain(string name, byte[] data)
    {
        if (name == "clear")
        {
            Assert.That(_node.Mine(_node.Sign(_target, Abi.Call("set(uint256,uint256)", 3, 9), 200_000)).GetProperty("status").GetString(), Is.EqualTo("0x1"));
        }

        ulong estimate = Estimate(_target, data);

        // One unit less: the mined transaction fails (status 0) and changes no contract storage.
        JsonElement below = _node.Mine(_node.Sign(_target, data, estimate - 1));
        Assert.That(below.GetProperty("status").GetString(), Is.EqualTo("0x0"), $"{name} with estimate - 1 = {estimate - 1}");
        Assert.That(Estimate(_target, data), Is.EqualTo(estimate), "the failed transaction changed nothing the estimate depends on");

        JsonElement at = _node.Mine(_node.Sign(_target, data, estimate));
        Assert.That(at.GetProperty("status").GetString(), Is.EqualTo("0x1"), $"{name} with the estimate {estimate}");
        ulong used = ulong.Parse(at.GetProperty("gasUsed").GetString()!.AsSpan(2), System.Globalization.NumberStyles.HexNumber);
        Assert.That(used, Is.LessThanOrEqualTo(estimate));
        if (name != "set")
        {
            Assert.That(used, Is.LessThan(estimate), "this call needs more gas than it uses");
        }
    }

    [Test]
    public void PlainTransferIs21000()
    {
        Address to = Address.Parse("0x000000000000000000000000000000000000beef");
        Assert.That(_node.Result("eth_estimateGas", $"[{CallTestNode.CallObject(to, [], "\"value\":\"0x1\"")}]").GetString(), Is.EqualTo("0x5208"));
    }

    [Test]
    public void CreationEstimateDeploysOnChain()
    {
        byte[] init = Hex.Decode(CallTestNode.Artefact.GetProperty("bytecode").GetString()!);
        ulong estimate = Estimate(null, init);
        Assert.That(_node.Mine(_node.Sign(null, init, estimate - 1)).GetProperty("status").GetString(), Is.EqualTo("0x0"));
        Assert.That(_node.Mine(_node.Sign(null, init, estimate)).GetProperty("status").GetString(), Is.EqualTo("0x1"));
    }

    [Test]
    public void AccessListInTheRequestIsChargedAndUsed()
    {
        // forward(other, 5) reads other's slot: with it in the access list, the intrinsic cost rises and execution is cheaper.
        Address other = _node.Deploy();
        byte[] data = Abi.Call("forward(address,uint256)", Abi.Word(other), 5);
        string slot = Abi.Hex32(Abi.MappingSlot(5, 0));
        ulong without = Estimate(_target, data);
        ulong with = Estimate(_target, data, $"\"accessList\":[{{\"address\":\"{other}\",\"storageKeys\":[\"{slot}\"]}}]");
        Assert.That(with, Is.Not.EqualTo(without));

        AccessListEntry[] list = [new AccessListEntry(other, [new Hash256(Hex.Decode(slot))])];
        Assert.That(_node.Mine(_node.Sign(_target, data, with - 1, accessList: list)).GetProperty("status").GetString(), Is.EqualTo("0x0"));
        Assert.That(_node.Mine(_node.Sign(_target, data, with, accessList: list)).GetProperty("status").GetString(), Is.EqualTo("0x1"));
    }

    [Test]
    public void RevertIsCodeThreeWithTheReasonAndDataLikeEthCall()
    {
        byte[] data = Abi.CallWithString("fail(string)", "boom");
        JsonElement e = _node.Error("eth_estimateGas", $"[{CallTestNode.CallObject(_target, data)}]");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(3));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("execution reverted: boom"));
        Assert.That(e.GetProperty("data").GetString(), Is.EqualTo(CallTestNode.Artefact.GetProperty("revertData").GetProperty("boom").GetString()));
    }

    [Test]
    public void RequireThatFailsAtEveryLimitIsReportedAsTheRevert()
    {
        // needsGas(40M) cannot pass below the 30M block gas limit: geth reports the revert of the run at the limit.
        JsonElement e = _node.Error("eth_estimateGas", $"[{CallTestNode.CallObject(_target, Abi.Call("needsGas(uint256)", 40_000_000))}]");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(3));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("execution reverted: not enough gas"));
        Assert.That(e.GetProperty("data").GetString(), Is.EqualTo(CallTestNode.Artefact.GetProperty("revertData").GetProperty("notEnoughGas").GetString()));
    }

    [Test]
    public void OutOfGasAtTheAllowanceIsGasRequiredExceedsAllowance()
    {
        JsonElement e = _node.Error("eth_estimateGas", $"[{CallTestNode.CallObject(_target, Abi.Call("burn(uint256)", 2_000))}]");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32000));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo($"gas required exceeds allowance ({_node.Chain.Head.GasLimit})"));

        // A gas limit in the request is the allowance.
        e = _node.Error("eth_estimateGas", $"[{CallTestNode.CallObject(_target, Abi.Call("burn(uint256)", 2), "\"gas\":\"0x7530\"")}]");
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("gas required exceeds allowance (30000)"));
    }

    [Test]
    public void BalanceLimitsTheAllowanceWhenAFeeIsGiven()
    {
        Address poor = Address.Parse("0x3000000000000000000000000000000000000003");
        string overrides = $"{{\"{poor}\":{{\"balance\":\"0x{(30_000UL * 7_000_000_000UL):x}\"}}}}";

        // 30,000 gas at 7 gwei is affordable and enough for a transfer…
        Address to = Address.Parse("0x000000000000000000000000000000000000beef");
        Assert.That(_node.Result("eth_estimateGas", $"[{CallTestNode.CallObject(to, [], "\"maxFeePerGas\":\"0x1a13b8600\"", poor)}, \"latest\", {overrides}]").GetString(), Is.EqualTo("0x5208"));

        // …but not for set(1, 2), which needs more than the 30,000 the balance pays for.
        JsonElement e = _node.Error("eth_estimateGas", $"[{CallTestNode.CallObject(_target, Abi.Call("set(uint256,uint256)", 1, 2), "\"maxFeePerGas\":\"0x1a13b8600\"", poor)}, \"latest\", {overrides}]");
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("gas required exceeds allowance (30000)"));

        // With a fee and no balance at all: geth's "insufficient funds for transfer".
        e = _node.Error("eth_estimateGas", $"[{CallTestNode.CallObject(to, [], "\"gasPrice\":\"0x1\"", poor)}]");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32000));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("insufficient funds for transfer"));
    }

    [Test]
    public void EstimateChangesNoState()
    {
        Hash256 root = _node.Chain.Head.StateRoot;
        Estimate(_target, Abi.Call("set(uint256,uint256)", 1, 2));
        Assert.That(_node.Chain.Head.StateRoot, Is.EqualTo(root));
        Assert.That(_node.Result("eth_call", $"[{CallTestNode.CallObject(_target, Abi.Call("get(uint256)", 1))}]").GetString(), Is.EqualTo(Abi.Hex32(0)));
    }

    [TestCase("[]", "missing value for required argument 0")]
    [TestCase("[{\"to\":\"0x1234\"}]", "invalid argument 0: to: ")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"latest\", {}, {}]", "too many arguments, want at most 3")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, true]", "invalid argument 1: expected a block number, tag or EIP-1898 object")]
    public void BadParamsAreInvalidParams(string args, string message)
    {
        JsonElement e = _node.Error("eth_estimateGas", args);
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32602));
        Assert.That(e.GetProperty("message").GetString(), Does.StartWith(message));
    }
}
