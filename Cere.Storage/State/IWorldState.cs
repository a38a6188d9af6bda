using Cere.Core;

namespace Cere.Storage.State;

/// <summary>
/// The Ethereum world state as the VM sees it: accounts, storage, code, transient storage, with O(1)
/// snapshots for call frames and a per-transaction notion of "original" storage values.
/// </summary>
public interface IWorldState
{
    /// <summary>True if the account is in the state (it may still be empty in the EIP-161 sense).</summary>
    bool AccountExists(in Address address);

    /// <summary>EIP-161 empty: nonce 0, balance 0, no code (a non-existent account is also empty).</summary>
    bool IsEmpty(in Address address);

    /// <summary>The balance in wei (0 for a non-existent account).</summary>
    UInt256 GetBalance(in Address address);

    /// <summary>The nonce (0 for a non-existent account).</summary>
    ulong GetNonce(in Address address);

    /// <summary><see cref="Hash256.Zero"/> for a non-existent account, <see cref="Hash256.EmptyKeccak"/> for an account without code.</summary>
    Hash256 GetCodeHash(in Address address);

    /// <summary>The code (an empty array if none). Callers must not modify the array.</summary>
    byte[] GetCode(in Address address);

    /// <summary>The current value of a storage slot (0 if never set).</summary>
    UInt256 GetStorage(in Address address, in UInt256 slot);

    /// <summary>The value of a slot at the start of the current transaction (EIP-2200 / EIP-3529 gas accounting).</summary>
    UInt256 GetOriginalStorage(in Address address, in UInt256 slot);

    /// <summary>Sets a storage slot (0 deletes it from the storage trie).</summary>
    void SetStorage(in Address address, in UInt256 slot, in UInt256 value);

    /// <summary>EIP-1153 transient storage (cleared at the end of every transaction).</summary>
    UInt256 GetTransientStorage(in Address address, in UInt256 slot);

    /// <summary>EIP-1153 TSTORE.</summary>
    void SetTransientStorage(in Address address, in UInt256 slot, in UInt256 value);

    /// <summary>A new empty account (the CREATE target): wipes storage and code if it existed, keeps the balance.</summary>
    void CreateAccount(in Address address);

    /// <summary>Adds to the balance, creating the account if needed.</summary>
    void AddBalance(in Address address, in UInt256 amount);

    /// <summary>Subtracts from the balance.</summary>
    /// <exception cref="InsufficientBalanceException">The balance is lower than <paramref name="amount"/> (nothing changes).</exception>
    void SubtractBalance(in Address address, in UInt256 amount);

    /// <summary>Sets the nonce (creating the account if needed).</summary>
    void SetNonce(in Address address, ulong nonce);

    /// <summary>Adds one to the nonce (creating the account if needed).</summary>
    void IncrementNonce(in Address address);

    /// <summary>Sets the code (creating the account if needed); the code is stored by its Keccak-256 hash.</summary>
    void SetCode(in Address address, byte[] code);

    /// <summary>Removes the account with its storage and code (SELFDESTRUCT; EIP-6780 decides when, in the VM).</summary>
    void DeleteAccount(in Address address);

    /// <summary>EIP-161: marks the account touched; a touched empty account is deleted at <see cref="FinalizeTransaction"/>.</summary>
    void Touch(in Address address);

    /// <summary>An O(1) snapshot id for <see cref="RevertToSnapshot"/>.</summary>
    int TakeSnapshot();

    /// <summary>Undoes everything after the snapshot: accounts, storage, transient storage, touches, creations.</summary>
    void RevertToSnapshot(int snapshot);

    /// <summary>
    /// End of a transaction: deletes touched empty accounts (EIP-161), clears transient storage (EIP-1153),
    /// makes the current storage values the new "original" values and drops the journal (snapshots become invalid).
    /// </summary>
    void FinalizeTransaction();

    /// <summary>The state root of the current state, without writing anything (call after <see cref="FinalizeTransaction"/>).</summary>
    Hash256 ComputeStateRoot();

    /// <summary>Writes every dirty trie node and new code in one write batch and returns the state root.</summary>
    Hash256 Commit(long blockNumber);
}
