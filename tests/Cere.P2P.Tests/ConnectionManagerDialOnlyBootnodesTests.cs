using System.Collections.Concurrent;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.Peers;

namespace Cere.P2P.Tests;

/// <summary>
/// <see cref="ConnectionManagerOptions.DialOnlyBootnodeAddresses"/>: a peer that dialled us is not redialled at the listen
/// address identify told us (without the option it is, which is the control), and bootnodes are still dialled and redialled
/// at their configured address only.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ConnectionManagerDialOnlyBootnodesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static ConnectionManagerOptions Options(bool dialOnlyBootnodes, params Multiaddr[] bootnodes) => new()
    {
        Bootnodes = bootnodes,
        CheckInterval = TimeSpan.FromMilliseconds(50),
        ReconnectInitialBackoff = TimeSpan.FromMilliseconds(100),
        ReconnectMaxBackoff = TimeSpan.FromMilliseconds(400),
        MinPeers = 8, // under it: known peers would be dialled
        DialOnlyBootnodeAddresses = dialOnlyBootnodes,
    };

    [TestCase(false, TestName = "InboundPeerIsRedialledAtItsIdentifiedAddress_Control")]
    [TestCase(true, TestName = "InboundPeerIsNotRedialledWhenDialingOnlyBootnodes")]
    public async Task PeerLearnedFromIdentify(bool dialOnlyBootnodes)
    {
        (Host node, Multiaddr nodeAddress, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        (Host peer, _, _) = await TestHosts.StartAsync();
        await using Host ownedNode = node;
        await using Host ownedPeer = peer;
        await using ConnectionManager manager = new(node, new PeerStore(), Options(dialOnlyBootnodes));
        manager.Start();

        await peer.DialAsync(nodeAddress);
        Assert.That(await TestHosts.EventuallyAsync(() => manager.Store.Get(peer.PeerId) is { Protocols.Count: > 0 }, Wait), Is.True, "identify reached the store");
        await peer.HangUpAsync(node.PeerId);
        Assert.That(await TestHosts.EventuallyAsync(() => node.FindConnection(peer.PeerId) is null, Wait), Is.True, "hung up");

        if (!dialOnlyBootnodes)
        {
            Assert.That(manager.Store.Get(peer.PeerId)!.Addresses, Is.Not.Empty, "identify's listen addresses are recorded");
            Assert.That(await TestHosts.EventuallyAsync(() => peer.FindConnection(node.PeerId) is { Direction: ConnectionDirection.Inbound }, Wait), Is.True, "under MinPeers the manager redials a known peer");
            return;
        }

        // Forty check intervals: ample time for a dial that should not happen.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(manager.Store.Get(peer.PeerId)!.Addresses, Is.Empty, "no learned address is recorded");
        Assert.That(peer.FindConnection(node.PeerId), Is.Null, "the peer was not dialled");
        Assert.That(log, Has.None.Contains($"dialing {peer.PeerId}"));
    }

    [Test]
    public async Task BootnodeIsRedialledAtItsConfiguredAddressOnly()
    {
        // The bootnode listens on every address; it is configured as 127.0.0.2 while identify advertises its interface
        // addresses (127.0.0.1 among them), so a learned address would show up beside the configured one.
        Host boot = new(new HostOptions { Log = _ => { } });
        await using Host ownedBoot = boot;
        Multiaddr bound = await boot.ListenAsync(Multiaddr.Parse("/ip4/0.0.0.0/tcp/0"));
        (Host node, _, _) = await TestHosts.StartAsync();
        await using Host ownedNode = node;
        Multiaddr configured = Multiaddr.Parse($"/ip4/127.0.0.2/tcp/{bound.ToString().Split('/')[4]}/p2p/{boot.PeerId}");

        await using ConnectionManager manager = new(node, new PeerStore(), Options(true, configured));
        manager.Start();
        Assert.That(await TestHosts.EventuallyAsync(() => node.FindConnection(boot.PeerId) is not null, Wait), Is.True, "bootnode dialled");
        Assert.That(await TestHosts.EventuallyAsync(() => manager.Store.Get(boot.PeerId) is { Protocols.Count: > 0 }, Wait), Is.True, "identified");
        Assert.That(manager.Store.Get(boot.PeerId)!.Addresses, Is.EqualTo(new[] { configured.WithoutPeerId() }), "only the configured address");

        await boot.HangUpAsync(node.PeerId);
        Assert.That(await TestHosts.EventuallyAsync(() => boot.FindConnection(node.PeerId) is null, Wait), Is.True, "hung up");
        Assert.That(await TestHosts.EventuallyAsync(() => node.FindConnection(boot.PeerId) is { Direction: ConnectionDirection.Outbound }, Wait), Is.True, "bootnode redialled");
        Assert.That(node.FindConnection(boot.PeerId)!.RemoteAddress.ToString(), Does.StartWith("/ip4/127.0.0.2/"), "through the configured address");
    }
}
