using Cere.Consensus.Machine;
using Cere.Consensus.Simulation;

namespace Cere.Consensus.Tests;

/// <summary>
/// The harness is only worth something if it catches a broken algorithm: each test runs the same seeded scenarios with a
/// deliberately broken rule (which must fail) and with the correct rule (which must not).
/// </summary>
public class BrokenVariantTests
{
    private const int MaxSeeds = 1000;

    // Lossy, slow links and one double signer: some correct validators lock on a block the others never see a polka for.
    private static SimulationConfig IgnoreLockScenario(ulong seed) => new()
    {
        Seed = seed,
        Behaviours = [Behaviour.DoubleVoter, Behaviour.Honest, Behaviour.Honest, Behaviour.Honest],
        Stakes = [1, 1, 1, 1],
        Heights = 8,
        Drop = 0.25,
        MaxDelayMs = 100,
        LivenessBudgetMs = 30_000,
    };

    // Four small faulty validators against three big correct ones: 12 of 42 stake (under 1/3), 4 of 7 heads (over 1/3).
    private static SimulationConfig HeadCountScenario(ulong seed) => new()
    {
        Seed = seed,
        Behaviours = [Behaviour.Honest, Behaviour.Honest, Behaviour.Honest, Behaviour.DoubleVoter, Behaviour.DoubleVoter, Behaviour.DoubleVoter, Behaviour.DoubleVoter],
        Stakes = [10, 10, 10, 3, 3, 3, 3],
        Heights = 3,
        LivenessBudgetMs = 8_000,
    };

    // Exactly 1/3 of the stake is faulty: a strict "more than 2/3" quorum still keeps two quorums overlapping in a correct validator; "at least 2/3" does not.
    private static SimulationConfig ExactlyTwoThirdsScenario(ulong seed) => new()
    {
        Seed = seed,
        Behaviours = [Behaviour.DoubleVoter, Behaviour.Honest, Behaviour.Honest],
        Stakes = [1, 1, 1],
        Heights = 3,
        AllowOneThirdFaulty = true,
        LivenessBudgetMs = 5_000,
    };

    [Test]
    public void IgnoringTheLockIsCaught() =>
        AssertCaughtAndControlSafe(IgnoreLockScenario, new MachineVariant(IgnoreLock: true), requireLiveControl: true);

    [Test]
    public void CountingVotesByHeadIsCaught() =>
        AssertCaughtAndControlSafe(HeadCountScenario, new MachineVariant(CountByHead: true), requireLiveControl: true);

    [Test]
    public void AcceptingExactlyTwoThirdsIsCaught() =>
        AssertCaughtAndControlSafe(ExactlyTwoThirdsScenario, new MachineVariant(AcceptTwoThirdsInclusive: true), requireLiveControl: false);

    private static void AssertCaughtAndControlSafe(Func<ulong, SimulationConfig> scenario, MachineVariant broken, bool requireLiveControl)
    {
        ulong? caught = null;
        List<string> what = [];
        for (ulong seed = 1; seed <= MaxSeeds && caught is null; seed++)
        {
            SimulationResult r = Simulation.Simulation.Run(scenario(seed) with { Variant = broken });
            if (r.ConflictingDecisions)
            {
                caught = seed;
                what.AddRange(r.SafetyViolations);
            }
        }

        Assert.That(caught, Is.Not.Null, $"the broken variant {broken} ran {MaxSeeds} seeds without two correct validators deciding differently");
        TestContext.Out.WriteLine($"caught at seed {caught}: {string.Join("; ", what)}");

        // The same scenario with the correct algorithm: no violation (and, where faults are below 1/3, every height decided),
        // including the seed that caught the broken one.
        List<ulong> control = [caught.Value];
        for (ulong seed = 1; seed <= Math.Min(caught.Value - 1, 30UL); seed++)
        {
            control.Add(seed);
        }

        foreach (ulong seed in control)
        {
            SimulationResult r = Simulation.Simulation.Run(scenario(seed));
            Assert.That(r.SafetyViolations, Is.Empty, $"correct algorithm, seed {seed}");
            if (requireLiveControl)
            {
                Assert.That(r.LivenessFailed, Is.False, $"correct algorithm, seed {seed}");
            }
        }
    }
}
