using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.Trie;
using CsCheck;

namespace Cere.Storage.Tests.Trie;

/// <summary>Random insert/delete sequences against the Yellow Paper reference, and proofs for random keys.</summary>
public sealed class TriePropertyTests
{
    // Keys from a 4-byte alphabet of lengths 0..5 share prefixes often, so extensions, branch values and collapses all occur.
    private static readonly Gen<byte[]> Key = Gen.Byte[0, 3].Array[0, 5];

    // Values of 1..40 bytes: some nodes stay under 32 bytes (embedded), others are hashed.
    private static readonly Gen<byte[]?> Value = Gen.Frequency((3, Gen.Byte.Array[1, 40].Select(b => (byte[]?)b)), (1, Gen.Const((byte[]?)null)));

    private static readonly Gen<List<(byte[] Key, byte[]? Value)>> Operations = Gen.Select(Key, Value).List[0, 120];

    [Test]
    public void RandomOperationsGiveTheRootOfTheFinalSet()
    {
        Operations.Sample(ops =>
        {
            PatriciaTrie trie = new();
            Dictionary<string, byte[]> final = [];
            foreach ((byte[] key, byte[]? value) in ops)
            {
                if (value is null)
                {
                    trie.Delete(key);
                    final.Remove(Hex.Encode(key));
                }
                else
                {
                    trie.Set(key, value);
                    final[Hex.Encode(key)] = value;
                }
            }

            Assert.That(trie.ComputeRoot(), Is.EqualTo(ReferenceTrieRoot.Compute(final)));
            foreach ((byte[] key, _) in ops)
            {
                Assert.That(trie.Get(key), Is.EqualTo(final.GetValueOrDefault(Hex.Encode(key))));
            }
        }, iter: 400);
    }

    [Test]
    public void ChangesAfterACommitMatchTheReference()
    {
        // Half the operations before a commit, half after, on a trie reopened from the store: exercises hash nodes
        // being loaded, changed and collapsed.
        Gen.Select(Operations, Operations).Sample((first, second) =>
        {
            MemoryStore db = new();
            PatriciaTrie trie = new(new TrieNodeStore(db, 0), Hash256.EmptyTrieRoot);
            Dictionary<string, byte[]> final = [];
            Apply(trie, first, final);
            Hash256 root = CommitTo(db, trie);
            PatriciaTrie reopened = new(new TrieNodeStore(db, 0), root);
            Apply(reopened, second, final);
            Assert.That(reopened.ComputeRoot(), Is.EqualTo(ReferenceTrieRoot.Compute(final)));
            Hash256 committed = CommitTo(db, reopened);
            Assert.That(committed, Is.EqualTo(ReferenceTrieRoot.Compute(final)));
        }, iter: 200);
    }

    [Test]
    public void ProofsVerifyAndTamperedProofsFail()
    {
        Gen.Select(Operations, Key.Array[1, 8], Gen.Int, Gen.Int).Sample((ops, probes, pick, flip) =>
        {
            MemoryStore db = new();
            PatriciaTrie trie = new(new TrieNodeStore(db, 0), Hash256.EmptyTrieRoot);
            Dictionary<string, byte[]> final = [];
            Apply(trie, ops, final);
            Hash256 root = CommitTo(db, trie);
            foreach (byte[] probe in probes)
            {
                List<byte[]> proof = trie.GetProof(probe);
                byte[]? expected = final.GetValueOrDefault(Hex.Encode(probe));
                Assert.That(ProofVerifier.VerifyValue(root, probe, proof), Is.EqualTo(expected));
                if (proof.Count == 0)
                {
                    continue;
                }

                // Flip one bit of one node: its hash no longer matches the reference to it.
                List<byte[]> tampered = proof.ConvertAll(n => (byte[])n.Clone());
                byte[] node = tampered[(int)((uint)pick % (uint)tampered.Count)];
                node[(int)((uint)flip % (uint)node.Length)] ^= (byte)(1 << (flip & 7));
                Assert.Throws<InvalidProofException>(() => ProofVerifier.VerifyValue(root, probe, tampered));

                // Drop the last node: the path is incomplete.
                Assert.Throws<InvalidProofException>(() => ProofVerifier.VerifyValue(root, probe, proof.GetRange(0, proof.Count - 1)));
            }
        }, iter: 200);
    }

    private static void Apply(PatriciaTrie trie, List<(byte[] Key, byte[]? Value)> ops, Dictionary<string, byte[]> final)
    {
        foreach ((byte[] key, byte[]? value) in ops)
        {
            if (value is null)
            {
                trie.Delete(key);
                final.Remove(Hex.Encode(key));
            }
            else
            {
                trie.Set(key, value);
                final[Hex.Encode(key)] = value;
            }
        }
    }

    private static Hash256 CommitTo(MemoryStore db, PatriciaTrie trie)
    {
        using IWriteBatch batch = db.StartBatch();
        Hash256 root = trie.Commit(batch);
        batch.Write();
        return root;
    }
}
