namespace Cere.Consensus.Machine;

/// <summary>Timeout durations in milliseconds: base + delta × round for each step, so they grow until the network's delay is covered (Algorithm 1, "timeouts increase with the round").</summary>
public sealed record TimeoutSchedule
{
    /// <summary>Propose timeout at round 0, ms.</summary>
    public long ProposeMs { get; init; } = 3000;

    /// <summary>Added to the propose timeout per round, ms.</summary>
    public long ProposeDeltaMs { get; init; } = 500;

    /// <summary>Prevote timeout at round 0, ms.</summary>
    public long PrevoteMs { get; init; } = 1000;

    /// <summary>Added to the prevote timeout per round, ms.</summary>
    public long PrevoteDeltaMs { get; init; } = 500;

    /// <summary>Precommit timeout at round 0, ms.</summary>
    public long PrecommitMs { get; init; } = 1000;

    /// <summary>Added to the precommit timeout per round, ms.</summary>
    public long PrecommitDeltaMs { get; init; } = 500;

    /// <summary>Interval between re-sends of own messages, ms.</summary>
    public long RebroadcastMs { get; init; } = 2000;

    /// <summary>The duration of <paramref name="kind"/> at <paramref name="round"/>, ms.</summary>
    public long DurationMs(TimeoutKind kind, int round)
    {
        long r = Math.Min(round, 1 << 16); // keeps base + delta × round far from overflow for any round we accept
        return kind switch
        {
            TimeoutKind.Propose => ProposeMs + (ProposeDeltaMs * r),
            TimeoutKind.Prevote => PrevoteMs + (PrevoteDeltaMs * r),
            TimeoutKind.Precommit => PrecommitMs + (PrecommitDeltaMs * r),
            _ => RebroadcastMs,
        };
    }
}
