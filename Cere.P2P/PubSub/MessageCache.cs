using Cere.P2P.PubSub.Wire;

namespace Cere.P2P.PubSub;

/// <summary>
/// The message cache (gossipsub-v1.0.md "Message Cache"): recent messages in heartbeat windows. The
/// newest <c>gossip</c> windows are advertised in IHAVE; all <c>length</c> windows answer IWANT.
/// Bounded in count as well, so a flood within one heartbeat cannot grow it without limit.
/// </summary>
internal sealed class MessageCache
{
    private readonly Dictionary<MessageId, CachedMessage> _messages = [];
    private readonly List<Queue<(MessageId Id, string Topic)>> _windows = [];
    private readonly int _gossipWindows;
    private readonly int _capacity;

    public MessageCache(int length, int gossipWindows, int capacity)
    {
        _gossipWindows = gossipWindows;
        _capacity = capacity;
        for (var i = 0; i < length; i++)
            _windows.Add(new Queue<(MessageId, string)>());
    }

    public int Count => _messages.Count;

    public void Put(MessageId id, Message message)
    {
        if (_messages.ContainsKey(id))
            return;
        if (_messages.Count >= _capacity)
            EvictOldest();
        _messages[id] = new CachedMessage(message);
        _windows[0].Enqueue((id, message.Topic));
    }

    public bool TryGet(MessageId id, out Message message)
    {
        if (_messages.TryGetValue(id, out var cached))
        {
            message = cached.Message;
            return true;
        }

        message = null!;
        return false;
    }

    /// <summary>Counts one IWANT answer of <paramref name="id"/> to <paramref name="peer"/>; returns the new count, or 0 when not cached.</summary>
    public int CountTransmission(MessageId id, string peer)
    {
        if (!_messages.TryGetValue(id, out var cached))
            return 0;
        cached.Transmissions ??= new(StringComparer.Ordinal);
        cached.Transmissions.TryGetValue(peer, out var n);
        cached.Transmissions[peer] = ++n;
        return n;
    }

    /// <summary>Ids of <paramref name="topic"/> in the gossip windows, newest window first.</summary>
    public void GossipIds(string topic, List<MessageId> into)
    {
        for (var w = 0; w < _gossipWindows; w++)
        {
            foreach (var (id, t) in _windows[w])
            {
                if (string.Equals(t, topic, StringComparison.Ordinal) && _messages.ContainsKey(id))
                    into.Add(id);
            }
        }
    }

    /// <summary>Moves every window one step older; the oldest window's messages leave the cache.</summary>
    public void Shift()
    {
        var last = _windows[^1];
        foreach (var (id, _) in last)
            _messages.Remove(id);
        last.Clear();
        _windows.RemoveAt(_windows.Count - 1);
        _windows.Insert(0, last);
    }

    private void EvictOldest()
    {
        for (var w = _windows.Count - 1; w >= 0; w--)
        {
            if (_windows[w].TryDequeue(out var oldest))
            {
                _messages.Remove(oldest.Id);
                return;
            }
        }
    }

    private sealed class CachedMessage(Message message)
    {
        public Message Message { get; } = message;

        public Dictionary<string, int>? Transmissions { get; set; }
    }
}
