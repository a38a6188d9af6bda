namespace Cere.Consensus.Machine;

/// <summary>A timer the machine set and the host fires back: which kind, for which height and round.</summary>
public readonly record struct TimeoutEvent(TimeoutKind Kind, ulong Height, int Round);
