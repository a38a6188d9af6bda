using Cere.P2P.PubSub.Wire;
using Google.Protobuf;

namespace Cere.P2P.PubSub;

/// <summary>Incoming RPCs: subscriptions, messages, and control messages.</summary>
public sealed partial class GossipsubRouter
{
    private static readonly byte[] SignPrefix = "libp2p-pubsub:"u8.ToArray();

    /// <summary>Handles one decoded RPC from <paramref name="peer"/>. RPCs from unknown or graylisted peers are ignored.</summary>
    public void HandleRpc(string peer, RPC rpc)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        if (!_peers.TryGetValue(peer, out var state))
            return;
        var now = NowMs();

        // gossipsub-v1.1.md "Score Thresholds": every RPC of a graylisted peer is ignored.
        if (_score.Score(peer, now) < _options.Thresholds.GraylistThreshold)
        {
            CheckGraylist(state, now);
            return;
        }

        foreach (var sub in rpc.Subscriptions)
            HandleSubscription(state, sub);

        foreach (var message in rpc.Publish)
            HandleMessage(state, message, now);

        if (rpc.Control is { } control)
            HandleControl(state, control, now);

        CheckGraylist(state, now);
    }

    private void HandleSubscription(PeerState state, RPC.Types.SubOpts sub)
    {
        var topic = sub.Topicid;
        if (!sub.HasTopicid || !IsAcceptableTopic(topic))
            return;

        if (sub.Subscribe)
        {
            if (state.Topics.Count >= _options.MaxTopicsPerPeer && !state.Topics.Contains(topic))
            {
                _sink.Log($"gossipsub: peer {state.Peer} exceeds {_options.MaxTopicsPerPeer} topics; ignoring subscription to '{topic}'");
                return;
            }

            if (!state.Topics.Add(topic))
                return;
            if (!_topicPeers.TryGetValue(topic, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _topicPeers[topic] = set;
            }

            set.Add(state.Peer);
            return;
        }

        if (!state.Topics.Remove(topic))
            return;
        if (_topicPeers.TryGetValue(topic, out var peers))
        {
            peers.Remove(state.Peer);
            if (peers.Count == 0)
                _topicPeers.Remove(topic);
        }

        if (_mesh.TryGetValue(topic, out var mesh) && mesh.Remove(state.Peer))
            _score.Prune(state.Peer, topic, NowMs());
        if (_fanout.TryGetValue(topic, out var fanout))
            fanout.Remove(state.Peer);
    }

    private bool IsAcceptableTopic(string topic) =>
        topic.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(topic) <= _options.MaxTopicLength;

    private void HandleMessage(PeerState state, Message message, long now)
    {
        if (!message.HasTopic || message.Topic.Length == 0)
        {
            // No topic to charge P4 to: a behaviour penalty instead.
            _score.AddPenalty(state.Peer, 1);
            _sink.Log($"gossipsub: peer {state.Peer} sent a message without a topic");
            return;
        }

        var topic = message.Topic;

        // Messages on topics we do not subscribe to are not ours to judge or forward.
        if (!_subscriptions.Contains(topic))
            return;

        if (message.Data.Length > _options.MaxMessageSize)
        {
            Reject(state, topic, $"payload of {message.Data.Length} bytes exceeds {_options.MaxMessageSize}");
            return;
        }

        var policyError = CheckSignaturePolicyFields(message);
        if (policyError is not null)
        {
            Reject(state, topic, policyError);
            return;
        }

        MessageId id;
        try
        {
            id = ComputeMessageId(message);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            Reject(state, topic, $"message id function failed: {e.Message}");
            return;
        }

        if (_seen.TryGet(id, out var firstSeenMs, out var status))
        {
            HandleDuplicate(state, topic, id, status, firstSeenMs, now);
            return;
        }

        // Signatures are checked before the id is marked seen, so that a forged copy cannot keep the genuine one out.
        if (_options.SignaturePolicy == SignaturePolicy.StrictSign && !VerifySignature(message))
        {
            Reject(state, topic, "invalid signature");
            return;
        }

        if (_ownPeerId.Length > 0 && message.From.Span.SequenceEqual(_ownPeerId))
        {
            // Our own message coming back after it left our seen cache: never re-deliver or re-forward it.
            return;
        }

        _promises.Remove(id);
        var gossipMessage = new GossipMessage(id, topic, message.Data.Memory, message.From.Memory, message.Seqno.Memory, state.Peer);
        var result = _validators.TryGetValue(topic, out var validate) ? validate(gossipMessage) : ValidationResult.Accept;
        switch (result)
        {
            case ValidationResult.Accept:
                _seen.TryAdd(id, DeliveryStatus.Valid, now);
                _score.FirstDelivery(state.Peer, topic);
                _mcache.Put(id, message);
                _sink.Deliver(gossipMessage);
                Forward(message, topic, state.Peer);
                break;
            case ValidationResult.Reject:
                _seen.TryAdd(id, DeliveryStatus.Invalid, now);
                Reject(state, topic, $"rejected by the application validator (message {id})");
                break;
            default:
                _seen.TryAdd(id, DeliveryStatus.Ignored, now);
                break;
        }
    }

    private void HandleDuplicate(PeerState state, string topic, MessageId id, DeliveryStatus status, long firstSeenMs, long now)
    {
        switch (status)
        {
            case DeliveryStatus.Valid:
                _score.NearFirstDelivery(state.Peer, topic, firstSeenMs, now);
                break;
            case DeliveryStatus.Invalid:
                // Forwarding a copy of a message known to be invalid is as bad as sending the first one.
                _score.InvalidDelivery(state.Peer, topic);
                break;
        }

        _promises.Remove(id);
    }

    private void Reject(PeerState state, string topic, string reason)
    {
        _score.InvalidDelivery(state.Peer, topic);
        _sink.Log($"gossipsub: invalid message from {state.Peer} on '{topic}': {reason}");
    }

    /// <summary>pubsub/README.md "Signature Policy Options": which fields a message must or must not carry.</summary>
    private string? CheckSignaturePolicyFields(Message message)
    {
        if (_options.SignaturePolicy == SignaturePolicy.StrictNoSign)
        {
            if (message.HasFrom || message.HasSeqno || message.HasSignature || message.HasKey)
                return "StrictNoSign: message carries from/seqno/signature/key";
            return null;
        }

        if (!message.HasFrom || message.From.Length == 0)
            return "StrictSign: missing from";
        if (!message.HasSeqno || message.Seqno.Length != 8)
            return "StrictSign: seqno must be 8 bytes";
        if (!message.HasSignature || message.Signature.Length == 0)
            return "StrictSign: missing signature";
        return null;
    }

    private bool VerifySignature(Message message)
    {
        var payload = SignedPayload(message);
        return _verifier!.Verify(message.From.Span, message.Key.Span, payload, message.Signature.Span);
    }

    /// <summary>
    /// "libp2p-pubsub:" + the message without signature and key, encoded afresh in field order, as go- and
    /// js-libp2p sign and verify it (pubsub/README.md "Message Signing").
    /// </summary>
    private static byte[] SignedPayload(Message message)
    {
        var unsigned = new Message();
        if (message.HasFrom)
            unsigned.From = message.From;
        if (message.HasData)
            unsigned.Data = message.Data;
        if (message.HasSeqno)
            unsigned.Seqno = message.Seqno;
        if (message.HasTopic)
            unsigned.Topic = message.Topic;
        var size = unsigned.CalculateSize();
        var payload = new byte[SignPrefix.Length + size];
        SignPrefix.CopyTo(payload, 0);
        unsigned.WriteTo(payload.AsSpan(SignPrefix.Length));
        return payload;
    }

    private MessageId ComputeMessageId(Message message)
    {
        if (_options.MessageIdFunction is { } custom)
            return new MessageId(custom(message));
        if (_options.SignaturePolicy == SignaturePolicy.StrictNoSign)
            return new MessageId(System.Security.Cryptography.SHA256.HashData(message.Data.Span));

        // pubsub/README.md "Message Identification": origin stamping, author ‖ seqno. The author is written as
        // js-libp2p-gossipsub 14 does (the protobuf public key, inlined in an identity peer id), so that the ids we
        // gossip in IHAVE are the ones js peers compute; a hashed peer id falls back to the key field, then to from.
        var author = InlinedKey(message.From.Span);
        if (author.IsEmpty)
            author = message.HasKey && message.Key.Length > 0 ? message.Key.Span : message.From.Span;
        var id = new byte[author.Length + message.Seqno.Length];
        author.CopyTo(id);
        message.Seqno.Span.CopyTo(id.AsSpan(author.Length));
        return new MessageId(id);
    }

    /// <summary>The encoded public key inside an identity multihash (code 0x00, one-byte length), else empty.</summary>
    private static ReadOnlySpan<byte> InlinedKey(ReadOnlySpan<byte> peerId)
    {
        if (peerId.Length < 2 || peerId[0] != 0x00 || peerId[1] >= 0x80 || peerId[1] != peerId.Length - 2)
            return default;
        return peerId[2..];
    }

    private void HandleControl(PeerState state, ControlMessage control, long now)
    {
        if (!IsGossipsub(state))
            return;

        RPC? reply = null;
        var gossipAllowed = _score.Score(state.Peer, now) >= _options.Thresholds.GossipThreshold;
        if (gossipAllowed)
        {
            foreach (var ihave in control.Ihave)
                HandleIHave(state, ihave, now, ref reply);
            if (control.Iwant.Count > 0)
                HandleIWant(state, control.Iwant, ref reply);
        }

        foreach (var graft in control.Graft)
            HandleGraft(state, graft, now, ref reply);

        foreach (var prune in control.Prune)
            HandlePrune(state, prune, now);

        if (reply is not null)
            _sink.Send(state.Peer, reply);
    }

    private void HandleIHave(PeerState state, ControlIHave ihave, long now, ref RPC? reply)
    {
        // gossipsub-v1.1.md "Spam Protection Measures": cap IHAVEs and advertised ids per heartbeat.
        state.IHaveMessages++;
        if (state.IHaveMessages > _options.MaxIHaveMessages)
        {
            if (state.IHaveMessages == _options.MaxIHaveMessages + 1)
                _sink.Log($"gossipsub: peer {state.Peer} sent more than {_options.MaxIHaveMessages} IHAVEs this heartbeat; ignoring the rest");
            return;
        }

        if (state.IHaveIdsAsked >= _options.MaxIHaveLength || !_subscriptions.Contains(ihave.TopicID))
            return;

        ControlIWant? iwant = null;
        MessageId tracked = default;
        var budget = _options.MaxIHaveLength - state.IHaveIdsAsked;
        foreach (var raw in ihave.MessageIDs)
        {
            if (budget == 0)
                break;
            var id = new MessageId(raw.ToByteArray());
            if (_seen.Contains(id))
                continue;
            iwant ??= new ControlIWant();
            iwant.MessageIDs.Add(raw);
            budget--;

            // Track one id per IHAVE, chosen uniformly (reservoir sampling) so the peer cannot predict which.
            if (_rng.Next(iwant.MessageIDs.Count) == 0)
                tracked = id;
        }

        if (iwant is null)
            return;
        state.IHaveIdsAsked += iwant.MessageIDs.Count;
        if (!_promises.TryGetValue(tracked, out var byPeer))
        {
            byPeer = new Dictionary<string, long>(StringComparer.Ordinal);
            _promises[tracked] = byPeer;
        }

        byPeer.TryAdd(state.Peer, now + (long)_options.IWantFollowupTime.TotalMilliseconds);
        reply ??= new RPC();
        reply.Control ??= new ControlMessage();
        reply.Control.Iwant.Add(iwant);
    }

    private void HandleIWant(PeerState state, IEnumerable<ControlIWant> iwants, ref RPC? reply)
    {
        var budget = _options.MaxIHaveLength; // bounds the work one RPC can ask of us
        foreach (var iwant in iwants)
        {
            foreach (var raw in iwant.MessageIDs)
            {
                if (budget-- <= 0)
                    return;
                var id = new MessageId(raw.ToByteArray());
                if (!_mcache.TryGet(id, out var message))
                    continue;
                if (_mcache.CountTransmission(id, state.Peer) > _options.GossipRetransmission)
                    continue;
                reply ??= new RPC();
                reply.Publish.Add(message);
            }
        }
    }

    private void HandleGraft(PeerState state, ControlGraft graft, long now, ref RPC? reply)
    {
        var topic = graft.TopicID;

        // gossipsub-v1.1.md "Spam Protection Measures": GRAFTs for topics we are not in are ignored.
        if (!_mesh.TryGetValue(topic, out var mesh) || mesh.Contains(state.Peer))
            return;

        if (_backoff.TryGetValue(topic, out var backoffs) && backoffs.ContainsKey(state.Peer)
            && !(_imposedBackoff.TryGetValue(topic, out var imposed) && imposed.ContainsKey(state.Peer)))
        {
            // The backoff came from the peer's own PRUNE (it left the topic, e.g. a node shutting down that has now
            // restarted): its GRAFT withdraws that request. Penalising it would graylist every node that restarts
            // within the unsubscribe backoff.
            backoffs.Remove(state.Peer);
        }

        if (_imposedBackoff.TryGetValue(topic, out var ours) && ours.TryGetValue(state.Peer, out var until) && until > now)
        {
            // gossipsub-v1.1.md "PRUNE Backoff and Peer Exchange": a GRAFT within the backoff is penalised (P7),
            // doubly so right after the PRUNE, and answered with a PRUNE that extends the backoff.
            _score.AddPenalty(state.Peer, 1);
            var prunedAt = until - (long)_options.PruneBackoff.TotalMilliseconds;
            if (now < prunedAt + (long)_options.GraftFloodThreshold.TotalMilliseconds)
                _score.AddPenalty(state.Peer, 1);
            _sink.Log($"gossipsub: peer {state.Peer} GRAFTed '{topic}' during its backoff; penalised");
            AddPrune(ref reply, state, topic, peerExchange: false, _options.PruneBackoff, now);
            return;
        }

        if (_score.Score(state.Peer, now) < 0)
        {
            AddPrune(ref reply, state, topic, peerExchange: false, _options.PruneBackoff, now);
            return;
        }

        // gossipsub-v1.1.md "Outbound Mesh Quotas": when full, only outbound peers may join.
        if (mesh.Count >= _options.DHigh && !state.Outbound)
        {
            AddPrune(ref reply, state, topic, peerExchange: true, _options.PruneBackoff, now);
            return;
        }

        mesh.Add(state.Peer);
        _score.Graft(state.Peer, topic, now);
    }

    private void HandlePrune(PeerState state, ControlPrune prune, long now)
    {
        var topic = prune.TopicID;
        if (_mesh.TryGetValue(topic, out var mesh) && mesh.Remove(state.Peer))
            _score.Prune(state.Peer, topic, now);

        var backoff = prune.HasBackoff
            ? TimeSpan.FromSeconds(Math.Min(prune.Backoff, 3600UL))
            : _options.PruneBackoff;
        SetBackoff(topic, state.Peer, backoff, now);

        if (prune.Peers.Count == 0 || state.Protocol != GossipProtocol.Meshsub11)
            return;

        // Peer exchange only from peers we trust enough (gossipsub-v1.1.md "Score Thresholds": AcceptPXThreshold).
        if (_score.Score(state.Peer, now) < _options.Thresholds.AcceptPxThreshold)
            return;
        var offered = new List<PeerInfo>(Math.Min(prune.Peers.Count, _options.PrunePeers));
        foreach (var info in prune.Peers)
        {
            if (offered.Count == _options.PrunePeers)
                break;
            if (info.HasPeerID && info.PeerID.Length > 0)
                offered.Add(info);
        }

        if (offered.Count > 0)
            _sink.PeerExchange(state.Peer, topic, offered);
    }

    private void SetBackoff(string topic, string peer, TimeSpan duration, long now) => SetBackoff(_backoff, topic, peer, duration, now);

    private static void SetBackoff(Dictionary<string, Dictionary<string, long>> backoffs, string topic, string peer, TimeSpan duration, long now)
    {
        if (!backoffs.TryGetValue(topic, out var byPeer))
        {
            byPeer = new Dictionary<string, long>(StringComparer.Ordinal);
            backoffs[topic] = byPeer;
        }

        var until = now + (long)duration.TotalMilliseconds;
        if (!byPeer.TryGetValue(peer, out var current) || current < until)
            byPeer[peer] = until;
    }

    /// <summary>Adds a PRUNE for <paramref name="topic"/> to <paramref name="reply"/> and starts our own backoff for the peer.</summary>
    private void AddPrune(ref RPC? reply, PeerState state, string topic, bool peerExchange, TimeSpan backoff, long now)
    {
        reply ??= new RPC();
        reply.Control ??= new ControlMessage();
        reply.Control.Prune.Add(MakePrune(state, topic, peerExchange, backoff, now));
    }

    private ControlPrune MakePrune(PeerState state, string topic, bool peerExchange, TimeSpan backoff, long now)
    {
        SetBackoff(topic, state.Peer, backoff, now);
        SetBackoff(_imposedBackoff, topic, state.Peer, backoff, now);
        var prune = new ControlPrune { TopicID = topic };
        if (state.Protocol != GossipProtocol.Meshsub11)
            return prune; // v1.0 peers know neither backoff nor peer exchange

        prune.Backoff = (ulong)backoff.TotalSeconds;
        if (!peerExchange || !_topicPeers.TryGetValue(topic, out var candidates))
            return prune;

        var pick = new List<string>(candidates.Count);
        foreach (var p in candidates)
        {
            if (p != state.Peer && _peers.TryGetValue(p, out var ps) && ps.PeerIdBytes.Length > 0 && _score.Score(p, now) >= 0)
                pick.Add(p);
        }

        foreach (var p in Shuffle(pick, _options.PrunePeers))
            prune.Peers.Add(new PeerInfo { PeerID = ByteString.CopyFrom(_peers[p].PeerIdBytes) });
        return prune;
    }
}
