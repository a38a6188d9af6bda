using Cere.P2P.PubSub.Wire;

namespace Cere.P2P.PubSub;

/// <summary>
/// Gossipsub v1.1 router (libp2p/specs pubsub/gossipsub): topic meshes, fanout, IHAVE/IWANT gossip,
/// PRUNE backoff and peer exchange, flood publishing, message signing and peer scoring.
/// Transport-agnostic: the caller reports peers, RPCs and heartbeats; effects go to an
/// <see cref="IGossipsubSink"/>. Not thread-safe: one caller at a time (the host serialises).
/// </summary>
public sealed partial class GossipsubRouter
{
    private readonly GossipsubOptions _options;
    private readonly IGossipsubSink _sink;
    private readonly TimeProvider _time;
    private readonly Random _rng;
    private readonly IPubSubSigner? _signer;
    private readonly IPubSubSignatureVerifier? _verifier;

    private readonly Dictionary<string, PeerState> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _topicPeers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _mesh = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _fanout = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fanoutLastPublishMs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, long>> _backoff = new(StringComparer.Ordinal);
    // The subset of _backoff that this node imposed by sending a PRUNE: only a GRAFT inside one of these breaks a
    // backoff (P7 penalty). A backoff the peer asked for in its own PRUNE (it left the topic or shut down) binds us, not it.
    private readonly Dictionary<string, Dictionary<string, long>> _imposedBackoff = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ControlMessage> _pendingControl = new(StringComparer.Ordinal);
    private readonly Dictionary<MessageId, Dictionary<string, long>> _promises = [];
    private readonly Dictionary<string, Func<GossipMessage, ValidationResult>> _validators = new(StringComparer.Ordinal);
    private readonly SeenCache _seen;
    private readonly MessageCache _mcache;
    private readonly PeerScore _score;
    private readonly byte[] _ownPeerId;
    private ulong _seqno;
    private long _heartbeats;

    /// <summary>Creates a router; <paramref name="signer"/> and <paramref name="verifier"/> are required under StrictSign.</summary>
    public GossipsubRouter(
        GossipsubOptions options,
        IGossipsubSink sink,
        TimeProvider time,
        Random random,
        IPubSubSigner? signer = null,
        IPubSubSignatureVerifier? verifier = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        if (options.SignaturePolicy == SignaturePolicy.StrictSign && (signer is null || verifier is null))
            throw new ArgumentException("StrictSign needs a signer and a signature verifier");

        _options = options;
        _sink = sink;
        _time = time;
        _rng = random;
        _signer = signer;
        _verifier = verifier;
        _ownPeerId = signer?.PeerIdBytes.ToArray() ?? [];
        _seen = new SeenCache(options.SeenTtl, options.SeenCapacity);
        _mcache = new MessageCache(options.MessageCacheLength, options.MessageCacheGossip, options.MessageCacheCapacity);
        _score = new PeerScore(options.Score, NowMs());

        // Seqnos start from the clock (as go-libp2p does) so that a restarted node's messages are not
        // mistaken by its peers' seen caches for ones they saw before the restart.
        _seqno = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000UL;
    }

    /// <summary>The router's parameters.</summary>
    public GossipsubOptions Options => _options;

    /// <summary>Topics we subscribe to.</summary>
    public IReadOnlyCollection<string> Subscriptions => _subscriptions;

    /// <summary>Number of connected pubsub peers.</summary>
    public int PeerCount => _peers.Count;

    /// <summary>Ids remembered in the seen cache (bounded by <see cref="GossipsubOptions.SeenCapacity"/>).</summary>
    public int SeenCount => _seen.Count;

    /// <summary>Messages held in the message cache.</summary>
    public int CachedMessageCount => _mcache.Count;

    /// <summary>Outstanding IWANT promises being tracked.</summary>
    public int PromiseCount => _promises.Count;

    /// <summary>Peers with retained score statistics.</summary>
    public int ScoredPeerCount => _score.TrackedPeers;

    /// <summary>Registers the application validator for <paramref name="topic"/> (null removes it).</summary>
    public void SetValidator(string topic, Func<GossipMessage, ValidationResult>? validator)
    {
        if (validator is null)
            _validators.Remove(topic);
        else
            _validators[topic] = validator;
    }

    /// <summary>Current score of <paramref name="peer"/> (0 when unknown).</summary>
    public double Score(string peer) => _score.Score(peer, NowMs());

    /// <summary>Our mesh peers for <paramref name="topic"/> (a copy).</summary>
    public IReadOnlyList<string> MeshPeers(string topic) => _mesh.TryGetValue(topic, out var m) ? [.. m] : [];

    /// <summary>Our fanout peers for <paramref name="topic"/> (a copy).</summary>
    public IReadOnlyList<string> FanoutPeers(string topic) => _fanout.TryGetValue(topic, out var m) ? [.. m] : [];

