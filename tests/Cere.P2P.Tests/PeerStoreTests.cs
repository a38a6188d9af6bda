using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Peers;

namespace Cere.P2P.Tests;

/// <summary>Peer store bookkeeping, bans with expiry, bounds; and the reconnect backoff schedule.</summary>
public sealed class PeerStoreTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static PeerId NewPeer() => PeerPrivateKey.Generate().PeerId;

    [Test]
    public void BootnodeNeedsAPeerIdAndIsRemembered()
    {
        PeerStore store = new();
        PeerId peer = NewPeer();
        Assert.Throws<ArgumentException>(() => store.AddBootnode(Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")));
        Assert.That(store.AddBootnode(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/4001/p2p/{peer}")), Is.EqualTo(peer));
        PeerRecord r = store.Get(peer)!;
        Assert.Multiple(() =>
        {
            Assert.That(r.IsBootnode, Is.True);
            Assert.That(r.Addresses.Select(a => a.ToString()), Is.EqualTo(new[] { "/ip4/127.0.0.1/tcp/4001" }));
        });
    }

    [Test]
    public void BanExpires()
    {
        Clock clock = new();
        PeerStore store = new(clock);
        PeerId peer = NewPeer();
        store.Ban(peer, TimeSpan.FromMinutes(10), "invalid gossip");
        Assert.That(store.IsBanned(peer, out string? reason), Is.True);
        Assert.That(reason, Is.EqualTo("invalid gossip"));

        clock.Now += TimeSpan.FromMinutes(9);
        Assert.That(store.IsBanned(peer, out _), Is.True);
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.That(store.IsBanned(peer, out _), Is.False);
        Assert.That(store.Get(peer)!.BannedUntil, Is.Null);
    }

    [Test]
    public void ShorterBanDoesNotShortenALongerOne()
    {
        Clock clock = new();
        PeerStore store = new(clock);
        PeerId peer = NewPeer();
        store.Ban(peer, TimeSpan.FromHours(1), "first");
        store.Ban(peer, TimeSpan.FromMinutes(1), "second");
        clock.Now += TimeSpan.FromMinutes(30);
        Assert.That(store.IsBanned(peer, out string? reason), Is.True);
        Assert.That(reason, Is.EqualTo("first"));
    }

    [Test]
    public void AddressesAreBoundedNewestFirst()
    {
        PeerStore store = new();
        PeerId peer = NewPeer();
        for (var port = 1; port <= 40; port++)
            store.AddAddresses(peer, [Multiaddr.Parse($"/ip4/10.0.0.1/tcp/{port}")]);
        IReadOnlyList<Multiaddr> addrs = store.Get(peer)!.Addresses;
        Assert.That(addrs, Has.Count.EqualTo(PeerStore.MaxAddressesPerPeer));
        Assert.That(addrs[0].ToString(), Is.EqualTo("/ip4/10.0.0.1/tcp/40"));
    }

    [Test]
    public void CapacityEvictsTheLeastRecentlySeenButKeepsBootnodes()
    {
        Clock clock = new();
        PeerStore store = new(clock, capacity: 3);
        PeerId boot = store.AddBootnode(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/1/p2p/{NewPeer()}"));
        PeerId old = NewPeer();
        store.MarkConnected(old);
        clock.Now += TimeSpan.FromSeconds(1);
        PeerId recent = NewPeer();
        store.MarkConnected(recent);
        clock.Now += TimeSpan.FromSeconds(1);
        PeerId newest = NewPeer();
        store.MarkConnected(newest);

        Assert.That(store.Count, Is.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(store.Get(boot), Is.Not.Null);
            Assert.That(store.Get(old), Is.Null, "least recently seen goes first");
            Assert.That(store.Get(recent), Is.Not.Null);
            Assert.That(store.Get(newest), Is.Not.Null);
        });
    }

    [Test]
    public void FailedDialsCountAndResetOnConnect()
    {
        PeerStore store = new();
        PeerId peer = NewPeer();
        Assert.That(store.MarkDialFailed(peer, DateTimeOffset.UnixEpoch), Is.EqualTo(1));
        Assert.That(store.MarkDialFailed(peer, DateTimeOffset.UnixEpoch), Is.EqualTo(2));
        store.MarkConnected(peer);
        Assert.That(store.Get(peer)!.FailedDials, Is.Zero);
    }

    [TestCase(1, 100)]
    [TestCase(2, 200)]
    [TestCase(3, 400)]
    [TestCase(6, 3200)]
    [TestCase(7, 5000)]
    [TestCase(1000, 5000)]
    public void ReconnectBackoffDoublesUpToItsCap(int failures, int expectedMs)
    {
        ReconnectBackoff backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        Assert.That(backoff.Delay(failures).TotalMilliseconds, Is.EqualTo(expectedMs));
    }

    [Test]
    public void ReconnectJitterStaysWithinTwentyPercentAndTheCap()
    {
        ReconnectBackoff backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        Random random = new(1);
        for (var i = 0; i < 1000; i++)
        {
            double ms = backoff.DelayWithJitter(3, random).TotalMilliseconds;
            Assert.That(ms, Is.InRange(320, 480));
            Assert.That(backoff.DelayWithJitter(50, random).TotalMilliseconds, Is.LessThanOrEqualTo(5000));
        }
    }

    [Test]
    public void ReconnectBackoffRejectsNonsense()
    {
        Assert.Throws<ArgumentException>(() => _ = new ReconnectBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentException>(() => _ = new ReconnectBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentException>(() => _ = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 0.5));
    }
}
