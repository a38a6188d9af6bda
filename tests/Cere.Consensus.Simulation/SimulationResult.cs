namespace Cere.Consensus.Simulation;

/// <summary>What a run showed.</summary>
public sealed record SimulationResult
{
    /// <summary>The seed that reproduces the run.</summary>
    public ulong Seed { get; init; }

    /// <summary>Safety violations: two decisions at one height, an honest double sign, an invalid block or certificate decided.</summary>
    public required IReadOnlyList<string> SafetyViolations { get; init; }

    /// <summary>True if some correct validator had not decided every height when the budget after the last heal ran out.</summary>
    public bool LivenessFailed { get; init; }

    /// <summary>The lowest height decided by all correct validators.</summary>
    public int HeightsDecided { get; init; }

    /// <summary>The highest round any decision needed.</summary>
    public int MaxDecisionRound { get; init; }

    /// <summary>Messages delivered.</summary>
    public long MessagesDelivered { get; init; }

    /// <summary>Validators named by verified duplicate-vote evidence, by index (sorted, distinct).</summary>
    public required IReadOnlyList<int> EvidenceAgainst { get; init; }

    /// <summary>Validators that signed conflicting votes (seen at the source), by index.</summary>
    public required IReadOnlyList<int> DoubleSigners { get; init; }

    /// <summary>Simulated time at the end, ms.</summary>
    public long EndTimeMs { get; init; }

    /// <summary>A hash of every event processed: equal for two runs exactly when they went the same way.</summary>
    public ulong TraceHash { get; init; }

    /// <summary>True when two correct validators decided different blocks at one height (the core safety property).</summary>
    public bool ConflictingDecisions { get; init; }

    /// <summary>True when the run broke safety.</summary>
    public bool SafetyViolated => SafetyViolations.Count > 0;
}
