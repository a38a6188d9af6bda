using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using Cere.Storage.Db;
using Cere.Storage.Trie;

namespace Cere.Storage.State;

/// <summary>
/// The world state over the account trie, one storage trie per account and code by hash. Reads go to the block
/// cache of accounts and slots (which holds the transaction's changes too, undone through the journal) and then to
/// the tries; writes go to the cache and to an append-only journal with O(1) snapshot and revert.
/// </summary>
/// <remarks>Not thread-safe: one block at a time. Computing the root seals the journal (snapshots taken before it become invalid).</remarks>
public sealed partial class WorldState : IWorldState
{
    private readonly TrieNodeStore _store;
    private readonly StateSettings _settings;
    private readonly Dictionary<Address, StateAccount> _accounts = new();
    private readonly HashSet<StateAccount> _dirty = new(ReferenceEqualityComparer.Instance);
    private readonly Journal _journal = new();
    private readonly Dictionary<StorageKey, UInt256> _transient = new();
    private readonly Dictionary<StorageKey, UInt256> _originals = new();
    private readonly HashSet<Address> _touched = new();
    private readonly Dictionary<Hash256, byte[]> _newCode = new();
    private PatriciaTrie _accountTrie;

    private WorldState(TrieNodeStore store, Hash256 root, StateSettings settings)
    {
        _store = store;
        _settings = settings;
        _accountTrie = new PatriciaTrie(store, root);
        CommittedRoot = root;
        Pruner = settings.Pruning == PruningMode.Pruned ? new StatePruner(store, settings) : null;
    }

    /// <summary>The state at <paramref name="root"/> in <paramref name="db"/>, with its own node cache.</summary>
    public static WorldState Open(IKeyValueStore db, Hash256 root, StateSettings? settings = null)
    {
        settings ??= new StateSettings();
        return new WorldState(new TrieNodeStore(db, settings.NodeCacheBytes), root, settings);
    }

    /// <summary>The state at <paramref name="root"/> over a node store (and its cache) shared with other readers.</summary>
    public static WorldState Open(TrieNodeStore store, Hash256 root, StateSettings? settings = null) =>
        new(store, root, settings ?? new StateSettings());

    /// <summary>The state at the head that the last <see cref="Commit(long)"/> recorded, or the empty state of a new database.</summary>
    public static WorldState OpenHead(IKeyValueStore db, StateSettings? settings = null)
    {
        StateHead? head = StateHead.Read(db);
        return Open(db, head?.Root ?? Hash256.EmptyTrieRoot, settings);
    }

    /// <summary>The node store (with the node cache).</summary>
    public TrieNodeStore Store => _store;

    /// <summary>The root of the last commit (or the root this state was opened at).</summary>
    public Hash256 CommittedRoot { get; private set; }

    /// <inheritdoc/>
    public bool AccountExists(in Address address) => Get(address).Exists;

    /// <inheritdoc/>
    public bool IsEmpty(in Address address)
    {
        StateAccount a = Get(address);
        return !a.Exists || a.IsEmpty;
    }

    /// <inheritdoc/>
    public UInt256 GetBalance(in Address address) => Get(address).Balance;

    /// <inheritdoc/>
    public ulong GetNonce(in Address address) => Get(address).Nonce;

    /// <inheritdoc/>
    public Hash256 GetCodeHash(in Address address)
    {
        StateAccount a = Get(address);
        return a.Exists ? a.CodeHash : Hash256.Zero;
    }

    /// <inheritdoc/>
    public byte[] GetCode(in Address address)
    {
        StateAccount a = Get(address);
        return a.Code ??= LoadCode(a.CodeHash);
    }

    /// <inheritdoc/>
    public UInt256 GetStorage(in Address address, in UInt256 slot) => ReadSlot(Get(address), slot);

    /// <inheritdoc/>
    public UInt256 GetOriginalStorage(in Address address, in UInt256 slot) =>
        _originals.TryGetValue(new StorageKey(address, slot), out UInt256 v) ? v : GetStorage(address, slot);

    /// <inheritdoc/>
    public void SetStorage(in Address address, in UInt256 slot, in UInt256 value)
    {
        StateAccount a = GetOrCreate(address);
        UInt256 current = ReadSlot(a, slot);
        StorageKey key = new(address, slot);
        _originals.TryAdd(key, current);
        MarkChanged(a);
        if (current == value)
        {
            return;
        }

        _journal.Add(new JournalEntry { Kind = JournalKind.Storage, Account = a, Slot = slot, Value = current });
        a.Storage[slot] = value;
        a.DirtySlots.Add(slot);
    }

    /// <inheritdoc/>
    public UInt256 GetTransientStorage(in Address address, in UInt256 slot) =>
        _transient.TryGetValue(new StorageKey(address, slot), out UInt256 v) ? v : UInt256.Zero;

