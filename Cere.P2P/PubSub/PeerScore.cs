namespace Cere.P2P.PubSub;

/// <summary>
/// Peer scores (gossipsub-v1.1.md "Peer Scoring"): counters per peer and topic that the router feeds
/// with events, decayed on the heartbeat, and turned into a score on demand.
/// </summary>
internal sealed class PeerScore
{
    private readonly PeerScoreParams _params;
    private readonly Dictionary<string, PeerStats> _peers = new(StringComparer.Ordinal);
    private long _lastDecayMs;

    public PeerScore(PeerScoreParams parameters, long nowMs)
    {
        _params = parameters;
        _lastDecayMs = nowMs;
    }

    /// <summary>Number of peers with retained statistics (connected or recently disconnected).</summary>
    public int TrackedPeers => _peers.Count;

    public void AddPeer(string peer)
    {
        if (_peers.TryGetValue(peer, out var stats))
        {
            stats.Connected = true; // a returning peer gets its retained score back, good or bad
            return;
        }

        _peers[peer] = new PeerStats { Connected = true };
    }

    public void RemovePeer(string peer, long nowMs)
    {
        if (!_peers.TryGetValue(peer, out var stats))
            return;

        // Forget a peer with nothing held against it at once; keep the others for RetainScore.
        if (Score(peer, nowMs) > 0 && stats.BehaviourPenalty <= 0)
        {
            _peers.Remove(peer);
            return;
        }

        foreach (var (topic, ts) in stats.Topics)
        {
            if (ts.InMesh)
                ApplyMeshFailure(topic, ts, nowMs);
            ts.InMesh = false;
            ts.MeshMessageDeliveriesActive = false;
        }

        stats.Connected = false;
        stats.ExpireAtMs = nowMs + (long)_params.RetainScore.TotalMilliseconds;
    }

    public void Graft(string peer, string topic, long nowMs)
    {
        var ts = TopicStats(peer, topic);
        if (ts is null)
            return;
        ts.InMesh = true;
        ts.GraftTimeMs = nowMs;
        ts.MeshTimeMs = 0;
        ts.MeshMessageDeliveriesActive = false;
    }

    public void Prune(string peer, string topic, long nowMs)
    {
        var ts = TopicStats(peer, topic);
        if (ts is null)
            return;
        ApplyMeshFailure(topic, ts, nowMs);
        ts.InMesh = false;
    }

    /// <summary>A message first delivered by <paramref name="peer"/> was validated (P2, and P3 if a mesh peer).</summary>
    public void FirstDelivery(string peer, string topic)
    {
        var tp = _params.ForTopic(topic);
        var ts = TopicStats(peer, topic);
        if (tp is null || ts is null)
            return;
        ts.FirstMessageDeliveries = Math.Min(ts.FirstMessageDeliveries + 1, tp.FirstMessageDeliveriesCap);
        if (ts.InMesh)
            ts.MeshMessageDeliveries = Math.Min(ts.MeshMessageDeliveries + 1, tp.MeshMessageDeliveriesCap);
    }

    /// <summary>A mesh peer delivered a copy of a valid message near the first delivery (P3 "near-first").</summary>
    public void NearFirstDelivery(string peer, string topic, long firstSeenMs, long nowMs)
    {
        var tp = _params.ForTopic(topic);
        var ts = TopicStats(peer, topic);
        if (tp is null || ts is null || !ts.InMesh)
            return;
        if (nowMs - firstSeenMs > (long)tp.MeshMessageDeliveriesWindow.TotalMilliseconds)
            return;
        ts.MeshMessageDeliveries = Math.Min(ts.MeshMessageDeliveries + 1, tp.MeshMessageDeliveriesCap);
    }

    /// <summary>The peer delivered an invalid message (P4).</summary>
    public void InvalidDelivery(string peer, string topic)
    {
        var ts = TopicStats(peer, topic);
        if (ts is not null)
            ts.InvalidMessageDeliveries += 1;
    }

    /// <summary>Adds to the behaviour penalty counter (P7): GRAFT in backoff, broken IWANT promises.</summary>
    public void AddPenalty(string peer, double count)
    {
        if (_peers.TryGetValue(peer, out var stats))
            stats.BehaviourPenalty += count;
    }

    public double Score(string peer, long nowMs)
    {
        if (!_peers.TryGetValue(peer, out var stats))
            return 0;

        double topicScore = 0;
        foreach (var (topic, ts) in stats.Topics)
        {
            var tp = _params.ForTopic(topic);
            if (tp is null)
                continue;
            double t = 0;
            if (ts.InMesh)
            {
                // P1 is computed lazily from the graft time rather than tracked on every tick.
                var meshMs = Math.Max(ts.MeshTimeMs, nowMs - ts.GraftTimeMs);
                var p1 = Math.Min(meshMs / Math.Max(1, tp.TimeInMeshQuantum.TotalMilliseconds), tp.TimeInMeshCap);
                t += tp.TimeInMeshWeight * p1;
            }

            t += tp.FirstMessageDeliveriesWeight * ts.FirstMessageDeliveries;
            if (ts.MeshMessageDeliveriesActive && ts.MeshMessageDeliveries < tp.MeshMessageDeliveriesThreshold)
            {
                var deficit = tp.MeshMessageDeliveriesThreshold - ts.MeshMessageDeliveries;
                t += tp.MeshMessageDeliveriesWeight * deficit * deficit;
            }

            t += tp.MeshFailurePenaltyWeight * ts.MeshFailurePenalty;
            t += tp.InvalidMessageDeliveriesWeight * ts.InvalidMessageDeliveries * ts.InvalidMessageDeliveries;
            topicScore += tp.TopicWeight * t;
        }

        if (_params.TopicScoreCap > 0 && topicScore > _params.TopicScoreCap)
            topicScore = _params.TopicScoreCap;

        var score = topicScore;
        if (_params.AppSpecificScore is { } app)
            score += _params.AppSpecificWeight * app(peer);
        if (stats.BehaviourPenalty > _params.BehaviourPenaltyThreshold)
        {
            var excess = stats.BehaviourPenalty - _params.BehaviourPenaltyThreshold;
            score += _params.BehaviourPenaltyWeight * excess * excess;
        }

        return score;
    }

