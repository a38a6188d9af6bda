using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;

namespace Cere.Storage.CrashChild;

/// <summary>
/// Commits block after block of random state changes to a RocksDB state until killed. Before each commit it prints
/// <c>pending N ROOT</c>, after the commit returns <c>committed N ROOT</c>; the parent test kills it and checks that
/// the database holds exactly one of those states, whole.
/// </summary>
public static class Program
{
    /// <summary>Arguments: the database directory.</summary>
    public static int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: Cere.Storage.CrashChild <database directory>");
            return 2;
        }

        using RocksDbStore db = RocksDbStore.Open(args[0], new RocksDbSettings { BlockCacheBytes = 16 << 20, WriteBufferBytes = 4 << 20 });
        StateSettings settings = new() { Pruning = PruningMode.Pruned, RetainedStates = 3, PruneIntervalBlocks = 7, NodeCacheBytes = 8 << 20 };
        WorldState state = WorldState.OpenHead(db, settings);
        long block = StateHead.Read(db)?.BlockNumber ?? 0;
        Console.Out.WriteLine($"start {block} {state.CommittedRoot}");
        Console.Out.Flush();
        while (true)
        {
            block++;
            Random rng = new((int)(block * 7919));
            for (int i = 0; i < 300; i++)
            {
                Address a = new(Hex.Decode(rng.Next(5000).ToString("x40", System.Globalization.CultureInfo.InvariantCulture)));
                state.AddBalance(a, (UInt256)(ulong)rng.Next(1, 1_000_000));
                state.SetStorage(a, (UInt256)rng.Next(8), (UInt256)(ulong)rng.Next(0, 3));
                if (rng.Next(50) == 0)
                {
                    state.SetCode(a, [(byte)rng.Next(256), 0x00]);
                }
            }

            state.FinalizeTransaction();
            Hash256 root = state.ComputeStateRoot();
            Console.Out.WriteLine($"pending {block} {root}");
            Console.Out.Flush();
            state.Commit(block);
            Console.Out.WriteLine($"committed {block} {root}");
            Console.Out.Flush();
        }
    }
}
