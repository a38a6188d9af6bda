using Cere.Core;
using Cere.Storage.State;

namespace Cere.Vm;

/// <summary>
/// A call the protocol makes at the start of a block as the system address (EIP-4788's beacon-roots update):
/// no transaction, no fee, no nonce, its gas does not count against the block.
/// </summary>
public static class SystemCall
{
    /// <summary>EIP-4788 SYSTEM_ADDRESS, the caller of system calls (0xff…fe).</summary>
    public static readonly Address SystemAddress = Address.Parse("0xfffffffffffffffffffffffffffffffffffffffe");

    /// <summary>
    /// Calls <paramref name="to"/> with <paramref name="input"/> and <paramref name="gas"/> as <see cref="SystemAddress"/>,
    /// then finalizes the state as after a transaction (EIP-161 clean-up removes the caller again if it was empty).
    /// </summary>
    /// <remarks>An address without code makes this a no-op (the call transfers nothing). Logs are dropped.</remarks>
    public static CallResult Execute(IWorldState state, BlockEnvironment block, in Address to, byte[] input, long gas)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(input);
        TxSubstate sub = new();
        EvmInterpreter evm = new(state, block, sub, SystemAddress, UInt256.Zero, null, null);
        sub.WarmAccount(SystemAddress);
        sub.WarmAccount(to);
        CallResult r = evm.Call(0, SystemAddress, to, to, UInt256.Zero, UInt256.Zero, input, gas, false, 0);

        // The zero-value transfer may have created the caller; it is empty, and touched it goes (as geth's Finalise).
        state.Touch(SystemAddress);
        foreach (Address a in sub.Destructed)
        {
            state.DeleteAccount(a);
        }

        state.FinalizeTransaction();
        return r;
    }
}
