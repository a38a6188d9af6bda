using System.Text.Json;
using Cere.Core;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// eth_call through the JSON-RPC processor on a dev chain with the solc-compiled CallTarget: results, revert
/// reasons as ethers encodes them, state and block overrides that are effective and never persisted, no state change.
/// </summary>
[TestFixture]
public sealed class EthCallTests
{
    private CallTestNode _node = null!;
    private Address _target;

    [SetUp]
    public void Start()
    {
        _node = new CallTestNode();
        _target = _node.Deploy();
        JsonElement r = _node.Mine(_node.Sign(_target, Abi.Call("set(uint256,uint256)", 5, 77), 200_000));
        Assert.That(r.GetProperty("status").GetString(), Is.EqualTo("0x1"));
    }

    private string CallParams(byte[] data, string block = "\"latest\"", string extra = "", Address? from = null, Address? to = null) =>
        $"[{CallTestNode.CallObject(to ?? _target, data, extra, from)}, {block}]";

    [Test]
    public void CallReturnsTheStoredWordThatGetStorageAtShows()
    {
        string result = _node.Result("eth_call", CallParams(Abi.Call("get(uint256)", 5))).GetString()!;
        Assert.That(result, Is.EqualTo(Abi.Hex32(77)));

        // Independently: the mapping's slot keccak(5 . 0), computed with Nethereum's Keccak, holds the same word.
        string slot = Abi.MappingSlot(5, 0).ToHexQuantity();
        Assert.That(_node.Result("eth_getStorageAt", $"[\"{_target}\", \"{slot}\", \"latest\"]").GetString(), Is.EqualTo(result));
    }

    [Test]
    public void CallAtAnEarlierBlockSeesThatBlocksState()
    {
        // Block 1 deployed the contract, block 2 wrote values[5] = 77.
        Assert.That(_node.Result("eth_call", CallParams(Abi.Call("get(uint256)", 5), "\"0x1\"")).GetString(), Is.EqualTo(Abi.Hex32(0)));
        string hash = _node.Result("eth_getBlockByNumber", "[\"0x1\", false]").GetProperty("hash").GetString()!;
        string byHash = $"{{\"blockHash\":\"{hash}\",\"requireCanonical\":true}}";
        Assert.That(_node.Result("eth_call", CallParams(Abi.Call("get(uint256)", 5), byHash)).GetString(), Is.EqualTo(Abi.Hex32(0)));
        Assert.That(_node.Result("eth_call", CallParams(Abi.Call("get(uint256)", 5), "{\"blockNumber\":\"0x2\"}")).GetString(), Is.EqualTo(Abi.Hex32(77)));
        Assert.That(_node.Error("eth_call", CallParams(Abi.Call("get(uint256)", 5), "\"0x9\"")).GetProperty("message").GetString(), Is.EqualTo("header not found"));
    }

    [Test]
    public void CallThatWritesChangesNoState()
    {
        Hash256 root = _node.Chain.Head.StateRoot;
        ulong head = _node.Chain.Head.Number;
        string balance = _node.Result("eth_getBalance", $"[\"{CallTestNode.Key.Address}\", \"latest\"]").GetString()!;

        // set(9, 1) succeeds as a call (empty output) with a value and fees paid by the sender…
        Assert.That(_node.Result("eth_call", CallParams(Abi.Call("set(uint256,uint256)", 9, 1), extra: "\"maxFeePerGas\":\"0x2540be400\",\"gas\":\"0x30000\"")).GetString(), Is.EqualTo("0x"));

        // …and nothing of it is kept.
        Assert.That(_node.Chain.Head.StateRoot, Is.EqualTo(root));
        Assert.That(_node.Chain.Head.Number, Is.EqualTo(head));
        Assert.That(_node.Result("eth_call", CallParams(Abi.Call("get(uint256)", 9))).GetString(), Is.EqualTo(Abi.Hex32(0)));
        Assert.That(_node.Result("eth_call", CallParams(Abi.Call("counter()"))).GetString(), Is.EqualTo(Abi.Hex32(1)));
        Assert.That(_node.Result("eth_getBalance", $"[\"{CallTestNode.Key.Address}\", \"latest\"]").GetString(), Is.EqualTo(balance));
        Assert.That(_node.Result("eth_getTransactionCount", $"[\"{CallTestNode.Key.Address}\", \"latest\"]").GetString(), Is.EqualTo("0x2"));
    }

