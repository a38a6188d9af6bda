using BenchmarkDotNet.Attributes;
using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Benchmarks;

/// <summary>
/// Random account reads (balance through <see cref="WorldState"/>) from a 1,000,000-account state on RocksDB.
/// Cold: the database is reopened and the node cache emptied before each iteration (the OS page cache stays warm:
/// dropping it would disturb the machine's other users). Warm: the same accounts read again with the caches full.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StorageReadBenchmarks
{
    private const int Reads = 10_000;

    private RocksDbStore _db = null!;
    private Hash256 _root;
    private TrieNodeStore _store = null!;
    private Address[] _addresses = [];

    /// <summary>Opens (or builds) the state and picks the accounts to read.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _root = StorageStateFixture.OpenOrBuild(out _db, Settings);
        Random rng = new(7);
        _addresses = new Address[Reads];
        for (int i = 0; i < Reads; i++)
        {
            _addresses[i] = StorageStateFixture.AddressOf(rng.Next(StorageStateFixture.Accounts));
        }

        _store = new TrieNodeStore(_db, 512L << 20);
    }

    private static RocksDbSettings Settings => new() { BlockCacheBytes = 256L << 20 };

    /// <summary>Closes the database.</summary>
    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    /// <summary>Reopens RocksDB (empty block cache) with an empty node cache.</summary>
    [IterationSetup(Target = nameof(ColdReads))]
    public void MakeCold()
    {
        _db.Dispose();
        _db = RocksDbStore.Open(StorageStateFixture.Directory, Settings);
        _store = new TrieNodeStore(_db, 512L << 20);
    }

    /// <summary>Fills the caches with the accounts the warm benchmark reads.</summary>
    [IterationSetup(Target = nameof(WarmReads))]
    public void MakeWarm() => ReadAll();

    /// <summary>10,000 random accounts, cold caches.</summary>
    [Benchmark(OperationsPerInvoke = Reads)]
    public UInt256 ColdReads() => ReadAll();

    /// <summary>10,000 random accounts, warm caches.</summary>
    [Benchmark(OperationsPerInvoke = Reads)]
    public UInt256 WarmReads() => ReadAll();

    private UInt256 ReadAll()
    {
        WorldState state = WorldState.Open(_store, _root);
        UInt256 sum = UInt256.Zero;
        foreach (Address a in _addresses)
        {
            sum += state.GetBalance(a);
        }

        return sum;
    }
}
