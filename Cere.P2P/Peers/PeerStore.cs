using Cere.P2P.Addressing;
using Cere.P2P.Crypto;

namespace Cere.P2P.Peers;

/// <summary>
/// Known peers: their addresses and protocols, bootnode flag, bans with expiry, and dial bookkeeping.
/// Thread-safe. Bounded: past <see cref="Capacity"/> the least recently seen non-bootnode, unbanned peer is forgotten.
/// </summary>
public sealed class PeerStore
{
    /// <summary>Addresses kept per peer (newest first), so a peer cannot fill our memory with addresses.</summary>
    public const int MaxAddressesPerPeer = 16;

    private readonly Dictionary<PeerId, Entry> _peers = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a store of at most <paramref name="capacity"/> peers.</summary>
    public PeerStore(TimeProvider? time = null, int capacity = 10_000)
    {
        if (capacity <= 0)
            throw new ArgumentException("peer store capacity must be positive", nameof(capacity));
        _time = time ?? TimeProvider.System;
        Capacity = capacity;
    }

    /// <summary>Most peers remembered.</summary>
    public int Capacity { get; }

    /// <summary>Number of peers remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _peers.Count;
        }
    }

    /// <summary>Adds a bootnode from its full address (<c>…/p2p/&lt;id&gt;</c>); throws <see cref="ArgumentException"/> if the id is missing.</summary>
    public PeerId AddBootnode(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var peer = address.PeerId ?? throw new ArgumentException($"bootnode address {address} lacks /p2p/<peer id>", nameof(address));
        lock (_gate)
        {
            var e = GetOrCreate(peer);
            e.IsBootnode = true;
            AddAddress(e, address.WithoutPeerId());
        }

        return peer;
    }

    /// <summary>Records dialable addresses of <paramref name="peer"/> (a <c>/p2p</c> suffix is dropped).</summary>
    public void AddAddresses(PeerId peer, IEnumerable<Multiaddr> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        lock (_gate)
        {
            var e = GetOrCreate(peer);
            foreach (var a in addresses)
                AddAddress(e, a.WithoutPeerId());
        }
    }

    /// <summary>Records what identify told us.</summary>
    public void SetIdentify(PeerId peer, IReadOnlyList<string> protocols, string? agentVersion)
    {
        lock (_gate)
        {
            var e = GetOrCreate(peer);
            e.Protocols = [.. protocols];
            e.AgentVersion = agentVersion;
        }
    }

    /// <summary>Marks <paramref name="peer"/> as connected now: resets its dial failures.</summary>
    public void MarkConnected(PeerId peer)
    {
        lock (_gate)
        {
            var e = GetOrCreate(peer);
            e.FailedDials = 0;
            e.LastSeen = _time.GetUtcNow();
            e.NextDialAt = e.LastSeen;
        }
    }

    /// <summary>Records a failed dial and when to try again; returns the failure count.</summary>
    public int MarkDialFailed(PeerId peer, DateTimeOffset nextDialAt)
    {
        lock (_gate)
        {
            var e = GetOrCreate(peer);
            e.FailedDials++;
            e.NextDialAt = nextDialAt;
            return e.FailedDials;
        }
    }

    /// <summary>Sets the earliest next dial time (e.g. the first retry after a disconnect).</summary>
    public void SetNextDial(PeerId peer, DateTimeOffset at)
    {
        lock (_gate)
            GetOrCreate(peer).NextDialAt = at;
    }

    /// <summary>Bans <paramref name="peer"/> for <paramref name="duration"/>; a longer existing ban is kept.</summary>
    public void Ban(PeerId peer, TimeSpan duration, string reason)
    {
        lock (_gate)
        {
            var e = GetOrCreate(peer);
            var until = _time.GetUtcNow() + duration;
            if (e.BannedUntil is null || e.BannedUntil < until)
            {
                e.BannedUntil = until;
                e.BanReason = reason;
            }
        }
    }

    /// <summary>Lifts a ban.</summary>
    public void Unban(PeerId peer)
    {
        lock (_gate)
        {
            if (_peers.TryGetValue(peer, out var e))
            {
                e.BannedUntil = null;
                e.BanReason = null;
            }
        }
    }

    /// <summary>True while <paramref name="peer"/> is banned; <paramref name="reason"/> says why.</summary>
    public bool IsBanned(PeerId peer, out string? reason)
    {
        lock (_gate)
        {
            if (_peers.TryGetValue(peer, out var e) && e.BannedUntil is { } until)
            {
                if (until > _time.GetUtcNow())
                {
                    reason = e.BanReason;
                    return true;
                }

                e.BannedUntil = null; // expired
                e.BanReason = null;
            }
        }

        reason = null;
        return false;
    }

    /// <summary>A snapshot of one peer, or null.</summary>
    public PeerRecord? Get(PeerId peer)
    {
        lock (_gate)
            return _peers.TryGetValue(peer, out var e) ? e.Snapshot() : null;
    }

    /// <summary>Snapshots of every peer.</summary>
    public IReadOnlyList<PeerRecord> All()
    {
        lock (_gate)
        {
            var list = new List<PeerRecord>(_peers.Count);
            foreach (var e in _peers.Values)
                list.Add(e.Snapshot());
            return list;
        }
    }

    private static void AddAddress(Entry e, Multiaddr address)
    {
        e.Addresses.Remove(address);
        e.Addresses.Insert(0, address);
        if (e.Addresses.Count > MaxAddressesPerPeer)
            e.Addresses.RemoveRange(MaxAddressesPerPeer, e.Addresses.Count - MaxAddressesPerPeer);
    }

    private Entry GetOrCreate(PeerId peer)
    {
        if (_peers.TryGetValue(peer, out var e))
            return e;
        if (_peers.Count >= Capacity)
            EvictOne();
        e = new Entry(peer, _time.GetUtcNow());
        _peers[peer] = e;
        return e;
    }

    private void EvictOne()
    {
        Entry? oldest = null;
        var now = _time.GetUtcNow();
        foreach (var e in _peers.Values)
        {
            // Bootnodes and active bans are what the store exists to remember.
            if (e.IsBootnode || e.BannedUntil > now)
                continue;
            if (oldest is null || e.LastSeen < oldest.LastSeen)
                oldest = e;
        }

        if (oldest is null)
        {
            // Only bootnodes and banned peers left (a flood of throwaway identities): forget the oldest ban.
            foreach (var e in _peers.Values)
            {
                if (!e.IsBootnode && (oldest is null || e.LastSeen < oldest.LastSeen))
                    oldest = e;
            }
        }

        if (oldest is not null)
            _peers.Remove(oldest.Peer);
    }

    private sealed class Entry(PeerId peer, DateTimeOffset now)
    {
        public PeerId Peer { get; } = peer;

        public List<Multiaddr> Addresses { get; } = [];

        public List<string> Protocols { get; set; } = [];

        public string? AgentVersion { get; set; }

        public bool IsBootnode { get; set; }

        public DateTimeOffset? BannedUntil { get; set; }

        public string? BanReason { get; set; }

        public int FailedDials { get; set; }

        public DateTimeOffset NextDialAt { get; set; } = now;

        public DateTimeOffset LastSeen { get; set; } = now;

        public PeerRecord Snapshot() =>
            new(Peer, [.. Addresses], [.. Protocols], AgentVersion, IsBootnode, BannedUntil, BanReason, FailedDials, NextDialAt, LastSeen);
    }
}
