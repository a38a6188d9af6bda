using System.Collections.Concurrent;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.PubSub;

namespace Cere.P2P.Peers;

/// <summary>
/// Keeps the host's connections healthy: dials bootnodes and redials them with exponential backoff, dials known peers
/// while under <see cref="ConnectionManagerOptions.MinPeers"/>, enforces <see cref="ConnectionManagerOptions.MaxPeers"/>
/// by dropping the lowest-scoring peer, and bans misbehaving peers. Every drop is logged with its reason.
/// </summary>
public sealed class ConnectionManager : IAsyncDisposable
{
    private readonly Host _host;
    private readonly ConnectionManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly ReconnectBackoff _backoff;
    private readonly ConcurrentDictionary<PeerId, byte> _dialing = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Creates the manager; <see cref="Start"/> begins dialling.</summary>
    public ConnectionManager(Host host, PeerStore store, ConnectionManagerOptions? options = null, TimeProvider? time = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(store);
        _host = host;
        Store = store;
        _options = options ?? new ConnectionManagerOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _random = random ?? new Random();
        _backoff = new ReconnectBackoff(_options.ReconnectInitialBackoff, _options.ReconnectMaxBackoff);
    }

    /// <summary>The peer store this manager reads and updates.</summary>
    public PeerStore Store { get; }

    /// <summary>Score of a peer (e.g. <see cref="GossipsubService.Score"/>); used to choose whom to drop. Null scores every peer 0.</summary>
    public Func<PeerId, double>? Score { get; set; }

    /// <summary>Distinct peers with an open connection.</summary>
    public IReadOnlyList<PeerId> ConnectedPeers()
    {
        var seen = new HashSet<PeerId>();
        var list = new List<PeerId>();
        foreach (var c in _host.Connections)
        {
            if (!c.IsClosed && seen.Add(c.RemotePeer))
                list.Add(c.RemotePeer);
        }

        return list;
    }