    /// <inheritdoc/>
    public void SetTransientStorage(in Address address, in UInt256 slot, in UInt256 value)
    {
        StorageKey key = new(address, slot);
        _transient.TryGetValue(key, out UInt256 old);
        if (old == value)
        {
            return;
        }

        _journal.Add(new JournalEntry { Kind = JournalKind.Transient, Address = address, Slot = slot, Value = old });
        if (value.IsZero)
        {
            _transient.Remove(key);
        }
        else
        {
            _transient[key] = value;
        }
    }

    /// <inheritdoc/>
    public void CreateAccount(in Address address)
    {
        StateAccount a = Get(address);
        UInt256 balance = a.Balance;
        _journal.Add(new JournalEntry { Kind = JournalKind.Reset, Account = a, Previous = a.Save() });
        a.Exists = true;
        a.Nonce = 0;
        a.Balance = balance;
        a.CodeHash = Hash256.EmptyKeccak;
        a.Code = [];
        a.WipeStorage();
        MarkChanged(a);
    }

    /// <inheritdoc/>
    public void AddBalance(in Address address, in UInt256 amount)
    {
        StateAccount a = GetOrCreate(address);
        MarkChanged(a);
        if (amount.IsZero)
        {
            return;
        }

        if (UInt256.AddOverflow(a.Balance, amount, out UInt256 sum))
        {
            // Total supply is far below 2^256; an overflow here is a caller bug, not a state to write.
            throw new OverflowException($"balance of {address} would exceed 2^256 - 1");
        }

        _journal.Add(new JournalEntry { Kind = JournalKind.Balance, Account = a, Value = a.Balance });
        a.Balance = sum;
    }

    /// <inheritdoc/>
    public void SubtractBalance(in Address address, in UInt256 amount)
    {
        StateAccount a = Get(address);
        if (a.Balance < amount)
        {
            throw new InsufficientBalanceException(address, a.Balance, amount);
        }

        a = GetOrCreate(address);
        MarkChanged(a);
        if (amount.IsZero)
        {
            return;
        }

        _journal.Add(new JournalEntry { Kind = JournalKind.Balance, Account = a, Value = a.Balance });
        a.Balance -= amount;
    }

    /// <inheritdoc/>
    public void SetNonce(in Address address, ulong nonce)
    {
        StateAccount a = GetOrCreate(address);
        _journal.Add(new JournalEntry { Kind = JournalKind.Nonce, Account = a, Nonce = a.Nonce });
        a.Nonce = nonce;
        MarkChanged(a);
    }

    /// <inheritdoc/>
    public void IncrementNonce(in Address address)
    {
        StateAccount a = GetOrCreate(address);
        if (a.Nonce == ulong.MaxValue)
        {
            // EIP-2681: the nonce is capped at 2^64 - 1; the VM rejects the transaction before this.
            throw new OverflowException($"nonce of {address} is at its maximum");
        }

        _journal.Add(new JournalEntry { Kind = JournalKind.Nonce, Account = a, Nonce = a.Nonce });
        a.Nonce++;
        MarkChanged(a);
    }

    /// <inheritdoc/>
    public void SetCode(in Address address, byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        StateAccount a = GetOrCreate(address);
        _journal.Add(new JournalEntry { Kind = JournalKind.Code, Account = a, Hash = a.CodeHash, Previous = a.Code });
        Hash256 hash = code.Length == 0 ? Hash256.EmptyKeccak : Keccak256.Compute(code);
        a.CodeHash = hash;
        a.Code = code;
        if (code.Length > 0)
        {
            _newCode.TryAdd(hash, code);
        }

        MarkChanged(a);
    }

    /// <inheritdoc/>
    public void DeleteAccount(in Address address)
    {
        StateAccount a = Get(address);
        _journal.Add(new JournalEntry { Kind = JournalKind.Reset, Account = a, Previous = a.Save() });
        ResetToNonExistent(a);
        MarkChanged(a);
    }

    /// <inheritdoc/>
    public void Touch(in Address address)
    {
        if (_touched.Add(address))
        {
            _journal.Add(new JournalEntry { Kind = JournalKind.Touched, Address = address });
        }
    }

    /// <inheritdoc/>
    public int TakeSnapshot() => _journal.Count;

    /// <inheritdoc/>
    public void RevertToSnapshot(int snapshot)
    {
        if ((uint)snapshot > (uint)_journal.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(snapshot), snapshot, $"no such snapshot: the journal holds {_journal.Count} entries (snapshots end with the transaction or a root computation)");
        }

