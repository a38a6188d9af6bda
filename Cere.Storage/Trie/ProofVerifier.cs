using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using Cere.Storage.State;

namespace Cere.Storage.Trie;

/// <summary>Checks Merkle proofs against a root without any database: the proof's nodes are found by their hashes.</summary>
public static class ProofVerifier
{
    /// <summary>
    /// The value that <paramref name="proof"/> proves for <paramref name="key"/> under <paramref name="root"/>, or null
    /// when it proves the key absent.
    /// </summary>
    /// <exception cref="InvalidProofException">The proof lacks a node on the path, or a node on it is malformed.</exception>
    public static byte[]? VerifyValue(in Hash256 root, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (root == Hash256.EmptyTrieRoot)
        {
            // An empty trie proves every key absent with no node at all.
            return null;
        }

        ProofNodeSet nodes = new(proof);
        Span<byte> nibbles = key.Length <= 64 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        return StoredNodeWalk.Get(nodes, root, nibbles, 0, null);
    }

    /// <summary>The account an account proof proves under <paramref name="stateRoot"/> (null: proven absent).</summary>
    /// <exception cref="InvalidProofException">An invalid proof, or a leaf that is not an account.</exception>
    public static Account? VerifyAccount(in Hash256 stateRoot, in Address address, IReadOnlyList<byte[]> proof)
    {
        byte[]? rlp = VerifyValue(stateRoot, Keccak256.Compute(address.Bytes).Bytes, proof);
        if (rlp is null)
        {
            return null;
        }

        try
        {
            return Account.Decode(rlp);
        }
        catch (RlpException e)
        {
            throw new InvalidProofException($"the proven leaf for {address} is not an account record", e);
        }
    }

    /// <summary>The value a storage proof proves for <paramref name="slot"/> under <paramref name="storageRoot"/> (0 when absent).</summary>
    /// <exception cref="InvalidProofException">An invalid proof, or a leaf that is not a canonical integer.</exception>
    public static UInt256 VerifyStorage(in Hash256 storageRoot, in UInt256 slot, IReadOnlyList<byte[]> proof)
    {
        Span<byte> raw = stackalloc byte[32];
        slot.WriteBigEndian(raw);
        byte[]? rlp = VerifyValue(storageRoot, Keccak256.Compute(raw).Bytes, proof);
        if (rlp is null)
        {
            return UInt256.Zero;
        }

        try
        {
            RlpReader r = new(rlp);
            UInt256 v = r.ReadUInt256();
            r.EnsureFinished();
            if (v.IsZero)
            {
                throw new InvalidProofException("a storage leaf holds zero (zero slots are deleted, never stored)");
            }

            return v;
        }
        catch (RlpException e)
        {
            throw new InvalidProofException("the proven storage leaf is not a canonical integer", e);
        }
    }

    /// <summary>Checks a whole <see cref="StateProof"/>: the account it claims and every storage value it claims.</summary>
    /// <exception cref="InvalidProofException">Any part does not prove what it claims.</exception>
    public static void Verify(in Hash256 stateRoot, StateProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        Account? account = VerifyAccount(stateRoot, proof.Address, proof.AccountProof);
        if (account != proof.Account)
        {
            throw new InvalidProofException($"the account proof of {proof.Address} proves {Describe(account)}, not {Describe(proof.Account)}");
        }

        Hash256 storageRoot = account?.StorageRoot ?? Hash256.EmptyTrieRoot;
        foreach (StorageProof s in proof.StorageProof)
        {
            UInt256 value = VerifyStorage(storageRoot, s.Key, s.Proof);
            if (value != s.Value)
            {
                throw new InvalidProofException($"the storage proof of slot {s.Key} proves {value}, not {s.Value}");
            }
        }
    }

    private static string Describe(Account? a) => a is null ? "no account" : a.Value.ToString();

    /// <summary>The nodes of a proof, by hash; a node the walk needs and the proof lacks is an invalid proof.</summary>
    private sealed class ProofNodeSet : INodeSource
    {
        private readonly Dictionary<Hash256, byte[]> _nodes;

        public ProofNodeSet(IReadOnlyList<byte[]> proof)
        {
            _nodes = new Dictionary<Hash256, byte[]>(proof.Count);
            for (int i = 0; i < proof.Count; i++)
            {
                byte[] node = proof[i] ?? throw new InvalidProofException($"proof node {i} is null");
                _nodes[Keccak256.Compute(node)] = node;
            }
        }

        public byte[] Load(in Hash256 hash) =>
            _nodes.TryGetValue(hash, out byte[]? node)
                ? node
                : throw new InvalidProofException($"the proof lacks node {hash} on the key's path (incomplete or tampered)");

        public Exception Malformed(in Hash256 hash, string reason, Exception? inner) =>
            new InvalidProofException($"proof node {hash} is not a valid trie node: {reason}", inner);
    }
}