    /// <summary>Registers the bootnodes, starts watching connections, and starts the dial loop.</summary>
    public void Start()
    {
        if (_loop is not null)
            return;
        foreach (var b in _options.Bootnodes)
            Store.AddBootnode(b);
        _host.PeerConnected += OnConnected;
        _host.PeerDisconnected += OnDisconnected;
        _host.PeerIdentified += OnIdentified;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Uses gossipsub scores for pruning, bans peers it graylists, and remembers peers it learns by peer exchange.</summary>
    public void UseGossipsub(GossipsubService gossipsub)
    {
        ArgumentNullException.ThrowIfNull(gossipsub);
        Score = gossipsub.Score;
        gossipsub.PeerGraylisted += (peer, score, reason) =>
            _ = BanAsync(peer, _options.BanDuration, $"gossipsub score {score:0.##} below the graylist threshold ({reason})");
        gossipsub.PeerExchangeReceived += (from, topic, peers) =>
        {
            // PX brings peer ids without addresses (no signed records here): only peers we can already dial become candidates.
            foreach (var p in peers)
            {
                if (Store.Get(p) is { Addresses.Count: > 0 })
                    Store.SetNextDial(p, _time.GetUtcNow());
            }
        };
    }

    /// <summary>Bans <paramref name="peer"/> and closes its connections, logging why.</summary>
    public async Task BanAsync(PeerId peer, TimeSpan duration, string reason)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Store.Ban(peer, duration, reason);
        _host.Log($"p2p: banning peer {peer} for {duration.TotalSeconds:0.###} s: {reason}");
        await _host.HangUpAsync(peer).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        _host.PeerConnected -= OnConnected;
        _host.PeerDisconnected -= OnDisconnected;
        _host.PeerIdentified -= OnIdentified;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private double ScoreOf(PeerId peer)
    {
        try
        {
            return Score?.Invoke(peer) ?? 0;
        }
        catch (ObjectDisposedException)
        {
            return 0; // the score source is shutting down
        }
    }

    private void OnConnected(Connection connection)
    {
        var peer = connection.RemotePeer;
        if (Store.IsBanned(peer, out var reason))
        {
            _host.Log($"p2p: dropping peer {peer}: banned ({reason})");
            _ = connection.CloseAsync().AsTask();
            return;
        }

        Store.MarkConnected(peer);
        if (connection.Direction == ConnectionDirection.Outbound && !_options.DialOnlyBootnodeAddresses)
            Store.AddAddresses(peer, [connection.RemoteAddress]);

        var connected = ConnectedPeers();
        if (connected.Count <= _options.MaxPeers)
            return;

        // Over the limit: drop the lowest-scoring peer that is not a bootnode (the newcomer if nobody scores lower).
        PeerId? victim = null;
        var lowest = double.MaxValue;
        foreach (var p in connected)
        {
            if (Store.Get(p)?.IsBootnode == true)
                continue;
            var s = p == peer ? ScoreOf(p) - 1e-9 : ScoreOf(p); // ties drop the newcomer
            if (s < lowest)
            {
                lowest = s;
                victim = p;
            }
        }

        if (victim is null)
            return;
        _host.Log($"p2p: dropping peer {victim}: over the limit of {_options.MaxPeers} peers (lowest score {ScoreOf(victim):0.##})");
        _ = _host.HangUpAsync(victim);
    }

    private void OnIdentified(Connection connection)
    {
        if (connection.Identify is not { } info)
            return;
        Store.SetIdentify(connection.RemotePeer, info.Protocols, info.AgentVersion);
        if (_options.DialOnlyBootnodeAddresses)
            return; // the peer's own listen addresses would bypass the configured route
        Store.AddAddresses(connection.RemotePeer, info.ListenAddresses);
    }

    private void OnDisconnected(Connection connection)
    {
        var peer = connection.RemotePeer;
        if (_host.FindConnection(peer) is not null || _stop.IsCancellationRequested)
            return;
        if (Store.Get(peer) is { IsBootnode: true } && !Store.IsBanned(peer, out _))
        {
            var delay = _backoff.Delay(1);
            Store.SetNextDial(peer, _time.GetUtcNow() + delay);
            _host.Log($"p2p: lost bootnode {peer} ({connection.CloseReason ?? "closed"}); redialling in {delay.TotalSeconds:0.###} s");
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_options.CheckInterval, _time);
        try
        {
            do
            {
                Check();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Check()
    {
        var connected = ConnectedPeers();
        foreach (var peer in connected)
        {
            var score = ScoreOf(peer);
            if (score < _options.DisconnectScoreThreshold && !Store.IsBanned(peer, out _))
                _ = BanAsync(peer, _options.BanDuration, $"score {score:0.##} below {_options.DisconnectScoreThreshold}");
        }

        var now = _time.GetUtcNow();
        var wantMore = connected.Count < _options.MinPeers;
        var connectedSet = new HashSet<PeerId>(connected);
        foreach (var record in Store.All())
        {
            if (connectedSet.Contains(record.Peer) || record.Addresses.Count == 0 || record.NextDialAt > now)
                continue;
            if (!record.IsBootnode && (!wantMore || _options.DialOnlyBootnodeAddresses))
                continue;
            if (record.BannedUntil > now || record.Peer == _host.PeerId)
                continue;
            if (_dialing.TryAdd(record.Peer, 0))
                _ = DialAsync(record);
        }
    }

    private async Task DialAsync(PeerRecord record)
    {
        try
        {
            Exception? last = null;
            foreach (var address in record.Addresses)
            {
                try
                {
                    await _host.DialAsync(address.WithPeerId(record.Peer), _stop.Token).ConfigureAwait(false);
                    Store.MarkConnected(record.Peer);
                    return;
                }
                catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or P2pProtocolException or InvalidOperationException or Noise.NoiseException)
                {
                    last = e;
                }
            }

            TimeSpan delay;
            lock (_randomGate)
                delay = _backoff.DelayWithJitter(record.FailedDials + 1, _random);
            var failures = Store.MarkDialFailed(record.Peer, _time.GetUtcNow() + delay);
            _host.Log($"p2p: dialing {record.Peer} failed ({last?.Message ?? "no address"}); attempt {failures}, retrying in {delay.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        finally
        {
            _dialing.TryRemove(record.Peer, out _);
        }
    }
}
