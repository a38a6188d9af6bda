using System.Text;
using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Modules;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Chain.Tests.Rpc.Modules;

/// <summary>The eth_* modules through the JSON-RPC processor: results, and bad input that gets the right error and changes nothing.</summary>
public class EthModulesTests
{
    private Blockchain _chain = null!;
    private TransactionPool _pool = null!;
    private JsonRpcProcessor _rpc = null!;

    [SetUp]
    public void Start()
    {
        _chain = DevChainFixture.Open();
        _pool = new TransactionPool(4242);
        RpcMethodRegistry methods = new();
        ChainReader reader = new(_chain);
        NetModule.Register(methods, 4242);
        EthFeeModule.Register(methods, reader);
        EthStateModule.Register(methods, reader, _pool);
        EthBlockModule.Register(methods, reader, _pool);
        EthSendModule.Register(methods, _chain, _pool);
        _rpc = new JsonRpcProcessor(methods, new RpcLimits());
    }

    private JsonElement Call(string method, string paramsJson)
    {
        string body = $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""";
        byte[] response = _rpc.Process(Encoding.UTF8.GetBytes(body), RpcCallContext.Http)!;
        return JsonDocument.Parse(response).RootElement.Clone();
    }

    [Test]
    public void ChainIdAndNetVersion()
    {
        Assert.That(Call("eth_chainId", "[]").GetProperty("result").GetString(), Is.EqualTo("0x1092"));
        Assert.That(Call("net_version", "[]").GetProperty("result").GetString(), Is.EqualTo("4242"));
        Assert.That(Call("eth_blockNumber", "[]").GetProperty("result").GetString(), Is.EqualTo("0x0"));
    }

    [Test]
    public void BalanceOfATestAccountIsTenThousandCere()
    {
        JsonElement r = Call("eth_getBalance", """["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "latest"]""");
        Assert.That(r.GetProperty("result").GetString(), Is.EqualTo("0x21e19e0c9bab2400000"));
    }

    [Test]
    public void UnknownBlockIsNullAndUnknownStateIsHeaderNotFound()
    {
        Assert.That(Call("eth_getBlockByNumber", """["0x5", false]""").GetProperty("result").ValueKind, Is.EqualTo(JsonValueKind.Null));
        JsonElement e = Call("eth_getBalance", """["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x5"]""").GetProperty("error");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32000));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("header not found"));
    }

    [TestCase("eth_getBalance", """[123, "latest"]""")]
    [TestCase("eth_getBalance", """["0x1234", "latest"]""")]
    [TestCase("eth_getBlockByNumber", """["latest", "yes"]""")]
    [TestCase("eth_getTransactionByHash", """["0x12"]""")]
    [TestCase("eth_sendRawTransaction", """[42]""")]
    public void WrongParameterTypesAreInvalidParams(string method, string args)
    {
        Assert.That(Call(method, args).GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-32602));
    }

    [TestCase("0xdeadbeef")]
    [TestCase("0x")]
    [TestCase("0xf8")]
    [TestCase("0x05c0")]
    public void GarbageRawTransactionIsRefusedAndChangesNothing(string raw)
    {
        JsonElement e = Call("eth_sendRawTransaction", $"[\"{raw}\"]").GetProperty("error");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32000));
        Assert.That(_pool.Count, Is.Zero);
        Assert.That(_chain.Head.Number, Is.Zero);
    }

    [Test]
    public void WrongChainIdIsRefusedAndChangesNothing()
    {
        Transaction tx = DevChainFixture.Transfer1559(DevChainFixture.Keys[0], Address.Zero, 0, 1, chainId: 1);
        JsonElement e = Call("eth_sendRawTransaction", $"[\"{Hex.Encode(TransactionEncoder.Encode(tx))}\"]").GetProperty("error");
        Assert.That(e.GetProperty("message").GetString(), Does.StartWith("invalid chain id"));
        Assert.That(_pool.Count, Is.Zero);
    }

    [Test]
    public void SentTransactionIsPendingThenMinedWithAReceipt()
    {
        Transaction tx = DevChainFixture.Transfer1559(DevChainFixture.Keys[0], Address.Parse("0x000000000000000000000000000000000000beef"), 0, 7);
        string raw = Hex.Encode(TransactionEncoder.Encode(tx));
        Assert.That(Call("eth_sendRawTransaction", $"[\"{raw}\"]").GetProperty("result").GetString(), Is.EqualTo(tx.Hash.ToString()));
        Assert.That(Call("eth_sendRawTransaction", $"[\"{raw}\"]").GetProperty("error").GetProperty("message").GetString(), Is.EqualTo("already known"));

        JsonElement pending = Call("eth_getTransactionByHash", $"[\"{tx.Hash}\"]").GetProperty("result");
        Assert.That(pending.GetProperty("blockHash").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(Call("eth_getTransactionCount", """["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "pending"]""").GetProperty("result").GetString(), Is.EqualTo("0x1"));
        Assert.That(Call("eth_getTransactionCount", """["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "latest"]""").GetProperty("result").GetString(), Is.EqualTo("0x0"));

        Dev.DevSealer sealer = new(_chain, _pool, new BlockBuilder(_chain, new Execution.EvmExecutor()), TimeSpan.FromSeconds(1), Address.Zero, TextWriter.Null);
        sealer.SealOnce();

        JsonElement receipt = Call("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]").GetProperty("result");
        Assert.That(receipt.GetProperty("status").GetString(), Is.EqualTo("0x1"));
        Assert.That(receipt.GetProperty("gasUsed").GetString(), Is.EqualTo("0x5208"));
        Assert.That(receipt.GetProperty("blockNumber").GetString(), Is.EqualTo("0x1"));
        Assert.That(receipt.GetProperty("effectiveGasPrice").GetString(), Is.EqualTo("0x6fc23ac0"), "0.875 gwei base fee + 1 gwei tip");
        JsonElement block = Call("eth_getBlockByNumber", """["latest", true]""").GetProperty("result");
        Assert.That(block.GetProperty("transactions")[0].GetProperty("hash").GetString(), Is.EqualTo(tx.Hash.ToString()));
        Assert.That(block.GetProperty("transactions")[0].GetProperty("yParity").GetString(), Is.AnyOf("0x0", "0x1"));
        Assert.That(Call("eth_getTransactionCount", """["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "latest"]""").GetProperty("result").GetString(), Is.EqualTo("0x1"));
    }
}
