using Cere.Consensus.Messages;
using Cere.Core;

namespace Cere.Consensus.Machine;

/// <summary>The prevotes or precommits of one round: at most one vote per validator, and the weight behind each value.</summary>
internal sealed class VoteTally
{
    private readonly Vote?[] _byIndex;
    private readonly Dictionary<Hash256, long> _weightByBlock = [];
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
            }
        }

        return result;
    }
}
