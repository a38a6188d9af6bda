using Cere.Chain.Blocks;
using Cere.Chain.Execution;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.Db;
using Cere.Storage.State;

namespace Cere.Chain.Tests.Blocks;

/// <summary>Genesis, pool, builder, commit, reopen and import on real components over a MemoryStore.</summary>
public class BlockPipelineTests
{
    private static readonly UInt256 OneCere = UInt256.Parse("1000000000000000000");
    private static readonly Address Coinbase = Address.Parse("0x0000000000000000000000000000000000c0ffee");
    private static readonly Address Recipient = Address.Parse("0x000000000000000000000000000000000000beef");

    [Test]
    public void SameGenesisFileGivesSameBlockZero()
    {
        Blockchain a = DevChainFixture.Open();
        Blockchain b = DevChainFixture.Open();
        Assert.That(a.Genesis.Hash, Is.EqualTo(b.Genesis.Hash));
        Assert.That(a.Genesis.StateRoot, Is.EqualTo(b.Genesis.StateRoot));
        Assert.That(a.Genesis.StateRoot, Is.Not.EqualTo(Hash256.EmptyTrieRoot));
        Assert.That(DevChainFixture.EmbeddedMatchesRepository(), Is.True);
    }

    [Test]
    public void GenesisFundsTheTenTestAccounts()
    {
        Blockchain chain = DevChainFixture.Open();
        WorldState s = chain.OpenState(chain.Head.StateRoot);
        foreach (Core.Crypto.PrivateKey k in DevChainFixture.Keys)
        {
            Assert.That(s.GetBalance(k.Address), Is.EqualTo(UInt256.Parse("10000000000000000000000")));
        }
    }

    [Test]
    public void DataDirectoryOfAnotherChainIsRefused()
    {
        MemoryStore db = new();
        DevChainFixture.Open(db);
        Core.Chainspec.Genesis other = Dev.DevAccounts.FundedGenesis(DevChainFixture.Genesis(), Dev.DevAccounts.Derive("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"));
        Assert.That(() => Blockchain.Open(db, other, DevChainFixture.Spec()), Throws.TypeOf<InvalidDataException>().With.Message.Contains("genesis"));
    }

    [Test]
    public void TransfersAreMinedWithReceiptsAndIndexes()
    {
        MemoryStore db = new();
        Blockchain chain = DevChainFixture.Open(db);
        TransactionPool pool = new(4242);
        Core.Crypto.PrivateKey alice = DevChainFixture.Keys[0];
        Core.Crypto.PrivateKey bob = DevChainFixture.Keys[1];
        Transaction t1 = DevChainFixture.Transfer1559(alice, Recipient, 0, OneCere);
        Transaction t2 = DevChainFixture.TransferLegacy(bob, Recipient, 0, OneCere * 2);
        Transaction t3 = DevChainFixture.Transfer1559(alice, Recipient, 1, OneCere);
        WorldState head = chain.OpenState(chain.Head.StateRoot);
        pool.Add(t1, head);
        pool.Add(t2, head);
        pool.Add(t3, head);

        BuiltBlock built = Seal(chain, pool);

        Assert.That(built.Rejected, Is.Empty);
        Assert.That(built.Block.Transactions, Has.Length.EqualTo(3));
        Assert.That(built.Block.Header.GasUsed, Is.EqualTo(63_000UL));
        Assert.That(chain.Head.Hash, Is.EqualTo(built.Block.Hash));

        // A sender's transactions go in nonce order whatever their tips.
        int i1 = Array.IndexOf(built.Block.Transactions, t1);
        int i3 = Array.IndexOf(built.Block.Transactions, t3);
        Assert.That(i1, Is.LessThan(i3));

        WorldState after = chain.OpenState(chain.Head.StateRoot);
        UInt256 baseFee = built.Block.Header.BaseFeePerGas!.Value;
        Assert.That(baseFee, Is.EqualTo(new UInt256(875_000_000UL)), "block 1 after an empty genesis at 1 gwei drops by 1/8");
        UInt256 alicePaid = UInt256.Parse("10000000000000000000000") - after.GetBalance(alice.Address);
        Assert.That(alicePaid, Is.EqualTo(OneCere * 2 + new UInt256(42_000UL) * (baseFee + new UInt256(1_000_000_000UL))), "value plus 21,000 gas each at base fee + 1 gwei tip");
        UInt256 legacyTip = new UInt256(2_000_000_000UL) - baseFee;
        Assert.That(after.GetBalance(Coinbase), Is.EqualTo(new UInt256(42_000UL) * new UInt256(1_000_000_000UL) + new UInt256(21_000UL) * legacyTip), "the coinbase gets only the tips; the base fee is burnt");
        Assert.That(after.GetBalance(Recipient), Is.EqualTo(OneCere * 4));
        Assert.That(after.GetNonce(alice.Address), Is.EqualTo(2UL));
        Assert.That(after.GetNonce(bob.Address), Is.EqualTo(1UL));

        Receipt[]? receipts = chain.Blocks.ReadReceipts(built.Block.Hash);
        Assert.That(receipts, Has.Length.EqualTo(3));
        Assert.That(receipts![2].CumulativeGasUsed, Is.EqualTo(63_000UL));
        Assert.That(chain.Blocks.ReadTxLocation(t2.Hash), Is.EqualTo(new TxLocation(built.Block.Hash, 1, Array.IndexOf(built.Block.Transactions, t2))));
        Assert.That(chain.Blocks.ReadCanonicalHash(1), Is.EqualTo(built.Block.Hash));
        Assert.That(pool.Count, Is.Zero, "included transactions leave the pool on the new head");
    }

