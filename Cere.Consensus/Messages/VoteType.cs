namespace Cere.Consensus.Messages;

/// <summary>The two voting steps of a Tendermint round (Buchman/Kwon/Milosevic 2018, Algorithm 1).</summary>
public enum VoteType : byte
{
    /// <summary>First vote of a round: for the proposed block or nil.</summary>
    Prevote = 1,

    /// <summary>Second vote of a round: for a block that gathered more than 2/3 prevotes, or nil.</summary>
    Precommit = 2,
}
