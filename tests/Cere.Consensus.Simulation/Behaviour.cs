namespace Cere.Consensus.Simulation;

/// <summary>How a simulated validator behaves.</summary>
public enum Behaviour
{
    /// <summary>Follows the protocol.</summary>
    Honest,

    /// <summary>Honest, but crashes (sometimes in the middle of a WAL append) and restarts from its WAL.</summary>
    CrashRestart,

    /// <summary>Byzantine: never sends anything.</summary>
    Silent,

    /// <summary>Byzantine: as proposer, signs two different blocks (sometimes one invalid) and sends each to half of the network.</summary>
    EquivocatingProposer,

    /// <summary>Byzantine: signs two different values for every vote (and proposal) and sends each to half of the network, colluding with the other byzantine nodes' blocks.</summary>
    DoubleVoter,

    /// <summary>Byzantine by accident: crashes, loses its WAL, restarts, and may then sign votes that contradict its earlier ones.</summary>
    Amnesiac,
}

/// <summary>Whether a behaviour counts against the fault budget (less than 1/3 of the stake).</summary>
public static class BehaviourExtensions
{
    /// <summary>True for behaviours that may break the protocol's rules.</summary>
    public static bool IsFaulty(this Behaviour b) => b is not (Behaviour.Honest or Behaviour.CrashRestart);
}
