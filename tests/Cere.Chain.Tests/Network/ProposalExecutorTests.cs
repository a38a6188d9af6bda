using Cere.Chain.Blocks;
using Cere.Chain.Consensus;
using Cere.Chain.Execution;
using Cere.Chain.TxPool;
using Cere.Consensus.Messages;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Network;

/// <summary>A proposer's block re-executes on another node to the same roots without anything being committed; forged proposals are refused.</summary>
public class ProposalExecutorTests
{
    private static readonly UInt256 OneCere = UInt256.Parse("1000000000000000000");
    private static readonly Address Recipient = Address.Parse("0x000000000000000000000000000000000000beef");

    [Test]
    public void ProposalReExecutesElsewhereToTheSameRootsAndCommitsNothingUntilDecided()
    {
        Blockchain proposerChain = DevChainFixture.Open();
        TransactionPool pool = new(4242);
        pool.Add(DevChainFixture.Transfer1559(DevChainFixture.Keys[0], Recipient, 0, OneCere), proposerChain.OpenState(proposerChain.Head.StateRoot));
        pool.Add(DevChainFixture.TransferLegacy(DevChainFixture.Keys[1], Recipient, 0, OneCere), proposerChain.OpenState(proposerChain.Head.StateRoot));
        ExecutedBlock built = new ProposalExecutor(proposerChain, new EvmExecutor())
            .Build(proposerChain.Head, pool.Pending(proposerChain.OpenState(proposerChain.Head.StateRoot)), DevChainFixture.Keys[2].Address);
        Assert.That(built.Block.Transactions, Has.Length.EqualTo(2));
        Assert.That(proposerChain.Head.Number, Is.Zero, "building commits nothing");

        MemoryStore db = new();
        Blockchain validatorChain = DevChainFixture.Open(db);
        int headersBefore = db.Count(DbColumn.Headers);
        ExecutedBlock again = new ProposalExecutor(validatorChain, new EvmExecutor()).Execute(validatorChain.Head, BlockCodec.Decode(built.Encoded), built.Encoded);
        Assert.That(again.Block.Hash, Is.EqualTo(built.Block.Hash));
        Assert.That(validatorChain.Head.Number, Is.Zero, "re-executing commits nothing");
        Assert.That(db.Count(DbColumn.Headers), Is.EqualTo(headersBefore));

        validatorChain.Commit(again.Block, again.Receipts, again.State);
        Assert.That(validatorChain.Head.Hash, Is.EqualTo(built.Block.Hash));
        Assert.That(validatorChain.OpenState(validatorChain.Head.StateRoot).GetBalance(Recipient), Is.EqualTo(OneCere * 2));
    }

    [TestCase("state root", "state root mismatch")]
    [TestCase("timestamp ahead", "ahead of this node's clock")]
    [TestCase("wrong parent", "does not extend the head")]
    public void ForgedProposalIsInvalid(string forgery, string expected)
    {
        Blockchain proposerChain = DevChainFixture.Open();
        TransactionPool pool = new(4242);
        pool.Add(DevChainFixture.Transfer1559(DevChainFixture.Keys[3], Recipient, 0, OneCere), proposerChain.OpenState(proposerChain.Head.StateRoot));
        TimeProvider clock = forgery == "timestamp ahead" ? new ShiftedClock(TimeSpan.FromHours(1)) : TimeProvider.System;
        ExecutedBlock built = new ProposalExecutor(proposerChain, new EvmExecutor(), clock)
            .Build(proposerChain.Head, pool.Pending(proposerChain.OpenState(proposerChain.Head.StateRoot)), DevChainFixture.Keys[2].Address);
        BlockHeader h = built.Block.Header;
        BlockHeader header = new()
        {
            ParentHash = forgery == "wrong parent" ? Hash256.Zero : h.ParentHash, Beneficiary = h.Beneficiary,
            StateRoot = forgery == "state root" ? Hash256.EmptyTrieRoot : h.StateRoot, TransactionsRoot = h.TransactionsRoot,
            ReceiptsRoot = h.ReceiptsRoot, LogsBloom = h.LogsBloom, Number = h.Number, GasLimit = h.GasLimit, GasUsed = h.GasUsed,
            Timestamp = h.Timestamp, BaseFeePerGas = h.BaseFeePerGas, WithdrawalsRoot = h.WithdrawalsRoot,
            BlobGasUsed = h.BlobGasUsed, ExcessBlobGas = h.ExcessBlobGas, ParentBeaconBlockRoot = h.ParentBeaconBlockRoot,
        };
        Block forged = new(header, built.Block.Transactions, built.Block.Ommers, built.Block.Withdrawals);
        byte[] encoded = BlockCodec.Encode(forged);

        Blockchain validatorChain = DevChainFixture.Open();
        ProposalExecutor validator = new(validatorChain, new EvmExecutor());
        Assert.That(() => validator.Execute(validatorChain.Head, forged, encoded), Throws.TypeOf<InvalidBlockException>().With.Message.Contains(expected));
        Assert.That(validatorChain.Head.Number, Is.Zero);
    }

    [Test]
    public void CertificatesAreStoredByHeightAndDamageIsReported()
    {
        MemoryStore db = new();
        CertificateStore store = new(db);
        CommitCertificate cert = new(4242, 7, 2, Hash256.EmptyTrieRoot, [new CommitSignature(1, new byte[65])]);
        store.Write(cert);
        CommitCertificate? read = store.Read(7);
        Assert.That(read, Is.Not.Null);
        Assert.That(ConsensusCodec.EncodeCertificate(read!), Is.EqualTo(ConsensusCodec.EncodeCertificate(cert)));
        Assert.That(store.Read(8), Is.Null);

        db.Put(DbColumn.Consensus, [.. "cert"u8, 0, 0, 0, 0, 0, 0, 0, 8], [0x01, 0x02]);
        Assert.That(() => store.Read(8), Throws.TypeOf<InvalidDataException>().With.Message.Contains("height 8"));
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
