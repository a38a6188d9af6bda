using Cere.Consensus.Machine;

namespace Cere.Consensus.Simulation;

/// <summary>One simulated run: the network, its faults and what to check. Times are simulated milliseconds.</summary>
public sealed record SimulationConfig
{
    /// <summary>The seed: the same config and seed give the same run, event by event.</summary>
    public ulong Seed { get; init; }

    /// <summary>The behaviour of each validator (its length is the number of validators).</summary>
    public required Behaviour[] Behaviours { get; init; }

    /// <summary>Stake of each validator; null draws them (1..10) from the seed, giving faulty validators the smallest.</summary>
    public long[]? Stakes { get; init; }

    /// <summary>Heights every correct validator must decide.</summary>
    public int Heights { get; init; } = 4;

    /// <summary>Probability that a message is lost.</summary>
    public double Drop { get; init; }

    /// <summary>Probability that a message is delivered twice.</summary>
    public double Duplicate { get; init; } = 0.02;

    /// <summary>Probability that a validator forwards a vote it accepted to each other validator (once), as gossip does; this is what exposes a double signer to validators it did not target.</summary>
    public double Relay { get; init; } = 0.1;

    /// <summary>Split the network into two sides for a while (one or two times), then heal.</summary>
    public bool Partitions { get; init; }

    /// <summary>Smallest message delay, ms.</summary>
    public long MinDelayMs { get; init; } = 2;

    /// <summary>Largest message delay, ms (delays are uniform, so messages reorder).</summary>
    public long MaxDelayMs { get; init; } = 60;

    /// <summary>Heights per epoch: the validator set (stakes) changes at each epoch boundary.</summary>
    public int EpochLength { get; init; } = 3;

    /// <summary>Simulated time allowed after the last partition heals (and the last restart) for all heights to be decided.</summary>
    public long LivenessBudgetMs { get; init; } = 60_000;

    /// <summary>The timeouts of every validator.</summary>
    public TimeoutSchedule Timeouts { get; init; } = new()
    {
        ProposeMs = 300, ProposeDeltaMs = 100, PrevoteMs = 150, PrevoteDeltaMs = 75, PrecommitMs = 150, PrecommitDeltaMs = 75, RebroadcastMs = 400,
    };

    /// <summary>The algorithm every validator runs (a broken variant only in the tests that prove the harness catches it).</summary>
    internal MachineVariant Variant { get; init; }

    /// <summary>Allow faulty stake of exactly 1/3 (the inclusive-quorum test needs it); otherwise it must be below 1/3.</summary>
    public bool AllowOneThirdFaulty { get; init; }

    /// <summary>Receives a line per notable event (crashes, restarts, signatures, decisions) when debugging a seed.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The chain id in every message.</summary>
    public ulong ChainId { get; init; } = 0xCE1E;
}
