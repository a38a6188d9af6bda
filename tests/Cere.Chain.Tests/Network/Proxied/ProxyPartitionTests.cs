using System.Diagnostics;
using Cere.Chain.Tests.Network.Faults;
using Cere.Core;

namespace Cere.Chain.Tests.Network.Proxied;

/// <summary>
/// Partitions of real <c>cere-node --validator</c> processes (and a <c>--full</c> node on the first side), cut at the
/// TCP level by a fault-injecting proxy on every link (<see cref="ProxiedLocalnet"/>). 2|2: neither half has the 2/3 quorum, so no node finalises a new height
/// while split; healed, all resume, include what was sent meanwhile and hold one chain (no conflicting finalised
/// block at any height). 3|1: the three keep finalising, the one stalls, and healed it catches up to the same blocks.
/// </summary>
[NonParallelizable]
public class ProxyPartitionTests
{
    /// <summary>
    /// Two full rounds at the local chainspec's timeouts are about 2 + 3.5 s (propose 1 s, prevote and precommit 0.5 s
    /// each, +0.5 s per step and round); the split is watched longer than that.
    /// </summary>
    private static readonly TimeSpan SplitHold = TimeSpan.FromSeconds(12);

    /// <summary>Time for decisions already under way at the cut to land on both sides before the heads are recorded.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>Bound on resuming after a heal: the redial backoff after a long cut is up to ~16 s, then a round or two.</summary>
    private static readonly TimeSpan ResumeBound = TimeSpan.FromSeconds(60);

    private static readonly Address Recipient = Address.Parse("0x000000000000000000000000000000000000fa17");
    private readonly ulong[] _nonces = new ulong[4];

    private static ProxiedLocalnet Net => ProxiedNetSetUp.Net;

    [SetUp]
    public Task HealedAndAgreeing() => ProxiedNetSetUp.HealAndAgreeAsync();

    [TearDown]
    public void PrintLogsOnFailure() => ProxiedNetSetUp.PrintLogsOnFailure();

    [Test]
    public async Task TwoTwoSplitFinalisesNothingThenHealsIntoOneChain()
    {
        List<string> before = await SendTransfersAsync([0, 1, 2, 3]);
        await WaitForReceiptsAsync(0, before, TimeSpan.FromSeconds(60));

        // Full nodes (if the net has any) sit with validators 0 and 1: they add no voting power to either half.
        int[] left = [0, 1, .. Net.FullNodes];
        Assert.That(Net.Mesh.Partition(left, [2, 3]), Is.EqualTo(2 * left.Length * 2), "every cross link is cut, both ways");
        await Task.Delay(Settle);
        ulong[] atSplit = await Net.HeadsAsync(Net.All);

        // Sent to both halves while split: each half gossips them internally but cannot finalise a block with them.
        List<string> during = await SendTransfersAsync([0, 2]);
        Stopwatch hold = Stopwatch.StartNew();
        while (hold.Elapsed < SplitHold)
        {
            await Task.Delay(500);
            ulong[] now = await Net.HeadsAsync(Net.All);
            Assert.That(now, Is.EqualTo(atSplit), $"no node finalises a height while split 2|2 ({hold.Elapsed.TotalSeconds:0.0} s in)");
        }

        foreach (string tx in during)
        {
            Assert.That(await Net.Nodes[0].Rpc.ReceiptStatusAsync(tx), Is.Null, $"{tx} is not in a block while split");
        }

        Assert.That(Net.Nodes[0].Lines("banning peer"), Is.Empty, "a cut is not misbehaviour");

        Stopwatch resume = Stopwatch.StartNew();
        Net.Mesh.HealAll();
        ulong agreed = await Net.WaitForAgreementAsync(Net.All, ResumeBound, above: atSplit.Max() + 1);
        TestContext.Out.WriteLine($"2|2 split held {SplitHold.TotalSeconds} s at heads {string.Join(',', atSplit)}; all {Net.Nodes.Count} nodes past {atSplit.Max() + 1} {resume.Elapsed.TotalSeconds:0.0} s after healing (agreed at {agreed})");

        await WaitForReceiptsAsync(3, during, ResumeBound);
        await AssertBalancesEqualAsync();
        ulong checkedUpTo = await Net.AssertSameChainAsync(Net.All);
        TestContext.Out.WriteLine($"same block hash at every height 0..{checkedUpTo} on all {Net.Nodes.Count} nodes");
    }

    [Test]
    public async Task ThreeOneSplitMajorityFinalisesMinorityCatchesUp()
    {
        int[] majoritySide = [0, 1, 2, .. Net.FullNodes];
        Assert.That(Net.Mesh.Partition(majoritySide, [3]), Is.EqualTo(2 * majoritySide.Length), "every link of validator 3 is cut, both ways");
        await Task.Delay(Settle);
        ulong isolatedAt = await Net.Nodes[3].Rpc.HeadAsync();
        ulong majorityAt = (await Net.HeadsAsync(majoritySide)).Min();

        List<string> during = await SendTransfersAsync([0, 1, 2]);
        await WaitForReceiptsAsync(1, during, ResumeBound);
        ulong majority = await Net.WaitForAgreementAsync(majoritySide, ResumeBound, above: majorityAt + 3);
        Assert.That(await Net.Nodes[3].Rpc.HeadAsync(), Is.EqualTo(isolatedAt), "the isolated validator finalises nothing alone");
        Assert.That(await Net.Nodes[3].Rpc.ReceiptStatusAsync(during[0]), Is.Null, "nor does it learn the majority's blocks while cut");

        Stopwatch resume = Stopwatch.StartNew();
        Net.Mesh.HealAll();
        ulong agreed = await Net.WaitForAgreementAsync(Net.All, ResumeBound, above: majority);
        TestContext.Out.WriteLine($"3|1 split: majority {majorityAt} → {majority} while validator 3 stayed at {isolatedAt}; caught up past {majority} {resume.Elapsed.TotalSeconds:0.0} s after healing (agreed at {agreed})");

        await WaitForReceiptsAsync(3, during, ResumeBound);
        await AssertBalancesEqualAsync();
        await Net.AssertSameChainAsync(Net.All);
    }

