using RocksDbSharp;

namespace Cere.Storage.Db;

/// <summary>The node's database: RocksDB with one column family per <see cref="DbColumn"/>.</summary>
public sealed class RocksDbStore : IKeyValueStore
{
    private readonly RocksDb _db;
    private readonly ColumnFamilyHandle[] _handles;
    private readonly WriteOptions _writeOptions;
    private readonly ReadOptions _readOptions;
    private readonly Cache _blockCache;
    private volatile bool _disposed;

    private RocksDbStore(RocksDb db, ColumnFamilyHandle[] handles, WriteOptions writeOptions, Cache blockCache, string path)
    {
        _db = db;
        _handles = handles;
        _writeOptions = writeOptions;
        _readOptions = new ReadOptions();
        _blockCache = blockCache;
        Path = path;
    }

    /// <summary>The database directory.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if missing) the database in <paramref name="path"/> with every column family.</summary>
    /// <exception cref="StorageException">RocksDB refused to open it (locked by another process, damaged, no permission).</exception>
    public static RocksDbStore Open(string path, RocksDbSettings? settings = null)
    {
        settings ??= new RocksDbSettings();
        Directory.CreateDirectory(path);
        Cache cache = Cache.CreateLru((ulong)settings.BlockCacheBytes);
        DbOptions options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCreateMissingColumnFamilies(true)
            .SetMaxOpenFiles(settings.MaxOpenFiles)
            .IncreaseParallelism(settings.BackgroundThreads)
            // Recover every batch whose WAL record is complete; a torn last record is dropped, never half-applied.
            .SetWalRecoveryMode(Recovery.PointInTime);

        ColumnFamilies families = new(ColumnOptions(settings, cache));
        foreach (DbColumn column in DbColumns.All)
        {
            families.Add(DbColumns.Name(column), ColumnOptions(settings, cache));
        }

        RocksDb db;
        try
        {
            db = RocksDb.Open(options, path, families);
        }
        catch (RocksDbException e)
        {
            throw new StorageException($"cannot open the RocksDB database in '{path}': {e.Message}", e);
        }

        ColumnFamilyHandle[] handles = new ColumnFamilyHandle[DbColumns.All.Length];
        foreach (DbColumn column in DbColumns.All)
        {
            handles[(int)column] = db.GetColumnFamily(DbColumns.Name(column));
        }

        WriteOptions writeOptions = new WriteOptions().SetSync(settings.SyncWrites);
        return new RocksDbStore(db, handles, writeOptions, cache, path);
    }

    /// <inheritdoc/>
    public byte[]? Get(DbColumn column, ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return _db.Get(key, _handles[(int)column], _readOptions);
    }

    /// <inheritdoc/>
    public bool Contains(DbColumn column, ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return _db.HasKey(key, _handles[(int)column], _readOptions);
    }

    /// <inheritdoc/>
    public void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        _db.Put(key, value, _handles[(int)column], _writeOptions);
    }

    /// <inheritdoc/>
    public void Delete(DbColumn column, ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        _db.Remove(key, _handles[(int)column], _writeOptions);
    }

    /// <inheritdoc/>
    public IWriteBatch StartBatch()
    {
        ThrowIfDisposed();
        return new RocksWriteBatch(this);
    }

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate(DbColumn column)
    {
        ThrowIfDisposed();
        using Iterator it = _db.NewIterator(_handles[(int)column], _readOptions);
        for (it.SeekToFirst(); it.Valid(); it.Next())
        {
            yield return new KeyValuePair<byte[], byte[]>(it.Key(), it.Value());
        }
    }

    /// <summary>A RocksDB statistic (e.g. <c>rocksdb.estimate-num-keys</c>) of a column, or null.</summary>
    public string? GetProperty(DbColumn column, string property) => _db.GetProperty(property, _handles[(int)column]);

    /// <summary>Compacts a whole column (after a large prune, to give the space back).</summary>
    public void Compact(DbColumn column)
    {
        ThrowIfDisposed();
        _db.CompactRange(null!, null!, _handles[(int)column]);
    }

    /// <summary>Flushes the memtables and closes the database; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _db.Dispose();
        GC.KeepAlive(_blockCache);
    }

    private static ColumnFamilyOptions ColumnOptions(RocksDbSettings settings, Cache cache)
    {
        BlockBasedTableOptions table = new BlockBasedTableOptions()
            .SetBlockCache(cache)
            .SetBlockSize((ulong)settings.BlockSizeBytes)
            .SetCacheIndexAndFilterBlocks(true)
            .SetPinL0FilterAndIndexBlocksInCache(true)
            .SetWholeKeyFiltering(true);
        if (settings.BloomBitsPerKey > 0)
        {
            table.SetFilterPolicy(BloomFilterPolicy.Create(settings.BloomBitsPerKey, false));
        }

        ColumnFamilyOptions options = new ColumnFamilyOptions()
            .SetBlockBasedTableFactory(table)
            .SetWriteBufferSize((ulong)settings.WriteBufferBytes)
            .SetLevelCompactionDynamicLevelBytes(true)
            .SetCompression(settings.Compress ? Compression.Lz4 : Compression.No);
        return options;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class RocksWriteBatch(RocksDbStore store) : IWriteBatch
    {
        private WriteBatch? _batch = new();
        private int _count;

        public int Count => _count;

        public void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            Batch().Put(key, value, store._handles[(int)column]);
            _count++;
        }

        public void Delete(DbColumn column, ReadOnlySpan<byte> key)
        {
            Batch().Delete(key, store._handles[(int)column]);
            _count++;
        }

        public void Write()
        {
            WriteBatch batch = Batch();
            store.ThrowIfDisposed();
            // One WAL record for the whole batch: RocksDB applies it entirely or, after a crash, not at all.
            store._db.Write(batch, store._writeOptions);
            Dispose();
        }

        public void Dispose()
        {
            _batch?.Dispose();
            _batch = null;
        }

        private WriteBatch Batch() =>
            _batch ?? throw new InvalidOperationException("this write batch was already written or disposed");
    }
}
