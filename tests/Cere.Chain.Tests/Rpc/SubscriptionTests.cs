using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Logs;
using Cere.Chain.Node;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Modules;
using Cere.Chain.Rpc.Subscriptions;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// eth_subscribe over a real WebSocket client against the running server: newHeads, logs and pending transactions
/// arrive live in the standard notification shape; subscriptions end with their connection; a client that does
/// not read is dropped without holding up block commits.
/// </summary>
public class SubscriptionTests
{
    private static readonly Hash256 TopicA = Keccak256.Compute("A"u8);
    private static readonly Hash256 TopicB = Keccak256.Compute("B"u8);

    private DevNode _node = null!;
    private Address _log2 = default;
    private Address _log1 = default;
    private ulong _nonce;

    [SetUp]
    public async Task Start()
    {
        _node = await LogContracts.StartNodeAsync(new MemoryStore());
        PrivateKey k = DevChainFixture.Keys[0];
        _log2 = ContractAddress.From(k.Address, 0);
        _log1 = ContractAddress.From(k.Address, 1);
        LogContracts.Submit(_node, LogContracts.Tx(k, 0, null, LogContracts.InitCode(2, 1)));
        LogContracts.Submit(_node, LogContracts.Tx(k, 1, null, LogContracts.InitCode(1, 2)));
        _node.SealOnce();
        _nonce = 2;
    }

    [TearDown]
    public async Task Stop() => await _node.DisposeAsync();

    private void Emit(Address contract, Hash256[] topics, byte[] data) =>
        LogContracts.Submit(_node, LogContracts.Tx(DevChainFixture.Keys[0], _nonce++, contract, LogContracts.CallData(topics, data)));

    private static string SubscriptionId(JsonElement response)
    {
        Assert.That(response.TryGetProperty("error", out JsonElement e), Is.False, () => e.ToString());
        string id = response.GetProperty("result").GetString()!;
        Assert.That(id, Does.Match("^0x[0-9a-f]{32}$"));
        return id;
    }

    private static JsonElement Notification(JsonElement m, string subscription)
    {
        Assert.That(m.GetProperty("jsonrpc").GetString(), Is.EqualTo("2.0"));
        Assert.That(m.GetProperty("method").GetString(), Is.EqualTo("eth_subscription"));
        Assert.That(m.TryGetProperty("id", out _), Is.False);
        Assert.That(m.GetProperty("params").GetProperty("subscription").GetString(), Is.EqualTo(subscription));
        return m.GetProperty("params").GetProperty("result");
    }

    [Test]
    public async Task NewHeadsArriveForEachSealedBlock()
    {
        await using WsTestClient ws = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        string id = SubscriptionId(await ws.CallAsync("eth_subscribe", """["newHeads"]"""));
        for (int i = 0; i < 3; i++)
        {
            _node.SealOnce();
            JsonElement head = Notification(await ws.NextAsync(), id);
            Core.Blocks.BlockHeader h = _node.Chain.Head;
            Assert.That(head.GetProperty("number").GetString(), Is.EqualTo($"0x{h.Number:x}"));
            Assert.That(head.GetProperty("hash").GetString(), Is.EqualTo(h.Hash.ToString()));
            Assert.That(head.GetProperty("parentHash").GetString(), Is.EqualTo(h.ParentHash.ToString()));
            Assert.That(head.GetProperty("logsBloom").GetString(), Has.Length.EqualTo(2 + 512));
            Assert.That(head.TryGetProperty("transactions", out _), Is.False);
        }
    }

