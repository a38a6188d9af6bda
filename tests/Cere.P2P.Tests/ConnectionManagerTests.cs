using System.Collections.Concurrent;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.Peers;
using Cere.P2P.PubSub;

namespace Cere.P2P.Tests;

/// <summary>The connection manager on real loopback hosts: bootnodes and redial, max peers, bans, score-based drops.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ConnectionManagerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static ConnectionManagerOptions Fast(params Multiaddr[] bootnodes) => new()
    {
        Bootnodes = bootnodes,
        CheckInterval = TimeSpan.FromMilliseconds(50),
        ReconnectInitialBackoff = TimeSpan.FromMilliseconds(100),
        ReconnectMaxBackoff = TimeSpan.FromMilliseconds(800),
        MinPeers = 0,
    };

    [Test]
    public async Task DialsBootnodesAndRedialsOneThatRestarts()
    {
        PeerPrivateKey bootKey = PeerPrivateKey.Generate();
        (Host boot, Multiaddr bootAddress, _) = await TestHosts.StartAsync(new HostOptions { Identity = bootKey });
        (Host node, _, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        await using Host ownedNode = node;
        await using ConnectionManager manager = new(node, new PeerStore(), Fast(bootAddress));
        manager.Start();
        Assert.That(await TestHosts.EventuallyAsync(() => node.FindConnection(boot.PeerId) is not null, Wait), Is.True, "bootnode not dialled");

        // The bootnode goes away and comes back on the same port with the same key.
        int port = int.Parse(bootAddress.ToString().Split('/')[4]);
        await boot.DisposeAsync();
        Assert.That(await TestHosts.EventuallyAsync(() => log.Any(l => l.Contains($"lost bootnode {bootKey.PeerId}")), Wait), Is.True);
        Assert.That(await TestHosts.EventuallyAsync(() => log.Any(l => l.Contains($"dialing {bootKey.PeerId} failed") && l.Contains("attempt 2")), Wait), Is.True, "redials with backoff while it is down");

        Host restarted = new(new HostOptions { Identity = bootKey, Log = _ => { } });
        await using Host ownedRestarted = restarted;
        await restarted.ListenAsync(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}"));

        Assert.That(await TestHosts.EventuallyAsync(() => node.FindConnection(bootKey.PeerId) is not null, Wait), Is.True, "bootnode not redialled after restart");
        Assert.That(manager.Store.Get(bootKey.PeerId)!.FailedDials, Is.Zero);
    }

    [Test]
    public async Task MaxPeersDropsTheLowestScoringPeerWithAReason()
    {
        (Host hub, Multiaddr hubAddress, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        await using Host ownedHub = hub;
        ConnectionManagerOptions options = Fast();
        await using ConnectionManager manager = new(hub, new PeerStore(), new ConnectionManagerOptions { MaxPeers = 2, MinPeers = 0, CheckInterval = options.CheckInterval });
        List<Host> spokes = [];
        Dictionary<PeerId, double> scores = [];
        manager.Score = p => scores.GetValueOrDefault(p);
        manager.Start();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                (Host spoke, _, _) = await TestHosts.StartAsync();
                spokes.Add(spoke);
                scores[spoke.PeerId] = i == 1 ? -5 : 1;
                await spoke.DialAsync(hubAddress);
                await Task.Delay(200);
            }

            Assert.That(await TestHosts.EventuallyAsync(() => manager.ConnectedPeers().Count == 2, Wait), Is.True);
            Assert.That(manager.ConnectedPeers(), Does.Not.Contain(spokes[1].PeerId), "the lowest score goes");
            Assert.That(log, Has.Some.Contains($"dropping peer {spokes[1].PeerId}: over the limit of 2 peers"));
        }
        finally
        {
            foreach (Host s in spokes)
                await s.DisposeAsync();
        }
    }

    [Test]
    public async Task BannedPeerIsDisconnectedAndRefusedUntilTheBanExpires()
    {
        (Host a, Multiaddr aAddress, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        (Host b, _, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        await using ConnectionManager manager = new(a, new PeerStore(), Fast());
        manager.Start();

        Connection first = await b.DialAsync(aAddress);
        Assert.That(await TestHosts.EventuallyAsync(() => a.FindConnection(b.PeerId) is not null, Wait), Is.True);
        await manager.BanAsync(b.PeerId, TimeSpan.FromSeconds(4), "test ban");
        Assert.That(await TestHosts.EventuallyAsync(() => first.IsClosed, Wait), Is.True);
        Assert.That(log, Has.Some.Contains($"banning peer {b.PeerId} for 4 s: test ban"));

        try
        {
            Connection second = await b.DialAsync(aAddress);
            Assert.That(await TestHosts.EventuallyAsync(() => second.IsClosed, Wait), Is.True, "a banned peer's new connection must be dropped");
        }
        catch (Exception e) when (e is IOException or P2pProtocolException)
        {
            // dropped during the upgrade: equally refused
        }

        Assert.That(log, Has.Some.Contains($"dropping peer {b.PeerId}: banned (test ban)"));

        Assert.That(await TestHosts.EventuallyAsync(() => !manager.Store.IsBanned(b.PeerId, out _), TimeSpan.FromSeconds(10)), Is.True);
        Connection third = await b.DialAsync(aAddress);
        await Task.Delay(300);
        Assert.That(third.IsClosed, Is.False, "the ban has expired");
    }

    [Test]
    public async Task PeerFloodingInvalidGossipIsBannedAndDropped()
    {
        (Host victim, Multiaddr victimAddress, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        (Host attacker, _, _) = await TestHosts.StartAsync();
        await using Host ownedVictim = victim;
        await using Host ownedAttacker = attacker;
        GossipsubOptions fast = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(100) };
        await using GossipsubService victimGossip = new(victim, fast);
        await using GossipsubService attackerGossip = new(attacker, fast);
        await using ConnectionManager manager = new(victim, new PeerStore(), Fast());
        manager.UseGossipsub(victimGossip);
        manager.Start();
        victimGossip.Start();
        attackerGossip.Start();
        victimGossip.SetValidator("t", m => m.Data.Span.SequenceEqual("spam"u8) ? ValidationResult.Reject : ValidationResult.Accept);
        using IDisposable s1 = victimGossip.Subscribe("t", _ => { });
        using IDisposable s2 = attackerGossip.Subscribe("t", _ => { });

        await attacker.DialAsync(victimAddress);
        Assert.That(await TestHosts.EventuallyAsync(() => victimGossip.MeshPeers("t").Count == 1 && attackerGossip.TopicPeers("t").Count == 1, Wait), Is.True);
        for (var i = 0; i < 10; i++)
            Assert.That(attackerGossip.Publish("t", "spam"u8), Is.EqualTo(1));

        Assert.That(await TestHosts.EventuallyAsync(() => victim.FindConnection(attacker.PeerId) is null, Wait), Is.True, "the spammer must be dropped\n" + string.Join("\n", log));
        // Either path may win: the graylist notice from gossipsub or the manager's own score check.
        Assert.That(log.Any(l => l.Contains($"banning peer {attacker.PeerId}", StringComparison.Ordinal) && l.Contains("score -", StringComparison.Ordinal)), Is.True);
        Assert.That(log, Has.Some.Contains($"graylisting peer {attacker.PeerId}"));
        Assert.That(manager.Store.IsBanned(attacker.PeerId, out _), Is.True);
    }
}
