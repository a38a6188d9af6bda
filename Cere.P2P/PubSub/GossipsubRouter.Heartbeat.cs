using Cere.P2P.PubSub.Wire;
using Google.Protobuf;

namespace Cere.P2P.PubSub;

/// <summary>The heartbeat (gossipsub-v1.0.md "Heartbeat", gossipsub-v1.1.md "Heartbeat Maintenance").</summary>
public sealed partial class GossipsubRouter
{
    /// <summary>
    /// Runs one heartbeat: score decay, broken-promise penalties, backoff expiry, mesh maintenance,
    /// fanout maintenance, gossip emission, then the message-cache shift. Call every <see cref="GossipsubOptions.HeartbeatInterval"/>.
    /// </summary>
    public void Heartbeat()
    {
        var now = NowMs();
        _heartbeats++;
        _score.Refresh(now);

        foreach (var state in _peers.Values)
        {
            state.IHaveMessages = 0;
            state.IHaveIdsAsked = 0;
        }

        ApplyBrokenPromises(now);
        ExpireBackoffs(now);

        var grafts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var prunes = new Dictionary<string, List<(string Topic, bool PeerExchange)>>(StringComparer.Ordinal);
        foreach (var (topic, mesh) in _mesh)
            MaintainMesh(topic, mesh, now, grafts, prunes);
        MaintainFanout(now);

        foreach (var topic in _mesh.Keys)
            EmitGossip(topic, _mesh[topic], now);
        foreach (var (topic, fanout) in _fanout)
            EmitGossip(topic, fanout, now);

        Flush(grafts, prunes, now);
        _mcache.Shift();
        _seen.Prune(now);

        foreach (var state in _peers.Values)
            CheckGraylist(state, now);
    }

    private void ApplyBrokenPromises(long now)
    {
        List<MessageId>? done = null;
        foreach (var (id, byPeer) in _promises)
        {
            List<string>? expired = null;
            foreach (var (peer, deadline) in byPeer)
            {
                if (deadline <= now)
                    (expired ??= []).Add(peer);
            }

            if (expired is null)
                continue;
            foreach (var peer in expired)
            {
                byPeer.Remove(peer);
                // gossipsub-v1.1.md "Spam Protection Measures": an IHAVE not followed up is a P7 penalty.
                _score.AddPenalty(peer, 1);
                _sink.Log($"gossipsub: peer {peer} advertised {id} in IHAVE but did not deliver it; penalised");
            }

            if (byPeer.Count == 0)
                (done ??= []).Add(id);
        }

        if (done is not null)
        {
            foreach (var id in done)
                _promises.Remove(id);
        }
    }

    private void ExpireBackoffs(long now)
    {
        // One heartbeat of slack so that we never GRAFT right at the edge of the peer's own backoff.
        var slack = (long)_options.HeartbeatInterval.TotalMilliseconds;
        ExpireBackoffs(_backoff, now, slack);
        ExpireBackoffs(_imposedBackoff, now, slack);
    }

    private static void ExpireBackoffs(Dictionary<string, Dictionary<string, long>> backoffs, long now, long slack)
    {
        List<string>? emptyTopics = null;
        foreach (var (topic, byPeer) in backoffs)
        {
            List<string>? expired = null;
            foreach (var (peer, until) in byPeer)
            {
                if (until + slack < now)
                    (expired ??= []).Add(peer);
            }

            if (expired is not null)
            {
                foreach (var peer in expired)
                    byPeer.Remove(peer);
            }

            if (byPeer.Count == 0)
                (emptyTopics ??= []).Add(topic);
        }

        if (emptyTopics is not null)
        {
            foreach (var topic in emptyTopics)
                backoffs.Remove(topic);
        }
    }

    /// <summary>Whether a backoff entry (expired or not, until the heartbeat clears it) forbids grafting.</summary>
    private bool IsBackedOffAt(string topic, string peer, long now) =>
        _backoff.TryGetValue(topic, out var b) && b.ContainsKey(peer);

