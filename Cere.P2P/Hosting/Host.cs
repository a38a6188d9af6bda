using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Multistream;
using Cere.P2P.Noise;
using Cere.P2P.Protocols;
using Cere.P2P.Transport;
using Cere.P2P.Yamux;

namespace Cere.P2P.Hosting;

/// <summary>
/// A libp2p host: listens and dials over TCP, upgrades every connection with multistream-select, Noise and yamux,
/// dispatches inbound streams to the handler registered for their protocol, and runs identify and ping.
/// Protocols built on top (gossipsub, request/response) register handlers and open streams through it.
/// </summary>
public sealed class Host : IAsyncDisposable
{
    /// <summary>The muxer protocol id we negotiate.</summary>
    public const string YamuxProtocolId = "/yamux/1.0.0";

    private readonly HostOptions _options;
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new(StringComparer.Ordinal);
    private readonly List<Connection> _connections = [];
    private readonly List<Socket> _listeners = [];
    private readonly List<Multiaddr> _listenAddresses = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly IdentifyService _identify;
    private int _pendingInbound;
    private readonly Dictionary<UInt128, int> _pendingBySource = [];
    private int _disposed;

    /// <summary>Creates a host; nothing listens until <see cref="ListenAsync"/>.</summary>
    public Host(HostOptions? options = null)
    {
        _options = options ?? new HostOptions();
        Log = _options.Log ?? (line => Console.Error.WriteLine(line));
        _identify = new IdentifyService(this);
        SetStreamHandler(PingService.ProtocolId, PingService.HandleAsync);
        SetStreamHandler(IdentifyService.ProtocolId, _identify.HandleRequestAsync);
        SetStreamHandler(IdentifyService.PushProtocolId, _identify.HandlePushAsync);
    }

    /// <summary>Our identity key.</summary>
    public PeerPrivateKey Identity => _options.Identity;

    /// <summary>Our peer id.</summary>
    public PeerId PeerId => _options.Identity.PeerId;

    /// <summary>The options this host runs with.</summary>
    public HostOptions Options => _options;

    /// <summary>Where log lines go.</summary>
    public Action<string> Log { get; }

    /// <summary>Raised when a connection is established (after the upgrade, before identify).</summary>
    public event Action<Connection>? PeerConnected;

    /// <summary>Raised when a connection closes.</summary>
    public event Action<Connection>? PeerDisconnected;

    /// <summary>Raised after each identify or identify-push result on a connection (see <see cref="Connection.Identify"/>).</summary>
    public event Action<Connection>? PeerIdentified;

    /// <summary>The addresses we listen on, with their real ports (without <c>/p2p</c>).</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses
    {
        get
        {
            lock (_listenAddresses)
            {
                return [.. _listenAddresses];
            }
        }
    }

    /// <summary>The protocols we have handlers for.</summary>
    public IReadOnlyCollection<string> Protocols
    {
        get
        {
            List<string> list = [.. _handlers.Keys];
            list.Sort(StringComparer.Ordinal);
            return list;
        }
    }

    /// <summary>The open connections.</summary>
    public IReadOnlyList<Connection> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Registers (or replaces) the handler for inbound streams of <paramref name="protocol"/>; peers learn of it by identify push.</summary>
    public void SetStreamHandler(string protocol, StreamHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        ArgumentNullException.ThrowIfNull(handler);
        bool added = _handlers.TryAdd(protocol, handler);
        if (!added)
        {
            _handlers[protocol] = handler;
        }
        else
        {
            _identify.PushToAll();
        }
    }

    /// <summary>Removes the handler for <paramref name="protocol"/>.</summary>
    public void RemoveStreamHandler(string protocol)
    {
        if (_handlers.TryRemove(protocol, out _))
        {
            _identify.PushToAll();
        }
    }

    /// <summary>Binds a TCP listen address (port 0 picks one) and starts accepting; returns the bound address with <c>/p2p</c>.</summary>
    public Task<Multiaddr> ListenAsync(Multiaddr address, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ct.ThrowIfCancellationRequested();
        (Socket listener, Multiaddr bound) = TcpTransport.Listen(address.WithoutPeerId());
        lock (_listenAddresses)
        {
            _listeners.Add(listener);
            _listenAddresses.Add(bound);
        }

        _ = Task.Run(() => AcceptLoopAsync(listener));
        _identify.PushToAll();
        return Task.FromResult(bound.WithPeerId(PeerId));
    }

