using Cere.Storage.Db;

namespace Cere.Storage.Tests.Db;

/// <summary>Both stores behave the same: columns are separate, batches apply whole or not at all, keys come in order.</summary>
/// <remarks>What only a store on disk has (reopening, a locked directory) is in <see cref="RocksDbStoreTests"/>.</remarks>
[TestFixture("memory")]
[TestFixture("rocksdb")]
public sealed class StoreTests(string kind)
{
    private string _dir = "";
    private IKeyValueStore _store = null!;

    [SetUp]
    public void Open()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cere-store-" + Guid.NewGuid().ToString("N"));
        _store = kind == "memory" ? new MemoryStore() : RocksDbStore.Open(_dir, new RocksDbSettings { BlockCacheBytes = 8 << 20, SyncWrites = false });
    }

    [TearDown]
    public void Close()
    {
        _store.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public void ColumnsAreSeparate()
    {
        _store.Put(DbColumn.Headers, [1], [10]);
        _store.Put(DbColumn.Bodies, [1], [20]);
        Assert.Multiple(() =>
        {
            Assert.That(_store.Get(DbColumn.Headers, [1]), Is.EqualTo(new byte[] { 10 }));
            Assert.That(_store.Get(DbColumn.Bodies, [1]), Is.EqualTo(new byte[] { 20 }));
            Assert.That(_store.Get(DbColumn.Receipts, [1]), Is.Null);
            Assert.That(_store.Contains(DbColumn.Headers, [1]), Is.True);
            Assert.That(_store.Contains(DbColumn.Metadata, [1]), Is.False);
        });
        _store.Delete(DbColumn.Headers, [1]);
        Assert.That(_store.Get(DbColumn.Headers, [1]), Is.Null);
    }

    [Test]
    public void ABatchIsInvisibleUntilWrittenThenWhole()
    {
        using IWriteBatch batch = _store.StartBatch();
        foreach (DbColumn column in DbColumns.All)
        {
            batch.Put(column, [(byte)column], [(byte)column, 1]);
        }

        batch.Delete(DbColumn.Metadata, [99]);
        Assert.That(batch.Count, Is.EqualTo(DbColumns.All.Length + 1));
        Assert.That(_store.Get(DbColumn.Headers, [(byte)DbColumn.Headers]), Is.Null);
        batch.Write();
        foreach (DbColumn column in DbColumns.All)
        {
            Assert.That(_store.Get(column, [(byte)column]), Is.EqualTo(new byte[] { (byte)column, 1 }));
        }

        Assert.Throws<InvalidOperationException>(batch.Write, "a batch is written once");
    }

    [Test]
    public void EnumerateIsInKeyOrder()
    {
        _store.Put(DbColumn.Indexes, [3], [3]);
        _store.Put(DbColumn.Indexes, [1, 2], [1]);
        _store.Put(DbColumn.Indexes, [2], [2]);
        _store.Put(DbColumn.Code, [0], [0]);
        List<byte[]> keys = [.. _store.Enumerate(DbColumn.Indexes).Select(kv => kv.Key)];
        Assert.That(keys, Is.EqualTo(new[] { new byte[] { 1, 2 }, [2], [3] }));
    }

    [Test]
    public void UseAfterDisposeIsRejected()
    {
        _store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _store.Get(DbColumn.Headers, [1]));
    }
}
