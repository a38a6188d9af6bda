using System.Collections.Concurrent;
using Cere.Chain.Consensus;
using Cere.Chain.Network;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Core;
using Cere.Core.Transactions;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.PubSub;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// Transactions travel in batches on the txs/2 topic: a node admits every transaction of a valid batch (in any nonce
/// order), rejects a batch holding one bad transaction, and its own transactions leave as one batch; a decided block is
/// announced once (by its proposer), not by every validator.
/// </summary>
[NonParallelizable]
public class TransactionBatchGossipTests
{
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000c0de6");

    [Test]
    public async Task AValidBatchFromAPeerFillsThePoolWhateverTheNonceOrder()
    {
        await using ValidatorNetworkFixture net = new();
        ValidatorNode node = await net.StartAsync(0);
        ChainTopics topics = new(net.Spec.ChainId);
        await using Peer peer = await Peer.ConnectAsync(node.ListenAddress, topics);
        Transaction[] txs = [.. new ulong[] { 2, 0, 1 }.Select(n => DevChainFixture.Transfer1559(DevChainFixture.Keys[6], Recipient, n, 1))];

        peer.Gossip.Publish(topics.TransactionBatches, TransactionBatchCodec.Encode(txs));

        Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.Pool.Count == 3, TimeSpan.FromSeconds(10)), Is.True, "all three pooled");
        BlockHeaderState(node, out Storage.State.WorldState state);
        Assert.That(node.Pool.Counts(state), Is.EqualTo((3, 0)), "nonces 0..2 all pending once the batch is in");
        Assert.That(node.GossipRejected, Is.Zero);
    }

    [Test]
    public async Task ABatchWithOneBadTransactionIsRejectedWhole()
    {
        await using ValidatorNetworkFixture net = new();
        ValidatorNode node = await net.StartAsync(0);
        ChainTopics topics = new(net.Spec.ChainId);
        await using Peer peer = await Peer.ConnectAsync(node.ListenAddress, topics);
        Transaction good = DevChainFixture.Transfer1559(DevChainFixture.Keys[6], Recipient, 0, 1);
        Transaction otherChain = DevChainFixture.Transfer1559(DevChainFixture.Keys[7], Recipient, 0, 1, chainId: 999);

        peer.Gossip.Publish(topics.TransactionBatches, TransactionBatchCodec.Encode([good, otherChain]));

        Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => node.GossipRejected == 1, TimeSpan.FromSeconds(10)), Is.True, "rejected");
        Assert.That(net.Log.Any(l => l.Contains("transaction 1 of 2 in the batch: invalid chain id", StringComparison.Ordinal)), Is.True, "the reason names the transaction");
        Assert.That(node.PeerScore(peer.Host.PeerId), Is.LessThan(0), "an invalid batch lowers the sender's score (gossipsub v1.1 P4)");
        Assert.That(node.Pool.Count, Is.Zero, "not even the good one: an honest node batches only what its pool admitted");
    }

    [Test]
    public async Task PublishedTransactionsLeaveAsOneBatchOnFlush()
    {
        await using Peer receiver = await Peer.ListenAsync(new ChainTopics(4242));
        await using Host host = new(new HostOptions { AgentVersion = "cere-test/sender" });
        await using GossipsubService gossipsub = new(host);
        ChainTopics topics = new(4242);
        ValidatorSchedule schedule = new(DevChainFixture.Genesis());
        using ChainGossip gossip = new(gossipsub, topics, new CachingSignatureVerifier(Secp256k1SignatureVerifier.Instance), schedule)
        {
            TransactionBatchDelay = TimeSpan.FromHours(1), // only the explicit flush sends
        };
        gossip.Start(_ => { }, _ => { }, _ => { });
        gossipsub.Start();
        await host.DialAsync(receiver.Address);
        Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => gossipsub.TopicPeers(topics.TransactionBatches).Count == 1, TimeSpan.FromSeconds(10)), Is.True);

        Transaction[] txs = [.. Enumerable.Range(0, 5).Select(n => DevChainFixture.Transfer1559(DevChainFixture.Keys[5], Recipient, (ulong)n, 1))];
        foreach (Transaction tx in txs)
        {
            gossip.PublishTransaction(tx);
        }

        await Task.Delay(300);
        Assert.That(receiver.Received(topics.TransactionBatches), Is.Empty, "nothing leaves before the delay or a flush");
        gossip.FlushTransactions();
        Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => !receiver.Received(topics.TransactionBatches).IsEmpty, TimeSpan.FromSeconds(10)), Is.True);
        await Task.Delay(200);
        byte[][] messages = [.. receiver.Received(topics.TransactionBatches)];
        Assert.That(messages, Has.Length.EqualTo(1), "one message");
        Assert.That(TransactionBatchCodec.Decode(messages[0]).Select(t => t.Hash), Is.EqualTo(txs.Select(t => t.Hash)), "all five, in the order published");
        Assert.That(receiver.Received(topics.Transactions), Is.Empty, "nothing on the single-transaction topic");
        gossip.FlushTransactions();
        await Task.Delay(200);
        Assert.That(receiver.Received(topics.TransactionBatches), Has.Count.EqualTo(1), "an empty flush sends nothing");
    }

    [Test]
    public async Task ADecidedBlockIsAnnouncedOnceNotByEveryValidator()
    {
        await using ValidatorNetworkFixture net = new();
        for (int i = 0; i < ValidatorNetworkFixture.Size; i++)
        {
            await net.StartAsync(i);
        }

        ChainTopics topics = new(net.Spec.ChainId);
        await using Peer peer = await Peer.ConnectAsync(net.Nodes[0]!.ListenAddress, topics);
        Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= 3, TimeSpan.FromSeconds(60)), Is.True, "the net makes blocks");
        ulong from = net.MaxHead() + 1;
        Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= from + 4, TimeSpan.FromSeconds(60)), Is.True, "four more blocks");
        await Task.Delay(1500); // past the non-proposers' grace: a late duplicate would have arrived by now

        Dictionary<ulong, int> perHeight = [];
        foreach (byte[] m in peer.Received(topics.Blocks))
        {
            ulong h = ((CommitMessage)ConsensusCodec.Decode(m)).Height;
            perHeight[h] = perHeight.GetValueOrDefault(h) + 1;
        }

        for (ulong h = from; h < from + 4; h++)
        {
            // Four validators used to publish four distinct copies; the proposer's one announcement reaches everyone.
            Assert.That(perHeight.GetValueOrDefault(h), Is.EqualTo(1), $"announcements of height {h}");
        }
    }

    private static void BlockHeaderState(ValidatorNode node, out Storage.State.WorldState state) =>
        state = node.Chain.OpenState(node.Chain.Head.StateRoot);

    /// <summary>A bare libp2p peer with gossipsub on the chain's topics, recording what it receives.</summary>
    private sealed class Peer : IAsyncDisposable
    {
        private readonly List<IDisposable> _subscriptions = [];
        private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _received = new();

        private Peer(Host host, GossipsubService gossip)
        {
            Host = host;
            Gossip = gossip;
        }

        public Host Host { get; }

        public GossipsubService Gossip { get; }

        public Multiaddr Address { get; private set; } = null!;

        public ConcurrentQueue<byte[]> Received(string topic) => _received.GetOrAdd(topic, _ => new ConcurrentQueue<byte[]>());

        public static async Task<Peer> ListenAsync(ChainTopics topics)
        {
            Peer p = Create(topics);
            p.Address = (await p.Host.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"))).WithPeerId(p.Host.PeerId);
            return p;
        }

        public static async Task<Peer> ConnectAsync(Multiaddr node, ChainTopics topics)
        {
            Peer p = Create(topics);
            await p.Host.DialAsync(node);
            bool ready = await ValidatorNetworkFixture.EventuallyAsync(
                () => p.Gossip.TopicPeers(topics.TransactionBatches).Count == 1 && p.Gossip.TopicPeers(topics.Blocks).Count == 1,
                TimeSpan.FromSeconds(10));
            Assert.That(ready, Is.True, "the node's subscriptions reach the peer");
            return p;
        }

        private static Peer Create(ChainTopics topics)
        {
            Host host = new(new HostOptions { AgentVersion = "cere-test/peer" });
            GossipsubService gossip = new(host, new GossipsubOptions { MaxMessageSize = ConsensusCodec.MaxBlockSize / 4, MaxRpcSize = ConsensusCodec.MaxBlockSize / 2 });
            Peer p = new(host, gossip);
            gossip.Start();
            foreach (string t in new[] { topics.Consensus, topics.Transactions, topics.TransactionBatches, topics.Blocks })
            {
                p._subscriptions.Add(gossip.Subscribe(t, m => p.Received(t).Enqueue(m.Data.ToArray())));
            }

            return p;
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
