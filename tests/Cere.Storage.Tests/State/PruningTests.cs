using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Storage.Tests.State;

/// <summary>Mark-and-sweep pruning keeps exactly the retained states, and the database stops growing; archive mode keeps all.</summary>
public sealed class PruningTests
{
    private static Hash256 RunBlocks(MemoryStore db, StateSettings settings, int blocks, List<Hash256> roots)
    {
        WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot, settings);
        Random rng = new(42);
        Hash256 root = Hash256.EmptyTrieRoot;
        for (int b = 1; b <= blocks; b++)
        {
            // The same 200 accounts and their storage are rewritten every block: old versions become garbage.
            for (int i = 0; i < 20; i++)
            {
                Address a = new(Hex.Decode(rng.Next(200).ToString("x40", System.Globalization.CultureInfo.InvariantCulture)));
                s.AddBalance(a, (UInt256)rng.Next(1, 1000));
                s.SetStorage(a, (UInt256)rng.Next(4), (UInt256)rng.Next(1, 1000));
            }

            s.FinalizeTransaction();
            root = s.Commit(b);
            roots.Add(root);
        }

        return root;
    }

    [Test]
    public void PrunedModeKeepsTheRetainedStatesAndDeletesTheRest()
    {
        MemoryStore db = new();
        StateSettings settings = new() { Pruning = PruningMode.Pruned, RetainedStates = 4, PruneIntervalBlocks = 5 };
        List<Hash256> roots = [];
        RunBlocks(db, settings, 60, roots);

        // Block 60 pruned: blocks 57..60 are retained.
        for (int b = 57; b <= 60; b++)
        {
            Assert.DoesNotThrow(() => ReachableState.Collect(db, [roots[b - 1]], checkCode: true), $"block {b}");
            Assert.That(StateHead.ReadRoot(db, b), Is.EqualTo(roots[b - 1]));
        }

        Assert.That(StateHead.ReadRoot(db, 50), Is.Null, "root records of pruned blocks are deleted");
        Assert.Throws<TrieNodeMissingException>(() => ReachableState.Collect(db, [roots[29]]));

        // Nothing but the retained states' nodes is left.
        HashSet<Hash256> live = ReachableState.Collect(db, roots.GetRange(56, 4)).Nodes;
        Assert.That(db.Count(DbColumn.TrieNodes), Is.EqualTo(live.Count));
    }

    [Test]
    public void PrunedDatabaseStopsGrowing()
    {
        MemoryStore db = new();
        StateSettings settings = new() { Pruning = PruningMode.Pruned, RetainedStates = 4, PruneIntervalBlocks = 10 };
        List<Hash256> roots = [];
        RunBlocks(db, settings, 40, roots);
        int after40 = db.Count(DbColumn.TrieNodes);
        MemoryStore archive = new();
        RunBlocks(archive, new StateSettings(), 40, []);
        Assert.That(after40, Is.LessThan(archive.Count(DbColumn.TrieNodes) / 2));

        WorldState s = WorldState.OpenHead(db, settings);
        Assert.That(s.CommittedRoot, Is.EqualTo(roots[^1]));
    }

    [Test]
    public void ArchiveModeKeepsEveryState()
    {
        MemoryStore db = new();
        List<Hash256> roots = [];
        RunBlocks(db, new StateSettings { Pruning = PruningMode.Archive }, 30, roots);
        Assert.DoesNotThrow(() => ReachableState.Collect(db, roots, checkCode: true));
        for (int b = 1; b <= 30; b++)
        {
            Assert.That(StateHead.ReadRoot(db, b), Is.EqualTo(roots[b - 1]));
        }
    }

    [Test]
    public void StateKeepsWorkingAcrossPrunes()
    {
        // After a prune the live world state (its caches included) reads and writes on without missing nodes.
        MemoryStore db = new();
        StateSettings settings = new() { Pruning = PruningMode.Pruned, RetainedStates = 2, PruneIntervalBlocks = 1 };
        WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot, settings);
        Address a = Address.Parse("0x00000000000000000000000000000000000000aa");
        for (int b = 1; b <= 20; b++)
        {
            s.AddBalance(a, 1);
            s.SetStorage(a, (UInt256)(b % 3), (UInt256)b);
            s.FinalizeTransaction();
            s.Commit(b);
            Assert.That(s.GetBalance(a), Is.EqualTo((UInt256)b));
        }

        Assert.That(s.Pruner!.LastResult!.Value.RetainedRoots, Is.EqualTo(2));
    }
}
