using Cere.Consensus.Messages;
using Cere.Core;

namespace Cere.Consensus.Machine;

/// <summary>The step functions, named as in CometBFT and numbered by the lines of Algorithm 1 they implement.</summary>
public sealed partial class TendermintMachine
{
    // Algorithm 1, lines 11-21 (StartRound).
    private void EnterNewRound(int round, List<ConsensusEffect> effects)
    {
        Round = round;
        Step = ConsensusStep.Propose;
        foreach (List<int> rounds in _futureRounds)
        {
            rounds.RemoveAll(r => r <= round);
        }

        GetOrCreateRound(round);
        effects.Add(new ScheduleTimeoutEffect(new TimeoutEvent(TimeoutKind.Propose, Height, round), _timeouts.DurationMs(TimeoutKind.Propose, round)));
        if (_selfIndex >= 0 && ProposerOf(round) == _selfIndex)
        {
            EnterPropose(effects);
        }
    }

    // Lines 14-19: propose the valid value if there is one, else a new block from the host.
    private void EnterPropose(List<ConsensusEffect> effects)
    {
        if (_ownProposals.TryGetValue(Round, out Proposal? signed))
        {
            effects.Add(new BroadcastEffect(signed));
            return;
        }

        if (ValidValue is { } vv && _blocks.TryGetValue(vv, out byte[]? block))
        {
            SignProposal(vv, block, ValidRound, effects);
            return;
        }

        _buildRequestedRound = Round;
        effects.Add(new BuildBlockEffect(Height, Round));
    }

    private void SignProposal(Hash256 blockHash, byte[] block, int polRound, List<ConsensusEffect> effects)
    {
        Proposal p = Proposal.Create(_chainId, Height, Round, polRound, blockHash, block, _signer!);
        _ownProposals.Add(Round, p);
        effects.Add(new SignedMessageEffect(p));
        RelayPolka(p, effects);
        RoundState rs = GetOrCreateRound(Round);
        if (rs.First is null || rs.Second is null)
        {
            AddProposal(rs, p);
        }
    }

    // Lines 22-33 end here: broadcast ⟨PREVOTE⟩ and step ← prevote.
    private void EnterPrevote(Hash256? value, List<ConsensusEffect> effects)
    {
        CastVote(VoteType.Prevote, value, effects);
        Step = ConsensusStep.Prevote;
    }

    // Lines 36-43 and 44-46: broadcast ⟨PRECOMMIT⟩; lock only on a value actually signed.
    private void EnterPrecommit(Hash256? value, List<ConsensusEffect> effects)
    {
        Hash256? signed = CastVote(VoteType.Precommit, value, effects);
        if (signed is { } h)
        {
            LockedValue = h;
            LockedRound = Round;
        }

        Step = ConsensusStep.Precommit;
    }

    // Lines 49-54: decide; the certificate is the quorum of precommits, in validator order.
    private void EnterCommit(int round, Hash256 block, List<ConsensusEffect> effects)
    {
        if (_receivedCertificates.TryGetValue((round, block), out CommitCertificate? received))
        {
            Step = ConsensusStep.Decided;
            effects.Add(new DecideEffect(Height, round, block, _blocks[block], received));
            return;
        }

        RoundState rs = _rounds[round];
        List<(int Index, Vote Vote)> votes = rs.Precommits.VotesFor(block);
        List<CommitSignature> signatures = new(votes.Count);
        foreach ((int index, Vote vote) in votes)
        {
            signatures.Add(new CommitSignature(index, vote.Signature));
        }

        CommitCertificate certificate = new(_chainId, Height, round, block, signatures);
        Step = ConsensusStep.Decided;
        effects.Add(new DecideEffect(Height, round, block, _blocks[block], certificate));
    }

    // Line 57.
    private void OnTimeoutPropose(List<ConsensusEffect> effects) => EnterPrevote(null, effects);

    // Line 61.
    private void OnTimeoutPrevote(List<ConsensusEffect> effects) => EnterPrecommit(null, effects);

    // Line 65.
    private void OnTimeoutPrecommit(List<ConsensusEffect> effects) => EnterNewRound(Round + 1, effects);

    /// <summary>Signs a vote, or re-sends the one already signed for this slot (never a second one: that would be a double sign). Returns the value actually voted.</summary>
    private Hash256? CastVote(VoteType type, Hash256? value, List<ConsensusEffect> effects)
    {
        if (_selfIndex < 0)
        {
            return null; // not a validator at this height: follow, never vote or lock
        }

        if (_ownVotes.TryGetValue((Round, type), out Vote? signed))
        {
            effects.Add(new BroadcastEffect(signed));
            return signed.BlockHash;
        }

        Vote vote = Vote.Create(_chainId, Height, Round, type, value, _signer!);
        _ownVotes.Add((Round, type), vote);
        effects.Add(new SignedMessageEffect(vote));
        AddVote(GetOrCreateRound(Round), vote, _selfIndex);
        return value;
    }

    /// <summary>
    /// Sends the prevotes of a re-proposal's valid round along with it: without them a peer that missed that round's
    /// prevotes can never apply line 28, and every later round fails (CometBFT gossips the ProposalPOL for this reason).
    /// </summary>
    private void RelayPolka(Proposal p, List<ConsensusEffect> effects)
    {
        if (p.PolRound < 0 || !_rounds.TryGetValue(p.PolRound, out RoundState? pol))
        {
            return;
        }

        foreach ((int _, Vote vote) in pol.Prevotes.VotesFor(p.BlockHash))
        {
            effects.Add(new BroadcastEffect(vote));
        }
    }

    private void Rebroadcast(List<ConsensusEffect> effects)
    {
        for (int r = Math.Max(0, Round - 1); r <= Round; r++)
        {
            if (_rounds.TryGetValue(r, out RoundState? rs) && rs.First is { } p)
            {
                effects.Add(new BroadcastEffect(p));
                RelayPolka(p, effects);
            }

            if (_ownVotes.TryGetValue((r, VoteType.Prevote), out Vote? pv))
            {
                effects.Add(new BroadcastEffect(pv));
            }

            if (_ownVotes.TryGetValue((r, VoteType.Precommit), out Vote? pc))
            {
                effects.Add(new BroadcastEffect(pc));
            }
        }
    }
}
