using Cere.Consensus.Messages;
using Cere.Core;

namespace Cere.Consensus.Machine;

/// <summary>The "upon" rules of Algorithm 1, applied after every input until none fires.</summary>
public sealed partial class TendermintMachine
{
    private void Progress(int touchedRound, List<ConsensusEffect> effects)
    {
        while (Step != ConsensusStep.Decided)
        {
            if (TryDecide(effects))
            {
                return;
            }

            // Line 55: f + 1 messages of a later round: skip to it.
            if (touchedRound > Round && _rounds.TryGetValue(touchedRound, out RoundState? later) && IsOneThirdPlus(WeightWithAnyMessage(later)))
            {
                EnterNewRound(touchedRound, effects);
                continue;
            }

            if (!ApplyCurrentRoundRules(effects))
            {
                return;
            }
        }
    }

    // Line 49: a proposal and 2f + 1 precommits for it in any round of this height, and the value is valid.
    private bool TryDecide(List<ConsensusEffect> effects)
    {
        foreach ((int round, Hash256 block) in _precommitQuorums)
        {
            if (_blocks.ContainsKey(block) && IsValid(block, effects) == true)
            {
                EnterCommit(round, block, effects);
                return true;
            }
        }

        return false;
    }

    private bool ApplyCurrentRoundRules(List<ConsensusEffect> effects)
    {
        RoundState rs = _rounds[Round];
        bool changed = false;

        if (Step == ConsensusStep.Propose && rs.First is { } p)
        {
            Hash256 v = p.BlockHash;
            if (p.PolRound == -1)
            {
                // Line 22: a fresh proposal; prevote it if valid and we are not locked on something else.
                if (IsValid(v, effects) is bool valid)
                {
                    bool allowed = _variant.IgnoreLock || LockedRound == -1 || LockedValue == v;
                    EnterPrevote(valid && allowed ? v : null, effects);
                    changed = true;
                }
            }
            else if (_rounds.TryGetValue(p.PolRound, out RoundState? pol) && IsQuorum(pol.Prevotes.WeightFor(v)))
            {
                // Line 28: a re-proposal backed by 2f + 1 prevotes of its valid round; our lock yields to a newer polka.
                if (IsValid(v, effects) is bool valid)
                {
                    bool allowed = _variant.IgnoreLock || LockedRound <= p.PolRound || LockedValue == v;
                    EnterPrevote(valid && allowed ? v : null, effects);
                    changed = true;
                }
            }
        }

        // Line 34: 2f + 1 prevotes of any kind: start timeoutPrevote once.
        if (Step == ConsensusStep.Prevote && !rs.PrevoteTimeoutSet && IsQuorum(rs.Prevotes.AnyWeight))
        {
            rs.PrevoteTimeoutSet = true;
            effects.Add(new ScheduleTimeoutEffect(new TimeoutEvent(TimeoutKind.Prevote, Height, Round), _timeouts.DurationMs(TimeoutKind.Prevote, Round)));
        }

        // Line 36: the proposal and 2f + 1 prevotes for it: lock and precommit (if still prevoting), remember it as valid.
        if (Step is ConsensusStep.Prevote or ConsensusStep.Precommit && !rs.PolkaHandled)
        {
            Proposal? polka = PolkaProposal(rs, effects);
            if (polka is not null)
            {
                rs.PolkaHandled = true;
                if (Step == ConsensusStep.Prevote)
                {
                    EnterPrecommit(polka.BlockHash, effects);
                }

                ValidValue = polka.BlockHash;
                ValidRound = Round;
                changed = true;
            }
        }

        // Line 44: 2f + 1 nil prevotes: precommit nil.
        if (Step == ConsensusStep.Prevote && IsQuorum(rs.Prevotes.WeightFor(null)))
        {
            EnterPrecommit(null, effects);
            changed = true;
        }

        // Line 47: 2f + 1 precommits of any kind: start timeoutPrecommit once.
        if (!rs.PrecommitTimeoutSet && IsQuorum(rs.Precommits.AnyWeight))
        {
            rs.PrecommitTimeoutSet = true;
            effects.Add(new ScheduleTimeoutEffect(new TimeoutEvent(TimeoutKind.Precommit, Height, Round), _timeouts.DurationMs(TimeoutKind.Precommit, Round)));
        }

        return changed;
    }

    private Proposal? PolkaProposal(RoundState rs, List<ConsensusEffect> effects)
    {
        foreach (Proposal? p in (ReadOnlySpan<Proposal?>)[rs.First, rs.Second])
        {
            if (p is not null && IsQuorum(rs.Prevotes.WeightFor(p.BlockHash)) && IsValid(p.BlockHash, effects) == true)
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>The host's verdict on a block, or null while it is pending (asking for it once).</summary>
    private bool? IsValid(Hash256 block, List<ConsensusEffect> effects)
    {
        if (_validity.TryGetValue(block, out bool valid))
        {
            return valid;
        }

        if (_validationRequested.Add(block) && _blocks.TryGetValue(block, out byte[]? data))
        {
            effects.Add(new ValidateBlockEffect(Height, block, data));
        }
        else if (!_blocks.ContainsKey(block))
        {
            _validationRequested.Remove(block); // ask once the block bytes arrive
        }

        return null;
    }

    private long WeightWithAnyMessage(RoundState rs)
    {
        long weight = 0;
        for (int i = 0; i < _weights.Length; i++)
        {
            if (rs.HasAnyMessageFrom(i))
            {
                weight += _weights[i];
            }
        }

        return weight;
    }
}
