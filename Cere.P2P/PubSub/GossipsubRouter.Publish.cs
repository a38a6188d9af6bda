using System.Buffers.Binary;
using Cere.P2P.PubSub.Wire;
using Google.Protobuf;

namespace Cere.P2P.PubSub;

/// <summary>Joining and leaving topics, publishing, and forwarding.</summary>
public sealed partial class GossipsubRouter
{
    /// <summary>Joins <paramref name="topic"/>: announces the subscription and grafts up to D peers (gossipsub-v1.0.md "Router State: JOIN").</summary>
    public void Subscribe(string topic)
    {
        if (!IsAcceptableTopic(topic))
            throw new ArgumentException($"topic must be 1..{_options.MaxTopicLength} bytes of UTF-8", nameof(topic));
        if (!_subscriptions.Add(topic))
            return;

        var announce = new RPC();
        announce.Subscriptions.Add(new RPC.Types.SubOpts { Subscribe = true, Topicid = topic });
        foreach (var peer in _peers.Keys)
            _sink.Send(peer, announce);

        var now = NowMs();
        var mesh = new HashSet<string>(StringComparer.Ordinal);
        _mesh[topic] = mesh;

        // Fanout peers come first: they already carry our messages for the topic.
        if (_fanout.Remove(topic, out var fanout))
        {
            foreach (var p in fanout)
            {
                if (mesh.Count < _options.D && _peers.TryGetValue(p, out var ps) && IsGossipsub(ps) && !IsBackedOffAt(topic, p, now) && _score.Score(p, now) >= 0)
                    mesh.Add(p);
            }

            _fanoutLastPublishMs.Remove(topic);
        }

        if (mesh.Count < _options.D)
        {
            foreach (var p in GraftCandidates(topic, mesh, now, _options.D - mesh.Count))
                mesh.Add(p);
        }

        foreach (var p in mesh)
        {
            _score.Graft(p, topic, now);
            var rpc = new RPC { Control = new ControlMessage() };
            rpc.Control.Graft.Add(new ControlGraft { TopicID = topic });
            _sink.Send(p, rpc);
        }
    }

    /// <summary>Leaves <paramref name="topic"/>: announces it and PRUNEs the mesh with the unsubscribe backoff.</summary>
    public void Unsubscribe(string topic)
    {
        if (!_subscriptions.Remove(topic))
            return;
        var now = NowMs();
        _mesh.Remove(topic, out var mesh);
        foreach (var (peer, state) in _peers)
        {
            var rpc = new RPC();
            rpc.Subscriptions.Add(new RPC.Types.SubOpts { Subscribe = false, Topicid = topic });
            if (mesh is not null && mesh.Contains(peer))
            {
                _score.Prune(peer, topic, now);
                rpc.Control = new ControlMessage();
                rpc.Control.Prune.Add(MakePrune(state, topic, peerExchange: true, _options.UnsubscribeBackoff, now));
            }

            _sink.Send(peer, rpc);
        }
    }

    /// <summary>
    /// Publishes <paramref name="data"/> on <paramref name="topic"/>, signed per the policy, and returns the number of
    /// peers it was sent to (0 when no peer is known on the topic; the message is still cached for gossip).
    /// </summary>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="GossipsubOptions.MaxMessageSize"/> or the topic is malformed.</exception>
    /// <exception cref="DuplicateMessageException">The message id was already seen (e.g. identical data under StrictNoSign).</exception>
    public int Publish(string topic, ReadOnlySpan<byte> data)
    {
        if (!IsAcceptableTopic(topic))
            throw new ArgumentException($"topic must be 1..{_options.MaxTopicLength} bytes of UTF-8", nameof(topic));
        if (data.Length > _options.MaxMessageSize)
            throw new ArgumentException($"payload of {data.Length} bytes exceeds the {_options.MaxMessageSize}-byte limit", nameof(data));

        var message = new Message { Topic = topic, Data = ByteString.CopyFrom(data) };
        if (_options.SignaturePolicy == SignaturePolicy.StrictSign)
        {
            Span<byte> seqno = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(seqno, ++_seqno);
            message.From = ByteString.CopyFrom(_ownPeerId);
            message.Seqno = ByteString.CopyFrom(seqno);
            message.Signature = ByteString.CopyFrom(_signer!.Sign(SignedPayload(message)));
            if (!_signer.KeyFieldBytes.IsEmpty)
                message.Key = ByteString.CopyFrom(_signer.KeyFieldBytes.Span);
        }

        var id = ComputeMessageId(message);
        var now = NowMs();
        if (!_seen.TryAdd(id, DeliveryStatus.Valid, now))
            throw new DuplicateMessageException(id);
        _mcache.Put(id, message);

        var recipients = PublishRecipients(topic, now);
        if (recipients.Count == 0)
            return 0;
        var rpc = new RPC();
        rpc.Publish.Add(message);
        foreach (var peer in recipients)
            _sink.Send(peer, rpc);
        return recipients.Count;
    }

    private HashSet<string> PublishRecipients(string topic, long now)
    {
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        if (!_topicPeers.TryGetValue(topic, out var topicPeers))
            return recipients;

        if (_options.FloodPublish)
        {
            // gossipsub-v1.1.md "Flood Publishing": our own messages go to every topic peer above the publish threshold.
            foreach (var p in topicPeers)
            {
                if (_score.Score(p, now) >= _options.Thresholds.PublishThreshold)
                    recipients.Add(p);
            }

            return recipients;
        }

        foreach (var p in topicPeers)
        {
            if (_peers[p].Protocol == GossipProtocol.Floodsub && _score.Score(p, now) >= _options.Thresholds.PublishThreshold)
                recipients.Add(p);
        }

        if (_mesh.TryGetValue(topic, out var mesh))
        {
            recipients.UnionWith(mesh);
            return recipients;
        }

        // Not subscribed: publish through the fanout, created on first use (gossipsub-v1.0.md "Router State").
        if (!_fanout.TryGetValue(topic, out var fanout))
        {
            fanout = new HashSet<string>(StringComparer.Ordinal);
            _fanout[topic] = fanout;
        }

        if (fanout.Count < _options.D)
        {
            foreach (var p in FanoutCandidates(topic, fanout, now, _options.D - fanout.Count))
                fanout.Add(p);
        }

        _fanoutLastPublishMs[topic] = now;
        recipients.UnionWith(fanout);
        return recipients;
    }

    /// <summary>Sends a validated message to the topic's floodsub peers and mesh, except where it came from and its author.</summary>
    private void Forward(Message message, string topic, string source)
    {
        if (!_topicPeers.TryGetValue(topic, out var topicPeers))
            return;
        RPC? rpc = null;
        foreach (var p in topicPeers)
        {
            if (p == source)
                continue;
            var state = _peers[p];
            var inMesh = _mesh.TryGetValue(topic, out var mesh) && mesh.Contains(p);
            if (!inMesh && state.Protocol != GossipProtocol.Floodsub)
                continue;
            if (state.PeerIdBytes.Length > 0 && message.From.Span.SequenceEqual(state.PeerIdBytes))
                continue;
            if (rpc is null)
            {
                rpc = new RPC();
                rpc.Publish.Add(message);
            }

            _sink.Send(p, rpc);
        }
    }
}

/// <summary>Thrown when publishing a message whose id was already seen.</summary>
public sealed class DuplicateMessageException(MessageId id)
    : InvalidOperationException($"message {id} was already published or seen");
