namespace Cere.Consensus.Machine;

/// <summary>The timers the machine asks the host to set.</summary>
public enum TimeoutKind
{
    /// <summary>No proposal in time: prevote nil (Algorithm 1, line 57).</summary>
    Propose,

    /// <summary>Prevotes seen but no quorum for one value: precommit nil (line 61).</summary>
    Prevote,

    /// <summary>Precommits seen but no decision: next round (line 65).</summary>
    Precommit,

    /// <summary>Re-send own messages of the current round: gossip is not reliable, and a peer that missed them needs them (CometBFT gossips votes continuously).</summary>
    Rebroadcast,
}
