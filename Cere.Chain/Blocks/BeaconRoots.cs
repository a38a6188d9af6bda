using Cere.Core;
using Cere.Chain.Execution;
using Cere.Storage.State;
using Cere.Vm;

namespace Cere.Chain.Blocks;

/// <summary>
/// EIP-4788: before a Cancun block's transactions, the system address calls the beacon-roots contract with the
/// header's parent beacon block root, which stores it in a ring buffer keyed by the block's timestamp.
/// </summary>
public static class BeaconRoots
{
    /// <summary>EIP-4788 BEACON_ROOTS_ADDRESS.</summary>
    public static readonly Address ContractAddress = Address.Parse("0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02");

    /// <summary>EIP-4788: the system call's gas (not charged to the block).</summary>
    public const long CallGas = 30_000_000;

    /// <summary>Runs the system call of a Cancun block executing in <paramref name="block"/> with <paramref name="parentBeaconBlockRoot"/>.</summary>
    /// <remarks>Without code at the contract address the call does nothing (EIP-4788 leaves deployment to a transaction).</remarks>
    public static void Update(IWorldState state, BlockContext block, in Hash256 parentBeaconBlockRoot)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        BlockEnvironment env = block.ToEnvironment();
        SystemCall.Execute(state, env, ContractAddress, parentBeaconBlockRoot.ToArray(), CallGas);
    }
}
