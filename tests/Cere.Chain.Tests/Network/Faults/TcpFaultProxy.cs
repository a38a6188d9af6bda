using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Cere.Chain.Tests.Network.Faults;

/// <summary>
/// A TCP forwarder on loopback that injects faults: <see cref="Cut"/> resets every live connection and refuses new ones
/// until <see cref="Heal"/>; <see cref="Delay"/> holds each chunk before forwarding it; <see cref="CorruptNext"/> flips
/// bits in the next bytes of one direction (garbage inside an established, encrypted session); <see cref="Pause"/> is a
/// silent partition: connections stay open but nothing moves (as when packets are dropped, not refused) until
/// <see cref="Resume"/> delivers what was held. Each connection is two async pumps; nothing spins.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly Socket _listener;
    private readonly TaskCompletionSource<IPEndPoint> _target = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, Link> _links = new();
    private readonly Task _acceptLoop;
    private long _nextLink;
    private long _accepted;
    private long _refused;
    private long _corruptUpstream;
    private long _corruptDownstream;
    private int _cut;
    private TaskCompletionSource _flowing = Completed();

    /// <summary>Listens on a free loopback port; forwards to <paramref name="target"/>, or once <see cref="SetTarget"/> names it.</summary>
    public TcpFaultProxy(string name, IPEndPoint? target = null)
    {
        Name = name;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        if (target is not null)
        {
            _target.SetResult(target);
        }

        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>A name for log lines (e.g. <c>0→2</c>).</summary>
    public string Name { get; }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Pause before forwarding each chunk (zero: none); order is kept.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>True between <see cref="Cut"/> and <see cref="Heal"/>.</summary>
    public bool IsCut => Volatile.Read(ref _cut) != 0;

    /// <summary>Connections accepted and forwarded so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections refused (reset at once) because the proxy was cut.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections open now.</summary>
    public int Open => _links.Count;

    /// <summary>Sets the target of a proxy created without one; connections accepted meanwhile wait for it.</summary>
    public void SetTarget(IPEndPoint target) => _target.TrySetResult(target);

    /// <summary>Resets every live connection and refuses new ones until <see cref="Heal"/>.</summary>
    public void Cut()
    {
        Interlocked.Exchange(ref _cut, 1); // a full fence: a link added after this sees IsCut, one added before is in _links

        foreach (Link link in _links.Values)
        {
            link.Reset();
        }
    }

    /// <summary>Forwards new connections again.</summary>
    public void Heal() => Interlocked.Exchange(ref _cut, 0);

    /// <summary>True between <see cref="Pause"/> and <see cref="Resume"/>.</summary>
    public bool IsPaused => !Volatile.Read(ref _flowing).Task.IsCompleted;

    /// <summary>Stops moving bytes either way without closing anything; connections made meanwhile are held too.</summary>
    public void Pause()
    {
        TaskCompletionSource current = Volatile.Read(ref _flowing);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _flowing, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    /// <summary>Moves bytes again, the held ones first.</summary>
    public void Resume() => Volatile.Read(ref _flowing).TrySetResult();

    /// <summary>Flips every bit of the next <paramref name="count"/> bytes sent towards the target (<paramref name="upstream"/>) or back.</summary>
    public void CorruptNext(int count, bool upstream = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Add(ref upstream ? ref _corruptUpstream : ref _corruptDownstream, count);
    }

    /// <summary>Drops whatever corruption <see cref="CorruptNext"/> asked for and has not happened yet.</summary>
    public void ClearCorruption()
    {
        Interlocked.Exchange(ref _corruptUpstream, 0);
        Interlocked.Exchange(ref _corruptDownstream, 0);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (Link link in _links.Values)
        {
            link.Reset();
        }

        await _acceptLoop;
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (IsCut)
            {
                Interlocked.Increment(ref _refused);
                ResetAndDispose(client);
                continue;
            }

            Interlocked.Increment(ref _accepted);
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        long id = Interlocked.Increment(ref _nextLink);
        Link link = new(client, _stop.Token);
        _links[id] = link;
        Task up = Task.CompletedTask;
        Task down = Task.CompletedTask;
        try
        {
            if (IsCut)
            {
                return; // cut between accept and here
            }

            IPEndPoint target = await _target.Task.WaitAsync(link.Token);
            await link.Upstream.ConnectAsync(target, link.Token);
            up = PumpAsync(link.Client, link.Upstream, upstream: true, link);
            down = PumpAsync(link.Upstream, link.Client, upstream: false, link);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the target is down, the proxy was cut or is stopping: the client sees its connection reset
        }
        finally
        {
            _links.TryRemove(id, out _);
            link.Reset();
            await Task.WhenAll(up, down); // the pumps catch their own errors and end once the sockets are gone
            link.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool upstream, Link link)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                await Volatile.Read(ref _flowing).Task.WaitAsync(link.Token); // a paused link neither reads nor writes
                int n = await from.ReceiveAsync(buffer.AsMemory(0, ChunkSize), SocketFlags.None, link.Token);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send); // half-close passes through
                    return;
                }

                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, link.Token);
                }

                await Volatile.Read(ref _flowing).Task.WaitAsync(link.Token); // paused while this chunk was in hand
                Corrupt(buffer.AsSpan(0, n), upstream);
                int sent = 0;
                while (sent < n)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, link.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // reset by either side or by Cut
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Corrupt(Span<byte> chunk, bool upstream)
    {
        ref long budget = ref upstream ? ref _corruptUpstream : ref _corruptDownstream;
        while (true)
        {
            long left = Interlocked.Read(ref budget);
            if (left == 0)
            {
                return;
            }

            int take = (int)Math.Min(left, chunk.Length);
            if (Interlocked.CompareExchange(ref budget, left - take, left) != left)
            {
                continue;
            }

            for (int i = 0; i < take; i++)
            {
                chunk[i] ^= 0xff;
            }

            return;
        }
    }

    private static TaskCompletionSource Completed()
    {
        TaskCompletionSource done = new();
        done.SetResult();
        return done;
    }

    private static void ResetAndDispose(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // close with RST: the peer sees a reset, not a clean end
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    /// <summary>One proxied connection: the client's socket, ours to the target, and a token that stops both pumps.</summary>
    private sealed class Link : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        private int _reset;

        public Link(Socket client, CancellationToken stop)
        {
            Client = client;
            client.NoDelay = true;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Token = _cts.Token; // read once: the pumps may still look at it after Reset
        }

        public Socket Client { get; }

        public Socket Upstream { get; } = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

        public CancellationToken Token { get; }

        public void Reset()
        {
            if (Interlocked.Exchange(ref _reset, 1) != 0)
            {
                return;
            }

            _cts.Cancel();
            ResetAndDispose(Client);
            ResetAndDispose(Upstream);
        }

        public void Dispose() => _cts.Dispose();
    }
}