    [Test]
    public async Task LogsArriveLiveAndOnlyThoseThatMatch()
    {
        await using WsTestClient ws = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        string all = SubscriptionId(await ws.CallAsync("eth_subscribe", """["logs"]"""));
        string filtered = SubscriptionId(await ws.CallAsync("eth_subscribe", $$"""["logs", {"address":["{{_log2}}"],"topics":[null,"{{TopicB}}"]}]"""));
        Emit(_log2, [TopicA, TopicB], [1, 2, 3]);
        Emit(_log2, [TopicA, TopicA], [4]);
        Emit(_log1, [TopicB], []);
        _node.SealOnce();

        List<StoredLog> stored = LogContracts.AllLogs(_node.Chain, _node.Chain.Head.Number, _node.Chain.Head.Number);
        Assert.That(stored, Has.Count.EqualTo(4)); // the LOG1 emitter logs twice per call
        List<string> allExpected = [.. stored.Select(LogContracts.Describe)];
        List<string> filteredExpected = [.. stored.Where(l => l.Log.Address == _log2 && l.Log.Topics[1] == TopicB).Select(LogContracts.Describe)];
        Assert.That(filteredExpected, Has.Count.EqualTo(1));

        List<string> gotAll = [];
        List<string> gotFiltered = [];
        while (gotAll.Count < allExpected.Count || gotFiltered.Count < filteredExpected.Count)
        {
            JsonElement m = await ws.NextAsync();
            string sub = m.GetProperty("params").GetProperty("subscription").GetString()!;
            (sub == all ? gotAll : gotFiltered).Add(LogContracts.Describe(Notification(m, sub)));
        }

        Assert.That(gotAll, Is.EqualTo(allExpected));
        Assert.That(gotFiltered, Is.EqualTo(filteredExpected));

        // The same logs through eth_getLogs over the same socket.
        JsonElement r = await ws.CallAsync("eth_getLogs", $$"""[{"fromBlock":"latest","address":"{{_log2}}","topics":[null,"{{TopicB}}"]}]""");
        Assert.That(r.GetProperty("result").EnumerateArray().Select(LogContracts.Describe).ToList(), Is.EqualTo(filteredExpected));
    }

    [Test]
    public async Task AReorganisationSendsTheDroppedLogsAsRemoved()
    {
        await using WsTestClient ws = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        string id = SubscriptionId(await ws.CallAsync("eth_subscribe", """["logs"]"""));
        using HttpClient http = new();
        string filter = (await LogContracts.CallAsync(http, _node.RpcUrl!, "eth_newFilter", """[{}]""")).GetProperty("result").GetString()!;
        Core.Blocks.BlockHeader parent = _node.Chain.Head;
        Emit(_log1, [TopicA], [9]);
        _node.SealOnce();
        List<string> dropped = [.. LogContracts.AllLogs(_node.Chain, parent.Number + 1, parent.Number + 1).Select(LogContracts.Describe)];
        Assert.That(dropped, Has.Count.EqualTo(2));
        Assert.That(new[] { LogContracts.Describe(Notification(await ws.NextAsync(), id)), LogContracts.Describe(Notification(await ws.NextAsync(), id)) }, Is.EqualTo(dropped));

        // A competing block at the same height, on the same parent, imported after: it becomes the head.
        Core.Transactions.Transaction other = LogContracts.Tx(DevChainFixture.Keys[1], 0, _log2, LogContracts.CallData([TopicB, TopicB], [7]));
        BlockBuilder builder = new(_node.Chain, new Execution.EvmExecutor());
        Dictionary<Address, Core.Transactions.Transaction[]> pending = new() { [DevChainFixture.Keys[1].Address] = [other] };
        BuiltBlock competing = Execution.EvmExecutor.RunOnEvmThread(() => builder.Build(parent, pending, parent.Timestamp + 7, DevChainFixture.Keys[1].Address));
        _node.Chain.Commit(competing.Block, competing.Receipts, competing.State);
        Assert.That(_node.Chain.Head.Hash, Is.EqualTo(competing.Block.Hash));

        List<string> removed = [];
        for (int i = 0; i < 2; i++)
        {
            JsonElement log = Notification(await ws.NextAsync(), id);
            Assert.That(log.GetProperty("removed").GetBoolean(), Is.True);
            string asLive = log.ToString().Replace("\"removed\":true", "\"removed\":false", StringComparison.Ordinal);
            removed.Add(LogContracts.Describe(JsonDocument.Parse(asLive).RootElement));
        }

        Assert.That(removed, Is.EqualTo(dropped));
        List<string> added = [.. LogContracts.AllLogs(_node.Chain, parent.Number + 1, parent.Number + 1).Select(LogContracts.Describe)];
        Assert.That(added, Has.Count.EqualTo(1));
        Assert.That(LogContracts.Describe(Notification(await ws.NextAsync(), id)), Is.EqualTo(added[0]));

        // The index follows the new branch, and the polling filter saw the same story.
        JsonElement now = await ws.CallAsync("eth_getLogs", $$"""[{"fromBlock":"0x{{parent.Number + 1:x}}"}]""");
        Assert.That(now.GetProperty("result").EnumerateArray().Select(LogContracts.Describe).ToList(), Is.EqualTo(added));
        JsonElement changes = (await LogContracts.CallAsync(http, _node.RpcUrl!, "eth_getFilterChanges", $"[\"{filter}\"]")).GetProperty("result");
        Assert.That(changes.EnumerateArray().Select(l => l.GetProperty("removed").GetBoolean()).ToList(), Is.EqualTo(new[] { false, false, true, true, false }));
    }

