using Cere.Consensus.Messages;

namespace Cere.Consensus.Machine;

/// <summary>What one round of the current height has gathered: its proposal(s), prevotes, precommits and which once-only rules fired.</summary>
internal sealed class RoundState
{
    public RoundState(int validators, int proposerIndex)
    {
        Prevotes = new VoteTally(validators);
        Precommits = new VoteTally(validators);
        ProposerIndex = proposerIndex;
    }

    public VoteTally Prevotes { get; }

    public VoteTally Precommits { get; }

    public int ProposerIndex { get; }

    /// <summary>The first proposal received from the round's proposer: the one rules 22/28 act on.</summary>
    public Proposal? First { get; set; }

    /// <summary>A second, conflicting proposal (an equivocating proposer); kept so that a polka or commit for it can still be followed.</summary>
    public Proposal? Second { get; set; }

    /// <summary>Rule 34 fired (timeoutPrevote scheduled).</summary>
    public bool PrevoteTimeoutSet { get; set; }

    /// <summary>Rule 36 fired (a polka for the proposal was acted on).</summary>
    public bool PolkaHandled { get; set; }

    /// <summary>Rule 47 fired (timeoutPrecommit scheduled).</summary>
    public bool PrecommitTimeoutSet { get; set; }

    public VoteTally Tally(VoteType type) => type == VoteType.Prevote ? Prevotes : Precommits;

    public bool HasAnyMessageFrom(int index) =>
        Prevotes.Get(index) is not null || Precommits.Get(index) is not null || ((First is not null || Second is not null) && index == ProposerIndex);
}
