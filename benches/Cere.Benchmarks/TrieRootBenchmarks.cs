using BenchmarkDotNet.Attributes;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Benchmarks;

/// <summary>
/// State root computation after 10,000 random account updates on a 100,000-account trie, against the bare cost of
/// Keccak-256 over the same number of nodes of the same sizes (recorded from the same trie), in the same run. The
/// ratio is the trie's overhead over hashing: encoding, tree walk, bookkeeping. Goal: at most 1.5×.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TrieRootBenchmarks
{
    private const int Accounts = 100_000;
    private const int Updates = 10_000;

    private TrieNodeStore _store = null!;
    private Hash256 _baseRoot;
    private PatriciaTrie _trie = null!;
    private int[] _nodeSizes = [];
    private byte[] _nodeBytes = [];
    private readonly byte[] _digest = new byte[32];
    private int _iteration;

    /// <summary>Builds the base trie in memory and records the node sizes of one update round.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _store = new TrieNodeStore(new MemoryStore(), 1L << 30);
        PatriciaTrie trie = new(_store, Hash256.EmptyTrieRoot);
        for (int i = 0; i < Accounts; i++)
        {
            trie.Set(KeyOf(i), AccountOf(i, 1));
        }

        using (IWriteBatch batch = _store.Db.StartBatch())
        {
            _baseRoot = trie.Commit(batch);
            batch.Write();
        }

        // One round of updates with the size recorder on: the reference hashes exactly these sizes.
        PatriciaTrie sample = Updated(0);
        sample.HashedNodeSizes = [];
        sample.ComputeRoot();
        _nodeSizes = [.. sample.HashedNodeSizes];
        int max = 0;
        foreach (int s in _nodeSizes)
        {
            max = Math.Max(max, s);
        }

        _nodeBytes = new byte[max];
        new Random(1).NextBytes(_nodeBytes);
        Console.WriteLine($"// {Updates} updates on {Accounts} accounts hash {_nodeSizes.Length} nodes, {Sum(_nodeSizes)} bytes");
    }

    /// <summary>Applies a fresh round of 10,000 updates (not timed): the trie is left with its dirty nodes unhashed.</summary>
    [IterationSetup(Target = nameof(ComputeRoot))]
    public void ApplyUpdates() => _trie = Updated(++_iteration);

    /// <summary>Root computation: hashes each dirty node once.</summary>
    [Benchmark]
    public Hash256 ComputeRoot() => _trie.ComputeRoot();

    /// <summary>The reference: Keccak-256 of the same number of byte strings of the same sizes.</summary>
    [Benchmark(Baseline = true)]
    public byte KeccakOfSameNodes()
    {
        byte[] bytes = _nodeBytes;
        foreach (int size in _nodeSizes)
        {
            Keccak256.Hash(bytes.AsSpan(0, size), _digest);
        }

        return _digest[0];
    }

    private PatriciaTrie Updated(int round)
    {
        PatriciaTrie trie = new(_store, _baseRoot);
        Random rng = new(round);
        for (int u = 0; u < Updates; u++)
        {
            int i = rng.Next(Accounts);
            trie.Set(KeyOf(i), AccountOf(i, (ulong)rng.Next(2, 1_000_000)));
        }

        return trie;
    }

    private static byte[] KeyOf(int i)
    {
        Span<byte> raw = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(raw, i);
        return Keccak256.Compute(raw).ToArray();
    }

    private static byte[] AccountOf(int i, ulong balance) =>
        new Account((ulong)(i % 7), new UInt256(balance, 1), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak).Encode();

    private static long Sum(int[] sizes)
    {
        long s = 0;
        foreach (int x in sizes)
        {
            s += x;
        }

        return s;
    }
}
