using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cere.Chain.Network;
using Cere.Chain.Tests.Network.Faults;
using Cere.Chain.ValidatorKeys;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.Multistream;
using Cere.P2P.Noise;
using Cere.P2P.PubSub;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.Network.Proxied;

/// <summary>
/// Bad input over the network against real <c>cere-node</c> processes (four validators and a full node, linked through
/// <see cref="ProxiedLocalnet"/>): garbage at each stage of the libp2p upgrade on a raw socket, bytes flipped inside an
/// established encrypted link between two validators, and undecodable or other-chain gossip from a connected peer. Each
/// time the offending connection is closed (and a gossiping peer scored down and banned), the process lives, and the
/// nodes go on finalising the same blocks. The in-process rules per message are in <see cref="ChainGossipValidationTests"/>.
/// </summary>
[NonParallelizable]
public class WireGarbageTests
{
    private static ProxiedLocalnet Net => ProxiedNetSetUp.Net;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [SetUp]
    public Task HealedAndAgreeing() => ProxiedNetSetUp.HealAndAgreeAsync();

    [TearDown]
    public void PrintLogsOnFailure() => ProxiedNetSetUp.PrintLogsOnFailure();

    private static IEnumerable<TestCaseData> RawGarbage()
    {
        byte[] random = new byte[4096];
        new Random(8).NextBytes(random);
        byte[] header = Encoding.ASCII.GetBytes("\u0013/multistream/1.0.0\n");
        yield return new TestCaseData("none", random).SetName("RandomBytesInsteadOfMultistream");
        yield return new TestCaseData("none", (byte[])[.. header, .. random]).SetName("MultistreamHeaderThenGarbage");
        yield return new TestCaseData("noise", (byte[])[0x00, 0xc8, .. random.AsSpan(0, 200)]).SetName("NoiseHandshakeThirdMessageOfGarbage");
        yield return new TestCaseData("secured", random).SetName("GarbageYamuxFramesInsideANoiseSession");
    }

    [TestCaseSource(nameof(RawGarbage))]
    public async Task GarbageOnARawConnectionIsDroppedAndChangesNothing(string stage, byte[] garbage)
    {
        ChainNodeProcess victim = Net.Nodes[0];
        ulong before = (await Net.HeadsAsync(Net.All)).Max();
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(victim.P2pEndpoint);
        int localPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        await using NetworkStream raw = new(socket, ownsSocket: false);
        Stream target = raw;
        using CancellationTokenSource cts = new(Wait);
        if (stage is "noise" or "secured")
        {
            Assert.That(await MultistreamSelect.SelectAsync(raw, [NoiseHandshake.ProtocolId], cts.Token), Is.EqualTo(NoiseHandshake.ProtocolId));
        }

        if (stage == "noise")
        {
            // XX: a fresh ephemeral key is any 32 bytes; the responder answers with its message, and our garbage third
            // message (in place of our encrypted static key and identity payload) fails authentication.
            byte[] first = new byte[34];
            first[1] = 32;
            Random.Shared.NextBytes(first.AsSpan(2));
            await raw.WriteAsync(first, cts.Token);
            byte[] length = new byte[2];
            await raw.ReadExactlyAsync(length, cts.Token);
            await raw.ReadExactlyAsync(new byte[(length[0] << 8) | length[1]], cts.Token);
        }

        if (stage == "secured")
        {
            NoiseHandshake.Result secured = await NoiseHandshake.InitiateAsync(raw, PeerPrivateKey.Generate(), Net.PeerIdOf(0), cts.Token);
            Assert.That(await MultistreamSelect.SelectAsync(secured.SecureStream, [Host.YamuxProtocolId], cts.Token), Is.EqualTo(Host.YamuxProtocolId));
            target = secured.SecureStream;
        }

        try
        {
            await target.WriteAsync(garbage, cts.Token);
            await target.FlushAsync(cts.Token);
        }
        catch (IOException)
        {
            // the node may hang up before it has read everything: that is the point
        }

        Assert.That(await ClosedByRemoteAsync(target, Wait), Is.True, "the node closes the connection");
        if (stage != "secured")
        {
            // The upgrade failed: the node says so, naming the connection (yamux errors inside a session close it quietly).
            string dropped = $"dropping inbound connection from /ip4/127.0.0.1/tcp/{localPort}";
            Assert.That(await EventuallyAsync(() => victim.Lines(dropped).Count == 1), Is.True, "logged with its reason");
            Assert.That(victim.Lines(dropped)[0], Does.Not.Contain("timed out"), "refused for what it sent, not for stalling");
            TestContext.Out.WriteLine(victim.Lines(dropped)[0]);
        }

        await AssertStillFinalisingAsync(before);
    }

