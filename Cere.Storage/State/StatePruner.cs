using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.Trie;

namespace Cere.Storage.State;

/// <summary>What one pruning pass did.</summary>
public readonly record struct PruneResult(int RetainedRoots, int LiveNodes, long DeletedNodes, long DeletedCode, TimeSpan Elapsed);

/// <summary>
/// Mark-and-sweep pruning of old state: marks every node and code reachable from the roots of the last
/// <see cref="StateSettings.RetainedStates"/> blocks, then deletes every other trie node and code from the database.
/// </summary>
/// <remarks>
/// Chosen over reference counting because it is correct by construction (content-addressed nodes are shared between
/// blocks, accounts and storage tries, and a count that drifts deletes live state); its cost is a walk of the retained
/// states per pass, so it runs every <see cref="StateSettings.PruneIntervalBlocks"/> blocks. Deletes go in batches; a
/// crash in the middle leaves only some garbage for the next pass. Run it between blocks, not during a commit.
/// </remarks>
public sealed class StatePruner(TrieNodeStore store, StateSettings settings)
{
    private const int SweepBatchSize = 10_000;

    /// <summary>The last pass, if any.</summary>
    public PruneResult? LastResult { get; private set; }

    /// <summary>Prunes when the mode is <see cref="PruningMode.Pruned"/> and <paramref name="blockNumber"/> is on the interval.</summary>
    public void OnCommitted(long blockNumber)
    {
        if (settings.Pruning == PruningMode.Pruned && blockNumber > 0 && blockNumber % settings.PruneIntervalBlocks == 0)
        {
            Prune(blockNumber);
        }
    }

    /// <summary>Keeps the states of blocks (<paramref name="headBlock"/> − retained, <paramref name="headBlock"/>] and deletes the rest.</summary>
    public PruneResult Prune(long headBlock)
    {
        long started = Environment.TickCount64;
        IKeyValueStore db = store.Db;
        long oldest = Math.Max(0, headBlock - settings.RetainedStates + 1);
        List<Hash256> roots = [];
        for (long n = oldest; n <= headBlock; n++)
        {
            if (StateHead.ReadRoot(db, n) is { } root)
            {
                roots.Add(root);
            }
        }

        if (StateHead.Read(db) is { } head && !roots.Contains(head.Root))
        {
            roots.Add(head.Root);
        }

        ReachableState live = ReachableState.Collect(db, roots);
        long deletedNodes = Sweep(db, DbColumn.TrieNodes, live.Nodes, evictFromCache: true);
        long deletedCode = Sweep(db, DbColumn.Code, live.Codes, evictFromCache: false);

        // Root records of pruned blocks go too: asking for such a state now fails cleanly (no root) instead of midway.
        using (IWriteBatch batch = db.StartBatch())
        {
            for (long n = oldest - 1; n >= 0 && StateHead.ReadRoot(db, n) is not null; n--)
            {
                StateHead.DeleteRoot(batch, n);
            }

            batch.Write();
        }

        PruneResult result = new(roots.Count, live.Nodes.Count, deletedNodes, deletedCode, TimeSpan.FromMilliseconds(Environment.TickCount64 - started));
        LastResult = result;
        return result;
    }

    private long Sweep(IKeyValueStore db, DbColumn column, HashSet<Hash256> live, bool evictFromCache)
    {
        long deleted = 0;
        IWriteBatch batch = db.StartBatch();
        try
        {
            foreach (KeyValuePair<byte[], byte[]> kv in db.Enumerate(column))
            {
                if (kv.Key.Length == Hash256.Size && live.Contains(new Hash256(kv.Key)))
                {
                    continue;
                }

                batch.Delete(column, kv.Key);
                if (evictFromCache && kv.Key.Length == Hash256.Size)
                {
                    store.Cache.Remove(new Hash256(kv.Key));
                }

                deleted++;
                if (batch.Count >= SweepBatchSize)
                {
                    batch.Write();
                    batch.Dispose();
                    batch = db.StartBatch();
                }
            }

            batch.Write();
        }
        finally
        {
            batch.Dispose();
        }

        return deleted;
    }
}
