using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;

namespace Cere.Storage.Tests.State;

/// <summary>World state semantics the VM relies on: existence, empty accounts, journal, originals, transient storage.</summary>
public sealed class WorldStateTests
{
    private static readonly Address A = Address.Parse("0x1000000000000000000000000000000000000001");
    private static readonly Address B = Address.Parse("0x2000000000000000000000000000000000000002");

    private static WorldState NewState() => WorldState.Open(new MemoryStore(), Hash256.EmptyTrieRoot);

    [Test]
    public void NonExistentAccountReadsAsDefaults()
    {
        WorldState s = NewState();
        Assert.Multiple(() =>
        {
            Assert.That(s.AccountExists(A), Is.False);
            Assert.That(s.IsEmpty(A), Is.True);
            Assert.That(s.GetBalance(A), Is.EqualTo(UInt256.Zero));
            Assert.That(s.GetCodeHash(A), Is.EqualTo(Hash256.Zero));
            Assert.That(s.GetCode(A), Is.Empty);
            Assert.That(s.GetStorage(A, 1), Is.EqualTo(UInt256.Zero));
        });
        Assert.That(s.ComputeStateRoot(), Is.EqualTo(Hash256.EmptyTrieRoot));
    }

    [Test]
    public void ExistingAccountWithoutCodeHasTheEmptyCodeHash()
    {
        WorldState s = NewState();
        s.AddBalance(A, 5);
        Assert.That(s.GetCodeHash(A), Is.EqualTo(Hash256.EmptyKeccak));
        s.SetCode(A, [0x60, 0x00]);
        Assert.That(s.GetCodeHash(A), Is.EqualTo(Cere.Core.Crypto.Keccak256.Compute([0x60, 0x00])));
    }

