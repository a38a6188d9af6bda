using Cere.Chain.Consensus;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Transactions;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// Four validators over real libp2p (TCP, Noise, yamux, gossipsub) on loopback, each with its own RocksDB: they finalise
/// blocks with transfers submitted to one node, agree on every block and state root, survive one validator down, halt
/// with two down and resume when one returns; no height ever gets two different blocks.
/// </summary>
[NonParallelizable]
public class ValidatorNetworkTests
{
    private static readonly UInt256 OneCere = UInt256.Parse("1000000000000000000");
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000c0de5");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task FourValidatorsFinaliseSurviveOneDownHaltAtTwoDownAndResume()
    {
        await using ValidatorNetworkFixture net = new();
        try
        {
            for (int i = 0; i < ValidatorNetworkFixture.Size; i++)
            {
                await net.StartAsync(i);
            }

            // Transfers go to node 0 only: the others learn them from gossip or from node 0's blocks.
            ValidatorNode entry = net.Nodes[0]!;
            Core.Crypto.PrivateKey sender = DevChainFixture.Keys[5];
            const int transfers = 12;
            for (int n = 0; n < transfers / 2; n++)
            {
                entry.SubmitTransaction(DevChainFixture.Transfer1559(sender, Recipient, (ulong)n, OneCere));
            }

            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= 4, Patience), Is.True, "four validators finalise");
            for (int n = transfers / 2; n < transfers; n++)
            {
                entry.SubmitTransaction(DevChainFixture.Transfer1559(sender, Recipient, (ulong)n, OneCere));
            }

            Assert.That(
                await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= 10 && AllHaveBalance(net, OneCere * transfers), Patience),
                Is.True,
                $"ten blocks and all {transfers} transfers on every node (heads {Heads(net)})");

            // One validator down (a quarter of the stake): the other three still hold more than 2/3 and go on.
            await net.StopAsync(3);
            ulong atStop = net.MaxHead();
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= atStop + 3, Patience), Is.True, $"three validators finalise (heads {Heads(net)})");

            // Two down: half the stake cannot make a quorum; nothing is finalised (one decision may already be in flight).
            await net.StopAsync(2);
            await Task.Delay(1500);
            ulong halted = net.MaxHead();
            await Task.Delay(4000);
            Assert.That(net.MaxHead(), Is.EqualTo(halted), "with two of four validators down no block is finalised");

            // One returns (same data directory and keys): it catches up and the three finalise again.
            await net.StartAsync(2);
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= halted + 3, Patience), Is.True, $"progress resumes (heads {Heads(net)})");

            // The last one returns far behind and syncs blocks with their certificates.
            await net.StartAsync(3);
            ulong target = net.MaxHead() + 1;
            Assert.That(await ValidatorNetworkFixture.EventuallyAsync(() => net.MinHead() >= target, Patience), Is.True, $"the returning validator catches up (heads {Heads(net)})");

            AssertSameChain(net);
            Assert.That(net.SafetyViolations, Is.Empty);
            foreach (ValidatorNode n in net.Running())
            {
                Assert.That(n.Consensus.Fault, Is.Null);
            }
        }
        catch
        {
            net.DumpLog(TestContext.Out);
            throw;
        }
    }

    private static bool AllHaveBalance(ValidatorNetworkFixture net, UInt256 expected)
    {
        foreach (ValidatorNode n in net.Running())
        {
            if (n.Chain.OpenState(n.Chain.Head.StateRoot).GetBalance(Recipient) != expected)
            {
                return false;
            }
        }

        return true;
    }

    private static string Heads(ValidatorNetworkFixture net)
    {
        List<string> heads = [];
        for (int i = 0; i < ValidatorNetworkFixture.Size; i++)
        {
            heads.Add(net.Nodes[i] is { } n ? $"n{i}={n.Chain.Head.Number}" : $"n{i}=down");
        }

        return string.Join(' ', heads);
    }

    private static void AssertSameChain(ValidatorNetworkFixture net)
    {
        ulong common = net.MinHead();
        ValidatorNode reference = net.Nodes[0]!;
        foreach (ValidatorNode n in net.Running())
        {
            for (ulong h = 1; h <= common; h++)
            {
                BlockHeader mine = n.Chain.HeaderByNumber(h)!;
                BlockHeader theirs = reference.Chain.HeaderByNumber(h)!;
                Assert.That(mine.Hash, Is.EqualTo(theirs.Hash), $"block {h}");
                Assert.That(mine.StateRoot, Is.EqualTo(theirs.StateRoot), $"state root {h}");
            }
        }
    }
}
