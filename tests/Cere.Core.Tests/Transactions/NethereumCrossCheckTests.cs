using System.Numerics;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Nethereum.Model;
using Nethereum.Signer;
using NAccessListItem = Nethereum.Model.AccessListItem;
using NTransaction1559 = Nethereum.Model.Transaction1559;
using NTransaction2930 = Nethereum.Model.Transaction2930;

namespace Cere.Core.Tests.Transactions;

/// <summary>
/// Cross-checks with a client we did not write: transactions of each type signed by Nethereum decode with our
/// code to the same sender and hash, and transactions we sign are accepted by Nethereum's decoder and recovery.
/// </summary>
public class NethereumCrossCheckTests
{
    private const ulong ChainId = 4_242;
    private static readonly byte[] PrivateKeyBytes = Convert.FromHexString("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private const string To = "0x3535353535353535353535353535353535353535";

    [Test]
    public void LegacyEip155SignedByNethereumDecodesWithOurCode()
    {
        string hex = new LegacyTransactionSigner().SignTransaction(PrivateKeyBytes, new BigInteger(ChainId), To, new BigInteger(1_000_000_000_000_000_000), 7, 20_000_000_000, 21_000, "0x");
        AssertOurDecodeMatchesNethereum(hex, TxType.Legacy);
    }

    [Test]
    public void LegacyUnprotectedSignedByNethereumDecodesWithOurCode()
    {
        string hex = new LegacyTransactionSigner().SignTransaction(PrivateKeyBytes, To, 5, 0, 1_000_000_000, 50_000, "0xdeadbeef");
        Transaction tx = AssertOurDecodeMatchesNethereum(hex, TxType.Legacy);
        Assert.That(tx.ChainId, Is.Null);
    }

    [Test]
    public void AccessListSignedByNethereumDecodesWithOurCode()
    {
        NTransaction2930 n = new(ChainId, 3, 2_000_000_000, 60_000, To, 12345, "0x01020304", AccessList());
        string hex = new TypeTransactionSigner<NTransaction2930>().SignTransaction(PrivateKeyBytes, n);
        AssertOurDecodeMatchesNethereum(hex, TxType.AccessList);
    }

    [Test]
    public void DynamicFeeSignedByNethereumDecodesWithOurCode()
    {
        NTransaction1559 n = new(ChainId, 9, 1_500_000_000, 30_000_000_000, 90_000, To, 777, "0xa9059cbb", AccessList());
        string hex = new Transaction1559Signer().SignTransaction(PrivateKeyBytes, n);
        AssertOurDecodeMatchesNethereum(hex, TxType.DynamicFee);
    }

    [Test]
    public void ContractCreationSignedByNethereumDecodesWithOurCode()
    {
        NTransaction1559 n = new(ChainId, 0, 1, 2, 200_000, null, 0, "0x6080604052348015600f57600080fd5b50", new List<NAccessListItem>());
        string hex = new Transaction1559Signer().SignTransaction(PrivateKeyBytes, n);
        Transaction tx = AssertOurDecodeMatchesNethereum(hex, TxType.DynamicFee);
        Assert.That(tx.IsContractCreation, Is.True);
    }

    [TestCase(TxType.Legacy, true)]
    [TestCase(TxType.Legacy, false)]
    [TestCase(TxType.AccessList, true)]
    [TestCase(TxType.DynamicFee, true)]
    public void WhatWeSignNethereumAccepts(TxType type, bool withChainId)
    {
        PrivateKey key = new(PrivateKeyBytes);
        Transaction unsigned = new()
        {
            Type = type,
            ChainId = withChainId ? ChainId : null,
            Nonce = 42,
            GasPrice = 3_000_000_000UL,
            MaxPriorityFeePerGas = type == TxType.DynamicFee ? 1_000_000_000UL : 3_000_000_000UL,
            MaxFeePerGas = 3_000_000_000UL,
            GasLimit = 100_000,
            To = Address.Parse(To),
            Value = UInt256.Parse("1000000000000000001"),
            Data = [0xa9, 0x05, 0x9c, 0xbb, 0, 0, 1],
            AccessList = type == TxType.Legacy ? [] : [new AccessListEntry(Address.Parse(To), [Hash256.Zero, Keccak256.Compute([1])])],
        };
        Transaction signed = TransactionSigner.Sign(unsigned, key);
        byte[] raw = TransactionEncoder.Encode(signed);

        ISignedTransaction theirs = TransactionFactory.CreateTransaction(raw);
        Assert.Multiple(() =>
        {
            Assert.That(TransactionVerificationAndRecovery.GetSenderAddress(theirs).ToLowerInvariant(), Is.EqualTo(key.Address.ToString()));
            Assert.That(TransactionVerificationAndRecovery.VerifyTransaction(theirs), Is.True);
            Assert.That(theirs.Hash, Is.EqualTo(signed.Hash.ToArray()));
            Assert.That(theirs.GetRLPEncoded(), Is.EqualTo(raw));
            Assert.That(TransactionValidator.Validate(TransactionDecoder.Decode(raw), ChainId), Is.EqualTo(key.Address));
        });
    }

    private static List<NAccessListItem> AccessList() =>
    [
        new NAccessListItem(To, [new byte[32], Keccak256.Compute([7]).ToArray()]),
        new NAccessListItem("0x000000000000000000000000000000000000dead", []),
    ];

    private static Transaction AssertOurDecodeMatchesNethereum(string hex, TxType type)
    {
        byte[] raw = Hex.Decode(hex);
        Transaction tx = TransactionDecoder.Decode(raw);
        ISignedTransaction theirs = TransactionFactory.CreateTransaction(raw);
        string theirSender = TransactionVerificationAndRecovery.GetSenderAddress(theirs);
        Assert.Multiple(() =>
        {
            Assert.That(tx.Type, Is.EqualTo(type));
            Assert.That(TransactionValidator.Validate(tx, ChainId), Is.EqualTo(Address.Parse(theirSender.ToLowerInvariant())));
            Assert.That(tx.Sender, Is.EqualTo(new PrivateKey(PrivateKeyBytes).Address));
            Assert.That(tx.Hash.ToArray(), Is.EqualTo(theirs.Hash));
            Assert.That(TransactionEncoder.Encode(tx), Is.EqualTo(raw));
        });
        return tx;
    }
}
