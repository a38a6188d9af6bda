namespace Cere.Consensus.Machine;

/// <summary>Bounds on what the machine keeps from peers, so a flood of future messages cannot grow its memory.</summary>
public sealed record MachineLimits
{
    /// <summary>
    /// Rounds beyond the current one whose messages are considered at all. Wide on purpose: a validator that fell many
    /// rounds behind must still see f + 1 of a later round to skip to it; memory is bounded by <see cref="FutureRoundsPerValidator"/>.
    /// </summary>
    public int MaxRoundsAhead { get; init; } = 1024;

    /// <summary>Future rounds one validator may occupy at a time (CometBFT keeps 2 catch-up rounds per peer).</summary>
    public int FutureRoundsPerValidator { get; init; } = 2;

    /// <summary>Messages for the next height kept until it starts, per validator in the set.</summary>
    public int NextHeightMessagesPerValidator { get; init; } = 4;
}
