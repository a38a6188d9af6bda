namespace Cere.P2P.PubSub;

/// <summary>What became of a message we have seen, so duplicates can be scored like the first copy.</summary>
internal enum DeliveryStatus : byte
{
    /// <summary>Validated and accepted.</summary>
    Valid,

    /// <summary>Rejected (by our checks or the application).</summary>
    Invalid,

    /// <summary>Dropped without penalty.</summary>
    Ignored,
}

/// <summary>
/// Message ids seen within <c>SeenTtl</c> (gossipsub-v1.0.md "Message Cache": the seen cache), with
/// what became of each. Bounded in time and in count: under a flood the oldest entries go first.
/// </summary>
internal sealed class SeenCache
{
    private readonly Dictionary<MessageId, Entry> _entries = [];
    private readonly Queue<MessageId> _order = new();
    private readonly long _ttlMs;
    private readonly int _capacity;

    public SeenCache(TimeSpan ttl, int capacity)
    {
        _ttlMs = (long)ttl.TotalMilliseconds;
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    /// <summary>Records a first sighting; false (and nothing changes) when the id is already known.</summary>
    public bool TryAdd(MessageId id, DeliveryStatus status, long nowMs)
    {
        if (_entries.ContainsKey(id))
            return false;
        while (_entries.Count >= _capacity && _order.TryDequeue(out var oldest))
            _entries.Remove(oldest);
        _entries[id] = new Entry(nowMs, status);
        _order.Enqueue(id);
        return true;
    }

    public bool Contains(MessageId id) => _entries.ContainsKey(id);

    public bool TryGet(MessageId id, out long firstSeenMs, out DeliveryStatus status)
    {
        if (_entries.TryGetValue(id, out var e))
        {
            firstSeenMs = e.FirstSeenMs;
            status = e.Status;
            return true;
        }

        firstSeenMs = 0;
        status = default;
        return false;
    }

    public void SetStatus(MessageId id, DeliveryStatus status)
    {
        if (_entries.TryGetValue(id, out var e))
            _entries[id] = e with { Status = status };
    }

    /// <summary>Drops entries older than the TTL; ids enter in time order, so only the head of the queue is checked.</summary>
    public void Prune(long nowMs)
    {
        while (_order.TryPeek(out var id))
        {
            if (!_entries.TryGetValue(id, out var e))
            {
                _order.Dequeue(); // already evicted for capacity
                continue;
            }

            if (nowMs - e.FirstSeenMs < _ttlMs)
                break;
            _order.Dequeue();
            _entries.Remove(id);
        }
    }

    private readonly record struct Entry(long FirstSeenMs, DeliveryStatus Status);
}
