namespace Cere.Storage.Db;

/// <summary>Tuning of a <see cref="RocksDbStore"/>; the defaults suit a node on a small machine.</summary>
public sealed record RocksDbSettings
{
    /// <summary>Size of the LRU block cache shared by all columns, in bytes (uncompressed blocks).</summary>
    public long BlockCacheBytes { get; init; } = 256L << 20;

    /// <summary>Memtable size per column family, in bytes, before it is flushed to an SST file.</summary>
    public long WriteBufferBytes { get; init; } = 64L << 20;

    /// <summary>Bloom filter bits per key (10 gives about 1% false positives); 0 disables the filters.</summary>
    public int BloomBitsPerKey { get; init; } = 10;

    /// <summary>SST block size in bytes; small blocks suit point lookups of trie nodes.</summary>
    public long BlockSizeBytes { get; init; } = 16L << 10;

    /// <summary>Compress SST blocks with LZ4 (cheap to decode; trie nodes, which are hashes, barely compress, bodies do).</summary>
    public bool Compress { get; init; } = true;

    /// <summary>
    /// fsync the write-ahead log on every batch write. Off, a killed process still loses nothing (the data is in the
    /// OS page cache), but a power loss may lose the last batches (never tear one: the WAL is checksummed per batch).
    /// </summary>
    public bool SyncWrites { get; init; } = true;

    /// <summary>Open files kept by RocksDB (-1: unlimited).</summary>
    public int MaxOpenFiles { get; init; } = 512;

    /// <summary>Background threads for flushes and compactions.</summary>
    public int BackgroundThreads { get; init; } = Math.Max(2, Environment.ProcessorCount);
}