    private void MaintainMesh(
        string topic,
        HashSet<string> mesh,
        long now,
        Dictionary<string, List<string>> grafts,
        Dictionary<string, List<(string Topic, bool PeerExchange)>> prunes)
    {
        // Peers with a negative score leave every mesh, without peer exchange.
        List<string>? negative = null;
        foreach (var p in mesh)
        {
            if (_score.Score(p, now) < 0)
                (negative ??= []).Add(p);
        }

        if (negative is not null)
        {
            foreach (var p in negative)
            {
                _sink.Log($"gossipsub: pruning {p} from '{topic}': score {_score.Score(p, now):0.##} is negative");
                RemoveFromMesh(topic, mesh, p, now, prunes, peerExchange: false);
            }
        }

        if (mesh.Count < _options.DLow)
        {
            foreach (var p in GraftCandidates(topic, mesh, now, _options.D - mesh.Count))
                AddToMesh(topic, mesh, p, now, grafts);
        }

        if (mesh.Count > _options.DHigh)
            PruneOversubscribed(topic, mesh, now, prunes);

        if (mesh.Count >= _options.DLow)
        {
            var outbound = 0;
            foreach (var p in mesh)
            {
                if (_peers[p].Outbound)
                    outbound++;
            }

            if (outbound < _options.DOut)
            {
                var need = _options.DOut - outbound;
                var candidates = new List<string>();
                foreach (var p in GraftCandidates(topic, mesh, now, int.MaxValue))
                {
                    if (_peers[p].Outbound)
                        candidates.Add(p);
                }

                foreach (var p in Shuffle(candidates, need))
                    AddToMesh(topic, mesh, p, now, grafts);
            }
        }

        if (_heartbeats % _options.OpportunisticGraftTicks == 0 && mesh.Count > 1)
            OpportunisticGraft(topic, mesh, now, grafts);
    }

    private void PruneOversubscribed(string topic, HashSet<string> mesh, long now, Dictionary<string, List<(string Topic, bool PeerExchange)>> prunes)
    {
        // Shuffle first so equal scores are kept at random, then keep the best D_score by score.
        var peers = Shuffle([.. mesh], int.MaxValue);
        var scores = new Dictionary<string, double>(peers.Count, StringComparer.Ordinal);
        foreach (var p in peers)
            scores[p] = _score.Score(p, now);
        peers.Sort((a, b) => scores[b].CompareTo(scores[a]));

        var keep = peers.GetRange(0, _options.DScore);
        var rest = Shuffle(peers.GetRange(_options.DScore, peers.Count - _options.DScore), int.MaxValue);
        keep.AddRange(rest.GetRange(0, _options.D - _options.DScore));
        var dropped = rest.GetRange(_options.D - _options.DScore, rest.Count - (_options.D - _options.DScore));

        // Keep at least D_out outbound peers: swap dropped outbound peers in for kept inbound ones from the back.
        var outbound = 0;
        foreach (var p in keep)
        {
            if (_peers[p].Outbound)
                outbound++;
        }

        for (var i = keep.Count - 1; i >= 0 && outbound < _options.DOut; i--)
        {
            if (_peers[keep[i]].Outbound)
                continue;
            var swap = dropped.FindIndex(p => _peers[p].Outbound);
            if (swap < 0)
                break;
            (keep[i], dropped[swap]) = (dropped[swap], keep[i]);
            outbound++;
        }

        foreach (var p in dropped)
            RemoveFromMesh(topic, mesh, p, now, prunes, peerExchange: true);
    }

    private void OpportunisticGraft(string topic, HashSet<string> mesh, long now, Dictionary<string, List<string>> grafts)
    {
        var scores = new List<double>(mesh.Count);
        foreach (var p in mesh)
            scores.Add(_score.Score(p, now));
        scores.Sort();
        var median = scores[scores.Count / 2];
        if (median >= _options.Thresholds.OpportunisticGraftThreshold)
            return;

        var better = new List<string>();
        foreach (var p in GraftCandidates(topic, mesh, now, int.MaxValue))
        {
            if (_score.Score(p, now) > median)
                better.Add(p);
        }

        foreach (var p in Shuffle(better, _options.OpportunisticGraftPeers))
        {
            _sink.Log($"gossipsub: opportunistically grafting {p} on '{topic}' (median mesh score {median:0.##})");
            AddToMesh(topic, mesh, p, now, grafts);
        }
    }

    private void AddToMesh(string topic, HashSet<string> mesh, string peer, long now, Dictionary<string, List<string>> grafts)
    {
        if (!mesh.Add(peer))
            return;
        _score.Graft(peer, topic, now);
        if (!grafts.TryGetValue(peer, out var list))
        {
            list = [];
            grafts[peer] = list;
        }

        list.Add(topic);
    }

    private void RemoveFromMesh(
        string topic,
        HashSet<string> mesh,
        string peer,
        long now,
        Dictionary<string, List<(string Topic, bool PeerExchange)>> prunes,
        bool peerExchange)
    {
        if (!mesh.Remove(peer))
            return;
        _score.Prune(peer, topic, now);
        if (!prunes.TryGetValue(peer, out var list))
        {
            list = [];
            prunes[peer] = list;
        }

        list.Add((topic, peerExchange));
    }

