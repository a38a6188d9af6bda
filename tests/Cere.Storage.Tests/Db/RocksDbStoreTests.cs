using Cere.Storage.Db;

namespace Cere.Storage.Tests.Db;

/// <summary>What only a store on disk has: data survives reopening, and a directory is opened by one store at a time.</summary>
public sealed class RocksDbStoreTests
{
    private string _dir = "";
    private IKeyValueStore _store = null!;

    [SetUp]
    public void Open()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cere-store-" + Guid.NewGuid().ToString("N"));
        _store = RocksDbStore.Open(_dir, new RocksDbSettings { BlockCacheBytes = 8 << 20, SyncWrites = false });
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
    public void DataSurvivesReopening()
    {
        using (IWriteBatch batch = _store.StartBatch())
        {
            batch.Put(DbColumn.TrieNodes, [1, 2, 3], new byte[1000]);
            batch.Write();
        }

        _store.Dispose();
        _store = RocksDbStore.Open(_dir);
        Assert.That(_store.Get(DbColumn.TrieNodes, [1, 2, 3]), Has.Length.EqualTo(1000));
    }

    [Test]
    public void ASecondOpenOfTheSameDirectoryFailsClearly()
    {
        StorageException e = Assert.Throws<StorageException>(() => RocksDbStore.Open(_dir))!;
        Assert.That(e.Message, Does.Contain(_dir));
    }
}
