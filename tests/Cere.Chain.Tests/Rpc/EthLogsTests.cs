using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Logs;
using Cere.Chain.Node;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Filters;
using Cere.Chain.Rpc.Modules;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// eth_getLogs over HTTP against a dev chain whose contracts emitted LOG0..LOG4: every filter's answer equals a
/// brute-force scan of the stored receipts, with the index, and with the index removed (header blooms only).
/// </summary>
public class EthLogsTests
{
    private static readonly Hash256[] TopicPool =
    [
        Keccak("Transfer(address,address,uint256)"), Keccak("Approval(address,address,uint256)"), Keccak("T2"), Keccak("T3"),
        PaddedAddress(DevChainFixture.Keys[1].Address), PaddedAddress(DevChainFixture.Keys[2].Address),
    ];

    private static readonly (int Topics, int Repeat)[] Emitters = [(0, 1), (1, 2), (2, 1), (3, 1), (4, 3)];

    private DevNode _node = null!;
    private HttpClient _http = null!;
    private Address[] _contracts = null!;

    /// <summary>The filters checked against the brute-force scan.</summary>
    public static IEnumerable<TestCaseData> Filters()
    {
        yield return Case("everything", [], null);
        yield return Case("one address", [1], null);
        yield return Case("two addresses", [2, 4], null);
        yield return Case("first topic", [], [[0]]);
        yield return Case("second topic, first wildcard", [], [null, [1]]);
        yield return Case("first topic either of two", [], [[0, 1]]);
        yield return Case("two positions with alternatives", [], [[0, 1], [2, 3]]);
        yield return Case("four wildcards: only LOG4", [], [null, null, null, null]);
        yield return Case("address and third topic", [3], [[2], null, [1]]);
        yield return Case("empty alternative list is a wildcard", [], [[]]);
        yield return Case("padded-address topic", [], [[4, 5], null]);
        yield return Case("address with no logs", [0, 1], [[0], [1], [2], [3]]);
        yield return Case("range 3..6", [], null, "0x3", "0x6");
        yield return Case("range earliest..0x4 on two addresses", [1, 3], null, "earliest", "0x4");
        yield return Case("single block range", [], [[0, 1, 2, 3, 4, 5]], "0x5", "0x5");
        yield return Case("from latest", [], null, "latest", null);
    }

    private static TestCaseData Case(string name, int[] addresses, int[]?[]? topics, string? from = "0x0", string? to = "latest") =>
        new TestCaseData(new FilterSpec(addresses, topics, from, to)).SetName($"GetLogs({name})");

    [OneTimeSetUp]
    public async Task BuildChain()
    {
        _node = await LogContracts.StartNodeAsync(new MemoryStore());
        _http = new HttpClient();
        _contracts = EmitLogs(_node, seed: 42, blocks: 14);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _node.DisposeAsync();
    }

    /// <summary>Deploys the emitters (block 1) and fills <paramref name="blocks"/> blocks with random calls and some empty blocks.</summary>
    internal static Address[] EmitLogs(DevNode node, int seed, int blocks)
    {
        PrivateKey deployer = DevChainFixture.Keys[0];
        ulong deployerNonce = node.Chain.OpenState(node.Chain.Head.StateRoot).GetNonce(deployer.Address);
        Address[] contracts = new Address[Emitters.Length];
        for (int i = 0; i < Emitters.Length; i++)
        {
            contracts[i] = ContractAddress.From(deployer.Address, deployerNonce);
            LogContracts.Submit(node, LogContracts.Tx(deployer, deployerNonce++, null, LogContracts.InitCode(Emitters[i].Topics, Emitters[i].Repeat)));
        }

        node.SealOnce();
        Random rng = new(seed);
        ulong[] nonces = new ulong[5];
        for (int k = 1; k < 5; k++)
        {
            nonces[k] = node.Chain.OpenState(node.Chain.Head.StateRoot).GetNonce(DevChainFixture.Keys[k].Address);
        }

        for (int b = 0; b < blocks; b++)
        {
            int txs = b % 5 == 3 ? 0 : rng.Next(1, 5);
            for (int t = 0; t < txs; t++)
            {
                int k = 1 + rng.Next(4);
                int c = rng.Next(contracts.Length);
                Hash256[] topics = new Hash256[Emitters[c].Topics];
                for (int i = 0; i < topics.Length; i++)
                {
                    topics[i] = TopicPool[rng.Next(TopicPool.Length)];
                }

                byte[] data = new byte[rng.Next(0, 41)];
                rng.NextBytes(data);
                LogContracts.Submit(node, LogContracts.Tx(DevChainFixture.Keys[k], nonces[k]++, contracts[c], LogContracts.CallData(topics, data)));
            }

            node.SealOnce();
        }

        return contracts;
    }

