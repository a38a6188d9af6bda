using System.Security.Cryptography;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.Multistream;
using Cere.P2P.Protocols;

namespace Cere.P2P.Tests.Hosting;

/// <summary>Two of our hosts on loopback: identify, ping, streams across flow-control windows, back-pressure, errors.</summary>
[TestFixture]
public class HostTests
{
    private const string Echo = "/cere/test/echo/1.0.0";

    private static async Task EchoHandler(P2pStream stream, CancellationToken ct)
    {
        await using (stream)
        {
            await stream.CopyToAsync(stream, ct);
        }
    }

    [TestCase(PeerKeyType.Ed25519)]
    [TestCase(PeerKeyType.Secp256k1)]
    public async Task PingAndIdentifyBetweenTwoOfOurs(PeerKeyType type)
    {
        (Host a, _, _) = await TestHosts.StartAsync(new HostOptions { Identity = PeerPrivateKey.Generate(type) });
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync(new HostOptions { Identity = PeerPrivateKey.Generate(type) });
        await using Host ownedA = a;
        await using Host ownedB = b;

        Connection c = await a.DialAsync(bAddress);
        IdentifyInfo? info = await c.Identified.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            Assert.That(c.RemotePeer, Is.EqualTo(b.PeerId));
            Assert.That(info!.Protocols, Is.EquivalentTo(b.Protocols));
            Assert.That(info.PublicKey, Is.EqualTo(b.Identity.PublicKey));
            Assert.That(info.ListenAddresses, Does.Contain(bAddress.WithoutPeerId()));
        });
        Assert.That(await a.PingAsync(c, 5), Has.Count.EqualTo(5));
        Assert.That(await c.Session.PingAsync(CancellationToken.None), Is.GreaterThan(TimeSpan.Zero), "yamux session ping");
    }

    [Test]
    public async Task NewProtocolsReachConnectedPeersByIdentifyPush()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        Connection c = await a.DialAsync(bAddress);
        await c.Identified.WaitAsync(TimeSpan.FromSeconds(10));
        // b must also have identified a, or it does not know a speaks identify/push.
        Assert.That(await TestHosts.EventuallyAsync(() => b.FindConnection(a.PeerId)?.Identify is not null, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(c.Identify!.Protocols, Does.Not.Contain(Echo));

        b.SetStreamHandler(Echo, EchoHandler);
        Assert.That(await TestHosts.EventuallyAsync(() => c.Identify!.Protocols.Contains(Echo), TimeSpan.FromSeconds(10)), Is.True, "the push announces the new protocol");
        b.RemoveStreamHandler(Echo);
        Assert.That(await TestHosts.EventuallyAsync(() => !c.Identify!.Protocols.Contains(Echo), TimeSpan.FromSeconds(10)), Is.True, "and its removal");
    }

    [Test]
    public async Task LargeTransferCrossesManyWindowsIntact()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        b.SetStreamHandler(Echo, EchoHandler);

        Connection c = await a.DialAsync(bAddress);
        await using P2pStream stream = await c.OpenStreamAsync(Echo, CancellationToken.None);
        byte[] data = RandomNumberGenerator.GetBytes(6 * 1024 * 1024 + 12345);
        Task writer = Task.Run(async () =>
        {
            await stream.WriteAsync(data);
            await stream.CloseWriteAsync();
        });
        using MemoryStream received = new();
        await stream.CopyToAsync(received);
        await writer;
        Assert.That(SHA256.HashData(received.ToArray()), Is.EqualTo(SHA256.HashData(data)));
    }

    [Test]
    public async Task ManyConcurrentStreamsOnOneConnection()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        b.SetStreamHandler(Echo, EchoHandler);
        Connection c = await a.DialAsync(bAddress);

        async Task<bool> RoundTrip(int i)
        {
            await using P2pStream s = await c.OpenStreamAsync(Echo, CancellationToken.None);
            byte[] payload = RandomNumberGenerator.GetBytes(1000 + i);
            await s.WriteAsync(payload);
            await s.CloseWriteAsync();
            using MemoryStream back = new();
            await s.CopyToAsync(back);
            return back.ToArray().AsSpan().SequenceEqual(payload);
        }

        Task<bool>[] all = new Task<bool>[100];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = RoundTrip(i);
        }

        bool[] results = await Task.WhenAll(all);
        Assert.That(results, Is.All.True);
        Assert.That(await TestHosts.EventuallyAsync(() => c.StreamCount == 0, TimeSpan.FromSeconds(5)), Is.True, $"streams left open: {c.StreamCount}");
    }

    [Test]
    public async Task WriterWaitsForTheReaderBackPressure()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        TaskCompletionSource<P2pStream> accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource startReading = new(TaskCreationOptions.RunContinuationsAsynchronously);
        long total = 0;
        b.SetStreamHandler(Echo, async (s, ct) =>
        {
            accepted.TrySetResult(s);
            await startReading.Task;
            byte[] buffer = new byte[65536];
            int n;
            while ((n = await s.ReadAsync(buffer, ct)) > 0)
            {
                Interlocked.Add(ref total, n);
            }

            await s.DisposeAsync();
        });

        Connection c = await a.DialAsync(bAddress);
        P2pStream stream = await c.OpenStreamAsync(Echo, CancellationToken.None);
        // 4 MiB is four times the receive window: it cannot all be sent before the reader consumes.
        byte[] data = new byte[4 * 1024 * 1024];
        Task write = stream.WriteAsync(data).AsTask();
        await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        Assert.That(write.IsCompleted, Is.False, "the writer must be held back by the window");
        startReading.SetResult();
        await write.WaitAsync(TimeSpan.FromSeconds(30));
        await stream.CloseWriteAsync();
        Assert.That(await TestHosts.EventuallyAsync(() => Interlocked.Read(ref total) == data.Length, TimeSpan.FromSeconds(10)), Is.True);
        await stream.DisposeAsync();
    }

    [Test]
    public async Task UnknownProtocolIsRefusedAndTheConnectionStaysUsable()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        b.SetStreamHandler(Echo, EchoHandler);
        Connection c = await a.DialAsync(bAddress);

        Assert.That(async () => await c.OpenStreamAsync("/nope/1.0.0", CancellationToken.None), Throws.TypeOf<ProtocolNotSupportedException>());
        await using P2pStream s = await c.OpenStreamAsync(["/nope/1.0.0", "/also-nope", Echo], CancellationToken.None);
        Assert.That(s.Protocol, Is.EqualTo(Echo), "falls back through na to a supported protocol");
        Assert.That(await a.PingAsync(c), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task LsListsTheProtocolsWeServe()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        b.SetStreamHandler(Echo, EchoHandler);
        Connection c = await a.DialAsync(bAddress);
        await using Yamux.YamuxStream raw = await c.Session.OpenStreamAsync(CancellationToken.None);
        IReadOnlyList<string> listed = await MultistreamSelect.ListAsync(raw, CancellationToken.None);
        Assert.That(listed, Is.EquivalentTo(b.Protocols));
        Assert.That(listed, Does.Contain(Echo).And.Contain(PingService.ProtocolId));
    }

    [Test]
    public async Task NotAvailableIsEncodedAsInTheSpec()
    {
        // multistream-select README: "na\n" with its varint prefix is 0x036e610a.
        using MemoryStream ms = new();
        await MultistreamSelect.WriteLinesAsync(ms, [MultistreamSelect.NotAvailable], CancellationToken.None);
        Assert.That(Convert.ToHexStringLower(ms.ToArray()), Is.EqualTo("036e610a"));
        ms.Position = 0;
        Assert.That(await MultistreamSelect.ReadLineAsync(ms, CancellationToken.None), Is.EqualTo("na"));
    }

    [Test]
    public async Task DialingTheWrongPeerIdFails()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        Multiaddr wrong = bAddress.WithPeerId(PeerPrivateKey.Generate().PeerId);
        Assert.That(async () => await a.DialAsync(wrong), Throws.TypeOf<PeerIdMismatchException>());
        Assert.That(a.Connections, Is.Empty);
    }

    [Test]
    public async Task ResetByTheHandlerReachesTheReader()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        b.SetStreamHandler(Echo, (s, _) =>
        {
            s.Reset();
            return Task.CompletedTask;
        });
        Connection c = await a.DialAsync(bAddress);
        // RST aborts: it may overtake the protocol echo, so it surfaces at open or at the first read.
        Assert.That(
            async () =>
            {
                await using P2pStream stream = await c.OpenStreamAsync(Echo, CancellationToken.None);
                _ = await stream.ReadAsync(new byte[10]);
            },
            Throws.TypeOf<StreamClosedException>());
        Assert.That(await a.PingAsync(c), Has.Count.EqualTo(1), "a reset stream leaves the connection usable");
    }

    [Test]
    public async Task ClosingAConnectionIsSeenByBothSides()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        TaskCompletionSource<Connection> gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        b.PeerDisconnected += c => gone.TrySetResult(c);
        Connection c = await a.DialAsync(bAddress);
        await c.Identified.WaitAsync(TimeSpan.FromSeconds(10));
        await c.CloseAsync();
        Connection seen = await gone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(seen.RemotePeer, Is.EqualTo(a.PeerId));
        Assert.That(seen.CloseReason, Does.Contain("go-away").Or.Contains("closed"));
        Assert.That(a.Connections, Is.Empty);
    }
}
