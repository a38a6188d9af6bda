using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Node;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Filters;
using Cere.Chain.Rpc.Modules;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// Polling filters over HTTP on a dev node: each sees only what arrived after it was installed, once; log filters
/// agree with a brute-force scan; unknown, uninstalled and expired ids are "filter not found"; limits hold.
/// </summary>
public class FilterTests
{
    private static readonly Hash256 TopicA = Keccak256.Compute("A"u8);
    private static readonly Hash256 TopicB = Keccak256.Compute("B"u8);

    private DevNode _node = null!;
    private HttpClient _http = null!;
    private Address _log2;
    private Address _log1;
    private ulong _nonce;

    [SetUp]
    public async Task Start()
    {
        _node = await LogContracts.StartNodeAsync(new MemoryStore());
        _http = new HttpClient();
        PrivateKey k = DevChainFixture.Keys[0];
        _log2 = ContractAddress.From(k.Address, 0);
        _log1 = ContractAddress.From(k.Address, 1);
        LogContracts.Submit(_node, LogContracts.Tx(k, 0, null, LogContracts.InitCode(2, 1)));
        LogContracts.Submit(_node, LogContracts.Tx(k, 1, null, LogContracts.InitCode(1, 2)));
        _node.SealOnce();
        _nonce = 2;
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _node.DisposeAsync();
    }

    private Task<JsonElement> Call(string method, string args) => LogContracts.CallAsync(_http, _node.RpcUrl!, method, args);

    private async Task<string> Result(string method, string args)
    {
        JsonElement r = await Call(method, args);
        Assert.That(r.TryGetProperty("error", out JsonElement e), Is.False, () => e.ToString());
        return r.GetProperty("result").ToString();
    }

    private async Task<List<string>> Strings(string method, string args)
    {
        JsonElement r = await Call(method, args);
        Assert.That(r.TryGetProperty("error", out JsonElement e), Is.False, () => e.ToString());
        return [.. r.GetProperty("result").EnumerateArray().Select(x => x.GetString()!)];
    }

    private async Task<List<string>> Logs(string method, string args)
    {
        JsonElement r = await Call(method, args);
        Assert.That(r.TryGetProperty("error", out JsonElement e), Is.False, () => e.ToString());
        return [.. r.GetProperty("result").EnumerateArray().Select(LogContracts.Describe)];
    }

    private void Emit(Address contract, Hash256[] topics, byte[] data) =>
        LogContracts.Submit(_node, LogContracts.Tx(DevChainFixture.Keys[0], _nonce++, contract, LogContracts.CallData(topics, data)));

    [Test]
    public async Task BlockFilterSeesEachNewBlockOnce()
    {
        _node.SealOnce();
        string id = await Result("eth_newBlockFilter", "[]");
        Assert.That(await Strings("eth_getFilterChanges", $"[\"{id}\"]"), Is.Empty);
        _node.SealOnce();
        string first = _node.Chain.Head.Hash.ToString();
        _node.SealOnce();
        string second = _node.Chain.Head.Hash.ToString();
        Assert.That(await Strings("eth_getFilterChanges", $"[\"{id}\"]"), Is.EqualTo(new[] { first, second }));
        Assert.That(await Strings("eth_getFilterChanges", $"[\"{id}\"]"), Is.Empty);
    }

    [Test]
    public async Task PendingTransactionFilterSeesNewTransactions()
    {
        string id = await Result("eth_newPendingTransactionFilter", "[]");
        Core.Transactions.Transaction tx = LogContracts.Tx(DevChainFixture.Keys[0], _nonce++, _log1, LogContracts.CallData([TopicA], []));
        LogContracts.Submit(_node, tx);
        Assert.That(await Strings("eth_getFilterChanges", $"[\"{id}\"]"), Is.EqualTo(new[] { tx.Hash.ToString() }));
        Assert.That(await Strings("eth_getFilterChanges", $"[\"{id}\"]"), Is.Empty);
    }