    /// <summary>
    /// Dials a TCP multiaddr and upgrades the connection; if it ends in <c>/p2p/&lt;id&gt;</c> the remote must prove that
    /// id. An existing connection to that peer is reused.
    /// </summary>
    public async Task<Connection> DialAsync(Multiaddr address, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        PeerId? expected = address.PeerId;
        if (expected is not null && FindConnection(expected) is { } existing)
        {
            return existing;
        }

        if (expected == PeerId)
        {
            throw new InvalidOperationException("refusing to dial ourselves");
        }

        Socket socket = await TcpTransport.ConnectAsync(address, _options.DialTimeout, ct).ConfigureAwait(false);
        Multiaddr remote = Multiaddr.FromEndPoint((IPEndPoint)socket.RemoteEndPoint!);
        Multiaddr local = Multiaddr.FromEndPoint((IPEndPoint)socket.LocalEndPoint!);
        NetworkStream raw = new(socket, ownsSocket: true);
        using CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        cts.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await MultistreamSelect.SelectAsync(raw, [NoiseHandshake.ProtocolId], cts.Token).ConfigureAwait(false);
            NoiseHandshake.Result secured = await NoiseHandshake.InitiateAsync(raw, Identity, expected, cts.Token).ConfigureAwait(false);
            await MultistreamSelect.SelectAsync(secured.SecureStream, [YamuxProtocolId], cts.Token).ConfigureAwait(false);
            YamuxSession session = new(secured.SecureStream, isClient: true, _options.Yamux, Log, $"connection to {remote}/p2p/{secured.RemotePeer}");
            return Register(new Connection(session, secured.RemoteKey, remote, local, ConnectionDirection.Outbound));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            await raw.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"upgrading the connection to {address} timed out after {_options.HandshakeTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await raw.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An open connection to <paramref name="peer"/>, or null.</summary>
    public Connection? FindConnection(PeerId peer)
    {
        lock (_connections)
        {
            foreach (Connection c in _connections)
            {
                if (c.RemotePeer == peer && !c.IsClosed)
                {
                    return c;
                }
            }
        }

        return null;
    }

    /// <summary>Opens a stream to a connected peer; throws <see cref="InvalidOperationException"/> if we have no connection to it.</summary>
    public Task<P2pStream> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken ct = default)
    {
        Connection c = FindConnection(peer) ?? throw new InvalidOperationException($"not connected to {peer}");
        return c.OpenStreamAsync(protocols, ct);
    }

    /// <summary>Opens a stream for one protocol to a connected peer.</summary>
    public Task<P2pStream> NewStreamAsync(PeerId peer, string protocol, CancellationToken ct = default) => NewStreamAsync(peer, [protocol], ct);

    /// <summary>Pings a connected peer <paramref name="count"/> times over <c>/ipfs/ping/1.0.0</c>; returns each round-trip time.</summary>
    public Task<IReadOnlyList<TimeSpan>> PingAsync(Connection connection, int count = 1, CancellationToken ct = default) =>
        PingService.PingAsync(connection, count, ct);

    /// <summary>Asks a connected peer to identify itself again and returns the answer.</summary>
    public Task<IdentifyInfo> IdentifyAsync(Connection connection, CancellationToken ct = default) => _identify.RequestAsync(connection, ct);