    [Test]
    public async Task SilentThreeOneSplitMajorityFinalisesMinorityCatchesUp()
    {
        // Validator 3's links stay open but carry nothing (packets dropped, no reset): the three must not wait on it.
        int[] majoritySide = [0, 1, 2, .. Net.FullNodes];
        Assert.That(Net.Mesh.PartitionSilently(majoritySide, [3]), Is.EqualTo(2 * majoritySide.Length));
        await Task.Delay(Settle);
        ulong isolatedAt = await Net.Nodes[3].Rpc.HeadAsync();
        ulong majorityAt = (await Net.HeadsAsync(majoritySide)).Min();
        List<string> during = await SendTransfersAsync([0, 2]);
        await WaitForReceiptsAsync(0, during, ResumeBound);
        ulong majority = await Net.WaitForAgreementAsync(majoritySide, ResumeBound, above: majorityAt + 3);
        Assert.That(await Net.Nodes[3].Rpc.HeadAsync(), Is.EqualTo(isolatedAt), "the silenced validator finalises nothing alone");

        Stopwatch resume = Stopwatch.StartNew();
        Net.Mesh.HealAll();
        ulong agreed = await Net.WaitForAgreementAsync(Net.All, ResumeBound, above: majority);
        TestContext.Out.WriteLine($"silent 3|1 split: majority {majorityAt} → {majority} while validator 3 stayed at {isolatedAt}; caught up past {majority} {resume.Elapsed.TotalSeconds:0.0} s after the held bytes flowed again (agreed at {agreed})");
        await WaitForReceiptsAsync(3, during, ResumeBound);
        await AssertBalancesEqualAsync();
        await Net.AssertSameChainAsync(Net.All);
    }

    [Test]
    public async Task SlowLinksStillFinaliseOneChain()
    {
        // 150 ms each way on every link (a round trip of 300 ms against a 1 s propose timeout), both ways per chunk.
        ulong before = (await Net.HeadsAsync(Net.All)).Max();
        Net.Mesh.SetDelay(TimeSpan.FromMilliseconds(150));
        try
        {
            List<string> sent = await SendTransfersAsync([1, 3]);
            await WaitForReceiptsAsync(2, sent, ResumeBound);
            ulong agreed = await Net.WaitForAgreementAsync(Net.All, ResumeBound, above: before + 3);
            TestContext.Out.WriteLine($"with 150 ms per hop: {before} → {agreed}");
        }
        finally
        {
            Net.Mesh.SetDelay(TimeSpan.Zero);
        }

        await AssertBalancesEqualAsync();
        await Net.AssertSameChainAsync(Net.All);
    }

    /// <summary>One transfer from test account a to validator a, for each a in <paramref name="accounts"/>.</summary>
    private async Task<List<string>> SendTransfersAsync(int[] accounts)
    {
        List<string> hashes = [];
        foreach (int a in accounts)
        {
            hashes.Add(await Net.Nodes[a].Rpc.SendTransferAsync(DevChainFixture.Keys[a], Recipient, _nonces[a]++, ProxiedLocalnet.ChainId));
        }

        return hashes;
    }

    private async Task WaitForReceiptsAsync(int node, List<string> hashes, TimeSpan timeout)
    {
        Stopwatch clock = Stopwatch.StartNew();
        foreach (string hash in hashes)
        {
            string? status;
            while ((status = await Net.Nodes[node].Rpc.ReceiptStatusAsync(hash)) is null)
            {
                if (clock.Elapsed > timeout)
                {
                    Assert.Fail($"no receipt for {hash} at {Net.Nodes[node].Name} in {timeout}\n{Net.Logs(25)}");
                }

                await Task.Delay(250);
            }

            Assert.That(status, Is.EqualTo("0x1"), hash);
        }
    }

    /// <summary>Every node reports the same recipient balance, and it is what the included transfers add up to.</summary>
    private async Task AssertBalancesEqualAsync()
    {
        ulong agreed = await Net.WaitForAgreementAsync(Net.All, ResumeBound);
        ulong sent = 0;
        foreach (ulong n in _nonces)
        {
            sent += n;
        }

        string expected = "0x" + (sent * 1000).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        Stopwatch clock = Stopwatch.StartNew();
        foreach (ChainNodeProcess node in Net.Nodes)
        {
            // A node may be a block behind the one that served the receipt: wait for it, within the bound.
            string balance;
            while ((balance = await node.Rpc.BalanceAsync(Recipient)) != expected && clock.Elapsed < ResumeBound)
            {
                await Task.Delay(250);
            }

            Assert.That(balance, Is.EqualTo(expected), $"{node.Name} (all agreed at block {agreed})");
        }
    }
}
