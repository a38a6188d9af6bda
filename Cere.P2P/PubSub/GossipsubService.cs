using System.Collections.Concurrent;
using System.Threading.Channels;
using Cere.P2P.Crypto;
using Cere.P2P.Encoding;
using Cere.P2P.Hosting;
using Cere.P2P.PubSub.Wire;
using Google.Protobuf;

namespace Cere.P2P.PubSub;

/// <summary>
/// Gossipsub on a <see cref="Host"/>: answers <c>/meshsub/1.1.0</c>, <c>/meshsub/1.0.0</c> and <c>/floodsub/1.0.0</c>
/// streams, opens one outbound stream per peer for sending (pubsub/README.md "Stream Management": one stream each
/// way, varint-length-prefixed RPC frames), runs the heartbeat, and hands messages to topic subscribers.
/// </summary>
public sealed class GossipsubService : IAsyncDisposable
{
    /// <summary>RPC frames queued for one peer before further ones are dropped (a slow peer must not grow our memory).</summary>
    public const int PeerQueueCapacity = 4096;

    private const int DeliveryQueueCapacity = 16_384;

    private readonly Host _host;
    private readonly GossipsubRouter _router;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, PeerSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action<GossipMessage>>> _handlers = new(StringComparer.Ordinal);
    private readonly Channel<GossipMessage> _deliveries = Channel.CreateBounded<GossipMessage>(
        new BoundedChannelOptions(DeliveryQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Sink _sink;
    private Task? _heartbeatTask;
    private Task? _deliveryTask;
    private long _droppedFrames;

    /// <summary>Creates the service; call <see cref="Start"/> to register the protocols and begin the heartbeat.</summary>
    public GossipsubService(Host host, GossipsubOptions? options = null, TimeProvider? time = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        options ??= new GossipsubOptions();
        Time = time ?? TimeProvider.System;
        _sink = new Sink(this);
        IPubSubSigner? signer = options.SignaturePolicy == SignaturePolicy.StrictSign ? new PeerKeyPubSubSigner(host.Identity) : null;
        IPubSubSignatureVerifier? verifier = signer is null ? null : new PeerKeyPubSubVerifier();
        _router = new GossipsubRouter(options, _sink, Time, random ?? new Random(), signer, verifier);
    }

    /// <summary>Raised (on a pool thread) when a peer's score falls below the graylist threshold; the connection manager may ban it.</summary>
    public event Action<PeerId, double, string>? PeerGraylisted;

    /// <summary>Raised when a trusted peer offers other peers in a PRUNE (peer exchange); the connection manager may dial them.</summary>
    public event Action<PeerId, string, IReadOnlyList<PeerId>>? PeerExchangeReceived;

    /// <summary>The clock the heartbeat and scores run on.</summary>
    public TimeProvider Time { get; }

    /// <summary>RPC frames dropped because a peer's send queue was full.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Registers the pubsub protocols on the host, watches its connections, and starts the heartbeat.</summary>
    public void Start()
    {
        if (_heartbeatTask is not null)
            return;
        foreach (var protocol in GossipProtocolIds.Preferred)
            _host.SetStreamHandler(protocol, HandleInboundStreamAsync);
        _host.PeerConnected += OnPeerConnected;
        _host.PeerDisconnected += OnPeerDisconnected;
        foreach (var connection in _host.Connections)
            OnPeerConnected(connection);
        _heartbeatTask = Task.Run(HeartbeatLoopAsync);
        _deliveryTask = Task.Run(DeliveryLoopAsync);
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="topic"/> (joining the topic with the first handler);
    /// dispose the result to unsubscribe. Handlers run one at a time on a background task, never under the router lock.
    /// </summary>
    public IDisposable Subscribe(string topic, Action<GossipMessage> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (!_handlers.TryGetValue(topic, out var list))
            {
                list = [];
                _handlers[topic] = list;
                _router.Subscribe(topic);
            }

            list.Add(handler);
        }

        return new Subscription(this, topic, handler);
    }

    /// <summary>
    /// Publishes <paramref name="data"/> on <paramref name="topic"/>; returns the number of peers it was sent to.
    /// Throws <see cref="ArgumentException"/> for an oversized payload or bad topic, <see cref="DuplicateMessageException"/> for a repeat.
    /// </summary>
    public int Publish(string topic, ReadOnlySpan<byte> data)
    {
        lock (_gate)
            return _router.Publish(topic, data);
    }

    /// <summary>Sets the application validator of <paramref name="topic"/> (runs under the router lock: keep it fast).</summary>
    public void SetValidator(string topic, Func<GossipMessage, ValidationResult>? validator)
    {
        lock (_gate)
            _router.SetValidator(topic, validator);
    }

    /// <summary>Peers in our mesh for <paramref name="topic"/>.</summary>
    public IReadOnlyList<PeerId> MeshPeers(string topic)
    {
        lock (_gate)
            return ToPeerIds(_router.MeshPeers(topic));
    }

    /// <summary>Peers known to subscribe to <paramref name="topic"/>.</summary>
    public IReadOnlyList<PeerId> TopicPeers(string topic)
    {
        lock (_gate)
            return ToPeerIds(_router.TopicPeers(topic));
    }

    /// <summary>The router's score of <paramref name="peer"/>.</summary>
    public double Score(PeerId peer)
    {
        lock (_gate)
            return _router.Score(peer.ToString());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        _host.PeerConnected -= OnPeerConnected;
        _host.PeerDisconnected -= OnPeerDisconnected;
        await _stop.CancelAsync().ConfigureAwait(false);
        _deliveries.Writer.TryComplete();
        foreach (var session in _sessions.Values)
            session.Queue.Writer.TryComplete();
        if (_heartbeatTask is not null)
            await _heartbeatTask.ConfigureAwait(false);
        if (_deliveryTask is not null)
            await _deliveryTask.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static List<PeerId> ToPeerIds(IReadOnlyList<string> peers)
    {
        var list = new List<PeerId>(peers.Count);
        foreach (var p in peers)
            list.Add(PeerId.Parse(p));
        return list;
    }

    private void OnPeerConnected(Connection connection)
    {
        var key = connection.RemotePeer.ToString();
        var session = _sessions.GetOrAdd(key, _ => new PeerSession(connection.RemotePeer));
        if (Interlocked.Exchange(ref session.WriterStarted, 1) == 0)
            _ = Task.Run(() => WriterLoopAsync(session, connection));
    }

    private void OnPeerDisconnected(Connection connection)
    {
        var peer = connection.RemotePeer;
        if (_host.FindConnection(peer) is not null)
            return; // another connection to the same peer is still up
        var key = peer.ToString();
        lock (_gate)
            _router.RemovePeer(key);
        if (_sessions.TryRemove(key, out var session))
            session.Queue.Writer.TryComplete();
    }

    /// <summary>Opens our sending stream to the peer and writes its queued frames in order.</summary>
    private async Task WriterLoopAsync(PeerSession session, Connection connection)
    {
        var key = session.Peer.ToString();
        P2pStream? stream = null;
        try
        {
            stream = await connection.OpenStreamAsync(GossipProtocolIds.Preferred, _stop.Token).ConfigureAwait(false);
            var protocol = GossipProtocolIds.Parse(stream.Protocol) ?? GossipProtocol.Floodsub;
            lock (_gate)
                _router.AddPeer(key, session.Peer.Bytes.ToArray(), protocol, connection.Direction == ConnectionDirection.Outbound);

            var reader = session.Queue.Reader;
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                    await stream.WriteAsync(frame, _stop.Token).ConfigureAwait(false);
                await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (ProtocolNotSupportedException)
        {
            // Not a pubsub peer; nothing to do.
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or P2pProtocolException or ObjectDisposedException or InvalidDataException)
        {
            if (!_stop.IsCancellationRequested && !connection.IsClosed)
            {
                // Without a sending stream the peer cannot be served: take it out of the router until it reconnects.
                _host.Log($"gossipsub: sending to {key} failed ({e.Message}); removing it from pubsub");
                lock (_gate)
                    _router.RemovePeer(key);
                _sessions.TryRemove(key, out _);
            }
        }
        finally
        {
            if (stream is not null)
                await stream.DisposeAsync().ConfigureAwait(false);
            if (_sessions.TryGetValue(key, out var current) && current == session)
                Interlocked.Exchange(ref session.WriterStarted, 0);
        }
    }

    /// <summary>Reads the peer's RPC frames; malformed or oversized input drops the peer's connection with a log line.</summary>
    private async Task HandleInboundStreamAsync(P2pStream stream, CancellationToken ct)
    {
        await using (stream.ConfigureAwait(false))
        {
            var connection = stream.Connection;
            var peer = connection.RemotePeer;
            var key = peer.ToString();
            var protocol = GossipProtocolIds.Parse(stream.Protocol) ?? GossipProtocol.Floodsub;
            _sessions.GetOrAdd(key, _ => new PeerSession(peer));
            lock (_gate)
                _router.AddPeer(key, peer.Bytes.ToArray(), protocol, connection.Direction == ConnectionDirection.Outbound);
            OnPeerConnected(connection); // make sure our sending side exists too

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
            string? dropReason = null;
            try
            {
                while (true)
                {
                    var frame = await LengthPrefixed.ReadAsync(stream, _router.Options.MaxRpcSize, linked.Token).ConfigureAwait(false);
                    if (frame is null)
                        return; // the peer closed its sending stream
                    RPC rpc;
                    try
                    {
                        rpc = RPC.Parser.ParseFrom(frame);
                    }
                    catch (InvalidProtocolBufferException e)
                    {
                        dropReason = $"malformed RPC frame of {frame.Length} bytes ({e.Message})";
                        return;
                    }

                    lock (_gate)
                        _router.HandleRpc(key, rpc);
                }
            }
            catch (InvalidDataException e)
            {
                dropReason = e.Message; // over MaxRpcSize
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
            {
                // Stream or connection closed.
            }
            finally
            {
                if (dropReason is not null)
                {
                    _host.Log($"gossipsub: dropping peer {key}: {dropReason}");
                    await connection.CloseAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(_router.Options.HeartbeatInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                lock (_gate)
                    _router.Heartbeat();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task DeliveryLoopAsync()
    {
        var buffer = new List<Action<GossipMessage>>();
        try
        {
            await foreach (var message in _deliveries.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                buffer.Clear();
                lock (_gate)
                {
                    if (_handlers.TryGetValue(message.Topic, out var list))
                        buffer.AddRange(list);
                }

                foreach (var handler in buffer)
                {
                    try
                    {
                        handler(message);
                    }
#pragma warning disable CA1031 // a subscriber's bug must not stop delivery to the others
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        _host.Log($"gossipsub: subscriber of '{message.Topic}' threw {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Unsubscribe(string topic, Action<GossipMessage> handler)
    {
        lock (_gate)
        {
            if (!_handlers.TryGetValue(topic, out var list) || !list.Remove(handler) || list.Count > 0)
                return;
            _handlers.Remove(topic);
            _router.Unsubscribe(topic);
        }
    }

    private sealed class PeerSession(PeerId peer)
    {
        public PeerId Peer { get; } = peer;

        public Channel<byte[]> Queue { get; } = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(PeerQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

        public int WriterStarted;
    }

    private sealed class Subscription(GossipsubService owner, string topic, Action<GossipMessage> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unsubscribe(topic, handler);
        }
    }

    /// <summary>The router's effects, called under the router lock: frames are encoded once and queued, never written inline.</summary>
    private sealed class Sink(GossipsubService owner) : IGossipsubSink
    {
        private RPC? _lastRpc;
        private byte[]? _lastFrame;

        public void Send(string peer, RPC rpc)
        {
            if (!owner._sessions.TryGetValue(peer, out var session))
                return;

            // Forwarding sends one RPC object to many peers in a row: encode it once.
            if (!ReferenceEquals(rpc, _lastRpc) || _lastFrame is null)
            {
                var size = rpc.CalculateSize();
                var prefix = Varint.SizeOf((ulong)size);
                var frame = new byte[prefix + size];
                Varint.Write((ulong)size, frame);
                rpc.WriteTo(frame.AsSpan(prefix));
                _lastRpc = rpc;
                _lastFrame = frame;
            }

            if (!session.Queue.Writer.TryWrite(_lastFrame) && Interlocked.Increment(ref owner._droppedFrames) % 1000 == 1)
                owner._host.Log($"gossipsub: send queue to {peer} is full; dropping frames (peer too slow)");
        }

        public void Deliver(GossipMessage message)
        {
            if (!owner._deliveries.Writer.TryWrite(message))
                owner._host.Log($"gossipsub: delivery queue full; dropped message {message.Id} on '{message.Topic}'");
        }

        public void PeerGraylisted(string peer, double score, string reason)
        {
            if (owner.PeerGraylisted is { } handler && PeerId.TryParse(peer, out var id) && id is not null)
                _ = Task.Run(() => handler(id, score, reason));
        }

        public void PeerExchange(string fromPeer, string topic, IReadOnlyList<PeerInfo> peers)
        {
            if (owner.PeerExchangeReceived is not { } handler || !PeerId.TryParse(fromPeer, out var from) || from is null)
                return;
            var ids = new List<PeerId>(peers.Count);
            foreach (var info in peers)
            {
                try
                {
                    ids.Add(PeerId.FromBytes(info.PeerID.Span));
                }
                catch (FormatException)
                {
                    // a malformed id in PX is skipped
                }
            }

            _ = Task.Run(() => handler(from, topic, ids));
        }

        public void Log(string line) => owner._host.Log(line);
    }
}