    /// <summary>Up to <paramref name="count"/> random topic peers that may be grafted: gossipsub, not in mesh, no backoff, score ≥ 0.</summary>
    private List<string> GraftCandidates(string topic, HashSet<string> mesh, long now, int count)
    {
        var candidates = new List<string>();
        if (!_topicPeers.TryGetValue(topic, out var peers))
            return candidates;
        foreach (var p in peers)
        {
            if (!mesh.Contains(p) && IsGossipsub(_peers[p]) && !IsBackedOffAt(topic, p, now) && _score.Score(p, now) >= 0)
                candidates.Add(p);
        }

        return Shuffle(candidates, count);
    }

    private List<string> FanoutCandidates(string topic, HashSet<string> fanout, long now, int count)
    {
        var candidates = new List<string>();
        if (!_topicPeers.TryGetValue(topic, out var peers))
            return candidates;
        foreach (var p in peers)
        {
            if (!fanout.Contains(p) && IsGossipsub(_peers[p]) && _score.Score(p, now) >= _options.Thresholds.PublishThreshold)
                candidates.Add(p);
        }

        return Shuffle(candidates, count);
    }

    private void MaintainFanout(long now)
    {
        List<string>? expired = null;
        var ttl = (long)_options.FanoutTtl.TotalMilliseconds;
        foreach (var (topic, fanout) in _fanout)
        {
            if (!_fanoutLastPublishMs.TryGetValue(topic, out var last) || last + ttl < now)
            {
                (expired ??= []).Add(topic);
                continue;
            }

            fanout.RemoveWhere(p =>
                !_topicPeers.TryGetValue(topic, out var tp) || !tp.Contains(p) ||
                _score.Score(p, now) < _options.Thresholds.PublishThreshold);
            if (fanout.Count < _options.D)
            {
                foreach (var p in FanoutCandidates(topic, fanout, now, _options.D - fanout.Count))
                    fanout.Add(p);
            }
        }

        if (expired is not null)
        {
            foreach (var topic in expired)
            {
                _fanout.Remove(topic);
                _fanoutLastPublishMs.Remove(topic);
            }
        }
    }

    /// <summary>IHAVE to a random D_lazy-or-GossipFactor share of topic peers outside the mesh/fanout (gossipsub-v1.1.md "Adaptive Gossip Dissemination").</summary>
    private void EmitGossip(string topic, HashSet<string> exclude, long now)
    {
        var ids = new List<MessageId>();
        _mcache.GossipIds(topic, ids);
        if (ids.Count == 0 || !_topicPeers.TryGetValue(topic, out var peers))
            return;

        var candidates = new List<string>();
        foreach (var p in peers)
        {
            if (!exclude.Contains(p) && IsGossipsub(_peers[p]) && _score.Score(p, now) >= _options.Thresholds.GossipThreshold)
                candidates.Add(p);
        }

        var target = Math.Max(_options.DLazy, (int)(_options.GossipFactor * candidates.Count));
        foreach (var p in Shuffle(candidates, target))
        {
            var ihave = new ControlIHave { TopicID = topic };
            if (ids.Count > _options.MaxIHaveLength)
            {
                // Too many to announce: a random subset, different for each peer.
                var subset = new List<MessageId>(ids);
                for (var i = 0; i < _options.MaxIHaveLength; i++)
                {
                    var j = _rng.Next(i, subset.Count);
                    (subset[i], subset[j]) = (subset[j], subset[i]);
                    ihave.MessageIDs.Add(UnsafeByteOperations.UnsafeWrap(subset[i].Bytes));
                }
            }
            else
            {
                foreach (var id in ids)
                    ihave.MessageIDs.Add(UnsafeByteOperations.UnsafeWrap(id.Bytes));
            }

            PendingControl(p).Ihave.Add(ihave);
        }
    }

    /// <summary>Sends each peer one RPC with its GRAFTs, PRUNEs and IHAVEs of this heartbeat.</summary>
    private void Flush(Dictionary<string, List<string>> grafts, Dictionary<string, List<(string Topic, bool PeerExchange)>> prunes, long now)
    {
        foreach (var (peer, topics) in grafts)
        {
            var control = PendingControl(peer);
            foreach (var topic in topics)
                control.Graft.Add(new ControlGraft { TopicID = topic });
        }

        foreach (var (peer, topics) in prunes)
        {
            if (!_peers.TryGetValue(peer, out var state))
                continue;
            var control = PendingControl(peer);
            foreach (var (topic, px) in topics)
                control.Prune.Add(MakePrune(state, topic, px, _options.PruneBackoff, now));
        }

        foreach (var (peer, control) in _pendingControl)
            _sink.Send(peer, new RPC { Control = control });
        _pendingControl.Clear();
    }
}
