using Cere.Core;
using Cere.Core.Blocks;
using Cere.Storage.State;

namespace Cere.Chain.Blocks;

/// <summary>EIP-4895: after a block's transactions, each withdrawal credits its amount (in gwei) to its address, without execution.</summary>
public static class Withdrawals
{
    private static readonly UInt256 WeiPerGwei = new(1_000_000_000UL);

    /// <summary>Credits every withdrawal in order; a zero-amount withdrawal to an absent account leaves it absent (EIP-161).</summary>
    public static void Apply(IWorldState state, IReadOnlyList<Withdrawal> withdrawals)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(withdrawals);
        for (int i = 0; i < withdrawals.Count; i++)
        {
            Withdrawal w = withdrawals[i];
            state.AddBalance(w.Address, new UInt256(w.AmountInGwei) * WeiPerGwei);
            state.Touch(w.Address);
        }

        state.FinalizeTransaction();
    }
}
