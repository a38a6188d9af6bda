using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using Cere.Storage.Trie;

namespace Cere.Storage.State;

/// <summary>One storage slot's proof in the <c>eth_getProof</c> shape: the slot, its value and the storage trie nodes on its path.</summary>
public sealed record StorageProof(UInt256 Key, UInt256 Value, IReadOnlyList<byte[]> Proof);

/// <summary>
/// An account proof with storage proofs, as <c>eth_getProof</c> returns it: the account (null when the proof shows it
/// does not exist), the state trie nodes on its path, and one <see cref="StorageProof"/> per requested slot.
/// </summary>
public sealed record StateProof(Address Address, Account? Account, IReadOnlyList<byte[]> AccountProof, IReadOnlyList<StorageProof> StorageProof)
{
    /// <summary>Builds the proofs from stored nodes under <paramref name="stateRoot"/>.</summary>
    public static StateProof Create(TrieNodeStore store, Hash256 stateRoot, in Address address, IReadOnlyList<UInt256> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        Hash256 key = Keccak256.Compute(address.Bytes);
        List<byte[]> accountProof = [];
        byte[]? rlp = stateRoot == Hash256.EmptyTrieRoot
            ? null
            : StoredNodeWalkProof(store, stateRoot, key, accountProof);
        Account? account = null;
        if (rlp is not null)
        {
            try
            {
                account = State.Account.Decode(rlp);
            }
            catch (RlpException e)
            {
                throw new StateDataCorruptedException(key, $"the account record of {address} is not a valid account RLP", e);
            }
        }

        Hash256 storageRoot = account?.StorageRoot ?? Hash256.EmptyTrieRoot;
        List<StorageProof> storage = new(slots.Count);
        Span<byte> raw = stackalloc byte[32];
        for (int i = 0; i < slots.Count; i++)
        {
            List<byte[]> proof = [];
            UInt256 value = UInt256.Zero;
            if (storageRoot != Hash256.EmptyTrieRoot)
            {
                slots[i].WriteBigEndian(raw);
                byte[]? v = StoredNodeWalkProof(store, storageRoot, Keccak256.Compute(raw), proof);
                if (v is not null)
                {
                    RlpReader r = new(v);
                    value = r.ReadUInt256();
                }
            }

            storage.Add(new StorageProof(slots[i], value, proof));
        }

        return new StateProof(address, account, accountProof, storage);
    }

    private static byte[]? StoredNodeWalkProof(TrieNodeStore store, Hash256 root, Hash256 key, List<byte[]> proof)
    {
        Span<byte> nibbles = stackalloc byte[64];
        Nibbles.FromBytes(key.Bytes, nibbles);
        return StoredNodeWalk.Get(store, root, nibbles, 0, proof);
    }
}