    [Test]
    public void ReopeningContinuesFromTheHeadWithTheSameStateRoot()
    {
        MemoryStore db = new();
        Blockchain chain = DevChainFixture.Open(db);
        TransactionPool pool = new(4242);
        pool.Add(DevChainFixture.Transfer1559(DevChainFixture.Keys[0], Recipient, 0, OneCere), chain.OpenState(chain.Head.StateRoot));
        BuiltBlock built = Seal(chain, pool);
        Seal(chain, pool);

        Blockchain reopened = DevChainFixture.Open(db);
        Assert.That(reopened.Head.Number, Is.EqualTo(2UL));
        Assert.That(reopened.Head.Hash, Is.EqualTo(chain.Head.Hash));
        Assert.That(reopened.OpenState(reopened.Head.StateRoot).GetBalance(Recipient), Is.EqualTo(OneCere));
        Assert.That(reopened.HeaderByNumber(1)!.Hash, Is.EqualTo(built.Block.Hash));
    }

    [Test]
    public void AnotherNodeImportsTheBuiltBlockToTheSameRoot()
    {
        Blockchain producer = DevChainFixture.Open();
        TransactionPool pool = new(4242);
        pool.Add(DevChainFixture.Transfer1559(DevChainFixture.Keys[2], Recipient, 0, OneCere), producer.OpenState(producer.Head.StateRoot));
        BuiltBlock built = Seal(producer, pool);

        Blockchain importer = DevChainFixture.Open();
        BlockProcessor processor = new(importer, new EvmExecutor());
        Block copy = BlockCodec.Decode(BlockCodec.Encode(built.Block));
        Receipt[] receipts = processor.Import(copy);

        Assert.That(importer.Head.Hash, Is.EqualTo(built.Block.Hash));
        Assert.That(importer.Head.StateRoot, Is.EqualTo(producer.Head.StateRoot));
        Assert.That(receipts, Has.Length.EqualTo(1));
    }

    [Test]
    public void BlockWithAWrongStateRootChangesNothing()
    {
        Blockchain producer = DevChainFixture.Open();
        TransactionPool pool = new(4242);
        pool.Add(DevChainFixture.Transfer1559(DevChainFixture.Keys[3], Recipient, 0, OneCere), producer.OpenState(producer.Head.StateRoot));
        BuiltBlock built = Seal(producer, pool);
        BlockHeader h = built.Block.Header;
        BlockHeader forged = new()
        {
            ParentHash = h.ParentHash, Beneficiary = h.Beneficiary, StateRoot = Hash256.EmptyTrieRoot, TransactionsRoot = h.TransactionsRoot,
            ReceiptsRoot = h.ReceiptsRoot, LogsBloom = h.LogsBloom, Number = h.Number, GasLimit = h.GasLimit, GasUsed = h.GasUsed,
            Timestamp = h.Timestamp, BaseFeePerGas = h.BaseFeePerGas, WithdrawalsRoot = h.WithdrawalsRoot, BlobGasUsed = h.BlobGasUsed,
            ExcessBlobGas = h.ExcessBlobGas, ParentBeaconBlockRoot = h.ParentBeaconBlockRoot,
        };

        MemoryStore db = new();
        Blockchain importer = DevChainFixture.Open(db);
        Hash256 headBefore = importer.Head.Hash;
        int trieNodesBefore = db.Count(DbColumn.TrieNodes);
        BlockProcessor processor = new(importer, new EvmExecutor());

        Assert.That(() => processor.Import(new Block(forged, built.Block.Transactions, [], built.Block.Withdrawals)), Throws.TypeOf<InvalidBlockException>().With.Message.Contains("state root mismatch"));
        Assert.That(importer.Head.Hash, Is.EqualTo(headBefore));
        Assert.That(db.Count(DbColumn.TrieNodes), Is.EqualTo(trieNodesBefore));
        Assert.That(db.Count(DbColumn.Headers), Is.EqualTo(1));
        Assert.That(DevChainFixture.Open(db).Head.Hash, Is.EqualTo(headBefore));
    }

