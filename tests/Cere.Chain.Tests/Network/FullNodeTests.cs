using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cere.Chain.Consensus;
using Cere.Chain.Network;
using Cere.Chain.ValidatorKeys;
using Cere.Consensus.Machine;
using Cere.Consensus.Signing;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Transactions;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.PubSub;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// A full node (a <see cref="ValidatorNode"/> without a validator key) beside four validators over real libp2p on
/// loopback: it commits the same blocks and state roots, serves them over JSON-RPC, passes a transaction sent to it on to
/// the validators, who include it; it never publishes a consensus message, keeps no WAL and no double-sign guard; and
/// restarted on its directory it goes on from its head.
/// </summary>
[NonParallelizable]
public class FullNodeTests
{
    private static readonly UInt256 Amount = UInt256.Parse("1000000000000000");
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000f0110");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    // The validators' fixture timeouts: the full node's machine walks the same rounds.
    private static readonly TimeoutSchedule FastTimeouts = new()
    {
        ProposeMs = 800, ProposeDeltaMs = 200, PrevoteMs = 400, PrevoteDeltaMs = 200, PrecommitMs = 400, PrecommitDeltaMs = 200, RebroadcastMs = 1000,
    };

    [Test]
    public async Task FullNodeFollowsServesRpcPassesTransactionsOnAndNeverSigns()
    {
        await using ValidatorNetworkFixture net = new();
        string fullDir = Path.Combine(Path.GetTempPath(), "cere-full-" + Guid.NewGuid().ToString("N"));
        ValidatorNode? full = null;
        Probe? probe = null;
        try
        {
            List<Multiaddr> validators = [];
            for (int i = 0; i < ValidatorNetworkFixture.Size; i++)
            {
                validators.Add((await net.StartAsync(i)).ListenAddress);
            }

            ValidatorNodeOptions options = new()
            {
                Spec = net.Spec,
                Genesis = net.Genesis,
                DataDir = fullDir,
                P2pKey = P2P.Crypto.PeerPrivateKey.Generate(),
                ListenAddress = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"),
                Bootnodes = validators,
                Timeouts = FastTimeouts,
                ReconnectMaxBackoff = TimeSpan.FromSeconds(2),
                RpcPort = 0,
                Log = line => net.Log.Enqueue($"full {line}"),
            };
            full = await ValidatorNode.StartAsync(options);
            Assert.That(full.IsValidator, Is.False);
            Assert.That(full.Consensus.IsObserver, Is.True);
            int ownBroadcasts = 0;
            full.Consensus.Broadcast += _ => Interlocked.Increment(ref ownBroadcasts);
            Assert.That(net.Log.Any(l => l.StartsWith("full full node chain ", StringComparison.Ordinal) && l.Contains(" listening on /ip4/127.0.0.1/", StringComparison.Ordinal)), Is.True, "the start line names the role, chain, head and address");

            // A bare peer that records the author of every consensus and block message it sees, connected to all five.
            ChainTopics topics = new(net.Spec.ChainId);
            probe = await Probe.ConnectAsync(topics, [.. validators, full.ListenAddress]);

            Uri rpc = full.RpcUrl!;
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => full.Chain.Head.Number >= 3, Patience), Is.True, $"the full node follows (head {full.Chain.Head.Number}, validators {net.MaxHead()})");

            // Transfers sent to the full node only: it has no say in blocks, so they reach a proposer by gossip.
            Core.Crypto.PrivateKey sender = DevChainFixture.Keys[6];
            List<string> hashes = [];
            for (ulong nonce = 0; nonce < 3; nonce++)
            {
                Transaction tx = DevChainFixture.Transfer1559(sender, Recipient, nonce, Amount);
                JsonNode sent = await CallAsync(rpc, "eth_sendRawTransaction", "0x" + Convert.ToHexStringLower(TransactionEncoder.Encode(tx)));
                Assert.That(sent.GetValue<string>(), Is.EqualTo(tx.Hash.ToString()));
                hashes.Add(tx.Hash.ToString());
            }

