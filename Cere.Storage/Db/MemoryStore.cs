namespace Cere.Storage.Db;

/// <summary>An in-memory <see cref="IKeyValueStore"/> for tests and tools; thread-safe, batches atomic under a lock.</summary>
public sealed class MemoryStore : IKeyValueStore
{
    private readonly SortedDictionary<byte[], byte[]>[] _columns;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>An empty store.</summary>
    public MemoryStore()
    {
        _columns = new SortedDictionary<byte[], byte[]>[DbColumns.All.Length];
        for (int i = 0; i < _columns.Length; i++)
        {
            _columns[i] = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
        }
    }

    /// <summary>The number of keys in a column (for tests).</summary>
    public int Count(DbColumn column)
    {
        lock (_lock)
        {
            return Column(column).Count;
        }
    }

    /// <inheritdoc/>
    public byte[]? Get(DbColumn column, ReadOnlySpan<byte> key)
    {
        byte[] k = key.ToArray();
        lock (_lock)
        {
            ThrowIfDisposed();
            return Column(column).TryGetValue(k, out byte[]? v) ? (byte[])v.Clone() : null;
        }
    }

    /// <inheritdoc/>
    public bool Contains(DbColumn column, ReadOnlySpan<byte> key)
    {
        byte[] k = key.ToArray();
        lock (_lock)
        {
            ThrowIfDisposed();
            return Column(column).ContainsKey(k);
        }
    }

    /// <inheritdoc/>
    public void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        byte[] k = key.ToArray(), v = value.ToArray();
        lock (_lock)
        {
            ThrowIfDisposed();
            Column(column)[k] = v;
        }
    }

    /// <inheritdoc/>
    public void Delete(DbColumn column, ReadOnlySpan<byte> key)
    {
        byte[] k = key.ToArray();
        lock (_lock)
        {
            ThrowIfDisposed();
            Column(column).Remove(k);
        }
    }

    /// <inheritdoc/>
    public IWriteBatch StartBatch()
    {
        ThrowIfDisposed();
        return new MemoryWriteBatch(this);
    }

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate(DbColumn column)
    {
        KeyValuePair<byte[], byte[]>[] copy;
        lock (_lock)
        {
            ThrowIfDisposed();
            SortedDictionary<byte[], byte[]> c = Column(column);
            copy = new KeyValuePair<byte[], byte[]>[c.Count];
            int i = 0;
            foreach (KeyValuePair<byte[], byte[]> kv in c)
            {
                copy[i++] = new KeyValuePair<byte[], byte[]>((byte[])kv.Key.Clone(), (byte[])kv.Value.Clone());
            }
        }

        return copy;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }
    }

    private void Apply(List<(DbColumn Column, byte[] Key, byte[]? Value)> ops)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            foreach ((DbColumn column, byte[] key, byte[]? value) in ops)
            {
                if (value is null)
                {
                    Column(column).Remove(key);
                }
                else
                {
                    Column(column)[key] = value;
                }
            }
        }
    }

    private SortedDictionary<byte[], byte[]> Column(DbColumn column) => _columns[(int)column];

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class MemoryWriteBatch(MemoryStore store) : IWriteBatch
    {
        private readonly List<(DbColumn Column, byte[] Key, byte[]? Value)> _ops = [];
        private bool _done;

        public int Count => _ops.Count;

        public void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            ThrowIfDone();
            _ops.Add((column, key.ToArray(), value.ToArray()));
        }

        public void Delete(DbColumn column, ReadOnlySpan<byte> key)
        {
            ThrowIfDone();
            _ops.Add((column, key.ToArray(), null));
        }

        public void Write()
        {
            ThrowIfDone();
            _done = true;
            store.Apply(_ops);
        }

        public void Dispose() => _done = true;

        private void ThrowIfDone()
        {
            if (_done)
            {
                throw new InvalidOperationException("this write batch was already written or disposed");
            }
        }
    }
}

/// <summary>Orders byte arrays lexicographically, as RocksDB's default comparator does.</summary>
internal sealed class ByteArrayOrder : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    /// <summary>The single instance.</summary>
    public static readonly ByteArrayOrder Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        HashCode h = default;
        h.AddBytes(obj);
        return h.ToHashCode();
    }
}