    [Test]
    public async Task BitsFlippedInsideAnEncryptedValidatorLinkCloseThatConnectionOnly()
    {
        ulong before = (await Net.HeadsAsync(Net.All)).Max();
        TcpFaultProxy[] links = [Net.Mesh.Link(1, 0), Net.Mesh.Link(0, 1)];
        string zeroDropsOne = $"/p2p/{Net.PeerIdOf(1)}: dropping connection: protocol error: Noise message failed authentication";
        string oneDropsZero = $"/p2p/{Net.PeerIdOf(0)}: dropping connection: protocol error: Noise message failed authentication";
        int droppedBefore = Net.Nodes[0].Lines(zeroDropsOne).Count + Net.Nodes[1].Lines(oneDropsZero).Count;

        // Whichever of the two connections between validators 0 and 1 carries their gossip, its next bytes are flipped.
        foreach (TcpFaultProxy link in links)
        {
            link.CorruptNext(16, upstream: true);
            link.CorruptNext(16, upstream: false);
        }

        bool dropped = await EventuallyAsync(() => Net.Nodes[0].Lines(zeroDropsOne).Count + Net.Nodes[1].Lines(oneDropsZero).Count > droppedBefore);
        foreach (TcpFaultProxy link in links)
        {
            link.ClearCorruption(); // an idle connection's share would only spoil a later handshake
        }

        Assert.That(dropped, Is.True, "a frame that fails authentication closes its connection");
        foreach (string line in Net.Nodes[0].Lines(zeroDropsOne).Concat(Net.Nodes[1].Lines(oneDropsZero)))
        {
            TestContext.Out.WriteLine(line);
        }

        // The pair keeps (or redials) a connection through the proxies; nothing is held against either validator.
        Assert.That(await EventuallyAsync(() => links[0].Open + links[1].Open > 0), Is.True, "validators 0 and 1 are connected through their proxies");
        await AssertStillFinalisingAsync(before);
        Assert.That(Net.Nodes[0].Lines($"banning peer {Net.PeerIdOf(1)}"), Is.Empty, "a damaged link is not misbehaviour of the peer");
        Assert.That(Net.Nodes[1].Lines($"banning peer {Net.PeerIdOf(0)}"), Is.Empty, "a damaged link is not misbehaviour of the peer");
    }