    [Test]
    public void InsufficientBalanceThrowsAndChangesNothing()
    {
        WorldState s = NewState();
        s.AddBalance(A, 10);
        InsufficientBalanceException e = Assert.Throws<InsufficientBalanceException>(() => s.SubtractBalance(A, 11))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Address, Is.EqualTo(A));
            Assert.That(s.GetBalance(A), Is.EqualTo((UInt256)10));
        });
        s.SubtractBalance(A, 10);
        Assert.That(s.GetBalance(A), Is.EqualTo(UInt256.Zero));
    }

    [Test]
    public void RevertUndoesEverythingAfterTheSnapshot()
    {
        WorldState s = NewState();
        s.AddBalance(A, 100);
        s.SetStorage(A, 1, 7);
        s.FinalizeTransaction();
        Hash256 before = s.ComputeStateRoot();

        int snap = s.TakeSnapshot();
        s.SubtractBalance(A, 40);
        s.IncrementNonce(A);
        s.SetCode(A, [1, 2, 3]);
        s.SetStorage(A, 1, 8);
        s.SetStorage(A, 2, 9);
        s.SetTransientStorage(A, 1, 5);
        s.AddBalance(B, 1);
        int inner = s.TakeSnapshot();
        s.DeleteAccount(A);
        Assert.That(s.AccountExists(A), Is.False);
        s.RevertToSnapshot(inner);
        Assert.That(s.GetStorage(A, 2), Is.EqualTo((UInt256)9), "inner revert restores the deleted account's storage");
        s.RevertToSnapshot(snap);

        Assert.Multiple(() =>
        {
            Assert.That(s.GetBalance(A), Is.EqualTo((UInt256)100));
            Assert.That(s.GetNonce(A), Is.EqualTo(0UL));
            Assert.That(s.GetCode(A), Is.Empty);
            Assert.That(s.GetStorage(A, 1), Is.EqualTo((UInt256)7));
            Assert.That(s.GetStorage(A, 2), Is.EqualTo(UInt256.Zero));
            Assert.That(s.GetTransientStorage(A, 1), Is.EqualTo(UInt256.Zero));
            Assert.That(s.AccountExists(B), Is.False);
        });
        s.FinalizeTransaction();
        Assert.That(s.ComputeStateRoot(), Is.EqualTo(before));
    }

    [Test]
    public void CreateAccountKeepsBalanceAndWipesStorageAndCode()
    {
        WorldState s = NewState();
        s.AddBalance(A, 3);
        s.SetNonce(A, 4);
        s.SetCode(A, [0xfe]);
        s.SetStorage(A, 1, 1);
        s.FinalizeTransaction();
        s.Commit(1);

        s.CreateAccount(A);
        Assert.Multiple(() =>
        {
            Assert.That(s.GetBalance(A), Is.EqualTo((UInt256)3));
            Assert.That(s.GetNonce(A), Is.EqualTo(0UL));
            Assert.That(s.GetCode(A), Is.Empty);
            Assert.That(s.GetStorage(A, 1), Is.EqualTo(UInt256.Zero));
        });
        s.FinalizeTransaction();
        WorldState expected = NewState();
        expected.AddBalance(A, 3);
        Assert.That(s.ComputeStateRoot(), Is.EqualTo(expected.ComputeStateRoot()));
    }

    [Test]
    public void OriginalStorageIsTheValueAtTheStartOfTheTransaction()
    {
        WorldState s = NewState();
        s.AddBalance(A, 1);
        s.SetStorage(A, 1, 10);
        Assert.That(s.GetOriginalStorage(A, 1), Is.EqualTo(UInt256.Zero));
        s.FinalizeTransaction();
        Assert.That(s.GetOriginalStorage(A, 1), Is.EqualTo((UInt256)10));
        s.SetStorage(A, 1, 11);
        s.SetStorage(A, 1, 12);
        Assert.Multiple(() =>
        {
            Assert.That(s.GetOriginalStorage(A, 1), Is.EqualTo((UInt256)10));
            Assert.That(s.GetStorage(A, 1), Is.EqualTo((UInt256)12));
        });
        s.FinalizeTransaction();
        Assert.That(s.GetOriginalStorage(A, 1), Is.EqualTo((UInt256)12));
    }

    [Test]
    public void TransientStorageEndsWithTheTransaction()
    {
        WorldState s = NewState();
        s.SetTransientStorage(A, 1, 42);
        Assert.That(s.GetTransientStorage(A, 1), Is.EqualTo((UInt256)42));
        s.FinalizeTransaction();
        Assert.That(s.GetTransientStorage(A, 1), Is.EqualTo(UInt256.Zero));
        Assert.That(s.ComputeStateRoot(), Is.EqualTo(Hash256.EmptyTrieRoot), "transient storage never reaches the trie");
    }

    [Test]
    public void TouchedEmptyAccountsAreDeletedAtTheEndOfTheTransaction()
    {
        // Set up an empty account as a pre-state may hold one (not touched: no transaction ran).
        MemoryStore db = new();
        WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot);
        s.CreateAccount(A);
        Hash256 withEmpty = s.Commit(0);
        Assert.That(withEmpty, Is.Not.EqualTo(Hash256.EmptyTrieRoot));

        WorldState t = WorldState.OpenHead(db);
        Assert.That(t.AccountExists(A), Is.True);
        t.AddBalance(A, 0); // a zero-value transfer touches it
        t.FinalizeTransaction();
        Assert.That(t.AccountExists(A), Is.False);
        Assert.That(t.Commit(1), Is.EqualTo(Hash256.EmptyTrieRoot));
    }

    [Test]
    public void RevertedTouchIsForgotten()
    {
        MemoryStore db = new();
        WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot);
        s.CreateAccount(A);
        s.Commit(0);
        WorldState t = WorldState.OpenHead(db);
        int snap = t.TakeSnapshot();
        t.Touch(A);
        t.RevertToSnapshot(snap);
        t.FinalizeTransaction();
        Assert.That(t.AccountExists(A), Is.True);
    }

    [Test]
    public void RevertToAnUnknownSnapshotIsRejected()
    {
        WorldState s = NewState();
        Assert.Throws<ArgumentOutOfRangeException>(() => s.RevertToSnapshot(5));
    }

    [Test]
    public void CommittedStateReadsBackAfterReopen()
    {
        MemoryStore db = new();
        WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot);
        s.AddBalance(A, 1000);
        s.SetCode(A, [0x60, 0x01, 0x60, 0x00, 0x55]);
        for (int i = 0; i < 50; i++)
        {
            s.SetStorage(A, (UInt256)i, (UInt256)(i * 3 + 1));
        }

        s.FinalizeTransaction();
        Hash256 root = s.Commit(7);
        Assert.That(StateHead.Read(db), Is.EqualTo(new StateHead(root, 7)));
        Assert.That(StateHead.ReadRoot(db, 7), Is.EqualTo(root));

        WorldState r = WorldState.OpenHead(db);
        Assert.That(r.GetBalance(A), Is.EqualTo((UInt256)1000));
        Assert.That(r.GetCode(A), Is.EqualTo(new byte[] { 0x60, 0x01, 0x60, 0x00, 0x55 }));
        for (int i = 0; i < 50; i++)
        {
            Assert.That(r.GetStorage(A, (UInt256)i), Is.EqualTo((UInt256)(i * 3 + 1)));
        }

        // Change one slot in the next block: the root changes, and changing it back restores the old root.
        r.SetStorage(A, 3, 0);
        r.FinalizeTransaction();
        Hash256 next = r.Commit(8);
        Assert.That(next, Is.Not.EqualTo(root));
        r.SetStorage(A, 3, 10);
        r.FinalizeTransaction();
        Assert.That(r.Commit(9), Is.EqualTo(root));
    }

    [Test]
    public void CommitIntoACallersBatchWritesNothingUntilTheBatchIs()
    {
        MemoryStore db = new();
        WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot);
        s.AddBalance(A, 1);
        s.FinalizeTransaction();
        using IWriteBatch batch = db.StartBatch();
        batch.Put(DbColumn.Headers, [1], [2]);
        Hash256 root = s.Commit(1, batch);
        Assert.That(StateHead.Read(db), Is.Null);
        batch.Write();
        Assert.That(StateHead.Read(db)!.Value.Root, Is.EqualTo(root));
        Assert.That(db.Get(DbColumn.Headers, [1]), Is.EqualTo(new byte[] { 2 }));
    }

    [Test]
    public void ProofsOfCommittedStateVerify()
    {
        MemoryStore db = new();
        WorldState s = WorldState.Open(db, Hash256.EmptyTrieRoot);
        for (int i = 1; i <= 40; i++)
        {
            Address a = new(Hex.Decode(i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)));
            s.AddBalance(a, (UInt256)i);
            s.SetStorage(a, 1, (UInt256)i);
        }

        s.FinalizeTransaction();
        Hash256 root = s.Commit(1);
        Address present = new(Hex.Decode(7.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)));
        StateProof proof = s.GetProof(present, [1, 2]);
        Assert.That(proof.Account!.Value.Balance, Is.EqualTo((UInt256)7));
        Assert.That(proof.StorageProof[0].Value, Is.EqualTo((UInt256)7));
        Assert.That(proof.StorageProof[1].Value, Is.EqualTo(UInt256.Zero));
        Assert.DoesNotThrow(() => Cere.Storage.Trie.ProofVerifier.Verify(root, proof));

        StateProof absent = s.GetProof(B, [1]);
        Assert.That(absent.Account, Is.Null);
        Assert.DoesNotThrow(() => Cere.Storage.Trie.ProofVerifier.Verify(root, absent));

        // A proof that claims a different balance is rejected.
        StateProof lie = proof with { Account = proof.Account.Value with { Balance = 8 } };
        Assert.Throws<Cere.Storage.Trie.InvalidProofException>(() => Cere.Storage.Trie.ProofVerifier.Verify(root, lie));
        StateProof lieStorage = proof with { StorageProof = [proof.StorageProof[0] with { Value = 9 }] };
        Assert.Throws<Cere.Storage.Trie.InvalidProofException>(() => Cere.Storage.Trie.ProofVerifier.Verify(root, lieStorage));
    }
}
