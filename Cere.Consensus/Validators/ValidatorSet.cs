using Cere.Core;

namespace Cere.Consensus.Validators;

/// <summary>
/// The validators of one height: ordered by address, with their voting power and proposer priority; picks each round's
/// proposer by CometBFT's weighted round robin (spec/consensus/proposer-selection.md).
/// </summary>
/// <remarks>
/// Immutable: <see cref="NextHeight"/> and <see cref="WithPowers"/> return new sets. The host passes one set per height;
/// changes of membership or power are applied at epoch boundaries with <see cref="WithPowers"/>.
/// </remarks>
public sealed class ValidatorSet
{
    /// <summary>Upper bound of the total power, as in CometBFT (MaxTotalVotingPower = int64.Max / 8), so 3 × power never overflows.</summary>
    public const long MaxTotalPower = long.MaxValue / 8;

    /// <summary>Most validators a set may hold (bounds certificates and per-round memory).</summary>
    public const int MaxValidators = 10_000;

    // CometBFT: priorities are kept within a window of 2 × total power (PriorityWindowSizeFactor).
    private const long PriorityWindowFactor = 2;

    private readonly Validator[] _validators;
    private readonly long[] _priorities;
    private readonly Dictionary<Address, int> _indexByAddress;

    private ValidatorSet(Validator[] validators, long[] priorities, int proposerIndex)
    {
        _validators = validators;
        _priorities = priorities;
        _indexByAddress = new Dictionary<Address, int>(validators.Length);
        long total = 0;
        for (int i = 0; i < validators.Length; i++)
        {
            _indexByAddress.Add(validators[i].Address, i);
            total += validators[i].Power;
        }

        TotalPower = total;
        ProposerIndex = proposerIndex;
    }

    /// <summary>The number of validators.</summary>
    public int Count => _validators.Length;

    /// <summary>The sum of all powers.</summary>
    public long TotalPower { get; }

    /// <summary>The index of this height's round-0 proposer.</summary>
    public int ProposerIndex { get; }

    /// <summary>The validator at <paramref name="index"/> (sets are ordered by address).</summary>
    public Validator this[int index] => _validators[index];

    /// <summary>The proposer priority of the validator at <paramref name="index"/>.</summary>
    public long PriorityOf(int index) => _priorities[index];

    /// <summary>
    /// A genesis set: priorities start at zero and advance once, as CometBFT's NewValidatorSet does.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, a duplicate address, a power that is not positive, or a total above <see cref="MaxTotalPower"/>.</exception>
    public static ValidatorSet Create(IReadOnlyList<Validator> validators)
    {
        Validator[] sorted = Validate(validators);
        ValidatorSet set = new(sorted, new long[sorted.Length], 0);
        return set.Advance(1);
    }

    /// <summary>The index of <paramref name="address"/>, or -1 if it is not a validator.</summary>
    public int IndexOf(in Address address) => _indexByAddress.TryGetValue(address, out int i) ? i : -1;

    /// <summary>The proposer of <paramref name="round"/> at this height: the priorities advanced <paramref name="round"/> more times.</summary>
    public int ProposerIndexForRound(int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        return round == 0 ? ProposerIndex : Advance(round).ProposerIndex;
    }

    /// <summary>The set for the next height, same members (priorities advanced once).</summary>
    public ValidatorSet NextHeight() => Advance(1);

    /// <summary>
    /// The set for the next height after an epoch change: members and powers become <paramref name="validators"/>; members
    /// that stay keep their priority, newcomers start at −1.125 × total power so that joining never makes one proposer at once
    /// (CometBFT, proposer-selection.md "New validator").
    /// </summary>
    public ValidatorSet WithPowers(IReadOnlyList<Validator> validators)
    {
        Validator[] sorted = Validate(validators);
        long total = 0;
        foreach (Validator v in sorted)
        {
            total += v.Power;
        }

        long[] priorities = new long[sorted.Length];
        long newcomer = -(total + (total >> 3));
        for (int i = 0; i < sorted.Length; i++)
        {
            int old = IndexOf(sorted[i].Address);
            priorities[i] = old >= 0 ? _priorities[old] : newcomer;
        }

        ValidatorSet changed = new(sorted, priorities, 0);
        return changed.Advance(1);
    }

    /// <summary>True when <paramref name="power"/> is more than 2/3 of the total (a quorum; the paper's 2f + 1).</summary>
    public bool IsQuorum(long power) => power * 3 > TotalPower * 2;

    /// <summary>True when <paramref name="power"/> is more than 1/3 of the total (at least one honest validator; the paper's f + 1).</summary>
    public bool IsOneThirdPlus(long power) => power * 3 > TotalPower;

    private ValidatorSet Advance(int times)
    {
        long[] p = (long[])_priorities.Clone();
        long total = 0;
        foreach (Validator v in _validators)
        {
            total += v.Power;
        }

        Rescale(p, PriorityWindowFactor * total);
        CenterOnAverage(p);
        int proposer = ProposerIndex;
        for (int t = 0; t < times; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p[i] += _validators[i].Power;
            }

            // The proposer is the one with the most priority after the increment; it then pays the total (CometBFT incrementProposerPriority).
            proposer = MaxPriorityIndex(p);
            p[proposer] -= total;
        }

        return new ValidatorSet(_validators, p, proposer);
    }

    // The highest priority wins; on a tie the smaller address (sets are sorted by address, so the lower index).
    private static int MaxPriorityIndex(long[] priorities)
    {
        int best = 0;
        for (int i = 1; i < priorities.Length; i++)
        {
            if (priorities[i] > priorities[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static void Rescale(long[] p, long window)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (long x in p)
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        long diff = max - min;
        if (window > 0 && diff > window)
        {
            long ratio = (diff + window - 1) / window;
            for (int i = 0; i < p.Length; i++)
            {
                p[i] /= ratio;
            }
        }
    }

    private static void CenterOnAverage(long[] p)
    {
        Int128 sum = 0;
        foreach (long x in p)
        {
            sum += x;
        }

        // Floor division, as CometBFT's big.Int Div (Euclidean for a positive divisor).
        Int128 n = p.Length;
        Int128 avg = sum >= 0 ? sum / n : -((-sum + n - 1) / n);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] -= (long)avg;
        }
    }

    private static Validator[] Validate(IReadOnlyList<Validator> validators)
    {
        ArgumentNullException.ThrowIfNull(validators);
        if (validators.Count == 0 || validators.Count > MaxValidators)
        {
            throw new ArgumentException($"a validator set holds 1 to {MaxValidators} validators, got {validators.Count}", nameof(validators));
        }

        Validator[] sorted = new Validator[validators.Count];
        long total = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            Validator v = validators[i];
            if (v.Power <= 0)
            {
                throw new ArgumentException($"validator {v.Address} has power {v.Power}; powers must be positive", nameof(validators));
            }

            total += v.Power;
            if (total > MaxTotalPower || total < 0)
            {
                throw new ArgumentException($"the total power exceeds {MaxTotalPower}", nameof(validators));
            }

            sorted[i] = v;
        }

        Array.Sort(sorted, static (a, b) => a.Address.CompareTo(b.Address));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Address == sorted[i - 1].Address)
            {
                throw new ArgumentException($"validator {sorted[i].Address} appears twice", nameof(validators));
            }
        }

        return sorted;
    }
}
