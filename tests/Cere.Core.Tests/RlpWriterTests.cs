using Cere.Core.Rlp;
using NethereumRlp = Nethereum.RLP.RLP;

namespace Cere.Core.Tests;

/// <summary>The writer: header forms at every size boundary (checked against Nethereum), typed writes, and overflow.</summary>
public class RlpWriterTests
{
    [TestCase(0, "80")]
    [TestCase(2, "82")]
    [TestCase(55, "b7")]
    [TestCase(56, "b838")]
    [TestCase(255, "b8ff")]
    [TestCase(256, "b90100")]
    [TestCase(65535, "b9ffff")]
    [TestCase(65536, "ba010000")]
    public void StringHeadersAtSizeBoundaries(int length, string header)
    {
        byte[] value = new byte[length];
        Array.Fill(value, (byte)0xab);
        byte[] encoded = Rlp.Rlp.EncodeBytes(value);
        Assert.That(Hex.Encode(encoded.AsSpan(0, encoded.Length - length)), Is.EqualTo("0x" + header));
        Assert.That(Rlp.Rlp.LengthOfBytes(value), Is.EqualTo(encoded.Length));
        Assert.That(encoded, Is.EqualTo(NethereumRlp.EncodeElement(value)));
        Assert.That(new RlpReader(encoded).ReadBytes().ToArray(), Is.EqualTo(value));
    }

    [TestCase(0, "c0")]
    [TestCase(55, "f7")]
    [TestCase(56, "f838")]
    [TestCase(256, "f90100")]
    [TestCase(70000, "fa011170")]
    [TestCase(16777216, "fb01000000")]
    public void ListHeadersAtSizeBoundaries(int payloadLength, string header)
    {
        Assert.That(Rlp.Rlp.LengthOfListHeader(payloadLength), Is.EqualTo(header.Length / 2));
        Assert.That(Rlp.Rlp.LengthOfList(payloadLength), Is.EqualTo(header.Length / 2 + payloadLength));
        byte[] buffer = new byte[header.Length / 2];
        RlpWriter w = new(buffer);
        w.WriteListHeader(payloadLength);
        w.EnsureFilled();
        Assert.That(Hex.Encode(buffer), Is.EqualTo("0x" + header));
    }

    [Test]
    public void LargestHeaderIsFiveBytes() => Assert.That(Rlp.Rlp.LengthOfListHeader(int.MaxValue), Is.EqualTo(5));

    [Test]
    public void NegativeLengthsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Rlp.Rlp.LengthOfList(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RlpWriter(new byte[8]).WriteListHeader(-56));
    }

    [Test]
    public void SingleBytesBelow0x80StandAlone()
    {
        for (int b = 0; b < 256; b++)
        {
            byte[] encoded = Rlp.Rlp.EncodeBytes([(byte)b]);
            Assert.That(encoded, Is.EqualTo(b < 0x80 ? new[] { (byte)b } : new[] { (byte)0x81, (byte)b }), $"byte {b}");
        }
    }

    [Test]
    public void WritesTypedValues()
    {
        Address to = new(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        Hash256 hash = new(Enumerable.Range(50, 32).Select(i => (byte)i).ToArray());
        int payload = Rlp.Rlp.LengthOf(0UL) + Rlp.Rlp.LengthOf(1_000_000UL) + Rlp.Rlp.LengthOfAddress
            + Rlp.Rlp.LengthOfOptionalAddress(null) + Rlp.Rlp.LengthOfHash + Rlp.Rlp.LengthOf(UInt256.MaxValue) + 2;
        byte[] buffer = new byte[Rlp.Rlp.LengthOfList(payload)];
        RlpWriter w = new(buffer);
        w.WriteListHeader(payload);
        w.WriteUInt64(0);
        w.WriteUInt64(1_000_000);
        w.WriteOptionalAddress(to);
        w.WriteOptionalAddress(null);
        w.WriteHash256(hash);
        w.WriteUInt256(UInt256.MaxValue);
        w.WriteBool(true);
        w.WriteBool(false);
        w.EnsureFilled();

        byte[] expected = NethereumRlp.EncodeList(
            [0x80], [0x83, 0x0f, 0x42, 0x40], NethereumRlp.EncodeElement(to.ToArray()), [0x80], NethereumRlp.EncodeElement(hash.ToArray()),
            NethereumRlp.EncodeElement(Enumerable.Repeat((byte)0xff, 32).ToArray()), [0x01], [0x80]);
        Assert.That(buffer, Is.EqualTo(expected));

        RlpReader r = new(buffer);
        int end = r.ReadListHeader();
        Assert.That(r.ReadUInt64(), Is.Zero);
        Assert.That(r.ReadUInt64(), Is.EqualTo(1_000_000));
        Assert.That(r.ReadOptionalAddress(), Is.EqualTo(to));
        Assert.That(r.ReadOptionalAddress(), Is.Null);
        Assert.That(r.ReadHash256(), Is.EqualTo(hash));
        Assert.That(r.ReadUInt256(), Is.EqualTo(UInt256.MaxValue));
        Assert.That(r.ReadBool(), Is.True);
        Assert.That(r.ReadBool(), Is.False);
        r.EnsureAt(end);
        r.EnsureFinished();
    }

    [Test]
    public void EncodeListWrapsEncodedItems()
    {
        byte[] list = Rlp.Rlp.EncodeList(Rlp.Rlp.EncodeBytes("dog"u8), Rlp.Rlp.EncodeUInt64(1));
        Assert.That(Hex.Encode(list), Is.EqualTo("0xc58364" + "6f6701"));
    }

    [Test]
    public void OverflowingTheDestinationThrowsAndWritesNothingMore()
    {
        byte[] buffer = new byte[3];
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() =>
        {
            RlpWriter w = new(buffer);
            w.WriteUInt64(1000);      // 3 bytes: fits exactly
            w.WriteUInt64(1);         // no room
        });
        Assert.That(ex.Message, Does.Contain("overflow"));
        Assert.That(buffer, Is.EqualTo(new byte[] { 0x82, 0x03, 0xe8 }));

        Assert.Throws<InvalidOperationException>(() => new RlpWriter(new byte[20]).WriteAddress(default));
        Assert.Throws<InvalidOperationException>(() => new RlpWriter(new byte[32]).WriteHash256(default));
        Assert.Throws<InvalidOperationException>(() => new RlpWriter(new byte[56]).WriteBytes(new byte[56]));
        Assert.Throws<InvalidOperationException>(() => new RlpWriter(new byte[1]).WriteListHeader(56));
        Assert.Throws<InvalidOperationException>(() => new RlpWriter(new byte[8]).WriteUInt256(UInt256.MaxValue));
        Assert.Throws<InvalidOperationException>(() => new RlpWriter([]).WriteEncoded([0xc0]));
        Assert.Throws<InvalidOperationException>(() => new RlpWriter(new byte[2]).EnsureFilled());
    }
}
