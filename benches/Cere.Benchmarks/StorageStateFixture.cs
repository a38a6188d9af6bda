using System.Buffers.Binary;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Benchmarks;

/// <summary>
/// A RocksDB state of 1,000,000 accounts, built once in a temp folder and reused by later runs (a marker file holds
/// its root), since building it takes minutes on a small machine.
/// </summary>
internal static class StorageStateFixture
{
    /// <summary>Accounts in the state.</summary>
    public const int Accounts = 1_000_000;

    private const int Chunk = 250_000;

    /// <summary>The folder of the database (under the temp folder; delete it to rebuild).</summary>
    public static string Directory => Path.Combine(Path.GetTempPath(), "cere-bench-state-1m-v1");

    /// <summary>The address of account <paramref name="i"/>.</summary>
    public static Address AddressOf(int i)
    {
        Span<byte> raw = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(raw, i);
        return new Address(Keccak256.Compute(raw).Bytes[12..]);
    }

    /// <summary>Opens the database, building it first if no complete build is there; returns the root of the base state.</summary>
    public static Hash256 OpenOrBuild(out RocksDbStore db, RocksDbSettings settings)
    {
        string marker = Path.Combine(Directory, "built-root.txt");
        if (File.Exists(marker))
        {
            db = RocksDbStore.Open(Directory, settings);
            return Hash256.Parse(File.ReadAllText(marker).Trim());
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        db = RocksDbStore.Open(Directory, settings with { SyncWrites = false });
        TrieNodeStore store = new(db, 256L << 20);
        Hash256 root = Hash256.EmptyTrieRoot;
        Span<byte> account = stackalloc byte[128];
        for (int start = 0; start < Accounts; start += Chunk)
        {
            PatriciaTrie trie = new(store, root);
            for (int i = start; i < start + Chunk; i++)
            {
                Address a = AddressOf(i);
                int n = new Account((ulong)(i % 5), new UInt256((ulong)i + 1, 0), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak).Encode(account);
                trie.Set(Keccak256.Compute(a.Bytes).Bytes, account[..n]);
            }

            using IWriteBatch batch = db.StartBatch();
            root = trie.Commit(batch);
            new StateHead(root, start / Chunk).WriteTo(batch);
            batch.Write();
            Console.WriteLine($"// built {start + Chunk} accounts, root {root}");
        }

        db.Compact(DbColumn.TrieNodes);
        db.Dispose();
        File.WriteAllText(marker, root.ToString());
        db = RocksDbStore.Open(Directory, settings);
        return root;
    }
}