    [Test]
    public async Task PendingTransactionFilterCanReturnWholeTransactions()
    {
        string id = await Result("eth_newPendingTransactionFilter", "[true]");
        Core.Transactions.Transaction tx = LogContracts.Tx(DevChainFixture.Keys[0], _nonce++, _log1, LogContracts.CallData([TopicA], [1, 2]));
        LogContracts.Submit(_node, tx);
        JsonElement r = await Call("eth_getFilterChanges", $"[\"{id}\"]");
        JsonElement only = r.GetProperty("result").EnumerateArray().Single();
        Assert.That(only.GetProperty("hash").GetString(), Is.EqualTo(tx.Hash.ToString()));
        Assert.That(only.GetProperty("input").GetString(), Is.EqualTo(Hex.Encode(tx.Data)));
        Assert.That(only.GetProperty("blockNumber").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task LogFilterSeesOnlyNewMatchingLogsAndGetFilterLogsSeesAll()
    {
        Emit(_log2, [TopicA, TopicB], [1]);
        Emit(_log1, [TopicB], [2]);
        _node.SealOnce();
        ulong oldBlock = _node.Chain.Head.Number;
        string filter = $$"""{"fromBlock":"0x0","address":["{{_log2}}","{{_log1}}"],"topics":[["{{TopicB}}","{{TopicA}}"]]}""";
        string narrow = $$"""{"address":"{{_log2}}","topics":[null,"{{TopicB}}"]}""";
        string id = await Result("eth_newFilter", $"[{filter}]");
        string narrowId = await Result("eth_newFilter", $"[{narrow}]");
        Assert.That(await Logs("eth_getFilterChanges", $"[\"{id}\"]"), Is.Empty);

        Emit(_log2, [TopicA, TopicB], [3, 3]);
        Emit(_log2, [TopicB, TopicA], [4]);
        Emit(_log1, [TopicA], []);
        _node.SealOnce();
        Emit(_log1, [TopicB], [5]);
        _node.SealOnce();
        ulong head = _node.Chain.Head.Number;

        List<StoredLog> newLogs = LogContracts.AllLogs(_node.Chain, oldBlock + 1, head);
        Assert.That(newLogs, Has.Count.EqualTo(6)); // the LOG1 emitter logs twice per call
        Assert.That(await Logs("eth_getFilterChanges", $"[\"{id}\"]"), Is.EqualTo(newLogs.Select(LogContracts.Describe).ToList()));
        Assert.That(await Logs("eth_getFilterChanges", $"[\"{id}\"]"), Is.Empty);
        List<string> narrowExpected = [.. newLogs.Where(l => l.Log.Address == _log2 && l.Log.Topics[1] == TopicB).Select(LogContracts.Describe)];
        Assert.That(narrowExpected, Has.Count.EqualTo(1));
        Assert.That(await Logs("eth_getFilterChanges", $"[\"{narrowId}\"]"), Is.EqualTo(narrowExpected));

        List<string> all = [.. LogContracts.AllLogs(_node.Chain, 0, head).Select(LogContracts.Describe)];
        Assert.That(await Logs("eth_getFilterLogs", $"[\"{id}\"]"), Is.EqualTo(all));
        Assert.That(await Logs("eth_getFilterLogs", $"[\"{id}\"]"), Is.EqualTo(await Logs("eth_getLogs", $"[{filter}]")));
    }

    [Test]
    public async Task LogFilterWithAnEndBlockIgnoresLaterBlocks()
    {
        string id = await Result("eth_newFilter", $$"""[{"fromBlock":"0x0","toBlock":"0x{{_node.Chain.Head.Number + 1:x}}"}]""");
        Emit(_log1, [TopicA], []);
        _node.SealOnce();
        Emit(_log1, [TopicA], []);
        _node.SealOnce();
        List<string> changes = await Logs("eth_getFilterChanges", $"[\"{id}\"]");
        Assert.That(changes, Has.Count.EqualTo(2)); // the LOG1 emitter logs twice: the first block only
        Assert.That(changes, Has.All.StartsWith($"{_node.Chain.Head.Number - 1}/"));
    }

    [Test]
    public async Task UninstalledAndUnknownFiltersAreNotFound()
    {
        string id = await Result("eth_newBlockFilter", "[]");
        Assert.That(await Result("eth_uninstallFilter", $"[\"{id}\"]"), Is.EqualTo("True"));
        Assert.That(await Result("eth_uninstallFilter", $"[\"{id}\"]"), Is.EqualTo("False"));
        foreach (string method in new[] { "eth_getFilterChanges", "eth_getFilterLogs" })
        {
            JsonElement e = (await Call(method, $"[\"{id}\"]")).GetProperty("error");
            Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32000));
            Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("filter not found"));
            e = (await Call(method, """["0x0123456789abcdef0123456789abcdef"]""")).GetProperty("error");
            Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("filter not found"));
        }

        string blocks = await Result("eth_newBlockFilter", "[]");
        JsonElement notLogs = (await Call("eth_getFilterLogs", $"[\"{blocks}\"]")).GetProperty("error");
        Assert.That(notLogs.GetProperty("message").GetString(), Is.EqualTo("filter not found"));
    }

    [TestCase("eth_newFilter", """[{"address":"0x12"}]""")]
    [TestCase("eth_newFilter", """[{"topics":[null,null,null,null,null]}]""")]
    [TestCase("eth_newFilter", """[{"fromBlock":1}]""")]
    [TestCase("eth_newFilter", """["latest"]""")]
    [TestCase("eth_newFilter", """[]""")]
    [TestCase("eth_newBlockFilter", """[1]""")]
    [TestCase("eth_newPendingTransactionFilter", """["yes"]""")]
    [TestCase("eth_getFilterChanges", """[1]""")]
    [TestCase("eth_getFilterChanges", """[]""")]
    [TestCase("eth_getFilterLogs", """[{}]""")]
    [TestCase("eth_uninstallFilter", """[null]""")]
    public async Task MalformedParamsAreInvalidParams(string method, string args)
    {
        JsonElement r = await Call(method, args);
        Assert.That(r.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-32602), r.ToString());
    }

    [Test]
    public void FiltersExpireFiveMinutesAfterTheLastPoll()
    {
        ManualTime time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        RpcLimits limits = new();
        using FilterStore store = new(_node.Chain, _node.Pool, limits, time);
        JsonRpcProcessor rpc = Processor(store, limits);
        string id = EthLogsTests.Call(rpc, "eth_newBlockFilter", "[]").GetProperty("result").GetString()!;
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.That(EthLogsTests.Call(rpc, "eth_getFilterChanges", $"[\"{id}\"]").TryGetProperty("result", out _), Is.True);
        time.Advance(TimeSpan.FromMinutes(4)); // eight minutes after install, four after the poll
        Assert.That(EthLogsTests.Call(rpc, "eth_getFilterChanges", $"[\"{id}\"]").TryGetProperty("result", out _), Is.True);
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        JsonElement e = EthLogsTests.Call(rpc, "eth_getFilterChanges", $"[\"{id}\"]").GetProperty("error");
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("filter not found"));
        Assert.That(store.Count, Is.Zero);
    }

    [Test]
    public void FilterCountIsCapped()
    {
        RpcLimits limits = new() { MaxFilters = 3 };
        using FilterStore store = new(_node.Chain, _node.Pool, limits);
        JsonRpcProcessor rpc = Processor(store, limits);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(EthLogsTests.Call(rpc, "eth_newBlockFilter", "[]").TryGetProperty("result", out _), Is.True);
        }

        JsonElement e = EthLogsTests.Call(rpc, "eth_newFilter", "[{}]").GetProperty("error");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32005));
        Assert.That(store.Count, Is.EqualTo(3));
    }

    [Test]
    public void GetFilterLogsKeepsTheLogLimits()
    {
        RpcLimits limits = new() { MaxLogResults = 1 };
        using FilterStore store = new(_node.Chain, _node.Pool, limits);
        JsonRpcProcessor rpc = Processor(store, limits);
        Emit(_log1, [TopicA], []);
        _node.SealOnce();
        string id = EthLogsTests.Call(rpc, "eth_newFilter", """[{"fromBlock":"earliest"}]""").GetProperty("result").GetString()!;
        JsonElement e = EthLogsTests.Call(rpc, "eth_getFilterLogs", $"[\"{id}\"]").GetProperty("error");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32005));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("query returned more than 1 results"));
    }

    private JsonRpcProcessor Processor(FilterStore store, RpcLimits limits)
    {
        RpcMethodRegistry methods = new();
        EthFilterModule.Register(methods, store, new LogQueryRunner(_node.Chain, limits));
        return new JsonRpcProcessor(methods, limits);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
