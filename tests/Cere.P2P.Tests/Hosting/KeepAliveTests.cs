using System.Collections.Concurrent;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.Yamux;

namespace Cere.P2P.Tests.Hosting;

/// <summary>
/// Yamux keepalive: a peer that stays connected but sends nothing (silent partition, dead NAT mapping, hung process) is
/// pinged and then dropped; a live idle peer answers the pings and keeps its connection.
/// </summary>
[TestFixture]
public class KeepAliveTests
{
    private static readonly YamuxOptions Quick = new()
    {
        KeepAliveInterval = TimeSpan.FromMilliseconds(200),
        KeepAliveTimeout = TimeSpan.FromMilliseconds(400),
    };

    // For the live-peer cases: pings every 200 ms, but a pong may take a second (a loaded CI machine), so a false drop
    // would take a real stall; three idle seconds still span many pings and more than two deadlines.
    private static readonly YamuxOptions QuickButTolerant = new()
    {
        KeepAliveInterval = TimeSpan.FromMilliseconds(200),
        KeepAliveTimeout = TimeSpan.FromSeconds(1),
    };

    [Test]
    public async Task SilentPeerIsPingedThenDropped()
    {
        (Host host, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync(new HostOptions { Yamux = Quick });
        await using Host owned = host;
        // Completes Noise and picks yamux, then never writes a byte: no frame, no pong.
        Stream secured = await RawPeer.ConnectSecuredAsync(address);
        await using (secured)
        {
            Assert.That(await TestHosts.EventuallyAsync(() => host.Connections.Count == 1, TimeSpan.FromSeconds(5)), Is.True, "the host accepted the connection");
            (bool sawPing, bool closed) = await ReadUntilClosedAsync(secured, TimeSpan.FromSeconds(10));
            Assert.Multiple(() =>
            {
                Assert.That(sawPing, Is.True, "a yamux ping (SYN) before giving up");
                Assert.That(closed, Is.True, "the host closed the silent connection");
            });
        }

        Assert.That(await TestHosts.EventuallyAsync(() => log.Any(l => l.Contains("keepalive: nothing received from the peer", StringComparison.Ordinal)), TimeSpan.FromSeconds(5)), Is.True,
            "the drop is logged with its reason:\n" + string.Join('\n', log));
        Assert.That(await TestHosts.EventuallyAsync(() => host.Connections.Count == 0, TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public async Task IdlePeerThatAnswersPingsStaysConnected()
    {
        (Host a, _, _) = await TestHosts.StartAsync(new HostOptions { Yamux = QuickButTolerant });
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync(new HostOptions { Yamux = QuickButTolerant });
        await using Host ownedA = a;
        await using Host ownedB = b;
        Connection c = await a.DialAsync(bAddress);
        await c.Identified.WaitAsync(TimeSpan.FromSeconds(10));

        // Fifteen ping intervals and more than two dead-peer deadlines with no application traffic: only keepalive pings cross.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Multiple(() =>
        {
            Assert.That(c.IsClosed, Is.False, c.CloseReason);
            Assert.That(b.FindConnection(a.PeerId) is { IsClosed: false }, Is.True, "the listener kept it too");
        });
        Assert.That(await a.PingAsync(c), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task KeepAliveOffLeavesASilentPeerConnected()
    {
        YamuxOptions off = new() { KeepAliveInterval = TimeSpan.Zero };
        (Host host, Multiaddr address, _) = await TestHosts.StartAsync(new HostOptions { Yamux = off });
        await using Host owned = host;
        Stream secured = await RawPeer.ConnectSecuredAsync(address);
        await using (secured)
        {
            (bool sawPing, bool closed) = await ReadUntilClosedAsync(secured, TimeSpan.FromSeconds(2));
            Assert.Multiple(() =>
            {
                Assert.That(sawPing, Is.False, "no keepalive ping when it is turned off");
                Assert.That(closed, Is.False);
                Assert.That(host.Connections, Has.Count.EqualTo(1));
            });
        }
    }

    // Reads yamux frames until the remote closes or the time is up; reports whether a ping request (type 2, SYN) came.
    private static async Task<(bool SawPing, bool Closed)> ReadUntilClosedAsync(Stream secured, TimeSpan timeout)
    {
        using CancellationTokenSource cts = new(timeout);
        byte[] header = new byte[12];
        bool sawPing = false;
        try
        {
            while (true)
            {
                if (!await ReadExactlyOrEndAsync(secured, header, cts.Token))
                {
                    return (sawPing, true);
                }

                byte type = header[1];
                int flags = (header[2] << 8) | header[3];
                uint length = (uint)((header[8] << 24) | (header[9] << 16) | (header[10] << 8) | header[11]);
                sawPing |= type == 2 && (flags & 1) != 0;
                if (type == 0 && length > 0 && !await ReadExactlyOrEndAsync(secured, new byte[length], cts.Token))
                {
                    return (sawPing, true);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return (sawPing, false);
        }
        catch (Exception e) when (e is IOException or Noise.NoiseException)
        {
            return (sawPing, true);
        }
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream s, byte[] buffer, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await s.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