    [TestCase("fail", "execution reverted: boom", "boom")]
    [TestCase("divide", "execution reverted: division or modulo by zero", "divisionByZero")]
    [TestCase("failCustom", "execution reverted", "custom7")]
    public void RevertIsCodeThreeWithTheDecodedReasonAndEthersEncodedData(string function, string message, string dataKey)
    {
        byte[] data = function switch
        {
            "fail" => Abi.CallWithString("fail(string)", "boom"),
            "divide" => Abi.Call("divide(uint256,uint256)", 1, 0),
            _ => Abi.Call("failCustom()"),
        };

        JsonElement e = _node.Error("eth_call", CallParams(data));
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(3));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo(message));
        Assert.That(e.GetProperty("data").GetString(), Is.EqualTo(CallTestNode.Artefact.GetProperty("revertData").GetProperty(dataKey).GetString()));
    }

    [Test]
    public void EmptyRevertIsCodeThreeWithEmptyData()
    {
        JsonElement e = _node.Error("eth_call", CallParams(Abi.Call("failEmpty()")));
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(3));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("execution reverted"));
        Assert.That(e.GetProperty("data").GetString(), Is.EqualTo("0x"));
    }

    [Test]
    public void OutOfGasIsAServerErrorWithGethsMessage()
    {
        JsonElement e = _node.Error("eth_call", CallParams(Abi.Call("burn(uint256)", 50), extra: "\"gas\":\"0x10000\""));
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32000));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("out of gas"));
    }

    [Test]
    public void CreationCallReturnsTheRuntimeCodeSolcProduced()
    {
        string init = CallTestNode.Artefact.GetProperty("bytecode").GetString()!;
        string result = _node.Result("eth_call", $"[{{\"from\":\"{CallTestNode.Key.Address}\",\"data\":\"{init}\"}}, \"latest\"]").GetString()!;
        Assert.That(result, Is.EqualTo(CallTestNode.Artefact.GetProperty("runtime").GetString()));
    }

    [Test]
    public void WithoutFeesGasPriceAndBaseFeeReadZeroAndAnEmptySenderMayCall()
    {
        Address nobody = Address.Parse("0x000000000000000000000000000000000000dead");
        string words = _node.Result("eth_call", CallParams(Abi.Call("context()"), from: nobody)).GetString()!;
        UInt256[] w = Words(words);
        Assert.That(w[0], Is.EqualTo(Abi.Word(nobody)), "msg.sender");
        Assert.That(w[1], Is.EqualTo(UInt256.Zero), "block.basefee (geth's NoBaseFee)");
        Assert.That(w[2], Is.EqualTo(UInt256.Zero), "tx.gasprice");
        Assert.That(w[3], Is.EqualTo(new UInt256(_node.Chain.Head.Number)), "block.number is the selected block's");
        Assert.That(w[5], Is.EqualTo(Abi.Word(CallTestNode.Coinbase)), "block.coinbase");
    }

    [Test]
    public void WithFeesBaseFeeIsTheBlocksAndGasPriceIncludesTheTip()
    {
        string words = _node.Result("eth_call", CallParams(Abi.Call("context()"), extra: "\"maxFeePerGas\":\"0x2540be400\",\"maxPriorityFeePerGas\":\"0x3\"")).GetString()!;
        UInt256[] w = Words(words);
        UInt256 baseFee = _node.Chain.Head.BaseFeePerGas!.Value;
        Assert.That(w[1], Is.EqualTo(baseFee));
        Assert.That(w[2], Is.EqualTo(baseFee + new UInt256(3)));
    }

    [Test]
    public void SenderWhoCannotPayTheValueGetsGethsError()
    {
        Address nobody = Address.Parse("0x000000000000000000000000000000000000dead");
        JsonElement e = _node.Error("eth_call", CallParams(Abi.Call("get(uint256)", 5), from: nobody, extra: "\"value\":\"0x1\""));
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32000));
        Assert.That(e.GetProperty("message").GetString(), Does.StartWith("err: insufficient funds for gas * price + value: address 0x000000000000000000000000000000000000dead have 0 want 1"));
    }

    [Test]
    public void StateOverridesAreEffectiveAndNotPersisted()
    {
        Address elsewhere = Address.Parse("0x1000000000000000000000000000000000000001");
        string runtime = CallTestNode.Artefact.GetProperty("runtime").GetString()!;
        string slot5 = Abi.Hex32(Abi.MappingSlot(5, 0));
        string slot6 = Abi.Hex32(Abi.MappingSlot(6, 0));
        string overrides = $$"""
            {
              "{{elsewhere}}": { "code": "{{runtime}}", "balance": "0x1234", "nonce": "0x7", "stateDiff": { "{{slot6}}": "{{Abi.Hex32(66)}}" } },
              "{{_target}}": { "state": { "{{slot6}}": "{{Abi.Hex32(600)}}" } }
            }
            """;
        string Call(byte[] data, Address to) => _node.Result("eth_call", $"[{CallTestNode.CallObject(to, data)}, \"latest\", {overrides}]").GetString()!;

        Assert.That(Call(Abi.Call("get(uint256)", 6), elsewhere), Is.EqualTo(Abi.Hex32(66)), "code + stateDiff at a fresh address");
        Assert.That(Call(Abi.Call("balanceOf(address)", Abi.Word(elsewhere)), _target), Is.EqualTo(Abi.Hex32(0x1234)), "balance");
        Assert.That(Call(Abi.Call("get(uint256)", 6), _target), Is.EqualTo(Abi.Hex32(600)), "state sets the slot");
        Assert.That(Call(Abi.Call("get(uint256)", 5), _target), Is.EqualTo(Abi.Hex32(0)), "state replaces the whole storage: values[5] is gone");
        Assert.That(Call(Abi.Call("counter()"), _target), Is.EqualTo(Abi.Hex32(0)), "…and the counter too");

        // Nothing was kept.
        Assert.That(_node.Result("eth_getCode", $"[\"{elsewhere}\", \"latest\"]").GetString(), Is.EqualTo("0x"));
        Assert.That(_node.Result("eth_getBalance", $"[\"{elsewhere}\", \"latest\"]").GetString(), Is.EqualTo("0x0"));
        Assert.That(_node.Result("eth_getTransactionCount", $"[\"{elsewhere}\", \"latest\"]").GetString(), Is.EqualTo("0x0"));
        Assert.That(_node.Result("eth_getStorageAt", $"[\"{_target}\", \"{slot5}\", \"latest\"]").GetString(), Is.EqualTo(Abi.Hex32(77)));
        Assert.That(_node.Result("eth_call", CallParams(Abi.Call("get(uint256)", 5))).GetString(), Is.EqualTo(Abi.Hex32(77)));
    }

    [Test]
    public void BlockOverridesChangeWhatTheCodeSees()
    {
        Address feeRecipient = Address.Parse("0x2000000000000000000000000000000000000002");
        string blockOverrides = $"{{\"number\":\"0x99\",\"time\":\"0x12345\",\"feeRecipient\":\"{feeRecipient}\"}}";
        string words = _node.Result("eth_call", $"[{CallTestNode.CallObject(_target, Abi.Call("context()"))}, \"latest\", {{}}, {blockOverrides}]").GetString()!;
        UInt256[] w = Words(words);
        Assert.That(w[3], Is.EqualTo(new UInt256(0x99)));
        Assert.That(w[4], Is.EqualTo(new UInt256(0x12345)));
        Assert.That(w[5], Is.EqualTo(Abi.Word(feeRecipient)));
    }

    [TestCase("[]", "missing value for required argument 0")]
    [TestCase("[\"0x12\"]", "invalid argument 0: expected a transaction call object")]
    [TestCase("[{\"to\":\"0x1234\"}]", "invalid argument 0: to: ")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"data\":\"0x123\"}]", "invalid argument 0: data: hex string of odd length")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"gas\":\"0x\"}]", "invalid argument 0: gas: hex string \"0x\"")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"gas\":\"0x10000000000000000\"}]", "invalid argument 0: gas: hex number > 64 bits")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"value\":12}]", "invalid argument 0: value: expected a 0x-prefixed hex quantity string")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"gasPrice\":\"0x1\",\"maxFeePerGas\":\"0x1\"}]", "invalid argument 0: both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"maxFeePerGas\":\"0x1\",\"maxPriorityFeePerGas\":\"0x2\"}]", "invalid argument 0: maxFeePerGas (1) < maxPriorityFeePerGas (2)")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"data\":\"0x01\",\"input\":\"0x02\"}]", "invalid argument 0: both \"data\" and \"input\" are set and not equal")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"chainId\":\"0x1\"}]", "invalid argument 0: chainId does not match node's (have=1, want=4242)")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\",\"accessList\":[{\"address\":\"0x000000000000000000000000000000000000dead\",\"storageKeys\":[\"0x01\"]}]}]", "invalid argument 0: accessList[0].storageKeys[0]: hex string has length 2, want 64")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"newest\"]", "invalid argument 1: hex string without 0x prefix")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"latest\", []]", "invalid argument 2: expected a state override object keyed by address")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"latest\", {\"0xdead\":{}}]", "invalid argument 2: state override key 0xdead")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"latest\", {\"0x000000000000000000000000000000000000dead\":{\"state\":{},\"stateDiff\":{}}}]", "invalid argument 2: account 0x000000000000000000000000000000000000dead has both 'state' and 'stateDiff'")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"latest\", {\"0x000000000000000000000000000000000000dead\":{\"stateDiff\":{\"0x01\":\"0x02\"}}}]", "invalid argument 2: 0x000000000000000000000000000000000000dead.stateDiff key: hex string has length 2, want 64")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"latest\", {}, {\"number\":\"1\"}]", "invalid argument 3: number: hex string without 0x prefix")]
    [TestCase("[{\"to\":\"0x000000000000000000000000000000000000dead\"}, \"latest\", {}, {}, 5]", "too many arguments, want at most 4")]
    public void BadParamsAreInvalidParamsWithASpecificMessageAndChangeNothing(string args, string message)
    {
        Hash256 root = _node.Chain.Head.StateRoot;
        JsonElement e = _node.Error("eth_call", args);
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32602));
        Assert.That(e.GetProperty("message").GetString(), Does.StartWith(message));
        Assert.That(_node.Chain.Head.StateRoot, Is.EqualTo(root));
    }

    private static UInt256[] Words(string hex)
    {
        byte[] b = Hex.Decode(hex);
        UInt256[] words = new UInt256[b.Length / 32];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = new UInt256(b.AsSpan(32 * i, 32));
        }

        return words;
    }
}
