using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.Yamux;

namespace Cere.P2P.Tests.Hosting;

/// <summary>
/// Abuse of the listener at every layer: the connection is dropped with a log line saying why, and the node keeps
/// serving other peers with bounded memory.
/// </summary>
[TestFixture]
public class BadInputTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static async Task AssertStillServesAsync(Multiaddr address)
    {
        await using Host probe = new(new HostOptions { Log = _ => { } });
        Connection c = await probe.DialAsync(address);
        Assert.That(await probe.PingAsync(c), Has.Count.EqualTo(1), "the node must keep serving after the abuse");
    }

    private static async Task<string> LoggedAsync(ConcurrentQueue<string> log, string fragment)
    {
        Assert.That(await TestHosts.EventuallyAsync(() => log.Any(l => l.Contains(fragment, StringComparison.Ordinal)), Wait), Is.True,
            $"expected a log line containing '{fragment}'; got:\n{string.Join('\n', log)}");
        return log.First(l => l.Contains(fragment, StringComparison.Ordinal));
    }

    [Test]
    public async Task GarbageInsteadOfMultistreamIsDropped()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        await using Host owned = host;
        (_, System.Net.Sockets.NetworkStream raw) = await RawPeer.ConnectAsync(address);
        await using (raw)
        {
            await raw.WriteAsync(RandomNumberGenerator.GetBytes(4096));
            Assert.That(await RawPeer.ClosedByRemoteAsync(raw, Wait), Is.True);
        }

        await LoggedAsync(log, "dropping inbound connection");
        await AssertStillServesAsync(address);
    }

    [Test]
    public async Task OversizedMultistreamLineIsDropped()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        await using Host owned = host;
        (_, System.Net.Sockets.NetworkStream raw) = await RawPeer.ConnectAsync(address);
        await using (raw)
        {
            // varint 1,000,000 announces a megabyte "line": refused without reading it.
            await raw.WriteAsync(new byte[] { 0xC0, 0x84, 0x3D });
            await raw.WriteAsync(new byte[1000]);
            Assert.That(await RawPeer.ClosedByRemoteAsync(raw, Wait), Is.True);
        }

        await LoggedAsync(log, "over the limit");
        await AssertStillServesAsync(address);
    }

    [Test]
    public async Task StallingHandshakeTimesOut()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync(new HostOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        await using Host owned = host;
        (_, System.Net.Sockets.NetworkStream raw) = await RawPeer.ConnectAsync(address);
        await using (raw)
        {
            // Start multistream-select, choose Noise, then say nothing more.
            await Multistream.MultistreamSelect.SelectAsync(raw, [Noise.NoiseHandshake.ProtocolId], CancellationToken.None);
            Assert.That(await RawPeer.ClosedByRemoteAsync(raw, Wait), Is.True);
        }

        await LoggedAsync(log, "handshake timed out");
        await AssertStillServesAsync(address);
    }

    [Test]
    public async Task StalledHandshakesFromOneSourceAreCapped()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync(new HostOptions { MaxPendingInboundPerSource = 3 });
        await using Host owned = host;
        List<System.Net.Sockets.NetworkStream> stalled = [];
        try
        {
            // Three connections that never start multistream-select: all three sit in their handshake.
            for (int i = 0; i < 3; i++)
            {
                (_, System.Net.Sockets.NetworkStream s) = await RawPeer.ConnectAsync(address);
                stalled.Add(s);
            }

            (_, System.Net.Sockets.NetworkStream fourth) = await RawPeer.ConnectAsync(address);
            await using (fourth)
            {
                Assert.That(await RawPeer.ClosedByRemoteAsync(fourth, Wait), Is.True, "a fourth from the same source is closed at accept");
            }

            await LoggedAsync(log, "3 handshakes from that source already pending (limit 3)");
            Assert.That(stalled.Count(s => s.Socket.Connected), Is.EqualTo(3), "the first three are still held (they are not dropped for the fourth)");
        }
        finally
        {
            foreach (System.Net.Sockets.NetworkStream s in stalled)
            {
                await s.DisposeAsync();
            }
        }

        // Their handshakes end when the host reads the end of each socket (logged), which releases the slots; then a
        // real peer from the same address gets in.
        Assert.That(await TestHosts.EventuallyAsync(() => log.Count(l => l.Contains("dropping inbound connection", StringComparison.Ordinal)) >= 3, Wait), Is.True,
            "the three stalled handshakes ended:\n" + string.Join('\n', log));
        await AssertStillServesAsync(address);
    }

    [Test]
    public void HandshakeLimitCountsIPv4AddressesAndIPv6Slash64s()
    {
        System.Net.IPAddress v4 = System.Net.IPAddress.Parse("192.0.2.7");
        Assert.Multiple(() =>
        {
            Assert.That(Host.SourceOf(v4), Is.EqualTo(Host.SourceOf(v4.MapToIPv6())), "an IPv4 peer on a dual-stack socket is the same source");
            Assert.That(Host.SourceOf(v4), Is.Not.EqualTo(Host.SourceOf(System.Net.IPAddress.Parse("192.0.2.8"))));
            Assert.That(Host.SourceOf(System.Net.IPAddress.Parse("2001:db8:1:2::1")), Is.EqualTo(Host.SourceOf(System.Net.IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff"))), "one /64");
            Assert.That(Host.SourceOf(System.Net.IPAddress.Parse("2001:db8:1:2::1")), Is.Not.EqualTo(Host.SourceOf(System.Net.IPAddress.Parse("2001:db8:1:3::1"))));
        });
    }

    [Test]
    public async Task ForgedNoiseMessageIsDropped()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        await using Host owned = host;
        (_, System.Net.Sockets.NetworkStream raw) = await RawPeer.ConnectAsync(address);
        await using (raw)
        {
            await Multistream.MultistreamSelect.SelectAsync(raw, [Noise.NoiseHandshake.ProtocolId], CancellationToken.None);
            // Message 1 (an ephemeral key) then a random message 3: its tag cannot verify.
            byte[] m1 = [0, 32, .. RandomNumberGenerator.GetBytes(32)];
            await raw.WriteAsync(m1);
            byte[] reply = new byte[2];
            await raw.ReadExactlyAsync(reply);
            await raw.ReadExactlyAsync(new byte[(reply[0] << 8) | reply[1]]);
            byte[] m3 = [0, 200, .. RandomNumberGenerator.GetBytes(200)];
            await raw.WriteAsync(m3);
            Assert.That(await RawPeer.ClosedByRemoteAsync(raw, Wait), Is.True);
        }

        await LoggedAsync(log, "failed authentication");
        await AssertStillServesAsync(address);
    }

    [Test]
    public async Task UnknownYamuxVersionIsAProtocolError()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        await using Host owned = host;
        Stream secured = await RawPeer.ConnectSecuredAsync(address);
        await using (secured)
        {
            await secured.WriteAsync(RawPeer.YamuxHeader(1, 0, 1, 1, 0));
            Assert.That(await RawPeer.ClosedByRemoteAsync(secured, Wait), Is.True);
        }

        await LoggedAsync(log, "unknown yamux version 1");
        await AssertStillServesAsync(address);
    }

    [Test]
    public async Task OversizedYamuxFrameIsAProtocolError()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        await using Host owned = host;
        Stream secured = await RawPeer.ConnectSecuredAsync(address);
        await using (secured)
        {
            // A 64 MiB data frame on a new stream: far beyond any window we granted.
            await secured.WriteAsync(RawPeer.YamuxHeader(0, 0, 1, 1, 64 * 1024 * 1024));
            Assert.That(await RawPeer.ClosedByRemoteAsync(secured, Wait), Is.True);
        }

        await LoggedAsync(log, "larger than any window");
        await AssertStillServesAsync(address);
    }

    [Test]
    public async Task DataBeyondTheWindowIsAProtocolError()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync(new HostOptions { Yamux = new YamuxOptions { ReceiveWindow = YamuxOptions.InitialWindow } });
        await using Host owned = host;
        // A handler that never reads, so nothing we send is consumed and no window update comes back.
        host.SetStreamHandler("/stall/1.0.0", (s, ct) => Task.Delay(Timeout.Infinite, ct));
        Stream secured = await RawPeer.ConnectSecuredAsync(address);
        await using (secured)
        {
            using MemoryStream negotiation = new();
            await Multistream.MultistreamSelect.WriteLinesAsync(negotiation, [Multistream.MultistreamSelect.Header, "/stall/1.0.0"], CancellationToken.None);
            await secured.WriteAsync(RawPeer.YamuxHeader(0, 0, 1, 1, (uint)negotiation.Length));
            await secured.WriteAsync(negotiation.ToArray());
            // Then 300 KiB without waiting for window: the 256 KiB initial window is overrun.
            byte[] chunk = new byte[60 * 1024];
            for (int i = 0; i < 5; i++)
            {
                await secured.WriteAsync(RawPeer.YamuxHeader(0, 0, 0, 1, (uint)chunk.Length));
                await secured.WriteAsync(chunk);
            }

            Assert.That(await RawPeer.ClosedByRemoteAsync(secured, Wait), Is.True);
        }

        await LoggedAsync(log, "beyond the window");
        await AssertStillServesAsync(address);
    }

    [Test]
    public async Task ThousandsOfStreamsAreRefusedThenTheConnectionDropped()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        await using Host owned = host;
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        Stream secured = await RawPeer.ConnectSecuredAsync(address);
        await using (secured)
        {
            Task<bool> closed = RawPeer.ClosedByRemoteAsync(secured, TimeSpan.FromSeconds(60));
            try
            {
                for (uint id = 1; id < 2 * 5000; id += 2)
                {
                    // Window-update with SYN opens a stream; nothing ever negotiates on it.
                    await secured.WriteAsync(RawPeer.YamuxHeader(0, 1, 1, id, 0));
                }
            }
            catch (IOException)
            {
                // The node hung up mid-flood: that is the point.
            }

            Assert.That(await closed, Is.True);
        }

        string line = await LoggedAsync(log, "kept opening streams");
        Assert.That(line, Does.Contain("dropping connection"));
        await AssertStillServesAsync(address);
        GC.Collect();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.That(after - before, Is.LessThan(64L * 1024 * 1024), "memory after the flood must stay bounded");
    }
}
