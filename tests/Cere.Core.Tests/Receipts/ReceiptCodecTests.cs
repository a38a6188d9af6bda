using Cere.Core.Crypto;
using Cere.Core.Receipts;
using Cere.Core.Rlp;
using Cere.Core.Transactions;

namespace Cere.Core.Tests.Receipts;

/// <summary>Receipt and log encoding (EIP-2718 typed receipts) and the bloom built from their logs.</summary>
public class ReceiptCodecTests
{
    private static LogEntry TransferLog() => new(
        Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
        [Keccak256.Compute("Transfer(address,address,uint256)"u8), Hash256.Zero, Keccak256.Compute([1])],
        [0, 0, 0, 7]);

    [TestCase(TxType.Legacy)]
    [TestCase(TxType.AccessList)]
    [TestCase(TxType.DynamicFee)]
    public void RoundTrips(TxType type)
    {
        Receipt receipt = new(type, success: true, 123_456, [TransferLog(), new LogEntry(Address.Zero, [], [])]);
        byte[] encoded = receipt.Encode();
        Receipt decoded = Receipt.Decode(encoded);
        Assert.Multiple(() =>
        {
            Assert.That(encoded[0], type == TxType.Legacy ? Is.GreaterThanOrEqualTo(0xc0) : Is.EqualTo((byte)type));
            Assert.That(decoded.Type, Is.EqualTo(type));
            Assert.That(decoded.Success, Is.True);
            Assert.That(decoded.CumulativeGasUsed, Is.EqualTo(123_456UL));
            Assert.That(decoded.Logs, Is.EqualTo(receipt.Logs));
            Assert.That(decoded.Bloom, Is.EqualTo(receipt.Bloom));
            Assert.That(decoded.Encode(), Is.EqualTo(encoded));
        });
    }

    [Test]
    public void BloomHoldsAddressAndTopicsOfItsLogs()
    {
        LogEntry log = TransferLog();
        Receipt receipt = new(TxType.DynamicFee, success: false, 21_000, [log]);
        Assert.Multiple(() =>
        {
            Assert.That(receipt.Bloom.MightContain(log.Address.Bytes), Is.True);
            foreach (Hash256 t in log.Topics)
            {
                Assert.That(receipt.Bloom.MightContain(t.Bytes), Is.True);
            }

            Assert.That(new Receipt(TxType.Legacy, true, 0, []).Bloom.IsEmpty, Is.True);
        });
    }

    [Test]
    public void BloomSetsThreeBitsPerValue()
    {
        Bloom bloom = new();
        bloom.Add(Address.Zero.Bytes);
        int bits = 0;
        foreach (byte b in bloom.Bytes)
        {
            bits += System.Numerics.BitOperations.PopCount(b);
        }

        Assert.That(bits, Is.InRange(1, 3));
    }

    [Test]
    public void MalformedReceiptIsAnRlpError()
    {
        byte[] encoded = new Receipt(TxType.Legacy, true, 5, [TransferLog()]).Encode();
        Assert.Multiple(() =>
        {
            Assert.Throws<RlpException>(() => Receipt.Decode(encoded.AsSpan(0, encoded.Length - 1)));
            Assert.Throws<RlpException>(() => Receipt.Decode([.. encoded, 0x00]));
            Assert.Throws<RlpException>(() => Receipt.Decode([]));
            Assert.Throws<RlpException>(() => Receipt.Decode([0x05, 0xc0]));
        });
    }
}
