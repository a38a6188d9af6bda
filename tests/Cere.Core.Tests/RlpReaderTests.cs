using Cere.Core.Rlp;

namespace Cere.Core.Tests;

/// <summary>The strict reader: each malformed shape fails with its own RlpError and offset, typed reads check types and sizes.</summary>
public class RlpReaderTests
{
    [TestCase("80", 0UL)]
    [TestCase("01", 1UL)]
    [TestCase("7f", 127UL)]
    [TestCase("8180", 128UL)]
    [TestCase("8203e8", 1000UL)]
    [TestCase("88ffffffffffffffff", ulong.MaxValue)]
    public void ReadsCanonicalIntegers(string hex, ulong expected)
    {
        RlpReader r = new(Hex.Decode(hex));
        Assert.That(r.ReadUInt64(), Is.EqualTo(expected));
        Assert.That(r.IsFinished, Is.True);
        RlpReader wide = new(Hex.Decode(hex));
        Assert.That(wide.ReadUInt256(), Is.EqualTo(new UInt256(expected)));
    }

    [TestCase("00", RlpError.LeadingZeroInInteger, 0)]
    [TestCase("820001", RlpError.LeadingZeroInInteger, 0)]
    [TestCase("8105", RlpError.SingleByteNotCanonical, 0)]
    [TestCase("89010203040506070809", RlpError.IntegerTooLarge, 0)]
    [TestCase("c0", RlpError.ExpectedString, 0)]
    [TestCase("c180", RlpError.ExpectedString, 0)]
    [TestCase("", RlpError.Truncated, 0)]
    [TestCase("82ff", RlpError.Truncated, 0)]
    [TestCase("b838", RlpError.Truncated, 0)]
    public void RejectsBadUInt64(string hex, RlpError error, int offset)
    {
        byte[] input = Hex.Decode(hex);
        RlpException ex = Assert.Throws<RlpException>(() => new RlpReader(input).ReadUInt64());
        Assert.That((ex.Error, ex.Offset), Is.EqualTo((error, offset)), ex.Message);
    }

    [TestCase("a000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", RlpError.LeadingZeroInInteger)]
    [TestCase("a1010000000000000000000000000000000000000000000000000000000000000000", RlpError.IntegerTooLarge)]
    [TestCase("00", RlpError.LeadingZeroInInteger)]
    [TestCase("8100", RlpError.SingleByteNotCanonical)]
    [TestCase("c0", RlpError.ExpectedString)]
    public void RejectsBadUInt256(string hex, RlpError error)
    {
        byte[] input = Hex.Decode(hex);
        RlpException ex = Assert.Throws<RlpException>(() => new RlpReader(input).ReadUInt256());
        Assert.That(ex.Error, Is.EqualTo(error), ex.Message);
    }

    [Test]
    public void ReadsTheLargestUInt256()
    {
        byte[] input = Hex.Decode("a0" + new string('f', 64));
        RlpReader r = new(input);
        Assert.That(r.ReadUInt256(), Is.EqualTo(UInt256.MaxValue));
        r.EnsureFinished();
    }

