using Cere.Consensus.Simulation;

namespace Cere.Consensus.Tests;

public class SimulationTests
{
    private static readonly Behaviour H = Behaviour.Honest;

    private static IEnumerable<TestCaseData> Slices()
    {
        // The default run's slice of the full run (scripts/simulate gives the 10,000-run figures).
        yield return new TestCaseData(new BatchOptions { Validators = 4, Byzantine = 1, Runs = 60, Seed = 1 }).SetName("Slice(n=4, f=1, clean network)");
        yield return new TestCaseData(new BatchOptions { Validators = 4, Byzantine = 1, Runs = 60, Seed = 1001, Drop = 0.1, Partitions = true }).SetName("Slice(n=4, f=1, 10% loss, partitions)");
        yield return new TestCaseData(new BatchOptions { Validators = 7, Byzantine = 2, Runs = 40, Seed = 2001, Drop = 0.1, Partitions = true }).SetName("Slice(n=7, f=2, 10% loss, partitions)");
        yield return new TestCaseData(new BatchOptions { Validators = 10, Byzantine = 3, Runs = 25, Seed = 3001, Drop = 0.05, Partitions = true }).SetName("Slice(n=10, f=3, 5% loss, partitions)");
    }

    [TestCaseSource(nameof(Slices))]
    public void SeededRunsAreSafeAndLive(BatchOptions options)
    {
        BatchSummary s = BatchRunner.Run(options);
        TestContext.Out.WriteLine(s.ToString());
        Assert.That(s.FailingSeeds, Is.Empty, "replay with: scripts/simulate --runs 1 --trace --seed <seed> and the same options");
        Assert.That(s.Heights, Is.EqualTo(options.Runs * options.Heights));
    }

    [Test]
    [Category("Heavy")]
    public void TenThousandSeededRuns()
    {
        (int N, int F, ulong Seed, double Drop, bool Partitions)[] parts =
        [
            (4, 1, 100_000, 0, false), (4, 1, 200_000, 0.1, true), (7, 2, 300_000, 0, false),
            (7, 2, 400_000, 0.1, true), (10, 3, 500_000, 0, false), (10, 3, 600_000, 0.1, true),
        ];
        int runs = 0;
        foreach ((int n, int f, ulong seed, double drop, bool partitions) in parts)
        {
            BatchSummary s = BatchRunner.Run(new BatchOptions { Validators = n, Byzantine = f, Runs = 1667, Seed = seed, Drop = drop, Partitions = partitions, Threads = 2 });
            TestContext.Out.WriteLine($"n={n} f={f} drop={drop} partitions={partitions}: {s}");
            Assert.That(s.FailingSeeds, Is.Empty);
            runs += s.Runs;
        }

        Assert.That(runs, Is.GreaterThanOrEqualTo(10_000));
    }

    private static SimulationConfig Config(ulong seed, Behaviour[] behaviours, bool partitions = false, double drop = 0) =>
        new() { Seed = seed, Behaviours = behaviours, Partitions = partitions, Drop = drop };

    private static IEnumerable<SimulationResult> Runs(int count, Func<ulong, SimulationConfig> config)
    {
        for (ulong seed = 1; seed <= (ulong)count; seed++)
        {
            yield return Simulation.Simulation.Run(config(seed));
        }
    }

    [Test]
    public void EquivocatingProposer()
    {
        foreach (SimulationResult r in Runs(15, s => Config(s, [Behaviour.EquivocatingProposer, H, H, H], drop: 0.05)))
        {
            Assert.That(r.SafetyViolations, Is.Empty, $"seed {r.Seed}");
            Assert.That(r.LivenessFailed, Is.False, $"seed {r.Seed}");
        }
    }

    [Test]
    public void DoubleVoteInPartition()
    {
        int caught = 0;
        foreach (SimulationResult r in Runs(15, s => Config(s, [H, Behaviour.DoubleVoter, H, H, H, H, H], partitions: true) with { Relay = 0.3 }))
        {
            Assert.That(r.SafetyViolations, Is.Empty, $"seed {r.Seed}");
            Assert.That(r.LivenessFailed, Is.False, $"seed {r.Seed}");
            Assert.That(r.DoubleSigners, Is.EqualTo(new[] { 1 }), $"seed {r.Seed}: only the double voter signs twice");
            Assert.That(r.EvidenceAgainst, Is.SubsetOf(new[] { 1 }), $"seed {r.Seed}: no correct validator is accused");
            caught += r.EvidenceAgainst.Count;
        }

        // Each half of the network sees one of its votes; gossip relays expose the pair (not in every run: relays are random).
        TestContext.Out.WriteLine($"the double voter was caught by evidence in {caught} of 15 runs");
        Assert.That(caught, Is.GreaterThanOrEqualTo(12));
    }

