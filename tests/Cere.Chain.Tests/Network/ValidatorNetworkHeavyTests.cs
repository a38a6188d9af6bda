using Cere.Chain.Consensus;
using Cere.Core;
using Cere.Core.Blocks;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// The long variant: every validator in turn is stopped while the others go on and then restarted on its data directory,
/// with transfers submitted to whichever node is up; at the end every node holds the same chain and every transfer.
/// </summary>
[NonParallelizable]
[Category("Heavy")]
public class ValidatorNetworkHeavyTests
{
    private static readonly UInt256 OneCere = UInt256.Parse("1000000000000000000");
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000c0de6");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public async Task EveryValidatorStopsAndReturnsInTurnWhileTheChainGoesOn()
    {
        await using ValidatorNetworkFixture net = new();
        try
        {
            for (int i = 0; i < ValidatorNetworkFixture.Size; i++)
            {
                await net.StartAsync(i);
            }

            Core.Crypto.PrivateKey sender = DevChainFixture.Keys[8];
            ulong nonce = 0;
            const int cycles = 8;
            for (int cycle = 0; cycle < cycles; cycle++)
            {
                int down = cycle % ValidatorNetworkFixture.Size;
                int entry = (down + 1) % ValidatorNetworkFixture.Size;
                for (int t = 0; t < 3; t++)
                {
                    net.Nodes[entry]!.SubmitTransaction(DevChainFixture.Transfer1559(sender, Recipient, nonce++, OneCere));
                }

                await net.StopAsync(down);
                ulong atStop = net.MaxHead();
                Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= atStop + 3, Patience), Is.True, $"cycle {cycle}: three validators finalise");
                await net.StartAsync(down);
                ulong target = net.MaxHead();
                Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= target + 1, Patience), Is.True, $"cycle {cycle}: validator {down} catches up");
            }

            UInt256 expected = OneCere * nonce;
            Assert.That(
                await ValidatorNetworkFixture.EventuallyAsync(
                    () =>
                    {
                        foreach (ValidatorNode n in net.Running())
                        {
                            if (n.Chain.OpenState(n.Chain.Head.StateRoot).GetBalance(Recipient) != expected)
                            {
                                return false;
                            }
                        }

                        return true;
                    },
                    Patience),
                Is.True,
                $"all {nonce} transfers on every node");

            ulong common = net.MinHead();
            Assert.That(common, Is.GreaterThanOrEqualTo(30UL));
            foreach (ValidatorNode n in net.Running())
            {
                for (ulong h = 1; h <= common; h++)
                {
                    BlockHeader mine = n.Chain.HeaderByNumber(h)!;
                    BlockHeader theirs = net.Nodes[0]!.Chain.HeaderByNumber(h)!;
                    Assert.That(mine.Hash, Is.EqualTo(theirs.Hash), $"block {h}");
                    Assert.That(mine.StateRoot, Is.EqualTo(theirs.StateRoot), $"state root {h}");
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
}