    [Test]
    public async Task UndecodableAndOtherChainGossipIsRejectedAndThePeerBanned()
    {
        ChainNodeProcess victim = Net.Nodes[0];
        ulong before = (await Net.HeadsAsync(Net.All)).Max();
        ChainTopics topics = new(ProxiedLocalnet.ChainId);
        PrivateKey validator1 = KeystoreFile.Read(
            VectorFiles.RepositoryFile("chainspec", "local-keys", "validator-1.json"),
            KeystoreFile.ReadPassword(VectorFiles.RepositoryFile("chainspec", "local-keys", "password.txt")));
        Transaction otherChainTx = DevChainFixture.Transfer1559(DevChainFixture.Keys[5], Address.Parse("0x000000000000000000000000000000000000dead"), 0, 1, chainId: 999);

        await using Host host = new(new HostOptions { AgentVersion = "cere-test/garbage", Log = _ => { } });
        await using GossipsubService gossip = new(host);
        gossip.Start();
        List<IDisposable> subscriptions = [];
        foreach (string t in new[] { topics.Consensus, topics.Transactions, topics.Blocks, new ChainTopics(999).Consensus })
        {
            subscriptions.Add(gossip.Subscribe(t, _ => { }));
        }

        try
        {
            await host.DialAsync(Multiaddr.FromEndPoint(victim.P2pEndpoint).WithPeerId(Net.PeerIdOf(0)));
            Assert.That(await EventuallyAsync(() => gossip.TopicPeers(topics.Consensus).Count == 1 && gossip.TopicPeers(topics.Transactions).Count == 1), Is.True, "the validator's subscriptions arrive");

            // A real validator's vote for another chain (a replay), undecodable bytes on each topic, another chain's
            // transaction, and a message on another chain's topic, which the node does not subscribe to.
            gossip.Publish(new ChainTopics(999).Consensus, [0xde, 0xad]);
            gossip.Publish(topics.Consensus, ConsensusCodec.Encode(Vote.Create(999, before + 1, 0, VoteType.Prevote, null, new Secp256k1ConsensusSigner(validator1))));
            gossip.Publish(topics.Transactions, TransactionEncoder.Encode(otherChainTx));
            gossip.Publish(topics.Consensus, [0xc1, 0x80]);
            gossip.Publish(topics.Blocks, [0xff, 0x00, 0xff]);
            gossip.Publish(topics.Transactions, [0x02, 0xff]);

            string attacker = host.PeerId.ToString();
            Assert.That(await EventuallyAsync(() => victim.Lines("gossip: rejected").Count(l => l.Contains(attacker, StringComparison.Ordinal)) >= 3), Is.True, "rejected, naming the sender");
            Assert.That(victim.Lines("gossip: rejected").Any(l => l.Contains("chain id 999", StringComparison.Ordinal)), Is.True, "the other chain's vote is named as such");
            Assert.That(await EventuallyAsync(() => victim.Lines($"banning peer {attacker}").Count > 0), Is.True, "the sender's score falls below the graylist and it is banned");
            Assert.That(await EventuallyAsync(() => host.FindConnection(Net.PeerIdOf(0)) is null), Is.True, "and its connection is closed");
            foreach (string line in victim.Lines(attacker))
            {
                TestContext.Out.WriteLine(line);
            }
        }
        finally
        {
            foreach (IDisposable s in subscriptions)
            {
                s.Dispose();
            }
        }

        await AssertStillFinalisingAsync(before);
        foreach (ChainNodeProcess node in Net.Nodes)
        {
            Assert.That(node.Lines("gossip: rejected").Where(l => !l.Contains(host.PeerId.ToString(), StringComparison.Ordinal)), Is.Empty, $"{node.Name}: nothing invalid was forwarded to it");
        }

        Assert.That(await Net.Nodes[0].Rpc.ReceiptStatusAsync(otherChainTx.Hash.ToString()), Is.Null, "the other chain's transaction is in no block");
    }

    /// <summary>Every node is alive, all pass <paramref name="before"/> + 2, and they agree at every height.</summary>
    private async Task AssertStillFinalisingAsync(ulong before)
    {
        foreach (ChainNodeProcess node in Net.Nodes)
        {
            Assert.That(node.HasExited, Is.False, $"{node.Name} is running");
        }

        await Net.WaitForAgreementAsync(Net.All, TimeSpan.FromSeconds(90), above: before + 2);
        await Net.AssertSameChainAsync(Net.All);
    }

    private static async Task<bool> ClosedByRemoteAsync(Stream stream, TimeSpan timeout)
    {
        byte[] sink = new byte[65536];
        using CancellationTokenSource cts = new(timeout);
        try
        {
            while (await stream.ReadAsync(sink, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or NoiseException or SocketException)
        {
            return true;
        }
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (clock.Elapsed < Wait)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }
}
