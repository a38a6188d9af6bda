using Cere.Core;
using Cere.Core.Rlp;
using Cere.Storage.Db;
using Cere.Storage.Trie;

namespace Cere.Storage.State;

/// <summary>Root computation and commit.</summary>
public sealed partial class WorldState
{
    private readonly HashSet<StateAccount> _storageChanged = new(ReferenceEqualityComparer.Instance);

    /// <summary>Runs after every <see cref="Commit(long)"/> that owns its batch (the pruner, when pruning is on).</summary>
    public StatePruner? Pruner { get; set; }

    /// <inheritdoc/>
    public Hash256 ComputeStateRoot()
    {
        Flush();
        return _accountTrie.ComputeRoot();
    }

    /// <inheritdoc/>
    /// <remarks>Writes the batch (synced, if the store syncs), then prunes if a <see cref="Pruner"/> is set and due.</remarks>
    public Hash256 Commit(long blockNumber)
    {
        Hash256 root;
        using (IWriteBatch batch = _store.Db.StartBatch())
        {
            root = Commit(blockNumber, batch);
            batch.Write();
        }

        Pruner?.OnCommitted(blockNumber);
        return root;
    }

    /// <summary>
    /// Adds every changed node, new code, the head record and the block's root record to <paramref name="batch"/>,
    /// which the caller writes (with the block's header, body and receipts, so that all land together or none).
    /// </summary>
    public Hash256 Commit(long blockNumber, IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Flush();
        foreach (StateAccount a in _storageChanged)
        {
            if (a.Exists && a.StorageTrie is not null)
            {
                a.StorageRoot = a.StorageTrie.Commit(batch);
            }
        }

        _storageChanged.Clear();
        Hash256 root = _accountTrie.Commit(batch);
        foreach (KeyValuePair<Hash256, byte[]> code in _newCode)
        {
            batch.Put(DbColumn.Code, code.Key.Bytes, code.Value);
        }

        new StateHead(root, blockNumber).WriteTo(batch);

        // A commit ends the block: whatever a transaction left open (touches, transient storage) ends with it.
        _touched.Clear();
        _transient.Clear();
        _originals.Clear();

        // The block cache is dropped: the next block reads through the node cache, so memory does not grow with history.
        _newCode.Clear();
        _accounts.Clear();
        _dirty.Clear();
        CommittedRoot = root;
        return root;
    }

    /// <summary>Account and storage proofs against <see cref="CommittedRoot"/> (the <c>eth_getProof</c> shape).</summary>
    public StateProof GetProof(in Address address, IReadOnlyList<UInt256> slots) =>
        StateProof.Create(_store, CommittedRoot, address, slots);

    /// <summary>Writes every changed account and slot into the tries (no hashing); seals the journal.</summary>
    private void Flush()
    {
        _journal.Clear();
        if (_dirty.Count == 0)
        {
            return;
        }

        Span<byte> key = stackalloc byte[32];
        Span<byte> value = stackalloc byte[33];
        Span<byte> accountRlp = stackalloc byte[128];
        foreach (StateAccount a in _dirty)
        {
            if (!a.Exists)
            {
                _accountTrie.Delete(a.AddressHash.Bytes);
                a.StorageTrie = null;
                a.StorageRoot = Hash256.EmptyTrieRoot;
                a.WipePending = false;
                a.DirtySlots.Clear();
                continue;
            }

            if (a.WipePending)
            {
                a.StorageTrie = new PatriciaTrie(_store, Hash256.EmptyTrieRoot);
                a.StorageRoot = Hash256.EmptyTrieRoot;
                a.WipePending = false;
                _storageChanged.Add(a);
            }

            if (a.DirtySlots.Count > 0)
            {
                a.StorageTrie ??= new PatriciaTrie(_store, a.StorageRoot);
                foreach (UInt256 slot in a.DirtySlots)
                {
                    SlotKey(slot, key);
                    UInt256 v = a.Storage[slot];
                    if (v.IsZero)
                    {
                        a.StorageTrie.Delete(key);
                    }
                    else
                    {
                        RlpWriter w = new(value);
                        w.WriteUInt256(v);
                        a.StorageTrie.Set(key, value[..w.Position]);
                    }
                }

                a.DirtySlots.Clear();
                _storageChanged.Add(a);
            }

            if (a.StorageTrie is not null)
            {
                a.StorageRoot = a.StorageTrie.ComputeRoot();
            }

            int n = a.ToAccount().Encode(accountRlp);
            _accountTrie.Set(a.AddressHash.Bytes, accountRlp[..n]);
        }

        _dirty.Clear();
    }
}