    /// <summary>Closes every connection to <paramref name="peer"/>.</summary>
    public async Task HangUpAsync(PeerId peer)
    {
        foreach (Connection c in Connections)
        {
            if (c.RemotePeer == peer)
            {
                await c.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    internal bool TryGetHandler(string protocol, out StreamHandler? handler) => _handlers.TryGetValue(protocol, out handler);

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    Log($"p2p: accept on {listener.LocalEndPoint} failed: {e.Message}");
                }

                return;
            }

            int total;
            lock (_connections)
            {
                total = _connections.Count + _pendingInbound;
            }

            if (total >= _options.MaxConnections)
            {
                Log($"p2p: refusing inbound connection from {socket.RemoteEndPoint}: at the limit of {_options.MaxConnections} connections");
                socket.Dispose();
                continue;
            }

            UInt128 source = SourceOf(((IPEndPoint)socket.RemoteEndPoint!).Address);
            int pendingFromSource;
            bool admitted;
            lock (_pendingBySource)
            {
                _pendingBySource.TryGetValue(source, out pendingFromSource);
                admitted = pendingFromSource < _options.MaxPendingInboundPerSource;
                if (admitted)
                {
                    _pendingBySource[source] = pendingFromSource + 1;
                }
            }

            if (!admitted)
            {
                Log($"p2p: refusing inbound connection from {socket.RemoteEndPoint}: {pendingFromSource} handshakes from that source already pending (limit {_options.MaxPendingInboundPerSource})");
                socket.Dispose();
                continue;
            }

            Interlocked.Increment(ref _pendingInbound);
            _ = Task.Run(() => UpgradeInboundAsync(socket, source));
        }
    }

    private async Task UpgradeInboundAsync(Socket socket, UInt128 source)
    {
        socket.NoDelay = true;
        Multiaddr remote = Multiaddr.FromEndPoint((IPEndPoint)socket.RemoteEndPoint!);
        Multiaddr local = Multiaddr.FromEndPoint((IPEndPoint)socket.LocalEndPoint!);
        NetworkStream raw = new(socket, ownsSocket: true);
        string? failure = null;
        using (CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            cts.CancelAfter(_options.HandshakeTimeout);
            try
            {
                await MultistreamSelect.ListenAsync(raw, p => p == NoiseHandshake.ProtocolId, () => [NoiseHandshake.ProtocolId], cts.Token).ConfigureAwait(false);
                NoiseHandshake.Result secured = await NoiseHandshake.RespondAsync(raw, Identity, cts.Token).ConfigureAwait(false);
                await MultistreamSelect.ListenAsync(secured.SecureStream, p => p == YamuxProtocolId, () => [YamuxProtocolId], cts.Token).ConfigureAwait(false);
                YamuxSession session = new(secured.SecureStream, isClient: false, _options.Yamux, Log, $"connection from {remote}/p2p/{secured.RemotePeer}");
                Register(new Connection(session, secured.RemoteKey, remote, local, ConnectionDirection.Inbound));
            }
            catch (Exception e)
            {
                failure = e is OperationCanceledException && !_stop.IsCancellationRequested
                    ? $"handshake timed out after {_options.HandshakeTimeout.TotalSeconds:0.#} s"
                    : $"{e.GetType().Name}: {e.Message}";
            }
            finally
            {
                // The handshake is over either way: its slots are free before a drop is logged, so a reader of the log
                // may count on them.
                Interlocked.Decrement(ref _pendingInbound);
                ReleaseSource(source);
            }
        }

        if (failure is not null)
        {
            if (!_stop.IsCancellationRequested)
            {
                Log($"p2p: dropping inbound connection from {remote}: {failure}");
            }

            await raw.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ReleaseSource(UInt128 source)
    {
        lock (_pendingBySource)
        {
            int left = _pendingBySource[source] - 1;
            if (left == 0)
            {
                _pendingBySource.Remove(source);
            }
            else
            {
                _pendingBySource[source] = left;
            }
        }
    }

    // The unit the per-source handshake limit counts: an IPv4 address (as IPv4-mapped IPv6), or an IPv6 /64.
    internal static UInt128 SourceOf(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.MapToIPv6().TryWriteBytes(bytes, out _);
        if (!address.IsIPv4MappedToIPv6 && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            bytes[8..].Clear();
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private Connection Register(Connection connection)
    {
        YamuxSession session = connection.Session;
        session.InboundStream = stream => _ = HandleInboundStreamAsync(stream);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        session.Start();
        _ = session.Closed.ContinueWith(
            _ =>
            {
                lock (_connections)
                {
                    _connections.Remove(connection);
                }

                connection.SetIdentify(null);
                Raise(PeerDisconnected, connection);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        Raise(PeerConnected, connection);
        _ = Task.Run(() => _identify.IdentifyOnConnectAsync(connection));
        return connection;
    }

    internal void RaiseIdentified(Connection connection) => Raise(PeerIdentified, connection);

    private void Raise(Action<Connection>? handler, Connection connection)
    {
        if (handler is null)
        {
            return;
        }

        foreach (Delegate d in handler.GetInvocationList())
        {
            try
            {
                ((Action<Connection>)d)(connection);
            }
            catch (Exception e)
            {
                // A subscriber's bug must not take the connection down.
                Log($"p2p: event handler failed for {connection}: {e}");
            }
        }
    }

    private async Task HandleInboundStreamAsync(YamuxStream stream)
    {
        StreamHandler? handler = null;
        using (CancellationTokenSource cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            cts.CancelAfter(_options.StreamNegotiationTimeout);
            try
            {
                string protocol = await MultistreamSelect.ListenAsync(stream, p => _handlers.ContainsKey(p), () => Protocols, cts.Token).ConfigureAwait(false);
                stream.SetProtocol(protocol);
                _handlers.TryGetValue(protocol, out handler);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or P2pProtocolException or EndOfStreamException)
            {
                stream.Reset();
                return;
            }
        }

        if (handler is null)
        {
            stream.Reset();
            return;
        }

        try
        {
            await handler(stream, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!_stop.IsCancellationRequested && e is not StreamClosedException)
            {
                Log($"p2p: handler for {stream.Protocol} from {stream.Connection.RemotePeer} failed: {e.GetType().Name}: {e.Message}");
            }

            stream.Reset();
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        lock (_listenAddresses)
        {
            foreach (Socket l in _listeners)
            {
                l.Dispose();
            }
        }

        foreach (Connection c in Connections)
        {
            await c.CloseAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
