namespace Cere.Consensus.Simulation;

/// <summary>Runs seeded simulations with mixed faults and sums them up; a run's configuration depends only on its own seed, so any run replays alone.</summary>
public static class BatchRunner
{
    private static readonly Behaviour[] FaultKinds = [Behaviour.Silent, Behaviour.EquivocatingProposer, Behaviour.DoubleVoter, Behaviour.Amnesiac];

    /// <summary>The configuration of the run with <paramref name="seed"/>: which validators are faulty and how, whether a correct one crashes.</summary>
    public static SimulationConfig ConfigFor(BatchOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validators < 1 || options.Byzantine < 0 || options.Byzantine * 3 >= options.Validators)
        {
            throw new ArgumentException($"{options.Byzantine} faulty of {options.Validators} validators is not fewer than a third");
        }

        SimRandom rng = new(seed ^ 0xC0FFEE_5EED_0001UL);
        Behaviour[] behaviours = new Behaviour[options.Validators];
        int placed = 0;
        while (placed < options.Byzantine)
        {
            int i = rng.Next(behaviours.Length);
            if (behaviours[i] == Behaviour.Honest)
            {
                behaviours[i] = FaultKinds[rng.Next(FaultKinds.Length)];
                placed++;
            }
        }

        // Half of the runs also crash one correct validator (it restarts from its WAL, sometimes after a torn write).
        if (options.Validators - options.Byzantine > 1 && rng.Chance(0.5))
        {
            for (int k = 0; k < behaviours.Length; k++)
            {
                int i = (rng.Next(behaviours.Length) + k) % behaviours.Length;
                if (behaviours[i] == Behaviour.Honest)
                {
                    behaviours[i] = Behaviour.CrashRestart;
                    break;
                }
            }
        }

        return new SimulationConfig
        {
            Seed = seed,
            Behaviours = behaviours,
            Heights = options.Heights,
            Drop = options.Drop,
            Partitions = options.Partitions,
            MaxDelayMs = options.MaxDelayMs,
            Variant = options.Variant,
        };
    }

    /// <summary>Runs the batch; <paramref name="onResult"/> sees each result (in seed order).</summary>
    public static BatchSummary Run(BatchOptions options, Action<SimulationResult>? onResult = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        SimulationResult[] results = new SimulationResult[options.Runs];
        ParallelOptions parallel = new() { MaxDegreeOfParallelism = Math.Max(1, options.Threads) };
        Parallel.For(0, options.Runs, parallel, i => results[i] = Simulation.Run(ConfigFor(options, options.Seed + (ulong)i)));

        long heights = 0;
        int safety = 0, liveness = 0;
        List<ulong> failing = [];
        foreach (SimulationResult r in results)
        {
            onResult?.Invoke(r);
            heights += r.HeightsDecided;
            safety += r.SafetyViolations.Count;
            if (r.LivenessFailed)
            {
                liveness++;
            }

            if (r.SafetyViolated || r.LivenessFailed)
            {
                failing.Add(r.Seed);
            }
        }

        return new BatchSummary(options.Runs, heights, safety, liveness, failing);
    }
}

/// <summary>The totals of a batch.</summary>
public sealed record BatchSummary(int Runs, long Heights, int SafetyViolations, int LivenessFailures, IReadOnlyList<ulong> FailingSeeds)
{
    /// <summary>The line <c>scripts/simulate</c> ends with.</summary>
    public override string ToString() => $"runs {Runs}, heights {Heights}, safety violations {SafetyViolations}, liveness failures {LivenessFailures}";
}
