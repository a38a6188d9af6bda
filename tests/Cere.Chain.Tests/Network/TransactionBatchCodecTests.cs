using Cere.Chain.Network;
using Cere.Core;
using Cere.Core.Rlp;
using Cere.Core.Transactions;

namespace Cere.Chain.Tests.Network;

/// <summary>The transaction-batch gossip payload: round trip of every envelope type, and each malformed batch refused with a reason.</summary>
public class TransactionBatchCodecTests
{
    private static readonly Address To = Address.Parse("0x00000000000000000000000000000000000000bb");

    [Test]
    public void RoundTripKeepsEveryTransactionWithItsHashAndBytes()
    {
        Transaction[] txs =
        [
            DevChainFixture.Transfer1559(DevChainFixture.Keys[0], To, 0, 1),
            DevChainFixture.TransferLegacy(DevChainFixture.Keys[1], To, 7, 2),
            DevChainFixture.Transfer1559(DevChainFixture.Keys[0], To, 1, 3),
        ];
        Transaction[] back = TransactionBatchCodec.Decode(TransactionBatchCodec.Encode(txs));
        Assert.That(back, Has.Length.EqualTo(3));
        for (int i = 0; i < txs.Length; i++)
        {
            Assert.That(back[i].Hash, Is.EqualTo(txs[i].Hash), $"hash of {i}");
            Assert.That(TransactionEncoder.Encode(back[i]), Is.EqualTo(TransactionEncoder.Encode(txs[i])), $"bytes of {i}");
            Assert.That(back[i].Sender, Is.EqualTo(txs[i].Sender), $"sender of {i}");
        }
    }

    [Test]
    public void TheBatchIsABlockBodysTransactionList()
    {
        // Independent of our encoder: an RLP list whose items are a typed envelope as a string and a legacy list as is.
        Transaction typed = DevChainFixture.Transfer1559(DevChainFixture.Keys[2], To, 0, 1);
        Transaction legacy = DevChainFixture.TransferLegacy(DevChainFixture.Keys[3], To, 0, 1);
        byte[] expected = Rlp.EncodeList(Rlp.EncodeBytes(TransactionEncoder.Encode(typed)), TransactionEncoder.Encode(legacy));
        Assert.That(TransactionBatchCodec.Encode([typed, legacy]), Is.EqualTo(expected));
    }

    [Test]
    public void EncodingNothingIsRefused()
    {
        Assert.That(() => TransactionBatchCodec.Encode([]), Throws.ArgumentException.With.Message.Contains("1..2048"));
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        byte[] one = TransactionBatchCodec.Encode([DevChainFixture.Transfer1559(DevChainFixture.Keys[0], To, 0, 1)]);
        yield return new TestCaseData(Array.Empty<byte>(), "transaction batch:").SetName("NoBytes");
        yield return new TestCaseData(new byte[] { 0xc0 }, "empty transaction batch").SetName("EmptyList");
        yield return new TestCaseData(new byte[] { 0x83, 1, 2, 3 }, "expected a list").SetName("AStringNotAList");
        yield return new TestCaseData(one[..^1], "transaction batch:").SetName("Truncated");
        yield return new TestCaseData((byte[])[.. one, 0x80], "transaction batch:").SetName("TrailingBytes");
        yield return new TestCaseData(new byte[] { 0xc1, 0x05 }, "type 5").SetName("NotAnEnvelope");
    }

    [TestCaseSource(nameof(Malformed))]
    public void MalformedBatchIsRefusedWithAReason(byte[] data, string reason)
    {
        TransactionException? e = Assert.Throws<TransactionException>(() => TransactionBatchCodec.Decode(data));
        Assert.That(e!.Message, Does.Contain(reason));
    }

    [Test]
    public void MoreThanTheLimitIsRefused()
    {
        Transaction tx = DevChainFixture.Transfer1559(DevChainFixture.Keys[0], To, 0, 1);
        byte[] item = Rlp.EncodeBytes(TransactionEncoder.Encode(tx));
        byte[][] items = Enumerable.Repeat(item, TransactionBatchCodec.MaxTransactions + 1).ToArray();
        TransactionException? e = Assert.Throws<TransactionException>(() => TransactionBatchCodec.Decode(Rlp.EncodeList(items)));
        Assert.That(e!.Message, Does.Contain("at most 2048"));
    }
}
