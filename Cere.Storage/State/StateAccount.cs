using Cere.Core;
using Cere.Storage.Trie;

namespace Cere.Storage.State;

/// <summary>
/// One account in the block cache: its current fields, its storage cache and its storage trie. A non-existent
/// account has the default fields (so creating it needs no reset).
/// </summary>
internal sealed class StateAccount(Address address, Hash256 addressHash)
{
    public readonly Address Address = address;

    /// <summary>Keccak-256 of the address: the account's key in the state trie.</summary>
    public readonly Hash256 AddressHash = addressHash;

    public bool Exists;
    public ulong Nonce;
    public UInt256 Balance;
    public Hash256 CodeHash = Hash256.EmptyKeccak;

    /// <summary>The code, once loaded (null: not loaded yet).</summary>
    public byte[]? Code;

    /// <summary>The storage root as of the last flush to the storage trie.</summary>
    public Hash256 StorageRoot = Hash256.EmptyTrieRoot;

    /// <summary>The storage trie, opened on first use.</summary>
    public PatriciaTrie? StorageTrie;

    /// <summary>Current values of the slots read or written in this block.</summary>
    public Dictionary<UInt256, UInt256> Storage = new();

    /// <summary>Slots written since the last flush.</summary>
    public HashSet<UInt256> DirtySlots = new();

    /// <summary>Storage was wiped since the last flush: slots not in <see cref="Storage"/> read as zero, the trie is replaced at flush.</summary>
    public bool WipePending;

    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == Hash256.EmptyKeccak;

    public Account ToAccount() => new(Nonce, Balance, StorageRoot, CodeHash);

    /// <summary>A copy of every field a create or delete changes, for the journal.</summary>
    public AccountSnapshot Save() => new(Exists, Nonce, Balance, CodeHash, Code, Storage, DirtySlots, WipePending);

    public void Restore(AccountSnapshot s)
    {
        Exists = s.Exists;
        Nonce = s.Nonce;
        Balance = s.Balance;
        CodeHash = s.CodeHash;
        Code = s.Code;
        Storage = s.Storage;
        DirtySlots = s.DirtySlots;
        WipePending = s.WipePending;
    }

    /// <summary>Forgets the storage (a new or deleted account): the old dictionaries stay with the journal.</summary>
    public void WipeStorage()
    {
        Storage = new Dictionary<UInt256, UInt256>();
        DirtySlots = new HashSet<UInt256>();
        WipePending = true;
    }
}

/// <summary>The fields of an account before a create or delete (journal entry payload).</summary>
internal sealed record AccountSnapshot(
    bool Exists,
    ulong Nonce,
    UInt256 Balance,
    Hash256 CodeHash,
    byte[]? Code,
    Dictionary<UInt256, UInt256> Storage,
    HashSet<UInt256> DirtySlots,
    bool WipePending);

/// <summary>A storage slot of an account, as a dictionary key.</summary>
internal readonly record struct StorageKey(Address Address, UInt256 Slot);
