using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Storage.Tests.Trie;

/// <summary>Damaged databases and malformed proofs give specific errors, never a wrong answer.</summary>
public sealed class CorruptionTests
{
    private static readonly Address A = Address.Parse("0x1000000000000000000000000000000000000001");

    private static (MemoryStore Db, Hash256 Root) CommittedState()
    {
        MemoryStore db = new();
        WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot);
        for (int i = 1; i <= 64; i++)
        {
            Address a = new(Hex.Decode(i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)));
            s.AddBalance(a, (UInt256)i);
        }

        s.AddBalance(A, 5);
        s.SetCode(A, [0x60, 0x00]);
        s.FinalizeTransaction();
        return (db, s.Commit(1));
    }

    [Test]
    public void GarbageUnderANodeHashIsReportedWithThatHash()
    {
        (MemoryStore db, Hash256 root) = CommittedState();
        db.Put(DbColumn.TrieNodes, root.Bytes, [0xde, 0xad, 0xbe, 0xef]);
        WorldState s = WorldState.Open(db, root, new StateSettings { NodeCacheBytes = 0 });
        TrieNodeCorruptedException e = Assert.Throws<TrieNodeCorruptedException>(() => s.GetBalance(A))!;
        Assert.That(e.Hash, Is.EqualTo(root));
    }

    [Test]
    public void AValidNodeUnderTheWrongHashIsReported()
    {
        // The swapped-in bytes are a well-formed node (another account's leaf path would even decode): only the hash check catches it.
        (MemoryStore db, Hash256 root) = CommittedState();
        PatriciaTrie other = new();
        other.Set([1, 2, 3], new byte[40]);
        byte[] node = other.GetProofAfterCommit([1, 2, 3])[0];
        db.Put(DbColumn.TrieNodes, root.Bytes, node);
        WorldState s = WorldState.Open(db, root, new StateSettings { NodeCacheBytes = 0 });
        Assert.That(Assert.Throws<TrieNodeCorruptedException>(() => s.GetBalance(A))!.Hash, Is.EqualTo(root));
    }

    [Test]
    public void EveryDamagedNodeIsCaught()
    {
        // Flip a byte in each stored node in turn; every read path through it must fail with the node's hash.
        (MemoryStore db, Hash256 root) = CommittedState();
        int checkedNodes = 0;
        foreach (KeyValuePair<byte[], byte[]> kv in db.Enumerate(DbColumn.TrieNodes))
        {
            byte[] bad = (byte[])kv.Value.Clone();
            bad[bad.Length / 2] ^= 0x01;
            db.Put(DbColumn.TrieNodes, kv.Key, bad);
            TrieNodeCorruptedException e = Assert.Throws<TrieNodeCorruptedException>(() => ReachableState.Collect(db, [root]))!;
            Assert.That(e.Hash, Is.EqualTo(new Hash256(kv.Key)));
            db.Put(DbColumn.TrieNodes, kv.Key, kv.Value);
            checkedNodes++;
        }

        Assert.That(checkedNodes, Is.GreaterThan(10));
        Assert.DoesNotThrow(() => ReachableState.Collect(db, [root], checkCode: true));
    }

    [Test]
    public void AMissingNodeIsReportedAsMissing()
    {
        (MemoryStore db, Hash256 root) = CommittedState();
        db.Delete(DbColumn.TrieNodes, root.Bytes);
        WorldState s = WorldState.Open(db, root, new StateSettings { NodeCacheBytes = 0 });
        Assert.That(Assert.Throws<TrieNodeMissingException>(() => s.GetBalance(A))!.Hash, Is.EqualTo(root));
    }

    [Test]
    public void DamagedCodeIsReported()
    {
        (MemoryStore db, Hash256 root) = CommittedState();
        Hash256 codeHash = Keccak256.Compute([0x60, 0x00]);
        db.Put(DbColumn.Code, codeHash.Bytes, [0x60, 0x01]);
        WorldState s = WorldState.Open(db, root);
        Assert.That(Assert.Throws<StateDataCorruptedException>(() => s.GetCode(A))!.Hash, Is.EqualTo(codeHash));
    }

    [Test]
    public void AHashMatchingButInvalidNodeIsCorrupted()
    {
        // Bytes stored under their true hash that are not a trie node (a 3-item list).
        MemoryStore db = new();
        byte[] notANode = Rlp.EncodeList(Rlp.EncodeBytes(new byte[40]), Rlp.EncodeBytes([1]), Rlp.EncodeBytes([2]));
        Hash256 h = Keccak256.Compute(notANode);
        db.Put(DbColumn.TrieNodes, h.Bytes, notANode);
        PatriciaTrie trie = new(new TrieNodeStore(db, 0), h);
        Assert.That(Assert.Throws<TrieNodeCorruptedException>(() => trie.Get([1]))!.Hash, Is.EqualTo(h));
        Assert.That(Assert.Throws<TrieNodeCorruptedException>(() => trie.Set([1], [1]))!.Hash, Is.EqualTo(h));
    }

    private static IEnumerable<TestCaseData> MalformedProofs()
    {
        PatriciaTrie trie = new();
        for (int i = 0; i < 30; i++)
        {
            trie.Set([(byte)i, (byte)(i * 7)], new byte[33]);
        }

        List<byte[]> proof = trie.GetProofAfterCommit([5, 35]);
        Hash256 root = trie.ComputeRoot();
        yield return new TestCaseData(root, new List<byte[]>()).SetName("EmptyProofForANonEmptyRoot");
        yield return new TestCaseData(root, new List<byte[]> { new byte[] { 0xc0 } }).SetName("UnrelatedNode");
        yield return new TestCaseData(root, proof.GetRange(1, proof.Count - 1)).SetName("RootNodeMissing");
        yield return new TestCaseData(root, new List<byte[]> { proof[0] }).SetName("Truncated");

        byte[] truncatedRlp = [0xf8, 0x50, 0x01];
        yield return new TestCaseData(Keccak256.Compute(truncatedRlp), new List<byte[]> { truncatedRlp }).SetName("TruncatedRlpUnderItsHash");
        byte[] threeItems = Rlp.EncodeList(Rlp.EncodeBytes([0x20]), Rlp.EncodeBytes([1]), Rlp.EncodeBytes([2]));
        yield return new TestCaseData(Keccak256.Compute(threeItems), new List<byte[]> { threeItems }).SetName("ThreeItemListUnderItsHash");
        byte[] badPath = Rlp.EncodeList(Rlp.EncodeBytes([0x50, 0x05]), Rlp.EncodeBytes(new byte[40]));
        yield return new TestCaseData(Keccak256.Compute(badPath), new List<byte[]> { badPath }).SetName("BadHexPrefixFlag");
        byte[] shortRef = Rlp.EncodeList(Rlp.EncodeBytes([0x00, 0x05]), Rlp.EncodeBytes(new byte[31]));
        yield return new TestCaseData(Keccak256.Compute(shortRef), new List<byte[]> { shortRef }).SetName("ChildReferenceOf31Bytes");
    }

    [TestCaseSource(nameof(MalformedProofs))]
    public void MalformedProofsAreRejected(Hash256 root, List<byte[]> proof)
    {
        Assert.Throws<InvalidProofException>(() => ProofVerifier.VerifyValue(root, [5, 35], proof));
    }

    [Test]
    public void ANullProofNodeIsRejected()
    {
        Assert.Throws<InvalidProofException>(() => ProofVerifier.VerifyValue(Keccak256.Compute([1]), [1], new byte[][] { null! }));
    }
}

/// <summary>Test conveniences for proofs of an in-memory trie.</summary>
internal static class PatriciaTrieTestExtensions
{
    /// <summary>Commits the trie into its own store and returns the proof of <paramref name="key"/>.</summary>
    public static List<byte[]> GetProofAfterCommit(this PatriciaTrie trie, byte[] key)
    {
        using (IWriteBatch batch = trie.Store.Db.StartBatch())
        {
            trie.Commit(batch);
            batch.Write();
        }

        return trie.GetProof(key);
    }
}
