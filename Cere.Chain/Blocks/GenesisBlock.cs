using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;
using Cere.Storage.State;

namespace Cere.Chain.Blocks;

/// <summary>Turns a genesis file into block 0: the allocation written into a state, and the header over its root.</summary>
public static class GenesisBlock
{
    /// <summary>Applies the allocation to <paramref name="state"/> (an empty state) and returns block 0 with its state root.</summary>
    public static Block Create(Genesis genesis, IWorldState state)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(state);

        ApplyAlloc(genesis.Alloc, state);
        BlockHeader header = new()
        {
            ParentHash = Hash256.Zero,
            Beneficiary = genesis.Coinbase,
            StateRoot = state.ComputeStateRoot(),
            Number = 0,
            GasLimit = genesis.GasLimit,
            GasUsed = 0,
            Timestamp = genesis.Timestamp,
            ExtraData = genesis.ExtraData,
            MixHash = genesis.MixHash,
            BaseFeePerGas = genesis.BaseFeePerGas,
        };
        return new Block(header, []);
    }

    /// <summary>Writes the allocation <paramref name="alloc"/> into <paramref name="state"/> (an empty state), accounts in address order.</summary>
    public static void ApplyAlloc(IReadOnlyDictionary<Address, GenesisAccount> alloc, IWorldState state)
    {
        ArgumentNullException.ThrowIfNull(alloc);
        ArgumentNullException.ThrowIfNull(state);

        // Accounts in address order, so the result never depends on the JSON's member order.
        Address[] addresses = new Address[alloc.Count];
        int n = 0;
        foreach (Address a in alloc.Keys)
        {
            addresses[n++] = a;
        }

        Array.Sort(addresses);
        foreach (Address address in addresses)
        {
            GenesisAccount account = alloc[address];
            state.AddBalance(address, account.Balance);
            if (account.Nonce != 0)
            {
                state.SetNonce(address, account.Nonce);
            }

            if (account.Code.Length > 0)
            {
                state.SetCode(address, account.Code);
            }

            foreach (KeyValuePair<UInt256, UInt256> slot in account.Storage)
            {
                state.SetStorage(address, slot.Key, slot.Value);
            }
        }
    }
}