    [Test]
    public void ByteAndBoolAreRangeChecked()
    {
        Assert.That(new RlpReader([0x81, 0xff]).ReadByte(), Is.EqualTo(255));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader([0x82, 0x01, 0x00]).ReadByte()).Error, Is.EqualTo(RlpError.IntegerTooLarge));
        Assert.That(new RlpReader([0x80]).ReadBool(), Is.False);
        Assert.That(new RlpReader([0x01]).ReadBool(), Is.True);
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader([0x02]).ReadBool()).Error, Is.EqualTo(RlpError.IntegerTooLarge));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader([0x00]).ReadBool()).Error, Is.EqualTo(RlpError.LeadingZeroInInteger));
    }

    [Test]
    public void AddressesAndHashesMustHaveTheirExactLength()
    {
        byte[] address = [0x94, .. Enumerable.Range(1, 20).Select(i => (byte)i)];
        Assert.That(new RlpReader(address).ReadAddress().Bytes.ToArray(), Is.EqualTo(address[1..]));
        Assert.That(new RlpReader(address).ReadOptionalAddress(), Is.EqualTo(new Address(address.AsSpan(1))));
        Assert.That(new RlpReader([0x80]).ReadOptionalAddress(), Is.Null);

        byte[] short19 = [0x93, .. new byte[19]];
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader(short19).ReadAddress()).Error, Is.EqualTo(RlpError.UnexpectedLength));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader(short19).ReadOptionalAddress()).Error, Is.EqualTo(RlpError.UnexpectedLength));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader([0x80]).ReadAddress()).Error, Is.EqualTo(RlpError.UnexpectedLength));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader([0xd4, .. new byte[20]]).ReadAddress()).Error, Is.EqualTo(RlpError.ExpectedString));

        byte[] hash = [0xa0, .. Enumerable.Range(100, 32).Select(i => (byte)i)];
        Assert.That(new RlpReader(hash).ReadHash256().Bytes.ToArray(), Is.EqualTo(hash[1..]));
        byte[] short31 = [0x9f, .. new byte[31]];
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader(short31).ReadHash256()).Error, Is.EqualTo(RlpError.UnexpectedLength));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader(hash[..^1]).ReadHash256()).Error, Is.EqualTo(RlpError.Truncated));
    }

    /// <summary>Declared sizes far beyond the input are refused before any arithmetic or slicing on them.</summary>
    [TestCase("bf7fffffffffffffff00", RlpError.SizeOverflow)]   // 2^63 - 1 on 10 bytes
    [TestCase("bf8000000000000000", RlpError.SizeOverflow)]     // 2^63
    [TestCase("ff7fffffffffffffff00", RlpError.SizeOverflow)]
    [TestCase("bc0000000100", RlpError.LeadingZeroInSize)]
    [TestCase("bb80000000", RlpError.SizeOverflow)]             // 2^31
    [TestCase("fb80000000", RlpError.SizeOverflow)]
    [TestCase("bb7fffffff00", RlpError.Truncated)]              // int.MaxValue
    [TestCase("fb7fffffff00", RlpError.Truncated)]
    [TestCase("bbffffffff", RlpError.SizeOverflow)]
    [TestCase("b9ffff", RlpError.Truncated)]
    [TestCase("f9", RlpError.Truncated)]
    public void HostileSizesFailCleanly(string hex, RlpError error)
    {
        byte[] input = Hex.Decode(hex);
        RlpException ex = Assert.Throws<RlpException>(() => RlpItem.Decode(input));
        Assert.That(ex.Error, Is.EqualTo(error), ex.Message);
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader(input).SkipItem()).Error, Is.EqualTo(error));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader(input).ReadEncodedItem().ToArray()).Error, Is.EqualTo(error));
    }

    [Test]
    public void AnItemRunningPastItsListIsRejected()
    {
        // c1: a list of 1 byte, but its item 0x82 announces 2 more bytes, which exist only after the list.
        RlpException ex = Assert.Throws<RlpException>(() => RlpItem.Decode(Hex.Decode("c1820102")));
        Assert.That((ex.Error, ex.Offset), Is.EqualTo((RlpError.ItemPastListEnd, 2)), ex.Message);

        // The same through the reader API: the overrun shows at EnsureAt.
        RlpReader r = new(Hex.Decode("c1820102"));
        int end = r.ReadListHeader();
        while (r.HasItemsBefore(end))
        {
            r.SkipItem();
        }

        RlpException atEnd = Assert.Throws<RlpException>(() =>
        {
            RlpReader again = new(Hex.Decode("c1820102"));
            int e = again.ReadListHeader();
            again.SkipItem();
            again.EnsureAt(e);
        });
        Assert.That(atEnd.Error, Is.EqualTo(RlpError.ItemPastListEnd));
        Assert.That(r.Position, Is.EqualTo(4));
    }

    [Test]
    public void BytesLeftInAListAreTrailingData()
    {
        RlpException ex = Assert.Throws<RlpException>(() =>
        {
            RlpReader r = new(Hex.Decode("c3010203"));
            int end = r.ReadListHeader();
            r.ReadUInt64();
            r.ReadUInt64();
            r.EnsureAt(end);
        });
        Assert.That((ex.Error, ex.Offset), Is.EqualTo((RlpError.TrailingData, 3)), ex.Message);
    }

    [Test]
    public void BytesAfterTheItemAreTrailingData()
    {
        RlpException ex = Assert.Throws<RlpException>(() => RlpItem.Decode([0x01, 0x02]));
        Assert.That((ex.Error, ex.Offset), Is.EqualTo((RlpError.TrailingData, 1)));
        Assert.That(ex.Message, Is.EqualTo("RLP TrailingData at offset 1: 1 bytes follow the item"));
    }

    [Test]
    public void ErrorsNameTheOffsetOfTheBadItem()
    {
        RlpException ex = Assert.Throws<RlpException>(() => RlpItem.Decode(Hex.Decode("c40181058180")));
        Assert.That((ex.Error, ex.Offset), Is.EqualTo((RlpError.SingleByteNotCanonical, 2)), ex.Message);
        Assert.That(ex.Message, Does.StartWith("RLP SingleByteNotCanonical at offset 2: "));
        Assert.That(ex, Is.InstanceOf<FormatException>());
    }

    [Test]
    public void ReadListHeaderRefusesAString()
    {
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader([0x83, 1, 2, 3]).ReadListHeader()).Error, Is.EqualTo(RlpError.ExpectedList));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader([0x05]).ReadListHeader()).Error, Is.EqualTo(RlpError.ExpectedList));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader([]).PeekIsList()).Error, Is.EqualTo(RlpError.Truncated));
    }

    [Test]
    public void WalksAListWithEncodedItemsAndSkips()
    {
        // [[1, 2], "abc", 0x7f]
        byte[] input = Hex.Decode("c8" + "c20102" + "83616263" + "7f");
        RlpReader r = new(input);
        int end = r.ReadListHeader();
        Assert.That(end, Is.EqualTo(9));
        Assert.That(r.PeekIsList(), Is.True);
        Assert.That(Hex.Encode(r.ReadEncodedItem()), Is.EqualTo("0xc20102"));
        Assert.That(r.PeekIsList(), Is.False);
        r.SkipItem();
        Assert.That(r.HasItemsBefore(end), Is.True);
        Assert.That(Hex.Encode(r.ReadEncodedItem()), Is.EqualTo("0x7f"));
        Assert.That(r.HasItemsBefore(end), Is.False);
        r.EnsureAt(end);
        r.EnsureFinished();
        Assert.That((r.Position, r.Length), Is.EqualTo((9, 9)));
    }

    [Test]
    public void ReadsFixedSizeBytes()
    {
        byte[] bloom = [0xb9, 0x01, 0x00, .. new byte[256]];
        Assert.That(new RlpReader(bloom).ReadFixedBytes(256).Length, Is.EqualTo(256));
        Assert.That(Assert.Throws<RlpException>(() => new RlpReader(bloom).ReadFixedBytes(8)).Error, Is.EqualTo(RlpError.UnexpectedLength));
    }

    /// <summary>A failed typed read leaves the reader where it was, so a caller may try another reading.</summary>
    [TestCase("820001")]
    [TestCase("89010203040506070809")]
    [TestCase("820100")]
    [TestCase("93" + "00000000000000000000000000000000000000")]
    [TestCase("a1010000000000000000000000000000000000000000000000000000000000000000")]
    public void AFailedReadDoesNotMove(string hex)
    {
        RlpReader r = new(Hex.Decode("c0" + hex));
        r.SkipItem();
        int before = r.Position;
        foreach (int attempt in new[] { 0, 1, 2, 3, 4, 5 })
        {
            try
            {
                switch (attempt)
                {
                    case 0: r.ReadUInt64(); break;
                    case 1: r.ReadByte(); break;
                    case 2: r.ReadBool(); break;
                    case 3: r.ReadAddress(); break;
                    case 4: r.ReadHash256(); break;
                    default: r.ReadUInt256(); break;
                }
            }
            catch (RlpException)
            {
                Assert.That(r.Position, Is.EqualTo(before), $"attempt {attempt}");
                continue;
            }

            r = new RlpReader(Hex.Decode("c0" + hex));
            r.SkipItem();
        }
    }

    [Test]
    public void GenericDecodeLimitsNesting()
    {
        RlpItem nested = RlpItem.List();
        for (int i = 1; i < RlpItem.MaxDepth; i++)
        {
            nested = RlpItem.List(nested);
        }

        byte[] deepest = nested.Encode();
        Assert.That(RlpItem.Decode(deepest).Encode(), Is.EqualTo(deepest));

        byte[] tooDeep = RlpItem.List(nested).Encode();
        Assert.That(Assert.Throws<RlpException>(() => RlpItem.Decode(tooDeep)).Error, Is.EqualTo(RlpError.NestingTooDeep));
    }
}