        while (_journal.Count > snapshot)
        {
            JournalEntry e = _journal.Pop();
            StateAccount? a = e.Account;
            switch (e.Kind)
            {
                case JournalKind.Created:
                    a!.Exists = false;
                    break;
                case JournalKind.Balance:
                    a!.Balance = e.Value;
                    break;
                case JournalKind.Nonce:
                    a!.Nonce = e.Nonce;
                    break;
                case JournalKind.Code:
                    a!.CodeHash = e.Hash;
                    a.Code = (byte[]?)e.Previous;
                    break;
                case JournalKind.Storage:
                    a!.Storage[e.Slot] = e.Value;
                    break;
                case JournalKind.Transient:
                    if (e.Value.IsZero)
                    {
                        _transient.Remove(new StorageKey(e.Address, e.Slot));
                    }
                    else
                    {
                        _transient[new StorageKey(e.Address, e.Slot)] = e.Value;
                    }

                    break;
                case JournalKind.Touched:
                    _touched.Remove(e.Address);
                    break;
                case JournalKind.Reset:
                    a!.Restore((AccountSnapshot)e.Previous!);
                    break;
            }
        }
    }

    /// <inheritdoc/>
    public void FinalizeTransaction()
    {
        foreach (Address address in _touched)
        {
            // EIP-161: a touched account that is empty at the end of the transaction is removed.
            StateAccount a = Get(address);
            if (a.Exists && a.IsEmpty)
            {
                ResetToNonExistent(a);
                _dirty.Add(a);
            }
        }

        _touched.Clear();
        _transient.Clear(); // EIP-1153: transient storage lasts one transaction.
        _originals.Clear();
        _journal.Clear();
    }

    private StateAccount Get(in Address address)
    {
        if (_accounts.TryGetValue(address, out StateAccount? a))
        {
            return a;
        }

        a = Load(address);
        _accounts[address] = a;
        return a;
    }

    private StateAccount GetOrCreate(in Address address)
    {
        StateAccount a = Get(address);
        if (!a.Exists)
        {
            _journal.Add(new JournalEntry { Kind = JournalKind.Created, Account = a });
            a.Exists = true;
        }

        return a;
    }

    /// <summary>Marks an account changed: written at the next flush, and touched (geth and the tests treat any change as a touch).</summary>
    private void MarkChanged(StateAccount a)
    {
        _dirty.Add(a);
        Touch(a.Address);
    }

    private static void ResetToNonExistent(StateAccount a)
    {
        a.Exists = false;
        a.Nonce = 0;
        a.Balance = UInt256.Zero;
        a.CodeHash = Hash256.EmptyKeccak;
        a.Code = [];
        a.WipeStorage();
    }

    private StateAccount Load(in Address address)
    {
        Hash256 key = Keccak256.Compute(address.Bytes);
        StateAccount a = new(address, key);
        byte[]? rlp = _accountTrie.Get(key.Bytes);
        if (rlp is null)
        {
            return a;
        }

        Account account;
        try
        {
            account = Account.Decode(rlp);
        }
        catch (RlpException e)
        {
            throw new StateDataCorruptedException(key, $"the account record of {address} is not a valid account RLP ({e.Message})", e);
        }

        a.Exists = true;
        a.Nonce = account.Nonce;
        a.Balance = account.Balance;
        a.StorageRoot = account.StorageRoot;
        a.CodeHash = account.CodeHash;
        return a;
    }

    private UInt256 ReadSlot(StateAccount a, in UInt256 slot)
    {
        if (a.Storage.TryGetValue(slot, out UInt256 v))
        {
            return v;
        }

        if (a.WipePending || (a.StorageRoot == Hash256.EmptyTrieRoot && a.StorageTrie is null))
        {
            return UInt256.Zero;
        }

        a.StorageTrie ??= new PatriciaTrie(_store, a.StorageRoot);
        Span<byte> key = stackalloc byte[32];
        SlotKey(slot, key);
        byte[]? rlp = a.StorageTrie.Get(key);
        v = rlp is null ? UInt256.Zero : DecodeSlotValue(rlp, key);
        a.Storage[slot] = v;
        return v;
    }

    /// <summary>The storage trie key of a slot: Keccak-256 of its 32 big-endian bytes.</summary>
    private static void SlotKey(in UInt256 slot, Span<byte> key)
    {
        Span<byte> raw = stackalloc byte[32];
        slot.WriteBigEndian(raw);
        Keccak256.Hash(raw, key);
    }

    private static UInt256 DecodeSlotValue(byte[] rlp, ReadOnlySpan<byte> key)
    {
        try
        {
            RlpReader r = new(rlp);
            UInt256 v = r.ReadUInt256();
            r.EnsureFinished();
            return v;
        }
        catch (RlpException e)
        {
            throw new StateDataCorruptedException(new Hash256(key), $"a storage value is not a canonical RLP integer ({e.Message})", e);
        }
    }

    private byte[] LoadCode(in Hash256 codeHash)
    {
        if (codeHash == Hash256.EmptyKeccak)
        {
            return [];
        }

        if (_newCode.TryGetValue(codeHash, out byte[]? code))
        {
            return code;
        }

        code = _store.Db.Get(DbColumn.Code, codeHash.Bytes)
            ?? throw new StateDataCorruptedException(codeHash, "the code is missing from the database");
        if (Keccak256.Compute(code) != codeHash)
        {
            throw new StateDataCorruptedException(codeHash, $"the {code.Length} stored code bytes hash to something else");
        }

        return code;
    }
}
