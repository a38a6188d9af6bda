using Cere.Consensus.Messages;
using Cere.Core;

namespace Cere.Consensus.Machine;

/// <summary>The prevotes or precommits of one round: at most one vote per validator, and the weight behind each value.</summary>
internal sealed class VoteTally
{
    private readonly Vote?[] _byIndex;
    private readonly Dictionary<Hash256, long> _weightByBlock = [];
    private readonly List<(int Index, Vote Vote)> _conflicting = [];
    private long _nilWeight;

    public VoteTally(int validators) => _byIndex = new Vote?[validators];

    /// <summary>The weight of all votes, whatever their value (the paper's "2f + 1 ⟨…, ∗⟩").</summary>
    public long AnyWeight { get; private set; }

    public Vote? Get(int index) => _byIndex[index];

    public bool Add(Vote vote, int index, long weight)
    {
        if (_byIndex[index] is not null)
        {
            return false;
        }

        _byIndex[index] = vote;
        AnyWeight += weight;
        if (vote.BlockHash is { } h)
        {
            _weightByBlock[h] = _weightByBlock.GetValueOrDefault(h) + weight;
        }
        else
        {
            _nilWeight += weight;
        }

        return true;
    }

    /// <summary>True when the validator at <paramref name="index"/> has a vote for <paramref name="block"/> here (first or conflicting).</summary>
    public bool HasVoteFor(int index, Hash256? block)
    {
        if (_byIndex[index] is { } v && v.BlockHash == block)
        {
            return true;
        }

        foreach ((int i, Vote c) in _conflicting)
        {
            if (i == index && c.BlockHash == block)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Counts a double signer's second (third…) value towards that value, not towards the total of voters: Algorithm 1
    /// counts the senders of ⟨PREVOTE, h, r, id(v)⟩ per value, so a polka that includes an equivocator's vote is a polka
    /// everywhere once the vote is relayed, whatever other vote the equivocator sent first.
    /// </summary>
    public void AddConflicting(Vote vote, int index, long weight)
    {
        _conflicting.Add((index, vote));
        if (vote.BlockHash is { } h)
        {
            _weightByBlock[h] = _weightByBlock.GetValueOrDefault(h) + weight;
        }
        else
        {
            _nilWeight += weight;
        }
    }

    /// <summary>The weight of votes for <paramref name="block"/> (null: nil votes).</summary>
    public long WeightFor(Hash256? block) => block is { } h ? _weightByBlock.GetValueOrDefault(h) : _nilWeight;

    /// <summary>The votes for <paramref name="block"/> in validator order (deterministic: certificates come out the same on every node).</summary>
    public List<(int Index, Vote Vote)> VotesFor(Hash256 block)
    {
        List<(int, Vote)> result = [];
        for (int i = 0; i < _byIndex.Length; i++)
        {
            if (_byIndex[i] is { } v && v.BlockHash == block)
            {
                result.Add((i, v));
                continue;
            }

            foreach ((int ci, Vote c) in _conflicting)
            {
                if (ci == i && c.BlockHash == block)
                {
                    result.Add((i, c));
                    break;
                }
            }
        }

        return result;
    }
}
