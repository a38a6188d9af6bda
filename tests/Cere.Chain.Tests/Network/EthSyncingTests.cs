using System.Text;
using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Execution;
using Cere.Chain.Network;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Modules;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// <c>eth_syncing</c> answers false or geth's <c>{startingBlock, currentBlock, highestBlock}</c> from the sync progress;
/// the <c>safe</c> and <c>finalized</c> tags name the head, since every committed block is final under BFT.
/// </summary>
public class EthSyncingTests
{
    [Test]
    public void NodeWithoutSyncAnswersFalse()
    {
        Blockchain chain = DevChainFixture.Open();
        Assert.That(Call(chain, null, "eth_syncing", "[]").ValueKind, Is.EqualTo(JsonValueKind.False));
    }

    [Test]
    public void IdleSyncAnswersFalse()
    {
        Blockchain chain = DevChainFixture.Open();
        Assert.That(Call(chain, () => SyncProgress.Idle(7), "eth_syncing", "[]").ValueKind, Is.EqualTo(JsonValueKind.False));
    }

    [Test]
    public void SyncingAnswersGethsObjectInHex()
    {
        Blockchain chain = DevChainFixture.Open();
        JsonElement r = Call(chain, () => new SyncProgress(true, 16, 300, 10_000), "eth_syncing", "[]");
        Assert.That(r.ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(r.GetProperty("startingBlock").GetString(), Is.EqualTo("0x10"));
        Assert.That(r.GetProperty("currentBlock").GetString(), Is.EqualTo("0x12c"));
        Assert.That(r.GetProperty("highestBlock").GetString(), Is.EqualTo("0x2710"));
        Assert.That(r.EnumerateObject().Count(), Is.EqualTo(3));
    }

    [Test]
    public void EthSyncingTakesNoParameters()
    {
        Blockchain chain = DevChainFixture.Open();
        JsonElement error = Process(chain, null, """{"jsonrpc":"2.0","id":1,"method":"eth_syncing","params":[1]}""").GetProperty("error");
        Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(RpcErrorCodes.InvalidParams));
    }

    [TestCase("safe")]
    [TestCase("finalized")]
    public void SafeAndFinalizedAreTheHead(string tag)
    {
        Blockchain chain = DevChainFixture.Open();
        BlockBuilder builder = new(chain, new EvmExecutor());
        Address to = Address.Parse("0x00000000000000000000000000000000000000aa");
        for (ulong n = 0; n < 3; n++)
        {
            Dictionary<Address, Transaction[]> pending = new() { [DevChainFixture.Keys[0].Address] = [DevChainFixture.Transfer1559(DevChainFixture.Keys[0], to, n, UInt256.One)] };
            BuiltBlock b = EvmExecutor.RunOnEvmThread(() => builder.Build(chain.Head, pending, chain.Head.Timestamp + 1, Address.Zero));
            chain.Commit(b.Block, b.Receipts, b.State);
        }

        JsonElement block = Call(chain, null, "eth_getBlockByNumber", $"[\"{tag}\", false]");
        Assert.That(block.GetProperty("number").GetString(), Is.EqualTo("0x3"));
        Assert.That(block.GetProperty("hash").GetString(), Is.EqualTo(chain.Head.Hash.ToString()));
        Assert.That(Call(chain, null, "eth_getBalance", $"[\"{to}\", \"{tag}\"]").GetString(), Is.EqualTo("0x3"));
    }

    private static JsonElement Call(Blockchain chain, Func<SyncProgress>? progress, string method, string parameters)
    {
        JsonElement response = Process(chain, progress, $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{parameters}}}""");
        Assert.That(response.TryGetProperty("error", out JsonElement e), Is.False, e.ToString());
        return response.GetProperty("result");
    }

    private static JsonElement Process(Blockchain chain, Func<SyncProgress>? progress, string request)
    {
        RpcLimits limits = new();
        JsonRpcProcessor processor = new(EthereumRpcMethods.Create(chain, new TransactionPool(chain.Spec.ChainId), limits, progress), limits);
        byte[] response = processor.Process(Encoding.UTF8.GetBytes(request), RpcCallContext.Http)!;
        return JsonDocument.Parse(response).RootElement.Clone();
    }
}
