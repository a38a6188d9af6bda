using System.Net;
using System.Net.Sockets;

namespace Cere.Chain.Tests.Network.Faults;

/// <summary>The fault proxy against a loopback echo server: it forwards, cuts and heals, corrupts and delays as asked.</summary>
public class TcpFaultProxyTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task ForwardsBothWays()
    {
        await using EchoServer echo = new();
        await using TcpFaultProxy proxy = new("test", echo.Endpoint);
        using Socket client = await ConnectAsync(proxy.Endpoint);
        byte[] big = new byte[300_000];
        Random.Shared.NextBytes(big);
        Assert.That(await RoundTripAsync(client, big), Is.EqualTo(big));
        Assert.That(proxy.Accepted, Is.EqualTo(1));
    }

    [Test]
    public async Task CutResetsLiveConnectionsAndRefusesNewOnesUntilHealed()
    {
        await using EchoServer echo = new();
        await using TcpFaultProxy proxy = new("test", echo.Endpoint);
        using Socket live = await ConnectAsync(proxy.Endpoint);
        Assert.That(await RoundTripAsync(live, [1, 2, 3]), Is.EqualTo(new byte[] { 1, 2, 3 }));

        proxy.Cut();
        Assert.That(await ClosedAsync(live), Is.True, "a live connection is reset");
        try
        {
            using Socket refused = await ConnectAsync(proxy.Endpoint);
            Assert.That(await ClosedAsync(refused), Is.True, "a new connection is reset at once");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // the reset can arrive before the connect completes: equally refused
        }

        Assert.That(proxy.Refused, Is.EqualTo(1));
        Assert.That(echo.Accepted, Is.EqualTo(1), "nothing reached the target while cut");

        proxy.Heal();
        using Socket again = await ConnectAsync(proxy.Endpoint);
        Assert.That(await RoundTripAsync(again, [4, 5]), Is.EqualTo(new byte[] { 4, 5 }));
    }

    [Test]
    public async Task ConnectionsWaitForALateTarget()
    {
        await using EchoServer echo = new();
        await using TcpFaultProxy proxy = new("test");
        using Socket client = await ConnectAsync(proxy.Endpoint);
        Task<byte[]> roundTrip = RoundTripAsync(client, [9, 8, 7]);
        await Task.Delay(200);
        Assert.That(roundTrip.IsCompleted, Is.False, "no target yet");
        proxy.SetTarget(echo.Endpoint);
        Assert.That(await roundTrip, Is.EqualTo(new byte[] { 9, 8, 7 }));
    }

    [Test]
    public async Task CorruptNextFlipsExactlyThatManyBytesOneWay()
    {
        await using EchoServer echo = new();
        await using TcpFaultProxy proxy = new("test", echo.Endpoint);
        using Socket client = await ConnectAsync(proxy.Endpoint);
        proxy.CorruptNext(3, upstream: true);
        byte[] sent = [0x00, 0x0f, 0xf0, 0x55, 0xaa];
        Assert.That(await RoundTripAsync(client, sent), Is.EqualTo(new byte[] { 0xff, 0xf0, 0x0f, 0x55, 0xaa }));
        Assert.That(await RoundTripAsync(client, sent), Is.EqualTo(sent), "only the next three bytes");
        proxy.CorruptNext(1, upstream: false);
        Assert.That(await RoundTripAsync(client, sent), Is.EqualTo(new byte[] { 0xff, 0x0f, 0xf0, 0x55, 0xaa }), "downstream too");
    }

    [Test]
    public async Task DelayHoldsEachChunk()
    {
        await using EchoServer echo = new();
        await using TcpFaultProxy proxy = new("test", echo.Endpoint) { Delay = TimeSpan.FromSeconds(1) };
        using Socket client = await ConnectAsync(proxy.Endpoint);
        Task<byte[]> roundTrip = RoundTripAsync(client, [1]);

        // Held a second each way: a tenth of that in, nothing has come back (a wide margin, not a timing measurement).
        await Task.Delay(100);
        Assert.That(roundTrip.IsCompleted, Is.False, "the echo is still held by the proxy");
        Assert.That(await roundTrip, Is.EqualTo(new byte[] { 1 }), "and then delivered");
    }

    [Test]
    public async Task PauseHoldsBytesWithoutClosingAndResumeDeliversThem()
    {
        await using EchoServer echo = new();
        await using TcpFaultProxy proxy = new("test", echo.Endpoint);
        using Socket client = await ConnectAsync(proxy.Endpoint);
        Assert.That(await RoundTripAsync(client, [1]), Is.EqualTo(new byte[] { 1 }));
        proxy.Pause();
        Task<byte[]> held = RoundTripAsync(client, [2, 3]);
        await Task.Delay(300);
        Assert.That(held.IsCompleted, Is.False, "nothing moves while paused");
        Assert.That(proxy.Open, Is.EqualTo(1), "and nothing is closed");
        proxy.Resume();
        Assert.That(await held, Is.EqualTo(new byte[] { 2, 3 }), "held bytes arrive after resuming");
    }

    [Test]
    public async Task MeshPartitionCutsExactlyTheCrossLinks()
    {
        await using ProxyMesh mesh = new(4);
        Assert.That(mesh.Partition([0, 1], [2, 3]), Is.EqualTo(8));
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                if (i != j)
                {
                    Assert.That(mesh.Link(i, j).IsCut, Is.EqualTo(i / 2 != j / 2), $"{i}→{j}");
                }
            }
        }

        Assert.That(mesh.Partition([0, 1, 2], [3]), Is.EqualTo(6), "a new split heals what it no longer cuts");
        Assert.That(mesh.Link(1, 2).IsCut, Is.False);
        Assert.That(mesh.Link(3, 0).IsCut, Is.True);
        Assert.Throws<ArgumentException>(() => mesh.Partition([0, 1], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => mesh.Partition([0, 1], [2]));
        Assert.That(mesh.PartitionSilently([0, 1], [2, 3]), Is.EqualTo(8));
        Assert.That(mesh.Link(0, 2).IsPaused, Is.True);
        Assert.That(mesh.Link(0, 1).IsPaused, Is.False);
        mesh.HealAll();
        Assert.That(mesh.Link(3, 0).IsCut, Is.False);
        Assert.That(mesh.Link(0, 2).IsPaused, Is.False);
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        Socket s = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(endpoint);
        return s;
    }

    private static async Task<byte[]> RoundTripAsync(Socket client, byte[] data)
    {
        using CancellationTokenSource cts = new(Wait);
        Task send = SendAllAsync(client, data, cts.Token); // concurrently with the reads: the echo may fill the buffers
        byte[] back = new byte[data.Length];
        int read = 0;
        while (read < back.Length)
        {
            int n = await client.ReceiveAsync(back.AsMemory(read), SocketFlags.None, cts.Token);
            if (n == 0)
            {
                throw new IOException($"closed after {read} of {back.Length} bytes");
            }

            read += n;
        }

        await send;
        return back;
    }

    private static async Task SendAllAsync(Socket socket, byte[] data, CancellationToken ct)
    {
        int sent = 0;
        while (sent < data.Length)
        {
            sent += await socket.SendAsync(data.AsMemory(sent), SocketFlags.None, ct);
        }
    }

    /// <summary>True if the remote end closes or resets the connection within <see cref="Wait"/>.</summary>
    private static async Task<bool> ClosedAsync(Socket socket)
    {
        using CancellationTokenSource cts = new(Wait);
        byte[] sink = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(sink, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Echoes every byte back on each accepted connection.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _accepted;

        public EchoServer()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen();
            Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
            _loop = AcceptAsync();
        }

        public IPEndPoint Endpoint { get; }

        public int Accepted => Volatile.Read(ref _accepted);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
            await _loop;
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket s;
                try
                {
                    s = await _listener.AcceptAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _accepted);
                _ = EchoAsync(s);
            }
        }

        private async Task EchoAsync(Socket s)
        {
            using (s)
            {
                byte[] buffer = new byte[16384];
                try
                {
                    int n;
                    while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                    {
                        await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                }
            }
        }
    }
}
