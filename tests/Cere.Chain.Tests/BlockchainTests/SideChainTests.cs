using Cere.Chain.Blocks;
using Cere.Chain.Execution;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Crypto;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.BlockchainTests;

/// <summary>Side branches and reorganisations through <see cref="BlockProcessor.Import"/> on the dev chain (real builder, EVM and store).</summary>
public sealed class SideChainTests
{
    private static readonly Address Recipient = Address.Parse("0x000000000000000000000000000000000000beef");
    private static readonly UInt256 OneCere = UInt256.Parse("1000000000000000000");

    [Test]
    public void ImportedBlockBecomesHeadAndTheOldBranchLeavesTheIndexes()
    {
        Blockchain producer = DevChainFixture.Open();
        PrivateKey alice = DevChainFixture.Keys[0];
        Transaction a1Tx = DevChainFixture.Transfer1559(alice, Recipient, 0, OneCere);
        Block a1 = BuildAndCommit(producer, producer.Genesis, [a1Tx], 10);
        Block a2 = BuildAndCommit(producer, a1.Header, [], 20);
        Transaction b1Tx = DevChainFixture.Transfer1559(alice, Recipient, 0, OneCere * 3);
        Block b1 = BuildAndCommit(producer, producer.Genesis, [b1Tx], 11);

        MemoryStore db = new();
        Blockchain chain = DevChainFixture.Open(db);
        List<ulong> committed = [];
        List<(Hash256 OldHead, Hash256 Ancestor)> reorgs = [];
        chain.BlockCommitted += (b, _) => committed.Add(b.Number);
        chain.Reorganised += (old, ancestor) => reorgs.Add((old.Hash, ancestor.Hash));
        BlockProcessor processor = new(chain, new EvmExecutor());
        processor.Import(Copy(a1));
        processor.Import(Copy(a2));

        processor.Import(Copy(b1));
        Assert.That(chain.Head.Hash, Is.EqualTo(b1.Hash), "the last imported valid block is the head");
        Assert.That(reorgs, Is.EqualTo(new[] { (a2.Hash, chain.Genesis.Hash) }));
        Assert.That(chain.Blocks.ReadCanonicalHash(1), Is.EqualTo(b1.Hash));
        Assert.That(chain.Blocks.ReadCanonicalHash(2), Is.Null, "the old branch's block 2 is no longer canonical");
        Assert.That(chain.HeaderByNumber(2), Is.Null);
        Assert.That(chain.Blocks.ReadTxLocation(a1Tx.Hash), Is.Null, "a transaction only on the old branch has no location");
        Assert.That(chain.Blocks.ReadTxLocation(b1Tx.Hash)!.Value.BlockHash, Is.EqualTo(b1.Hash));
        Assert.That(chain.Blocks.ReadBlock(a2.Hash), Is.Not.Null, "side blocks stay stored by hash");
        Assert.That(chain.OpenState(chain.Head.StateRoot).GetBalance(Recipient), Is.EqualTo(OneCere * 3));

        // A block on the old branch moves the head back and makes its ancestors canonical again, in order.
        Block a3 = BuildAndCommit(producer, a2.Header, [], 30);
        committed.Clear();
        processor.Import(Copy(a3));
        Assert.That(chain.Head.Hash, Is.EqualTo(a3.Hash));
        Assert.That(committed, Is.EqualTo(new ulong[] { 1, 2, 3 }));
        Assert.That(chain.Blocks.ReadCanonicalHash(1), Is.EqualTo(a1.Hash));
        Assert.That(chain.Blocks.ReadCanonicalHash(2), Is.EqualTo(a2.Hash));
        Assert.That(chain.Blocks.ReadTxLocation(a1Tx.Hash)!.Value.BlockHash, Is.EqualTo(a1.Hash));
        Assert.That(chain.Blocks.ReadTxLocation(b1Tx.Hash), Is.Null);
        Assert.That(chain.OpenState(chain.Head.StateRoot).GetBalance(Recipient), Is.EqualTo(OneCere));

        Blockchain reopened = DevChainFixture.Open(db);
        Assert.That(reopened.Head.Hash, Is.EqualTo(a3.Hash));
    }