            ulong included = 0;
            foreach (string hash in hashes)
            {
                JsonNode? receipt = null;
                Assert.That(await EventuallyAsync(async () => (receipt = await TryCallAsync(rpc, "eth_getTransactionReceipt", hash)) is not null, Patience), Is.True, $"a receipt for {hash} from the full node");
                Assert.That(receipt!["status"]!.GetValue<string>(), Is.EqualTo("0x1"));
                included = Math.Max(included, Quantity(receipt["blockNumber"]!));
            }

            ulong rpcHead = Quantity(await CallAsync(rpc, "eth_blockNumber"));
            Assert.That(rpcHead, Is.GreaterThanOrEqualTo(included));
            Assert.That(
                (await CallAsync(rpc, "eth_getBalance", Recipient.ToString(), "latest")).GetValue<string>(),
                Is.EqualTo((Amount * 3).ToHexQuantity()));

            // The block that carries them was built by a validator (the beneficiary is a validator, never the full node).
            JsonNode block = await CallAsync(rpc, "eth_getBlockByNumber", "0x" + included.ToString("x", CultureInfo.InvariantCulture), false);
            Assert.That(net.Genesis.Validators.Any(v => string.Equals(v.Address.ToString(), block["miner"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase)), Is.True, block.ToJsonString());

            // The same chain as the validators, block by block (hash and state root).
            ulong target = net.MaxHead();
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => full.Chain.Head.Number >= target, Patience), Is.True, "the full node keeps up");
            ValidatorNode reference = net.Nodes[0]!;
            ulong common = Math.Min(full.Chain.Head.Number, reference.Chain.Head.Number);
            for (ulong h = 1; h <= common; h++)
            {
                BlockHeader mine = full.Chain.HeaderByNumber(h)!;
                BlockHeader theirs = reference.Chain.HeaderByNumber(h)!;
                Assert.That(mine.Hash, Is.EqualTo(theirs.Hash), $"block {h}");
                Assert.That(mine.StateRoot, Is.EqualTo(theirs.StateRoot), $"state root {h}");
            }

            // Never signs: nothing of its own on the consensus topic (while the validators' messages are seen), no own
            // broadcast from its consensus loop, no WAL, no double-sign guard.
            Assert.That(probe.ConsensusAuthors.Keys.Count(a => a != full.Host.PeerId.ToString()), Is.EqualTo(ValidatorNetworkFixture.Size), "the probe sees every validator's consensus messages");
            Assert.That(probe.ConsensusAuthors.ContainsKey(full.Host.PeerId.ToString()), Is.False, "the full node published a consensus message");
            Assert.That(ownBroadcasts, Is.Zero);
            Assert.That(File.Exists(Path.Combine(fullDir, "consensus.wal")), Is.False, "a full node keeps no consensus WAL");
            Assert.That(File.Exists(Path.Combine(fullDir, DoubleSignGuard.FileName)), Is.False, "a full node keeps no double-sign guard");
            Assert.That(full.Consensus.Fault, Is.Null);

            // Restarted on its directory (nothing to replay), it goes on from its head and follows the validators again.
            ulong before = full.Chain.Head.Number;
            Hash256 beforeHash = full.Chain.Head.Hash;
            await full.DisposeAsync();

            // It returns at once, inside the backoff its own leaving PRUNEs asked for: its GRAFTs must not be penalised
            // (they once were, and the validators graylisted and banned it for 10 minutes).
            full = await ValidatorNode.StartAsync(options);
            Assert.That(full.Chain.Head.Hash, Is.EqualTo(beforeHash), "the restart opens the committed head");
            ulong goal = net.MaxHead() + 2;
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => full.Chain.Head.Number >= goal, Patience), Is.True, $"the restarted full node follows (head {full.Chain.Head.Number}, from {before}, goal {goal})");
            Assert.That(full.Chain.HeaderByNumber(goal)!.Hash, Is.EqualTo(reference.Chain.HeaderByNumber(goal)!.Hash));
            Assert.That(File.Exists(Path.Combine(fullDir, "consensus.wal")), Is.False);
            Assert.That(full.Consensus.Fault, Is.Null);
            Assert.That(net.SafetyViolations, Is.Empty);
        }
        catch
        {
            net.DumpLog(TestContext.Out);
            throw;
        }
        finally
        {
            if (probe is not null)
            {
                await probe.DisposeAsync();
            }

            if (full is not null)
            {
                await full.DisposeAsync();
            }

            try
            {
                Directory.Delete(fullDir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }

    [Test]
    public async Task ObserverMachineRunsWithoutAWalAndEmitsNothingSigned()
    {
        await using ValidatorNetworkFixture net = new();
        Recorder outbox = new();
        ConsensusDriver driver = new(new TendermintMachine(net.Spec.ChainId, null, Secp256k1SignatureVerifier.Instance, FastTimeouts), null, outbox);
        driver.StartHeight(1, new ValidatorSchedule(net.Genesis).ForHeight(1));
        driver.OnTimeout(new TimeoutEvent(TimeoutKind.Propose, 1, 0)); // a validator would prevote nil here
        Assert.That(driver.Machine.IsObserver, Is.True);
        Assert.That(outbox.Effects, Is.Not.Empty);
        Assert.That(outbox.Effects, Is.All.InstanceOf<ScheduleTimeoutEffect>(), "an observer only sets timers: it signs, builds and sends nothing");
    }

    [Test]
    public async Task SigningMachineWithoutAWalIsRefused()
    {
        await using ValidatorNetworkFixture net = new();
        TendermintMachine signing = new(net.Spec.ChainId, new Secp256k1ConsensusSigner(ValidatorNetworkFixture.KeyOf(0)), Secp256k1SignatureVerifier.Instance);
        ArgumentException? e = Assert.Throws<ArgumentException>(() => _ = new ConsensusDriver(signing, null, new Recorder()));
        Assert.That(e!.Message, Does.Contain("needs a WAL"));
    }

    private static ulong Quantity(JsonNode n) => ulong.Parse(n.GetValue<string>().AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return await condition();
    }

    private static async Task<JsonNode> CallAsync(Uri url, string method, params object[] parameters) =>
        await TryCallAsync(url, method, parameters) ?? throw new AssertionException($"{method} returned null");

    private static async Task<JsonNode?> TryCallAsync(Uri url, string method, params object[] parameters)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (body["error"] is JsonNode error)
        {
            Assert.Fail($"{method}: {error.ToJsonString()}");
        }

        return body["result"];
    }

    private sealed class Recorder : IConsensusOutbox
    {
        public List<ConsensusEffect> Effects { get; } = [];

        public void Emit(ConsensusEffect effect) => Effects.Add(effect);
    }

    /// <summary>A bare libp2p peer with gossipsub that counts, per author peer id, the consensus messages it receives.</summary>
    private sealed class Probe : IAsyncDisposable
    {
        private readonly List<IDisposable> _subscriptions = [];

        private Probe(Host host, GossipsubService gossip)
        {
            Host = host;
            Gossip = gossip;
        }

        public Host Host { get; }

        public GossipsubService Gossip { get; }

        public ConcurrentDictionary<string, int> ConsensusAuthors { get; } = new();

        public static async Task<Probe> ConnectAsync(ChainTopics topics, IReadOnlyList<Multiaddr> peers)
        {
            Host host = new(new HostOptions { AgentVersion = "cere-test/probe" });
            GossipsubService gossip = new(host);
            Probe probe = new(host, gossip);
            gossip.Start();
            probe._subscriptions.Add(gossip.Subscribe(topics.Consensus, m => probe.ConsensusAuthors.AddOrUpdate(m.Author?.ToString() ?? "(unsigned)", 1, (_, n) => n + 1)));
            foreach (Multiaddr peer in peers)
            {
                await host.DialAsync(peer);
            }

            return probe;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (IDisposable s in _subscriptions)
            {
                s.Dispose();
            }

            await Gossip.DisposeAsync();
            await Host.DisposeAsync();
        }
    }
}
