using Cere.Chain.Consensus;
using Cere.Core.Blocks;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// Network partitions made by banning peers across the cut: three of four go on while the fourth is cut off and catches
/// up when the cut heals; a two-two split halts both halves, and the whole network resumes once it heals. No height ever
/// gets two blocks.
/// </summary>
[NonParallelizable]
public class ValidatorPartitionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task MinorityPartitionCatchesUpAndEvenSplitHaltsThenResumes()
    {
        await using ValidatorNetworkFixture net = new();
        try
        {
            for (int i = 0; i < ValidatorNetworkFixture.Size; i++)
            {
                await net.StartAsync(i);
            }

            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= 2, Patience), Is.True, "the network finalises");

            // {0,1,2} | {3}: the three hold more than 2/3 and go on; 3 is left behind until the bans expire.
            TimeSpan cut = TimeSpan.FromSeconds(5);
            await CutAsync(net, [0, 1, 2], [3], cut);
            ulong atCut = net.Nodes[3]!.Chain.Head.Number;
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => Min(net, 0, 1, 2) >= atCut + 2, Patience), Is.True, "the majority side finalises");
            Assert.That(net.Nodes[3]!.Chain.Head.Number, Is.LessThanOrEqualTo(atCut + 1), "the cut-off validator cannot finalise alone");
            ulong majority = Max(net, 0, 1, 2);
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= majority + 1, Patience), Is.True, "after healing, the cut-off validator catches up");

            // {0,1} | {2,3}: no side has more than 2/3; nothing is finalised until the cut heals.
            await CutAsync(net, [0, 1], [2, 3], TimeSpan.FromSeconds(7));
            await Task.Delay(1500); // a decision already in flight may land
            ulong halted = net.MaxHead();
            await Task.Delay(3000);
            Assert.That(net.MaxHead(), Is.EqualTo(halted), "an even split finalises nothing");
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= halted + 2, Patience), Is.True, "progress resumes after healing");

            ulong common = net.MinHead();
            foreach (ValidatorNode n in net.Running())
            {
                for (ulong h = 1; h <= common; h++)
                {
                    BlockHeader mine = n.Chain.HeaderByNumber(h)!;
                    Assert.That(mine.Hash, Is.EqualTo(net.Nodes[0]!.Chain.HeaderByNumber(h)!.Hash), $"block {h}");
                }

                Assert.That(n.Consensus.Fault, Is.Null);
            }

            Assert.That(net.SafetyViolations, Is.Empty);
        }
        catch
        {
            net.DumpLog(TestContext.Out);
            throw;
        }
    }

    private static async Task CutAsync(ValidatorNetworkFixture net, int[] left, int[] right, TimeSpan duration)
    {
        foreach (int a in left)
        {
            foreach (int b in right)
            {
                await net.Nodes[a]!.BanPeerAsync(net.Nodes[b]!.Host.PeerId, duration, "test partition");
                await net.Nodes[b]!.BanPeerAsync(net.Nodes[a]!.Host.PeerId, duration, "test partition");
            }
        }

        bool Separated()
        {
            foreach (int a in left)
            {
                foreach (int b in right)
                {
                    if (net.Nodes[a]!.Host.FindConnection(net.Nodes[b]!.Host.PeerId) is not null || net.Nodes[b]!.Host.FindConnection(net.Nodes[a]!.Host.PeerId) is not null)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        Assert.That(Separated(), Is.True, "no connection crosses the cut");
    }

    private static ulong Min(ValidatorNetworkFixture net, params int[] nodes)
    {
        ulong min = ulong.MaxValue;
        foreach (int i in nodes)
        {
            min = Math.Min(min, net.Nodes[i]!.Chain.Head.Number);
        }

        return min;
    }

    private static ulong Max(ValidatorNetworkFixture net, params int[] nodes)
    {
        ulong max = 0;
        foreach (int i in nodes)
        {
            max = Math.Max(max, net.Nodes[i]!.Chain.Head.Number);
        }

        return max;
    }
}