    [TestCaseSource(nameof(Filters))]
    public async Task FilterMatchesBruteForceScan(FilterSpec spec)
    {
        List<string> expected = Expected(_node.Chain, spec, _contracts);
        JsonElement r = await LogContracts.CallAsync(_http, _node.RpcUrl!, "eth_getLogs", $"[{spec.ToJson(_contracts)}]");
        Assert.That(r.TryGetProperty("error", out JsonElement e), Is.False, () => e.ToString());
        List<string> actual = [.. r.GetProperty("result").EnumerateArray().Select(LogContracts.Describe)];
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void TheChainHasLogsOfEveryShape()
    {
        List<StoredLog> all = LogContracts.AllLogs(_node.Chain, 0, _node.Chain.Head.Number);
        for (int n = 0; n <= 4; n++)
        {
            Assert.That(all.Count(l => l.Log.Topics.Length == n), Is.GreaterThan(0), $"no LOG{n}");
        }

        Assert.That(all.Select(l => l.Number).Distinct().Count(), Is.GreaterThan(5));
        Assert.That(all.GroupBy(l => l.TxHash).Any(g => g.Count() > 1), Is.True, "no transaction with several logs");
    }

    [TestCaseSource(nameof(Filters))]
    public async Task WithoutTheIndexHeaderBloomsGiveTheSameAnswer(FilterSpec spec)
    {
        // A database written before the index existed has no entries: the search falls back to header blooms.
        await using DevNode node = await LogContracts.StartNodeAsync(new MemoryStore());
        Address[] contracts = EmitLogs(node, seed: 42, blocks: 14);
        Span<byte> key = stackalloc byte[9];
        key[0] = (byte)'l';
        for (ulong n = 0; n <= node.Chain.Head.Number; n += 2)
        {
            BinaryPrimitives.WriteUInt64BigEndian(key[1..], n);
            node.Chain.Db.Delete(DbColumn.Indexes, key);
        }

        Assert.That(LogIndex.Read(node.Chain.Db, 2), Is.Null);
        Assert.That(LogIndex.Read(node.Chain.Db, 3), Is.Not.Null);
        List<string> expected = Expected(node.Chain, spec, contracts);
        JsonElement r = await LogContracts.CallAsync(_http, node.RpcUrl!, "eth_getLogs", $"[{spec.ToJson(contracts)}]");
        Assert.That(r.GetProperty("result").EnumerateArray().Select(LogContracts.Describe).ToList(), Is.EqualTo(expected));
    }

    [Test]
    public async Task BlockHashSelectsOneBlock()
    {
        int checkedBlocks = 0;
        for (ulong n = 0; n <= _node.Chain.Head.Number; n++)
        {
            Hash256 hash = _node.Chain.Blocks.ReadCanonicalHash(n)!.Value;
            List<string> expected = [.. LogContracts.AllLogs(_node.Chain, n, n).Where(l => l.Log.Topics.Length >= 1).Select(LogContracts.Describe)];
            JsonElement r = await LogContracts.CallAsync(_http, _node.RpcUrl!, "eth_getLogs", $$"""[{"blockHash":"{{hash}}","topics":[[]]}]""");
            Assert.That(r.GetProperty("result").EnumerateArray().Select(LogContracts.Describe).ToList(), Is.EqualTo(expected), $"block {n}");
            checkedBlocks += expected.Count > 0 ? 1 : 0;
        }

        Assert.That(checkedBlocks, Is.GreaterThan(3));
    }

    [Test]
    public void IndexEntryNamesItsBlockAndRejectsFiltersItCannotMatch()
    {
        List<StoredLog> all = LogContracts.AllLogs(_node.Chain, 0, _node.Chain.Head.Number);
        StoredLog some = all[all.Count / 2];
        byte[] digest = LogIndex.Read(_node.Chain.Db, some.Number)!;
        Assert.That(LogIndex.MayMatch(digest, new LogFilter([some.Log.Address], []), out Hash256 hash), Is.True);
        Assert.That(hash, Is.EqualTo(some.BlockHash));
        Assert.That(LogIndex.MayMatch(digest, new LogFilter([Address.Parse("0x00000000000000000000000000000000000000aa")], []), out _), Is.False);
        Assert.That(LogIndex.MayMatch(digest, new LogFilter([], [[Keccak("never emitted")]]), out _), Is.False);
        Assert.That(LogIndex.Read(_node.Chain.Db, _node.Chain.Head.Number + 1), Is.Null);
    }

    [TestCase("""{"fromBlock":"0x0","toBlock":"0x7"}""", -32005, "exceed maximum block range: 5")]
    [TestCase("""{"fromBlock":"0x2","toBlock":"0x6"}""", -32005, "query returned more than 3 results")]
    [TestCase("""{"fromBlock":"0x7","toBlock":"0x3"}""", -32000, "invalid block range params")]
    [TestCase("""{"fromBlock":"0x100","toBlock":"0x101"}""", -32602, "block range extends beyond current head block")]
    [TestCase("""{"fromBlock":"0x100","toBlock":"latest"}""", -32602, "invalid block range params")]
    [TestCase("""{"fromBlock":"pending"}""", -32000, "pending logs are not supported")]
    [TestCase("""{"blockHash":"0x00000000000000000000000000000000000000000000000000000000000000ab"}""", -32000, "unknown block")]
    [TestCase("""{"blockHash":"0x00000000000000000000000000000000000000000000000000000000000000ab","fromBlock":"0x1"}""", -32602, "invalid argument 0: cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other")]
    public void RangeAndResultLimitsGiveTheirErrors(string filter, int code, string message)
    {
        // A processor over the same chain with small limits, so the limits are reachable with a short chain.
        RpcLimits limits = new() { MaxLogBlockRange = 5, MaxLogResults = 3 };
        RpcMethodRegistry methods = new();
        EthLogsModule.Register(methods, new LogQueryRunner(_node.Chain, limits));
        JsonRpcProcessor rpc = new(methods, limits);
        JsonElement e = Call(rpc, "eth_getLogs", $"[{filter}]").GetProperty("error");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(code));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo(message));
    }

    [TestCase("""[{"address":"0x12"}]""")]
    [TestCase("""[{"address":["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", 5]}]""")]
    [TestCase("""[{"address":7}]""")]
    [TestCase("""[{"topics":"0x00"}]""")]
    [TestCase("""[{"topics":[null,null,null,null,null]}]""")]
    [TestCase("""[{"topics":["0x1234"]}]""")]
    [TestCase("""[{"topics":[[1]]}]""")]
    [TestCase("""[{"topics":[true]}]""")]
    [TestCase("""[{"fromBlock":5}]""")]
    [TestCase("""[{"fromBlock":"0x01"}]""")]
    [TestCase("""[{"toBlock":"newest"}]""")]
    [TestCase("""[{"blockHash":"0x12"}]""")]
    [TestCase("""["latest"]""")]
    [TestCase("""[]""")]
    [TestCase("""[{}, {}]""")]
    public async Task MalformedFilterIsInvalidParams(string args)
    {
        JsonElement r = await LogContracts.CallAsync(_http, _node.RpcUrl!, "eth_getLogs", args);
        Assert.That(r.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-32602), r.ToString());
    }

    [Test]
    public async Task LogsSurviveARestart()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cere-logs-" + Guid.NewGuid().ToString("N"));
        try
        {
            string before;
            List<string> expected;
            await using (DevNode node = await LogContracts.StartNodeAsync(RocksDbStore.Open(dir)))
            {
                EmitLogs(node, seed: 7, blocks: 6);
                expected = [.. LogContracts.AllLogs(node.Chain, 0, node.Chain.Head.Number).Select(LogContracts.Describe)];
                before = (await LogContracts.CallAsync(_http, node.RpcUrl!, "eth_getLogs", """[{"fromBlock":"earliest"}]""")).GetProperty("result").ToString();
            }

            await using (DevNode node = await LogContracts.StartNodeAsync(RocksDbStore.Open(dir)))
            {
                JsonElement r = await LogContracts.CallAsync(_http, node.RpcUrl!, "eth_getLogs", """[{"fromBlock":"earliest"}]""");
                Assert.That(r.GetProperty("result").ToString(), Is.EqualTo(before));
                Assert.That(r.GetProperty("result").EnumerateArray().Select(LogContracts.Describe).ToList(), Is.EqualTo(expected));
                Assert.That(expected, Has.Count.GreaterThan(5));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static JsonElement Call(JsonRpcProcessor rpc, string method, string paramsJson)
    {
        string body = $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""";
        return JsonDocument.Parse(rpc.Process(Encoding.UTF8.GetBytes(body), RpcCallContext.Http)!).RootElement.Clone();
    }

    // The brute-force reference: every stored log, kept when it matches the spec by the execution-apis rules.
    private static List<string> Expected(Blockchain chain, FilterSpec spec, Address[] contracts)
    {
        ulong head = chain.Head.Number;
        ulong from = spec.From switch { null or "latest" => head, "earliest" => 0, _ => Convert.ToUInt64(spec.From[2..], 16) };
        ulong to = spec.To switch { null or "latest" => head, _ => Convert.ToUInt64(spec.To[2..], 16) };
        HashSet<Address> addresses = [.. spec.Addresses.Select(i => contracts[i])];
        return [.. LogContracts.AllLogs(chain, from, to).Where(l =>
        {
            if (addresses.Count > 0 && !addresses.Contains(l.Log.Address))
            {
                return false;
            }

            int[]?[] topics = spec.Topics ?? [];
            if (topics.Length > l.Log.Topics.Length)
            {
                return false;
            }

            for (int i = 0; i < topics.Length; i++)
            {
                if (topics[i] is { Length: > 0 } alternatives && !alternatives.Any(a => TopicPool[a] == l.Log.Topics[i]))
                {
                    return false;
                }
            }

            return true;
        }).Select(LogContracts.Describe)];
    }

    private static Hash256 Keccak(string s) => Keccak256.Compute(Encoding.UTF8.GetBytes(s));

    private static Hash256 PaddedAddress(Address a)
    {
        byte[] b = new byte[32];
        a.CopyTo(b.AsSpan(12));
        return new Hash256(b);
    }

    /// <summary>A filter in test terms: contract indexes, topic-pool indexes per position (null: any), a range.</summary>
    public sealed record FilterSpec(int[] Addresses, int[]?[]? Topics, string? From, string? To)
    {
        /// <summary>The filter object as a client sends it.</summary>
        public string ToJson(Address[] contracts)
        {
            List<string> parts = [];
            if (From is not null)
            {
                parts.Add($"\"fromBlock\":\"{From}\"");
            }

            if (To is not null)
            {
                parts.Add($"\"toBlock\":\"{To}\"");
            }

            if (Addresses.Length == 1)
            {
                parts.Add($"\"address\":\"{contracts[Addresses[0]].ToChecksumString()}\"");
            }
            else if (Addresses.Length > 1)
            {
                parts.Add($"\"address\":[{string.Join(",", Addresses.Select(i => $"\"{contracts[i]}\""))}]");
            }

            if (Topics is not null)
            {
                IEnumerable<string> positions = Topics.Select(p => p switch
                {
                    null => "null",
                    { Length: 1 } => $"\"{TopicPool[p[0]]}\"",
                    _ => $"[{string.Join(",", p.Select(i => $"\"{TopicPool[i]}\""))}]",
                });
                parts.Add($"\"topics\":[{string.Join(",", positions)}]");
            }

            return "{" + string.Join(",", parts) + "}";
        }

        /// <inheritdoc/>
        public override string ToString() => $"addresses=[{string.Join(",", Addresses)}] topics={Topics?.Length.ToString() ?? "none"} {From}..{To}";
    }
}
