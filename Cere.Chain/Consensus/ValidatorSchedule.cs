using Cere.Consensus.Validators;
using Cere.Core;
using Cere.Core.Chainspec;

namespace Cere.Chain.Consensus;

/// <summary>
/// The validator set of every height, from the genesis <c>cere.validators</c> section: the same members and powers at
/// every height, proposer priorities advanced once per height (CometBFT's rotation). Stake is converted to voting power
/// in whole CERE (wei / 10^18, at least 1).
/// </summary>
/// <remarks>Membership changes at epoch boundaries (Staking) are not applied yet: the set is static.</remarks>
public sealed class ValidatorSchedule
{
    private static readonly UInt256 WeiPerCere = UInt256.Parse("1000000000000000000");

    private readonly Lock _lock = new();
    private readonly ValidatorSet _genesisSet;
    private ulong _cachedHeight = 1;
    private ValidatorSet _cached;

    /// <summary>The schedule of <paramref name="genesis"/>'s validators.</summary>
    /// <exception cref="ArgumentException">The genesis has no validators.</exception>
    public ValidatorSchedule(Genesis genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        if (genesis.Validators.Count == 0)
        {
            throw new ArgumentException("the genesis has no validators (cere.validators is empty): a validator node needs a set", nameof(genesis));
        }

        Validator[] members = new Validator[genesis.Validators.Count];
        for (int i = 0; i < members.Length; i++)
        {
            GenesisValidator v = genesis.Validators[i];
            UInt256 whole = v.Stake / WeiPerCere;
            long power = whole > new UInt256((ulong)(ValidatorSet.MaxTotalPower / ValidatorSet.MaxValidators))
                ? ValidatorSet.MaxTotalPower / ValidatorSet.MaxValidators
                : Math.Max(1L, (long)(ulong)whole);
            members[i] = new Validator(v.Address, power);
        }

        _genesisSet = ValidatorSet.Create(members);
        _cached = _genesisSet;
    }

    /// <summary>Members and powers (the same at every height; enough to check a commit certificate of any height).</summary>
    public ValidatorSet Members => _genesisSet;

    /// <summary>
    /// The set whose signatures certify a block of <paramref name="height"/>. Static today (members and powers from
    /// genesis); with staking it changes at epoch boundaries, and certificate checks look it up here by height.
    /// </summary>
    public ValidatorSet SignersAt(ulong height)
    {
        _ = height;
        return _genesisSet;
    }

    /// <summary>The set of <paramref name="height"/> (≥ 1) with its proposer priorities.</summary>
    public ValidatorSet ForHeight(ulong height)
    {
        ArgumentOutOfRangeException.ThrowIfZero(height);
        lock (_lock)
        {
            // Heights are asked for in increasing order while the node runs: advance from the last one asked for.
            ValidatorSet set = height >= _cachedHeight ? _cached : _genesisSet;
            ulong at = height >= _cachedHeight ? _cachedHeight : 1;
            while (at < height)
            {
                set = set.NextHeight();
                at++;
            }

            _cached = set;
            _cachedHeight = height;
            return set;
        }
    }
}
