namespace Cere.Consensus.Machine;

/// <summary>The step of the current round (Algorithm 1: propose, prevote, precommit), plus the decided state of a height.</summary>
public enum ConsensusStep
{
    /// <summary>Waiting for the round's proposal.</summary>
    Propose,

    /// <summary>Prevoted; waiting for prevotes.</summary>
    Prevote,

    /// <summary>Precommitted; waiting for precommits.</summary>
    Precommit,

    /// <summary>The height is decided; waiting for the host to start the next one.</summary>
    Decided,
}