    [Test]
    public async Task PendingTransactionHashesAndObjects()
    {
        await using WsTestClient ws = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        string hashes = SubscriptionId(await ws.CallAsync("eth_subscribe", """["newPendingTransactions"]"""));
        string full = SubscriptionId(await ws.CallAsync("eth_subscribe", """["newPendingTransactions", true]"""));
        Core.Transactions.Transaction tx = LogContracts.Tx(DevChainFixture.Keys[0], _nonce++, _log1, LogContracts.CallData([TopicA], []));
        LogContracts.Submit(_node, tx);
        Dictionary<string, JsonElement> got = [];
        while (got.Count < 2)
        {
            JsonElement m = await ws.NextAsync();
            got[m.GetProperty("params").GetProperty("subscription").GetString()!] = m;
        }

        Assert.That(Notification(got[hashes], hashes).GetString(), Is.EqualTo(tx.Hash.ToString()));
        JsonElement obj = Notification(got[full], full);
        Assert.That(obj.GetProperty("hash").GetString(), Is.EqualTo(tx.Hash.ToString()));
        Assert.That(obj.GetProperty("blockHash").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task PendingTransactionsAreAnnouncedWhenExecutable()
    {
        await using WsTestClient ws = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        string id = SubscriptionId(await ws.CallAsync("eth_subscribe", """["newPendingTransactions"]"""));
        Core.Transactions.Transaction first = LogContracts.Tx(DevChainFixture.Keys[0], _nonce, _log1, LogContracts.CallData([TopicA], []));
        Core.Transactions.Transaction second = LogContracts.Tx(DevChainFixture.Keys[0], _nonce + 1, _log1, LogContracts.CallData([TopicB], []));
        LogContracts.Submit(_node, second); // a nonce gap: queued, not executable, not announced
        LogContracts.Submit(_node, first);  // closes the gap: both become executable, in nonce order
        Assert.That(Notification(await ws.NextAsync(), id).GetString(), Is.EqualTo(first.Hash.ToString()));
        Assert.That(Notification(await ws.NextAsync(), id).GetString(), Is.EqualTo(second.Hash.ToString()));
    }

    [Test]
    public async Task UnsubscribeStopsDeliveryOfThatSubscriptionOnly()
    {
        await using WsTestClient ws = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        string a = SubscriptionId(await ws.CallAsync("eth_subscribe", """["newHeads"]"""));
        string b = SubscriptionId(await ws.CallAsync("eth_subscribe", """["newHeads"]"""));
        JsonElement r = await ws.CallAsync("eth_unsubscribe", $"[\"{a}\"]");
        Assert.That(r.GetProperty("result").GetBoolean(), Is.True);
        _node.SealOnce();
        _node.SealOnce();
        Notification(await ws.NextAsync(), b);
        Notification(await ws.NextAsync(), b);
        JsonElement again = await ws.CallAsync("eth_unsubscribe", $"[\"{a}\"]");
        Assert.That(again.GetProperty("error").GetProperty("message").GetString(), Is.EqualTo("subscription not found"));
        Assert.That(ws.TryNext(out _), Is.False);
    }

    [Test]
    public async Task AnotherConnectionCannotUnsubscribe()
    {
        await using WsTestClient owner = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        await using WsTestClient other = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        string id = SubscriptionId(await owner.CallAsync("eth_subscribe", """["newHeads"]"""));
        JsonElement r = await other.CallAsync("eth_unsubscribe", $"[\"{id}\"]");
        Assert.That(r.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-32000));
        _node.SealOnce();
        Notification(await owner.NextAsync(), id);
    }

    [TestCase("""["bogus"]""", -32601, "no \"bogus\" subscription in eth namespace")]
    [TestCase("""[]""", -32602, null)]
    [TestCase("""[5]""", -32602, null)]
    [TestCase("""["logs", {"address":"0x12"}]""", -32602, null)]
    [TestCase("""["logs", {"topics":[null,null,null,null,null]}]""", -32602, null)]
    [TestCase("""["logs", "everything"]""", -32602, null)]
    [TestCase("""["newHeads", {}]""", -32602, null)]
    [TestCase("""["newPendingTransactions", "yes"]""", -32602, null)]
    public async Task BadSubscribeParamsGetTheirErrors(string args, int code, string? message)
    {
        await using WsTestClient ws = await WsTestClient.ConnectAsync(_node.RpcUrl!);
        JsonElement e = (await ws.CallAsync("eth_subscribe", args)).GetProperty("error");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(code));
        if (message is not null)
        {
            Assert.That(e.GetProperty("message").GetString(), Is.EqualTo(message));
        }
    }

