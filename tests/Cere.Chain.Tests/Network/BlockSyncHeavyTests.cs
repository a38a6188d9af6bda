using System.Diagnostics;
using Cere.Chain.Blocks;
using Cere.Chain.Execution;
using Cere.Core.Blocks;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// The case: a validator started at genesis 10,000 blocks behind syncs to the head over libp2p and ends on the
/// same head and state root. Prints blocks/s, and as a reference from the same run, plain local import of the same
/// blocks (no network, no certificates) with <see cref="BlockProcessor.Import"/>.
/// </summary>
[NonParallelizable]
[Category("Heavy")]
public class BlockSyncHeavyTests
{
    [TestCase(10_000, 3)]
    public async Task ValidatorStartedAtGenesisTenThousandBlocksBehindSyncsToTheSameStateRoot(int blocks, int transfers)
    {
        double synced = await BlockSyncTests.SyncFromGenesisAsync(blocks, transfers, TestContext.Out);
        double local = LocalImportRate(Math.Min(blocks, 2_000), transfers);
        TestContext.Out.WriteLine($"reference: local BlockProcessor.Import of {Math.Min(blocks, 2_000)} such blocks {local:0} blocks/s; sync over libp2p with certificates = {synced / local:0.00}x of it");
        Assert.That(synced, Is.GreaterThan(0));
    }

    private static double LocalImportRate(int blocks, int transfers)
    {
        CertifiedChainBuilder source = CertifiedChainBuilder.Build(blocks, transfers);
        (_, Blockchain target) = CertifiedChainBuilder.OpenEmpty();
        BlockProcessor processor = new(target, new EvmExecutor());
        Block[] all = new Block[blocks];
        for (ulong h = 1; h <= (ulong)blocks; h++)
        {
            // Fresh decoded objects, as sync has: no sender cached from building.
            all[h - 1] = BlockCodec.Decode(BlockCodec.Encode(source.Chain.Blocks.ReadBlock(source.Chain.HeaderByNumber(h)!.Hash)!));
        }

        Stopwatch clock = Stopwatch.StartNew();
        foreach (Block b in all)
        {
            processor.Import(b);
        }

        Assert.That(target.Head.Hash, Is.EqualTo(source.Chain.Head.Hash));
        return blocks / clock.Elapsed.TotalSeconds;
    }
}
