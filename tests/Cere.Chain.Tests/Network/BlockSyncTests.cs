using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Cere.Chain.Consensus;
using Cere.Chain.Network;
using Cere.Consensus.Messages;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.P2P.Addressing;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// Block sync over real libp2p: a validator started at genesis far behind fetches ranges of certified blocks, verifies
/// and commits them, reports progress through <c>eth_syncing</c>, and ends on the same head and state root; peers that
/// serve forged blocks or certificates, another chain or garbage are refused with the specific error, banned, and leave
/// nothing committed, while the blocks come from an honest peer instead.
/// </summary>
[NonParallelizable]
public class BlockSyncTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly Lazy<CertifiedChainBuilder> Small = new(() => CertifiedChainBuilder.Build(40, 2));

    public static IEnumerable<TestCaseData> BadPeers()
    {
        foreach (string forgery in new[] { "tampered transaction", "forged signature", "duplicated signature", "non-validator key", "non-validator index", "too few signatures", "wrong chain", "other block", "height gap" })
        {
            Type expected = forgery switch
            {
                "tampered transaction" => typeof(InvalidCertifiedBlockException),
                "wrong chain" => typeof(WrongChainException),
                "other block" => typeof(BlockCertificateMismatchException),
                "height gap" => typeof(UnexpectedHeightException),
                _ => typeof(CertificateRejectedException),
            };
            yield return new TestCaseData(forgery, expected).SetName($"PeerServing_{forgery.Replace(' ', '_')}_IsRefusedBannedAndSyncEndsFromAnHonestPeer");
        }

        yield return new TestCaseData("garbage frame", typeof(MalformedCommitException)).SetName("PeerServing_garbage_framing_IsRefusedBannedAndSyncEndsFromAnHonestPeer");
        yield return new TestCaseData("garbage commit", typeof(MalformedCommitException)).SetName("PeerServing_garbage_commit_bytes_IsRefusedBannedAndSyncEndsFromAnHonestPeer");
        yield return new TestCaseData("other genesis", typeof(WrongChainException)).SetName("PeerOnAnotherGenesis_IsRefusedBannedAndSyncEndsFromAnHonestPeer");
    }

    [Test]
    public async Task ValidatorStartedAtGenesisSyncsAThousandCertifiedBlocksToTheSameStateRoot()
    {
        double rate = await SyncFromGenesisAsync(1_000, 3, TestContext.Out);
        Assert.That(rate, Is.GreaterThan(0));
    }

    [TestCaseSource(nameof(BadPeers))]
    public async Task BadPeerIsRefusedAndBannedWithNothingCommitted(string forgery, Type expected)
    {
        CertifiedChainBuilder source = Small.Value;
        await using SyncingPeer node = await SyncingPeer.StartAsync();
        try
        {
            int[] before = Counts(node.Db);
            await using ServingPeer bad = await BadPeerAsync(source, forgery);
            await node.ConnectAsync(bad.Host);
            node.Sync.Trigger();

            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => !node.Rejections.IsEmpty, Patience), Is.True, "the bad peer is caught");
            (Cere.P2P.Crypto.PeerId peer, Exception error) = node.Rejections.First();
            Assert.That(peer, Is.EqualTo(bad.PeerId));
            Assert.That(error, Is.TypeOf(expected), error.Message);
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.Host.FindConnection(bad.PeerId) is null && !node.Sync.Progress.IsSyncing, Patience), Is.True, "dropped");
            Assert.That(node.Connections.Store.IsBanned(bad.PeerId, out string? reason), Is.True, "banned");
            Assert.That(reason, Does.Contain(expected.Name));
            Assert.That(node.Sync.PenaltyOf(bad.PeerId), Is.GreaterThanOrEqualTo(1));
            Assert.That(node.Chain.Head.Hash, Is.EqualTo(node.Chain.Genesis.Hash), "nothing committed");
            Assert.That(Counts(node.Db), Is.EqualTo(before), "nothing written");

            await using ServingPeer honest = await ServingPeer.HonestAsync(source);
            await node.ConnectAsync(honest.Host);
            node.Sync.Trigger();
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.Chain.Head.Number == source.Chain.Head.Number, Patience), Is.True, "synced from the honest peer");
            AssertSameHead(node.Chain, source.Chain);
            Assert.That(node.Sync.PenaltyOf(honest.PeerId), Is.Zero);
        }
        catch
        {
            Dump(node.Log);
            throw;
        }
    }

    [TestCase("tampered transaction")]
    [TestCase("forged signature")]
    public async Task BadPeerAmongHonestOnesLosesItsRangeToThem(string forgery)
    {
        CertifiedChainBuilder source = Small.Value;
        await using SyncingPeer node = await SyncingPeer.StartAsync();
        try
        {
            await using ServingPeer bad = await BadPeerAsync(source, forgery);
            await using ServingPeer honest = await ServingPeer.HonestAsync(source);
            await node.ConnectAsync(bad.Host);
            await node.ConnectAsync(honest.Host);
            node.Sync.Trigger();

            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.Chain.Head.Number == source.Chain.Head.Number, Patience), Is.True, "synced");
            AssertSameHead(node.Chain, source.Chain);
            Assert.That(node.Sync.PenaltyOf(bad.PeerId), Is.GreaterThanOrEqualTo(1), "the bad peer served a range and was caught");
            Assert.That(node.Connections.Store.IsBanned(bad.PeerId, out _), Is.True);
            Assert.That(node.Sync.PenaltyOf(honest.PeerId), Is.Zero);
            foreach ((Cere.P2P.Crypto.PeerId peer, _) in node.Rejections)
            {
                Assert.That(peer, Is.EqualTo(bad.PeerId), "only the bad peer is refused");
            }
        }
        catch
        {
            Dump(node.Log);
            throw;
        }
    }

    [Test]
    public async Task RangesAreFetchedFromSeveralPeersInParallelAndImportedInOrder()
    {
        CertifiedChainBuilder source = Small.Value;
        await using SyncingPeer node = await SyncingPeer.StartAsync();
        int[] served = new int[3];
        OverlapProbe probe = new(TimeSpan.FromMilliseconds(300));
        List<ServingPeer> peers = [];
        try
        {
            for (int i = 0; i < served.Length; i++)
            {
                int me = i;
                peers.Add(await ServingPeer.ForgingAsync(
                    source,
                    (start, count) =>
                    {
                        // Honest answers, counted per peer (the probe holds each a moment, so overlapping requests show).
                        Interlocked.Increment(ref served[me]);
                        return ServingPeer.Frame(start, count, source.Chain.Head.Number, h => ConsensusCodec.Encode(source.CommitAt(h)));
                    },
                    probe: probe));
                await node.ConnectAsync(peers[i].Host);
            }

            node.Sync.Trigger();
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.Chain.Head.Number == source.Chain.Head.Number, Patience), Is.True, "synced");
            AssertSameHead(node.Chain, source.Chain);
            Assert.That(served.Count(n => n > 0), Is.GreaterThanOrEqualTo(2), $"ranges came from several peers ({string.Join(", ", served)})");
            Assert.That(probe.MaxConcurrent, Is.GreaterThanOrEqualTo(2), "range requests to different peers overlapped");
            Assert.That(node.Rejections, Is.Empty);
            // The synchronizer logs "done" just after its last import moves the head, so the line may trail the head.
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.Log.Any(l => l.StartsWith("sync: height=", StringComparison.Ordinal) || l.StartsWith("sync: done at", StringComparison.Ordinal)), Patience), Is.True, "sync progress is logged");
        }
        catch
        {
            Dump(node.Log);
            throw;
        }
        finally
        {
            foreach (ServingPeer p in peers)
            {
                await p.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Builds <paramref name="blocks"/> certified blocks, serves them from a validator on that database, starts a second
    /// validator at genesis and waits until it holds the same head; returns the blocks per second of the sync.
    /// </summary>
    internal static async Task<double> SyncFromGenesisAsync(int blocks, int transfersPerBlock, TextWriter output)
    {
        Stopwatch built = Stopwatch.StartNew();
        CertifiedChainBuilder source = CertifiedChainBuilder.Build(blocks, transfersPerBlock);
        output.WriteLine($"built {blocks} certified blocks of {transfersPerBlock} transfers in {built.Elapsed.TotalSeconds:0.0} s");
        Hash256 sourceHead = source.Chain.Head.Hash;
        Hash256 sourceRoot = source.Chain.Head.StateRoot;
        string root = Path.Combine(Path.GetTempPath(), "cere-sync-" + Guid.NewGuid().ToString("N"));
        List<string> log = [];
        ValidatorNode? server = null;
        ValidatorNode? syncing = null;
        try
        {
            server = await ValidatorNode.StartAsync(Options(root, 0, source.Db, [], null));
            Assert.That(server.Chain.Head.Hash, Is.EqualTo(sourceHead));
            Stopwatch clock = Stopwatch.StartNew();
            syncing = await ValidatorNode.StartAsync(Options(root, 1, new MemoryStore(), [server.ListenAddress], line => { lock (log) { log.Add($"{clock.Elapsed.TotalSeconds,7:0.000} {line}"); } }) with { RpcPort = 0 });
            using HttpClient rpc = new() { BaseAddress = syncing.RpcUrl };
            JsonElement? seenSyncing = null;
            DateTime end = DateTime.UtcNow + TimeSpan.FromMinutes(10);
            while (syncing.Chain.Head.Number < (ulong)blocks && DateTime.UtcNow < end)
            {
                JsonElement result = await EthSyncingAsync(rpc);
                if (result.ValueKind == JsonValueKind.Object && syncing.Chain.Head.Number < (ulong)blocks)
                {
                    seenSyncing ??= result;
                }

                await Task.Delay(25);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            Assert.That(syncing.Chain.Head.Number, Is.EqualTo((ulong)blocks), "reached the head");
            double rate = blocks / seconds;
            output.WriteLine($"synced {blocks} blocks of {transfersPerBlock} transfers in {seconds:0.00} s: {rate:0} blocks/s ({rate * transfersPerBlock:0} transfers/s), node start included");
            lock (log)
            {
                foreach (string line in log)
                {
                    if (line.Contains("sync:", StringComparison.Ordinal))
                    {
                        output.WriteLine(line);
                    }
                }
            }

            Assert.That(syncing.Chain.Head.Hash, Is.EqualTo(sourceHead), "same head block");
            Assert.That(syncing.Chain.Head.StateRoot, Is.EqualTo(sourceRoot), "same state root");
            Assert.That(syncing.Chain.OpenState(sourceRoot).ComputeStateRoot(), Is.EqualTo(sourceRoot), "the state under the root is there");
            for (ulong h = 1; h <= (ulong)blocks; h += (ulong)Math.Max(1, blocks / 50))
            {
                Assert.That(syncing.Chain.HeaderByNumber(h)!.Hash, Is.EqualTo(server.Chain.HeaderByNumber(h)!.Hash), $"block {h}");
            }

            Assert.That(seenSyncing, Is.Not.Null, "eth_syncing reported progress while behind");
            JsonElement s = seenSyncing!.Value;
            Assert.That(s.GetProperty("startingBlock").GetString(), Is.EqualTo("0x0"));
            Assert.That(s.GetProperty("highestBlock").GetString(), Is.EqualTo($"0x{blocks:x}"));
            Assert.That(s.GetProperty("currentBlock").GetString(), Does.StartWith("0x"));
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => !syncing.Sync.Progress.IsSyncing, TimeSpan.FromSeconds(30)), Is.True);
            Assert.That((await EthSyncingAsync(rpc)).ValueKind, Is.EqualTo(JsonValueKind.False), "eth_syncing is false once caught up");
            Assert.That(syncing.Consensus.Fault, Is.Null);
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => syncing.Consensus.Height == (ulong)blocks + 1, TimeSpan.FromSeconds(30)), Is.True, "consensus moved on to the height after the synced head");
            return rate;
        }
        catch
        {
            lock (log)
            {
                foreach (string line in log)
                {
                    output.WriteLine(line);
                }
            }

            throw;
        }
        finally
        {
            if (syncing is not null)
            {
                await syncing.DisposeAsync();
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }

    private static ValidatorNodeOptions Options(string root, int key, IKeyValueStore db, IReadOnlyList<Multiaddr> bootnodes, Action<string>? log) => new()
    {
        Spec = CertifiedChainBuilder.Spec,
        Genesis = CertifiedChainBuilder.Genesis(),
        ValidatorKey = DevChainFixture.Keys[key],
        DataDir = Path.Combine(root, $"node{key}"),
        Database = db,
        ListenAddress = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"),
        Bootnodes = bootnodes,
        ReconnectMaxBackoff = TimeSpan.FromSeconds(2),
        Log = log,
    };

    private static async Task<JsonElement> EthSyncingAsync(HttpClient rpc)
    {
        using HttpResponseMessage response = await rpc.PostAsJsonAsync(string.Empty, new { jsonrpc = "2.0", id = 1, method = "eth_syncing", @params = Array.Empty<object>() });
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("result").Clone();
    }

    private static async Task<ServingPeer> BadPeerAsync(CertifiedChainBuilder source, string forgery)
    {
        // Forged answers stop one block short of the head: "other block" and "height gap" borrow the next block.
        ulong last = source.Chain.Head.Number - 1;
        return forgery switch
        {
            "garbage frame" => await ServingPeer.ForgingAsync(source, (_, _) => [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]),
            "garbage commit" => await ServingPeer.ForgingAsync(source, (start, count) => ServingPeer.Frame(start, count, last, _ => [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01])),
            "other genesis" => await ServingPeer.ForgingAsync(
                source,
                (start, count) => ServingPeer.Frame(start, count, last, h => ConsensusCodec.Encode(source.CommitAt(h))),
                new ChainStatus(source.Chain.Spec.ChainId, Hash256.EmptyTrieRoot, source.Chain.Head.Number, source.Chain.Head.Hash)),
            _ => await ServingPeer.ForgingAsync(source, (start, count) => ServingPeer.Frame(start, count, last, h => ConsensusCodec.Encode(CertifiedBlockImporterTests.Forge(source, forgery, h)))),
        };
    }

    private static void AssertSameHead(Cere.Chain.Blocks.Blockchain mine, Cere.Chain.Blocks.Blockchain theirs)
    {
        BlockHeader a = mine.Head;
        BlockHeader b = theirs.Head;
        Assert.That(a.Hash, Is.EqualTo(b.Hash), "same head");
        Assert.That(a.StateRoot, Is.EqualTo(b.StateRoot), "same state root");
    }

    private static int[] Counts(MemoryStore db)
    {
        int[] counts = new int[DbColumns.All.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = db.Count(DbColumns.All[i]);
        }

        return counts;
    }

    private static void Dump(IEnumerable<string> log)
    {
        foreach (string line in log)
        {
            TestContext.Out.WriteLine(line);
        }
    }
}
