using Cere.Consensus.Signing;

namespace Cere.Chain.ValidatorKeys;

/// <summary>Where a consensus signature sits in the protocol: (height, round, step), ordered in that order.</summary>
/// <remarks>Within a round a validator signs its proposal, then its prevote, then its precommit (<see cref="SignedKind"/> values 1 &lt; 2 &lt; 3), as CometBFT's RoundStep order.</remarks>
public readonly record struct SignPosition(ulong Height, int Round, SignedKind Step) : IComparable<SignPosition>
{
    /// <summary>Orders by height, then round, then step.</summary>
    public int CompareTo(SignPosition other)
    {
        int c = Height.CompareTo(other.Height);
        if (c != 0)
        {
            return c;
        }

        c = Round.CompareTo(other.Round);
        return c != 0 ? c : ((byte)Step).CompareTo((byte)other.Step);
    }

    /// <summary>True when <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(SignPosition left, SignPosition right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(SignPosition left, SignPosition right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> is not after <paramref name="right"/>.</summary>
    public static bool operator <=(SignPosition left, SignPosition right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> is not before <paramref name="right"/>.</summary>
    public static bool operator >=(SignPosition left, SignPosition right) => left.CompareTo(right) >= 0;

    /// <summary>"height=H round=R step=S", as logs and errors print it.</summary>
    public override string ToString() => $"height={Height} round={Round} step={Step}";
}
