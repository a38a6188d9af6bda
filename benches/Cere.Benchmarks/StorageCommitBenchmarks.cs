using BenchmarkDotNet.Attributes;
using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Benchmarks;

/// <summary>
/// Commit time of a block that changed 1,000 or 10,000 random accounts of the 1,000,000-account RocksDB state: root
/// computation plus one synced write batch. The state grows by each commit (archive mode), so later runs start
/// from a slightly bigger database.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StorageCommitBenchmarks
{
    private RocksDbStore _db = null!;
    private Hash256 _root;
    private TrieNodeStore _store = null!;
    private WorldState _state = null!;
    private int _round;

    /// <summary>Accounts changed by the block.</summary>
    [Params(1_000, 10_000)]
    public int Changes { get; set; }

    /// <summary>Opens (or builds) the state.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _root = StorageStateFixture.OpenOrBuild(out _db, new RocksDbSettings { BlockCacheBytes = 256L << 20 });
        _store = new TrieNodeStore(_db, 512L << 20);
    }

    /// <summary>Closes the database.</summary>
    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    /// <summary>Applies the block's changes (not timed) on top of the base state.</summary>
    [IterationSetup]
    public void ApplyChanges()
    {
        _state = WorldState.Open(_store, _root);
        Random rng = new(++_round);
        for (int i = 0; i < Changes; i++)
        {
            Address a = StorageStateFixture.AddressOf(rng.Next(StorageStateFixture.Accounts));
            _state.AddBalance(a, (UInt256)(ulong)rng.Next(1, 1000));
            _state.IncrementNonce(a);
        }

        _state.FinalizeTransaction();
    }

    /// <summary>Root computation and the synced write of every dirty node in one batch.</summary>
    [Benchmark]
    public Hash256 Commit() => _state.Commit(1_000_000 + _round);
}
