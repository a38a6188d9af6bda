namespace Cere.Consensus.Machine;

/// <summary>Bounds on what the machine keeps from peers, so a flood of future messages cannot grow its memory.</summary>
public sealed record MachineLimits
{
    /// <summary>Rounds beyond the current one whose messages are kept (later ones are dropped; peers re-send).</summary>
    public int MaxRoundsAhead { get; init; } = 8;

    /// <summary>Future rounds one validator may occupy at a time (CometBFT keeps 2 catch-up rounds per peer).</summary>
    public int FutureRoundsPerValidator { get; init; } = 2;

    /// <summary>Messages for the next height kept until it starts, per validator in the set.</summary>
    public int NextHeightMessagesPerValidator { get; init; } = 4;
}