    [TestCase("eth_subscribe", """["newHeads"]""")]
    [TestCase("eth_unsubscribe", """["0x1"]""")]
    public async Task OverHttpSubscriptionsAreNotSupported(string method, string args)
    {
        using HttpClient http = new();
        JsonElement e = (await LogContracts.CallAsync(http, _node.RpcUrl!, method, args)).GetProperty("error");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32601));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("notifications not supported"));
    }

    [Test]
    public async Task SubscriptionsEndWithTheirConnection()
    {
        // A second server over the same node, with its own hub, so the test can see the hub's count.
        RpcLimits limits = new();
        using SubscriptionHub hub = new(_node.Chain, _node.Pool, limits);
        RpcMethodRegistry methods = new();
        EthSubscribeModule.Register(methods, hub);
        await using RpcServer server = new(new RpcServerOptions { Port = 0, Limits = limits }, methods);
        await server.StartAsync(CancellationToken.None);
        WsTestClient ws = await WsTestClient.ConnectAsync(server.Url!);
        SubscriptionId(await ws.CallAsync("eth_subscribe", """["newHeads"]"""));
        SubscriptionId(await ws.CallAsync("eth_subscribe", """["logs"]"""));
        Assert.That(hub.Count, Is.EqualTo(2));
        await ws.CloseAsync();
        await ws.DisposeAsync();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(20));
        while (hub.Count > 0)
        {
            await Task.Delay(20, timeout.Token);
        }

        _node.SealOnce(); // nothing left to notify
        Assert.That(hub.Count, Is.Zero);
    }

    [Test]
    public async Task PerConnectionSubscriptionCapIsEnforced()
    {
        RpcLimits limits = new() { MaxSubscriptionsPerConnection = 2 };
        using SubscriptionHub hub = new(_node.Chain, _node.Pool, limits);
        RpcMethodRegistry methods = new();
        EthSubscribeModule.Register(methods, hub);
        await using RpcServer server = new(new RpcServerOptions { Port = 0, Limits = limits }, methods);
        await server.StartAsync(CancellationToken.None);
        await using WsTestClient ws = await WsTestClient.ConnectAsync(server.Url!);
        SubscriptionId(await ws.CallAsync("eth_subscribe", """["newHeads"]"""));
        SubscriptionId(await ws.CallAsync("eth_subscribe", """["newHeads"]"""));
        JsonElement e = (await ws.CallAsync("eth_subscribe", """["newHeads"]""")).GetProperty("error");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32005));
    }

    [Test]
    public void ARefusingConnectionLosesItsSubscriptionsAndCommitsGoOn()
    {
        using SubscriptionHub hub = new(_node.Chain, _node.Pool, new RpcLimits());
        RefusingChannel channel = new(accept: 2);
        RpcCallContext context = new(channel);
        hub.Subscribe(context, SubscriptionKind.NewHeads, LogFilter.Any, false);
        hub.Subscribe(context, SubscriptionKind.Logs, LogFilter.Any, false);
        context.RunAfterResponse();
        ulong before = _node.Chain.Head.Number;
        for (int i = 0; i < 5; i++)
        {
            _node.SealOnce();
        }

        Assert.That(_node.Chain.Head.Number, Is.EqualTo(before + 5));
        Assert.That(hub.Count, Is.Zero);
        Assert.That(channel.Accepted, Is.EqualTo(2));
    }

    [Test]
    public void NotificationsWaitForTheSubscribeResponse()
    {
        using SubscriptionHub hub = new(_node.Chain, _node.Pool, new RpcLimits());
        RefusingChannel channel = new(accept: 100);
        RpcCallContext context = new(channel);
        hub.Subscribe(context, SubscriptionKind.NewHeads, LogFilter.Any, false);
        _node.SealOnce(); // before the response is queued: held back
        Assert.That(channel.Accepted, Is.Zero);
        context.RunAfterResponse();
        Assert.That(channel.Accepted, Is.EqualTo(1));
        _node.SealOnce();
        Assert.That(channel.Accepted, Is.EqualTo(2));
    }

    [Test]
    public async Task AClientThatDoesNotReadIsDisconnectedWhenItsQueueFills()
    {
        StalledSocket socket = new();
        RpcMethodRegistry methods = new();
        RpcLimits limits = new();
        WebSocketRpcConnection connection = new(socket, new JsonRpcProcessor(methods, limits), limits, sendQueue: 4);
        bool closed = false;
        connection.Closed += () => closed = true;
        Task run = connection.RunAsync(CancellationToken.None);
        int accepted = 0;
        for (int i = 0; i < 20; i++)
        {
            accepted += connection.TryPush("""{"jsonrpc":"2.0","method":"eth_subscription","params":{}}"""u8.ToArray()) ? 1 : 0;
        }

        await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Multiple(() =>
        {
            Assert.That(accepted, Is.InRange(4, 5)); // the queue, plus the one the stalled send loop holds
            Assert.That(connection.Overflowed, Is.True);
            Assert.That(closed, Is.True);
            Assert.That(socket.Aborted, Is.True);
            Assert.That(connection.TryPush([1]), Is.False);
        });
    }

    /// <summary>A push channel that takes <c>accept</c> messages, then refuses as a full queue does.</summary>
    private sealed class RefusingChannel(int accept) : IRpcPushChannel
    {
        public event Action? Closed;

        public int Accepted { get; private set; }

        public bool TryPush(byte[] utf8Json)
        {
            JsonDocument.Parse(utf8Json).Dispose(); // every notification is well-formed JSON
            if (Accepted >= accept)
            {
                Closed?.Invoke();
                return false;
            }

            Accepted++;
            return true;
        }
    }

    /// <summary>A WebSocket whose peer neither sends nor reads: receives and sends wait until cancelled.</summary>
    private sealed class StalledSocket : WebSocket
    {
        public bool Aborted { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => Aborted ? WebSocketState.Aborted : WebSocketState.Open;

        public override string? SubProtocol => null;

        public override void Abort() => Aborted = true;

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
