using Cere.Chain.Consensus;
using Cere.Chain.Network;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Core;
using Cere.Core.Transactions;
using Cere.P2P.Hosting;
using Cere.P2P.PubSub;
using Cere.P2P.RequestResponse;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// A validator node against a misbehaving libp2p peer: undecodable messages, another chain's messages and forged
/// signatures are rejected on every topic (and lower the sender's score); a valid transaction from the peer reaches the pool.
/// </summary>
[NonParallelizable]
public class ChainGossipValidationTests
{
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000c0de5");

    private static IEnumerable<TestCaseData> BadMessages()
    {
        ulong chainId = DevChainFixture.Spec().ChainId;
        Secp256k1ConsensusSigner validator = new(ValidatorNetworkFixture.KeyOf(1));
        Secp256k1ConsensusSigner outsider = new(DevChainFixture.Keys[7]);
        Vote otherChain = Vote.Create(999, 1, 0, VoteType.Prevote, null, validator);
        Vote forged = new(chainId, 1, 0, VoteType.Prevote, null, validator.Address, Vote.Create(chainId, 1, 0, VoteType.Prevote, null, outsider).Signature);
        Vote notAValidator = Vote.Create(chainId, 1, 0, VoteType.Prevote, null, outsider);
        Transaction wrongChainTx = DevChainFixture.Transfer1559(DevChainFixture.Keys[6], Recipient, 0, 1, chainId: 999);
        yield return new TestCaseData("consensus", new byte[] { 0xc1, 0x80 }, "consensus ").SetName("UndecodableConsensusMessage");
        yield return new TestCaseData("consensus", ConsensusCodec.Encode(otherChain), "chain id 999").SetName("VoteOfAnotherChain");
        yield return new TestCaseData("consensus", ConsensusCodec.Encode(forged), "bad signature").SetName("VoteWithAForgedSignature");
        yield return new TestCaseData("consensus", ConsensusCodec.Encode(notAValidator), "not a validator").SetName("VoteFromANonValidator");
        yield return new TestCaseData("txs", new byte[] { 0x02, 0xff }, "txs/1").SetName("UndecodableTransaction");
        yield return new TestCaseData("txs", TransactionEncoder.Encode(wrongChainTx), "invalid chain id").SetName("TransactionOfAnotherChain");
        yield return new TestCaseData("blocks", null, "InsufficientPower").SetName("BlockWithoutAQuorumCertificate");
    }

    [TestCaseSource(nameof(BadMessages))]
    public async Task BadGossipIsRejectedAndLowersTheSendersScore(string topic, byte[]? payload, string reason)
    {
        await using ValidatorNetworkFixture net = new();
        ValidatorNode node = await net.StartAsync(0);
        ChainTopics topics = new(net.Spec.ChainId);
        await using Attacker attacker = await Attacker.ConnectAsync(node, topics);

        // A certificate without signatures for block 0 (the genesis block, so the block itself decodes and matches).
        payload ??= ConsensusCodec.Encode(new CommitMessage(
            new CommitCertificate(net.Spec.ChainId, 0, 0, node.Chain.Genesis.Hash, []),
            Core.Blocks.BlockCodec.Encode(node.Chain.Blocks.ReadBlock(node.Chain.Genesis.Hash)!)));
        string name = topic switch { "consensus" => topics.Consensus, "txs" => topics.Transactions, _ => topics.Blocks };
        attacker.Gossip.Publish(name, payload);

        Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.GossipRejected == 1, TimeSpan.FromSeconds(10)), Is.True, "rejected");
        Assert.That(net.Log.Any(l => l.Contains("gossip: rejected", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal)), Is.True, $"a rejection naming \"{reason}\" is logged");
        Assert.That(node.PeerScore(attacker.Host.PeerId), Is.LessThan(0), "an invalid message lowers the sender's score (gossipsub v1.1 P4)");
        Assert.That(node.Pool.Count, Is.Zero);
        Assert.That(node.Chain.Head.Number, Is.Zero);
    }

    [Test]
    public async Task ValidTransactionFromAPeerReachesThePool()
    {
        await using ValidatorNetworkFixture net = new();
        ValidatorNode node = await net.StartAsync(0);
        ChainTopics topics = new(net.Spec.ChainId);
        await using Attacker peer = await Attacker.ConnectAsync(node, topics);
        Transaction valid = DevChainFixture.Transfer1559(DevChainFixture.Keys[6], Recipient, 0, 1);
        peer.Gossip.Publish(topics.Transactions, TransactionEncoder.Encode(valid));
        Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.Pool.Get(valid.Hash) is not null, TimeSpan.FromSeconds(10)), Is.True, "a valid gossiped transaction enters the pool");
        Assert.That(node.GossipRejected, Is.Zero);
    }

    [Test]
    public async Task BlockByHeightAnswersMalformedAndMissingRequestsWithAReason()
    {
        await using ValidatorNetworkFixture net = new();
        ValidatorNode node = await net.StartAsync(0);
        await using Host client = new(new HostOptions { AgentVersion = "cere-test/client" });
        await client.DialAsync(node.ListenAddress);
        RequestResponseService requests = new(client);
        ChainTopics topics = new(net.Spec.ChainId);

        RequestFailedException? malformed = Assert.ThrowsAsync<RequestFailedException>(() => requests.RequestAsync(node.Host.PeerId, topics.BlockByHeight, new byte[3]));
        Assert.That(malformed!.Status, Is.EqualTo(ResponseStatus.InvalidRequest));
        Assert.That(malformed.Reason, Does.Contain("8 bytes"));

        byte[] height5 = [0, 0, 0, 0, 0, 0, 0, 5];
        RequestFailedException? missing = Assert.ThrowsAsync<RequestFailedException>(() => requests.RequestAsync(node.Host.PeerId, topics.BlockByHeight, height5));
        Assert.That(missing!.Status, Is.EqualTo(ResponseStatus.ResourceUnavailable));
        Assert.That(missing.Reason, Does.Contain("no decided block at height 5"));
    }

    /// <summary>A bare libp2p peer with gossipsub, subscribed to the chain's topics and connected to the node.</summary>
    private sealed class Attacker : IAsyncDisposable
    {
        private readonly List<IDisposable> _subscriptions = [];

        private Attacker(Host host, GossipsubService gossip)
        {
            Host = host;
            Gossip = gossip;
        }

        public Host Host { get; }

        public GossipsubService Gossip { get; }

        public static async Task<Attacker> ConnectAsync(ValidatorNode node, ChainTopics topics)
        {
            Host host = new(new HostOptions { AgentVersion = "cere-test/peer" });
            GossipsubService gossip = new(host);
            Attacker a = new(host, gossip);
            gossip.Start();
            foreach (string t in new[] { topics.Consensus, topics.Transactions, topics.Blocks })
            {
                a._subscriptions.Add(gossip.Subscribe(t, _ => { }));
            }

            await host.DialAsync(node.ListenAddress);
            bool ready = await ValidatorNetworkFixture.EventuallyAsync(
                () => gossip.TopicPeers(topics.Consensus).Count == 1 && gossip.TopicPeers(topics.Transactions).Count == 1 && gossip.TopicPeers(topics.Blocks).Count == 1,
                TimeSpan.FromSeconds(10));
            Assert.That(ready, Is.True, "the node's subscriptions reach the peer");
            return a;
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
