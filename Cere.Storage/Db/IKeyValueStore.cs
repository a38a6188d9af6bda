namespace Cere.Storage.Db;

/// <summary>A key-value database split into <see cref="DbColumn"/> families, with atomic write batches.</summary>
public interface IKeyValueStore : IDisposable
{
    /// <summary>The value under <paramref name="key"/>, or null if absent.</summary>
    byte[]? Get(DbColumn column, ReadOnlySpan<byte> key);

    /// <summary>True if <paramref name="key"/> is present.</summary>
    bool Contains(DbColumn column, ReadOnlySpan<byte> key);

    /// <summary>Writes one value at once (not atomic with anything else; use a batch for that).</summary>
    void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Deletes one key at once (absent keys are ignored).</summary>
    void Delete(DbColumn column, ReadOnlySpan<byte> key);

    /// <summary>A new batch: nothing in it is visible until <see cref="IWriteBatch.Write"/>, then all of it is.</summary>
    IWriteBatch StartBatch();

    /// <summary>Every key-value pair of a column, in key order (for maintenance such as pruning; not a hot path).</summary>
    /// <remarks>The pairs are copies; writing to the column while enumerating is allowed and may or may not be seen.</remarks>
    IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate(DbColumn column);
}

/// <summary>Writes collected in memory and applied to the store atomically: after a crash, all of them or none.</summary>
public interface IWriteBatch : IDisposable
{
    /// <summary>The number of puts and deletes collected so far.</summary>
    int Count { get; }

    /// <summary>Adds a put.</summary>
    void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Adds a delete.</summary>
    void Delete(DbColumn column, ReadOnlySpan<byte> key);

    /// <summary>Applies everything atomically (durably, if the store is set to sync). A batch is written at most once.</summary>
    /// <exception cref="InvalidOperationException">The batch was already written or disposed.</exception>
    void Write();
}