    /// <summary>Invalid-message counter summed over topics, for log lines that say why a peer scores low.</summary>
    public double InvalidMessages(string peer)
    {
        if (!_peers.TryGetValue(peer, out var stats))
            return 0;
        double n = 0;
        foreach (var ts in stats.Topics.Values)
            n += ts.InvalidMessageDeliveries;
        return n;
    }

    /// <summary>Behaviour penalty counter (P7), for log lines.</summary>
    public double BehaviourPenalty(string peer) => _peers.TryGetValue(peer, out var s) ? s.BehaviourPenalty : 0;

    /// <summary>Decays counters once per elapsed decay interval, activates P3, and forgets expired peers.</summary>
    public void Refresh(long nowMs)
    {
        var intervalMs = (long)Math.Max(1, _params.DecayInterval.TotalMilliseconds);
        var steps = (nowMs - _lastDecayMs) / intervalMs;
        if (steps <= 0)
            return;
        _lastDecayMs += steps * intervalMs;
        var cappedSteps = (int)Math.Min(steps, 1000); // beyond this every counter is already zero

        List<string>? expired = null;
        foreach (var (peer, stats) in _peers)
        {
            if (!stats.Connected && stats.ExpireAtMs <= nowMs)
            {
                (expired ??= []).Add(peer);
                continue;
            }

            foreach (var (topic, ts) in stats.Topics)
            {
                var tp = _params.ForTopic(topic);
                if (tp is null)
                    continue;
                ts.FirstMessageDeliveries = Decay(ts.FirstMessageDeliveries, tp.FirstMessageDeliveriesDecay, cappedSteps);
                ts.MeshMessageDeliveries = Decay(ts.MeshMessageDeliveries, tp.MeshMessageDeliveriesDecay, cappedSteps);
                ts.MeshFailurePenalty = Decay(ts.MeshFailurePenalty, tp.MeshFailurePenaltyDecay, cappedSteps);
                ts.InvalidMessageDeliveries = Decay(ts.InvalidMessageDeliveries, tp.InvalidMessageDeliveriesDecay, cappedSteps);
                if (ts.InMesh)
                {
                    ts.MeshTimeMs = nowMs - ts.GraftTimeMs;
                    if (ts.MeshTimeMs > (long)tp.MeshMessageDeliveriesActivation.TotalMilliseconds)
                        ts.MeshMessageDeliveriesActive = true;
                }
            }

            stats.BehaviourPenalty = Decay(stats.BehaviourPenalty, _params.BehaviourPenaltyDecay, cappedSteps);
        }

        if (expired is not null)
        {
            foreach (var peer in expired)
                _peers.Remove(peer);
        }
    }

    private double Decay(double value, double factor, int steps)
    {
        if (value == 0)
            return 0;
        value *= Math.Pow(factor, steps);
        return Math.Abs(value) < _params.DecayToZero ? 0 : value;
    }

    private void ApplyMeshFailure(string topic, TopicStatsEntry ts, long nowMs)
    {
        var tp = _params.ForTopic(topic);
        if (tp is null)
            return;
        // P3b: a peer leaving the mesh while in delivery deficit keeps the squared deficit as a sticky penalty.
        if (ts.MeshMessageDeliveriesActive && ts.MeshMessageDeliveries < tp.MeshMessageDeliveriesThreshold)
        {
            var deficit = tp.MeshMessageDeliveriesThreshold - ts.MeshMessageDeliveries;
            ts.MeshFailurePenalty += deficit * deficit;
        }

        ts.MeshMessageDeliveriesActive = false;
        ts.MeshTimeMs = nowMs - ts.GraftTimeMs;
    }

    private TopicStatsEntry? TopicStats(string peer, string topic)
    {
        if (!_peers.TryGetValue(peer, out var stats) || _params.ForTopic(topic) is null)
            return null;
        if (!stats.Topics.TryGetValue(topic, out var ts))
        {
            ts = new TopicStatsEntry();
            stats.Topics[topic] = ts;
        }

        return ts;
    }

    private sealed class PeerStats
    {
        public bool Connected;
        public long ExpireAtMs;
        public double BehaviourPenalty;
        public readonly Dictionary<string, TopicStatsEntry> Topics = new(StringComparer.Ordinal);
    }

    private sealed class TopicStatsEntry
    {
        public bool InMesh;
        public long GraftTimeMs;
        public long MeshTimeMs;
        public double FirstMessageDeliveries;
        public double MeshMessageDeliveries;
        public bool MeshMessageDeliveriesActive;
        public double MeshFailurePenalty;
        public double InvalidMessageDeliveries;
    }
}
