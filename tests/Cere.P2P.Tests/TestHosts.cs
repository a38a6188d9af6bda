using System.Collections.Concurrent;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;

namespace Cere.P2P.Tests;

/// <summary>Builds hosts for tests on loopback with their log lines captured.</summary>
internal static class TestHosts
{
    public static readonly Multiaddr Loopback = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");

    public static async Task<(Host Host, Multiaddr Address, ConcurrentQueue<string> Log)> StartAsync(HostOptions? template = null)
    {
        ConcurrentQueue<string> log = new();
        HostOptions options = new()
        {
            Identity = template?.Identity ?? Cere.P2P.Crypto.PeerPrivateKey.Generate(),
            AgentVersion = template?.AgentVersion ?? "cere-node/test",
            HandshakeTimeout = template?.HandshakeTimeout ?? TimeSpan.FromSeconds(10),
            StreamNegotiationTimeout = template?.StreamNegotiationTimeout ?? TimeSpan.FromSeconds(10),
            MaxConnections = template?.MaxConnections ?? 256,
            MaxPendingInboundPerSource = template?.MaxPendingInboundPerSource ?? 16,
            Yamux = template?.Yamux ?? new(),
            Log = line =>
            {
                log.Enqueue(line);
                TestContext.Progress.WriteLine(line);
            },
        };
        Host host = new(options);
        Multiaddr address = await host.ListenAsync(Loopback);
        return (host, address, log);
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the time is up (for effects seen on another task).</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }
}