    [Test]
    public void SilentValidator()
    {
        foreach (SimulationResult r in Runs(15, s => Config(s, [H, H, Behaviour.Silent, H], drop: 0.05)))
        {
            Assert.That(r.SafetyViolations, Is.Empty, $"seed {r.Seed}");
            Assert.That(r.LivenessFailed, Is.False, $"seed {r.Seed}");
        }
    }

    [Test]
    public void CrashAndRestartFromWalNeverDoubleSigns()
    {
        // Two correct validators crash (sometimes mid-append) and restart from their WAL; a third is byzantine.
        foreach (SimulationResult r in Runs(40, s => Config(s, [Behaviour.CrashRestart, H, Behaviour.CrashRestart, H, H, H, Behaviour.DoubleVoter], drop: 0.05)))
        {
            Assert.That(r.SafetyViolations, Is.Empty, $"seed {r.Seed}");
            Assert.That(r.LivenessFailed, Is.False, $"seed {r.Seed}");
            Assert.That(r.DoubleSigners, Is.EqualTo(new[] { 6 }), $"seed {r.Seed}");
        }
    }

    [Test]
    public void ValidatorThatForgetsItsWalIsCaughtByEvidence()
    {
        // Lossy, slow links: after its restart the forgetful validator often misses the proposal it had voted for and votes nil.
        int doubleSigned = 0, caught = 0;
        foreach (SimulationResult r in Runs(80, s => Config(s, [Behaviour.Amnesiac, H, H, H], drop: 0.3) with { MaxDelayMs = 120, Relay = 0.3 }))
        {
            Assert.That(r.SafetyViolations, Is.Empty, $"seed {r.Seed}: the others stay safe");
            Assert.That(r.LivenessFailed, Is.False, $"seed {r.Seed}");
            Assert.That(r.EvidenceAgainst, Is.SubsetOf(new[] { 0 }), $"seed {r.Seed}: no correct validator is accused");
            if (r.DoubleSigners.Contains(0))
            {
                doubleSigned++;
                caught += r.EvidenceAgainst.Count;
            }
        }

        // A contradicting vote that arrives after the others decided that height is not looked at (the machine keeps one height).
        TestContext.Out.WriteLine($"the amnesiac double-signed in {doubleSigned} of 80 runs; evidence caught it in {caught}");
        Assert.That(doubleSigned, Is.GreaterThan(0), "the scenario must make the forgetful validator contradict itself");
        Assert.That(caught, Is.GreaterThan(0), "its double signs become evidence");
    }

    [Test]
    public void AFailingSeedReplaysIdentically()
    {
        BatchOptions o = new() { Validators = 7, Byzantine = 2, Drop = 0.1, Partitions = true };
        SimulationResult a = Simulation.Simulation.Run(BatchRunner.ConfigFor(o, 4242));
        SimulationResult b = Simulation.Simulation.Run(BatchRunner.ConfigFor(o, 4242));
        SimulationResult c = Simulation.Simulation.Run(BatchRunner.ConfigFor(o, 4243));
        Assert.That(b.TraceHash, Is.EqualTo(a.TraceHash));
        Assert.That((b.MessagesDelivered, b.EndTimeMs, b.HeightsDecided), Is.EqualTo((a.MessagesDelivered, a.EndTimeMs, a.HeightsDecided)));
        Assert.That(c.TraceHash, Is.Not.EqualTo(a.TraceHash));
    }

    [Test]
    public void FaultBudgetIsEnforced() =>
        Assert.That(() => Simulation.Simulation.Run(new SimulationConfig { Behaviours = [Behaviour.DoubleVoter, H, H], Stakes = [1, 1, 1] }),
            Throws.ArgumentException.With.Message.Contains("not below 1/3"));
}