    /// <summary>Peers known to subscribe to <paramref name="topic"/> (a copy).</summary>
    public IReadOnlyList<string> TopicPeers(string topic) => _topicPeers.TryGetValue(topic, out var m) ? [.. m] : [];

    /// <summary>True while we must not GRAFT <paramref name="peer"/> on <paramref name="topic"/>.</summary>
    public bool IsBackedOff(string topic, string peer) =>
        _backoff.TryGetValue(topic, out var b) && b.TryGetValue(peer, out var until) && until > NowMs();

    /// <summary>A peer opened a pubsub stream with <paramref name="protocol"/>; we greet it with our subscriptions.</summary>
    /// <param name="peer">Peer id text, the key used in every other call.</param>
    /// <param name="peerIdBytes">Binary peer id, offered to others in peer exchange.</param>
    /// <param name="protocol">Negotiated pubsub protocol.</param>
    /// <param name="outbound">True when we dialled the connection (gossipsub-v1.1.md "Outbound Mesh Quotas").</param>
    public void AddPeer(string peer, ReadOnlyMemory<byte> peerIdBytes, GossipProtocol protocol, bool outbound)
    {
        ArgumentException.ThrowIfNullOrEmpty(peer);
        if (_peers.ContainsKey(peer))
            return;
        _peers[peer] = new PeerState(peer, peerIdBytes.ToArray(), protocol, outbound);
        _score.AddPeer(peer);
        if (_subscriptions.Count == 0)
            return;

        var hello = new RPC();
        foreach (var topic in _subscriptions)
            hello.Subscriptions.Add(new RPC.Types.SubOpts { Subscribe = true, Topicid = topic });
        _sink.Send(peer, hello);
    }

    /// <summary>The peer's connection or pubsub stream is gone: forget it everywhere but in the score (retained).</summary>
    public void RemovePeer(string peer)
    {
        if (!_peers.Remove(peer, out var state))
            return;
        var now = NowMs();
        foreach (var topic in state.Topics)
        {
            if (_topicPeers.TryGetValue(topic, out var set))
            {
                set.Remove(peer);
                if (set.Count == 0)
                    _topicPeers.Remove(topic);
            }
        }

        foreach (var (topic, mesh) in _mesh)
        {
            if (mesh.Remove(peer))
                _score.Prune(peer, topic, now);
        }

        foreach (var fanout in _fanout.Values)
            fanout.Remove(peer);
        _pendingControl.Remove(peer);
        _score.RemovePeer(peer, now);
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private bool IsGossipsub(PeerState p) => p.Protocol != GossipProtocol.Floodsub;

    private ControlMessage PendingControl(string peer)
    {
        if (!_pendingControl.TryGetValue(peer, out var control))
        {
            control = new ControlMessage();
            _pendingControl[peer] = control;
        }

        return control;
    }

    /// <summary>Reports a peer once when its score first falls below the graylist threshold.</summary>
    private void CheckGraylist(PeerState state, long nowMs)
    {
        var score = _score.Score(state.Peer, nowMs);
        if (score >= _options.Thresholds.GraylistThreshold)
        {
            state.GraylistReported = false;
            return;
        }

        if (state.GraylistReported)
            return;
        state.GraylistReported = true;
        var reason = $"invalid messages {_score.InvalidMessages(state.Peer):0.##}, behaviour penalty {_score.BehaviourPenalty(state.Peer):0.##}";
        _sink.Log($"gossipsub: graylisting peer {state.Peer}: score {score:0.##} below {_options.Thresholds.GraylistThreshold} ({reason})");
        _sink.PeerGraylisted(state.Peer, score, reason);
    }

    /// <summary>Uniformly random selection of up to <paramref name="count"/> items (partial Fisher–Yates).</summary>
    private List<string> Shuffle(List<string> items, int count)
    {
        var n = Math.Min(count, items.Count);
        for (var i = 0; i < n; i++)
        {
            var j = _rng.Next(i, items.Count);
            (items[i], items[j]) = (items[j], items[i]);
        }

        if (items.Count > n)
            items.RemoveRange(n, items.Count - n);
        return items;
    }

    private sealed class PeerState(string peer, byte[] peerIdBytes, GossipProtocol protocol, bool outbound)
    {
        public string Peer { get; } = peer;

        public byte[] PeerIdBytes { get; } = peerIdBytes;

        public GossipProtocol Protocol { get; } = protocol;

        public bool Outbound { get; } = outbound;

        public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);

        /// <summary>IHAVE messages received since the last heartbeat.</summary>
        public int IHaveMessages { get; set; }

        /// <summary>Message ids asked for in response to this peer's IHAVEs since the last heartbeat.</summary>
        public int IHaveIdsAsked { get; set; }

        public bool GraylistReported { get; set; }
    }
}