    [Test]
    public void BlockHashFollowsTheBlocksOwnBranch()
    {
        Blockchain chain = DevChainFixture.Open();
        Block a1 = BuildAndCommit(chain, chain.Genesis, [], 10);
        Block a2 = BuildAndCommit(chain, a1.Header, [], 20);
        Block b1 = BuildAndCommit(chain, chain.Genesis, [], 11);
        Block b2 = BuildAndCommit(chain, b1.Header, [], 21);
        BuildAndCommit(chain, a2.Header, [], 30); // back on branch A: B is the side branch now

        Func<long, Hash256> onB = chain.AncestorHashes(b2.Header);
        Assert.That(onB(2), Is.EqualTo(b2.Hash));
        Assert.That(onB(1), Is.EqualTo(b1.Hash));
        Assert.That(onB(0), Is.EqualTo(chain.Genesis.Hash));
        Assert.That(onB(3), Is.EqualTo(Hash256.Zero));
        Assert.That(chain.AncestorHashes(a2.Header)(1), Is.EqualTo(a1.Hash));
    }

    [Test]
    public void UnknownParentIsRejectedAndChangesNothing()
    {
        Blockchain producer = DevChainFixture.Open();
        Block a1 = BuildAndCommit(producer, producer.Genesis, [], 10);
        Block a2 = BuildAndCommit(producer, a1.Header, [], 20);
        MemoryStore db = new();
        Blockchain chain = DevChainFixture.Open(db);
        int headers = db.Count(DbColumn.Headers);
        Assert.That(() => new BlockProcessor(chain, new EvmExecutor()).Import(Copy(a2)),
            Throws.TypeOf<InvalidBlockException>().With.Message.Contains("unknown parent"));
        Assert.That(chain.Head.Hash, Is.EqualTo(chain.Genesis.Hash));
        Assert.That(db.Count(DbColumn.Headers), Is.EqualTo(headers));
    }

    [Test]
    public void MalformedRlpIsAnInvalidBlock()
    {
        Blockchain chain = DevChainFixture.Open();
        Assert.That(() => new BlockProcessor(chain, new EvmExecutor()).ImportRlp([0xc3, 0x01, 0x02]),
            Throws.TypeOf<InvalidBlockException>().With.Message.Contains("malformed block RLP"));
        Assert.That(chain.Head.Hash, Is.EqualTo(chain.Genesis.Hash));
    }

    [Test]
    public void BuiltBlocksCarryTheCancunFieldsTheValidatorWants()
    {
        Blockchain chain = DevChainFixture.Open();
        Block b = BuildAndCommit(chain, chain.Genesis, [], 10);
        Assert.That(b.Header.WithdrawalsRoot, Is.EqualTo(Hash256.EmptyTrieRoot));
        Assert.That(b.Withdrawals, Is.Empty);
        Assert.That(b.Header.BlobGasUsed, Is.EqualTo(0UL));
        Assert.That(b.Header.ExcessBlobGas, Is.EqualTo(0UL));
        Assert.That(b.Header.ParentBeaconBlockRoot, Is.EqualTo(Hash256.Zero));
        Assert.That(() => HeaderValidator.Validate(b.Header, chain.Genesis, chain.Spec, chain.Forks), Throws.Nothing);
    }

    private static Block BuildAndCommit(Blockchain chain, BlockHeader parent, Transaction[] txs, ulong timestamp)
    {
        Dictionary<Address, Transaction[]> pending = [];
        foreach (Transaction tx in txs)
        {
            Address sender = TransactionValidator.Validate(tx, 4242);
            pending[sender] = pending.TryGetValue(sender, out Transaction[]? list) ? [.. list, tx] : [tx];
        }

        BuiltBlock built = EvmExecutor.RunOnEvmThread(() => new BlockBuilder(chain, new EvmExecutor()).Build(parent, pending, parent.Timestamp + timestamp, Address.Zero));
        Assert.That(built.Rejected, Is.Empty);
        Assert.That(built.Block.Transactions, Has.Length.EqualTo(txs.Length));
        chain.Commit(built.Block, built.Receipts, built.State);
        return built.Block;
    }

    private static Block Copy(Block b) => BlockCodec.Decode(BlockCodec.Encode(b));
}
