namespace Cere.Chain.Network;

/// <summary>
/// The heights a catch-up still has to fetch, handed out lowest first as ranges of at most a given size: ranges that
/// came back (a failed or short answer) before fresh ones, so the block import waits for is always asked for first.
/// </summary>
internal sealed class RangePlan
{
    private readonly SortedDictionary<ulong, ulong> _requeued = [];
    private readonly ulong _target;
    private readonly ulong _size;
    private ulong _nextFresh;

    /// <summary>A plan for [<paramref name="first"/>, <paramref name="target"/>] in ranges of <paramref name="size"/> blocks.</summary>
    public RangePlan(ulong first, ulong target, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        First = first;
        _nextFresh = first;
        _target = target;
        _size = (ulong)size;
    }

    /// <summary>The first height of the plan.</summary>
    public ulong First { get; }

    /// <summary>The next range to fetch (not taken yet), or false when every height is handed out.</summary>
    public bool TryPeek(out ulong start, out ulong end)
    {
        foreach (KeyValuePair<ulong, ulong> r in _requeued)
        {
            (start, end) = (r.Key, r.Value);
            return true;
        }

        start = _nextFresh;
        end = _target - start + 1 > _size ? start + _size - 1 : _target;
        return start <= _target;
    }

    /// <summary>Takes the range <see cref="TryPeek"/> returned.</summary>
    public void Take()
    {
        if (!TryPeek(out ulong start, out ulong end))
        {
            throw new InvalidOperationException("no range left to take");
        }

        if (!_requeued.Remove(start))
        {
            _nextFresh = end + 1;
        }
    }

    /// <summary>Hands [<paramref name="start"/>, <paramref name="end"/>] out again (an empty range is ignored).</summary>
    public void Requeue(ulong start, ulong end)
    {
        if (start <= end)
        {
            _requeued[start] = end;
        }
    }
}