    [Test]
    public void BlockWithAnInvalidTransactionIsRejected()
    {
        Blockchain producer = DevChainFixture.Open();
        BuiltBlock empty = Seal(producer, new TransactionPool(4242));
        Transaction tooHighNonce = DevChainFixture.Transfer1559(DevChainFixture.Keys[4], Recipient, 5, OneCere);
        BlockHeader h = empty.Block.Header;
        BlockHeader withTx = new()
        {
            ParentHash = h.ParentHash, Beneficiary = h.Beneficiary, StateRoot = h.StateRoot, TransactionsRoot = OrderedTrieRoot.OfTransactions([tooHighNonce]),
            ReceiptsRoot = h.ReceiptsRoot, Number = h.Number, GasLimit = h.GasLimit, GasUsed = 21_000, Timestamp = h.Timestamp, BaseFeePerGas = h.BaseFeePerGas,
            WithdrawalsRoot = h.WithdrawalsRoot, BlobGasUsed = h.BlobGasUsed, ExcessBlobGas = h.ExcessBlobGas, ParentBeaconBlockRoot = h.ParentBeaconBlockRoot,
        };
        Blockchain importer = DevChainFixture.Open();
        Assert.That(() => new BlockProcessor(importer, new EvmExecutor()).Import(new Block(withTx, [tooHighNonce], [], empty.Block.Withdrawals)),
            Throws.TypeOf<InvalidBlockException>().With.Message.Contains("nonce too high"));
        Assert.That(importer.Head.Number, Is.Zero);
    }

    [Test]
    public void BuilderLeavesOutTransactionsBelowTheBaseFee()
    {
        Blockchain chain = DevChainFixture.Open();
        TransactionPool pool = new(4242);
        WorldState head = chain.OpenState(chain.Head.StateRoot);

        // A fee cap below the next base fee cannot be included.
        Transaction cheap = DevChainFixture.Transfer1559(DevChainFixture.Keys[5], Recipient, 0, OneCere, tipGwei: 0, maxFeeGwei: 0);
        pool.Add(cheap, head);
        BuiltBlock built = Seal(chain, pool);
        Assert.That(built.Block.Transactions, Is.Empty);
        Assert.That(built.Rejected.Single().Reason, Does.Contain("max fee per gas less than block base fee"));
    }

    [TestCase(15_000_000UL, 1_000_000_000UL)]
    [TestCase(30_000_000UL, 1_125_000_000UL)]
    [TestCase(0UL, 875_000_000UL)]
    [TestCase(16_500_000UL, 1_012_500_000UL)]
    public void BaseFeeFollowsEip1559(ulong parentGasUsed, ulong expected)
    {
        BlockHeader parent = new() { GasLimit = 30_000_000, GasUsed = parentGasUsed, BaseFeePerGas = new UInt256(1_000_000_000UL) };
        Assert.That(BaseFeeCalculator.Next(parent, DevChainFixture.Spec()), Is.EqualTo(new UInt256(expected)));
    }

    private static BuiltBlock Seal(Blockchain chain, TransactionPool pool)
    {
        BlockBuilder builder = new(chain, new EvmExecutor());
        BlockHeader parent = chain.Head;
        BuiltBlock built = EvmExecutor.RunOnEvmThread(() => builder.Build(parent, pool.Pending(chain.OpenState(parent.StateRoot)), parent.Timestamp + 1, Coinbase));
        chain.Commit(built.Block, built.Receipts, built.State);
        foreach ((Transaction tx, string _) in built.Rejected)
        {
            pool.Remove(tx);
        }

        pool.OnNewHead(chain.OpenState(chain.Head.StateRoot));
        return built;
    }
}
