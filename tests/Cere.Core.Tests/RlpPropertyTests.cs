using System.Numerics;
using Cere.Core.Rlp;
using CsCheck;
using NethereumRlp = Nethereum.RLP.RLP;

namespace Cere.Core.Tests;

/// <summary>Property tests: random trees and integers round-trip, agree with Nethereum, and corruptions fail only with RlpException.</summary>
public class RlpPropertyTests
{
    // Lengths around the short/long boundary (55/56) and the one/two size-byte boundary (255/256).
    private static readonly Gen<byte[]> GenBytes = Gen.Frequency(
        (6, Gen.Byte.Array[0, 3]),
        (2, Gen.Byte.Array[50, 60]),
        (1, Gen.Byte.Array[250, 260]),
        (1, Gen.Byte.Array[0, 1100]));

    private static readonly Gen<RlpItem> GenTree = Gen.Recursive<RlpItem>((depth, tree) =>
        depth >= 4
            ? GenBytes.Select(b => RlpItem.String(b))
            : Gen.Frequency(
                (3, GenBytes.Select(b => RlpItem.String(b))),
                (1, tree.Array[0, 6].Select(items => RlpItem.List(items)))));

    // Uniform ulongs are almost all 8 bytes long; shifting covers every length.
    private static readonly Gen<ulong> GenUInt64 = Gen.Select(Gen.ULong, Gen.Int[0, 64], (v, shift) => shift == 64 ? 0 : v >> shift);

    private static readonly Gen<UInt256> GenUInt256 = Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong, Gen.Int[0, 256],
        (a, b, c, d, shift) => UInt256.FromBigInteger(new UInt256(a, b, c, d).ToBigInteger() >> shift));

    [Test]
    public void TreesRoundTrip()
    {
        GenTree.Sample(tree =>
        {
            byte[] encoded = tree.Encode();
            Assert.That(encoded, Has.Length.EqualTo(tree.EncodedLength));
            RlpItem decoded = RlpItem.Decode(encoded);
            Assert.That(decoded.ToString(), Is.EqualTo(tree.ToString()));
            Assert.That(decoded.Encode(), Is.EqualTo(encoded));
        }, iter: 1000);
    }

    [Test]
    public void EncodedItemsAndSkipsFollowTheTree()
    {
        GenTree.Array[0, 6].Sample(items =>
        {
            RlpItem list = RlpItem.List(items);
            byte[] encoded = list.Encode();
            RlpReader r = new(encoded);
            RlpReader skipper = new(encoded);
            int end = r.ReadListHeader();
            Assert.That(skipper.ReadListHeader(), Is.EqualTo(end));
            foreach (RlpItem item in items)
            {
                Assert.That(r.HasItemsBefore(end), Is.True);
                Assert.That(r.PeekIsList(), Is.EqualTo(item.IsList));
                // Plain comparisons in the inner loop: NUnit's constraint machinery dominates the run time otherwise.
                if (!r.ReadEncodedItem().SequenceEqual(item.Encode()))
                {
                    Assert.Fail($"ReadEncodedItem differs from the encoding of {item}");
                }

                skipper.SkipItem();
                Assert.That(skipper.Position, Is.EqualTo(r.Position));
            }

            r.EnsureAt(end);
            r.EnsureFinished();
        }, iter: 500);
    }

    [Test]
    public void TreesEncodeLikeNethereum()
    {
        GenTree.Sample(tree =>
        {
            byte[] ours = tree.Encode();
            byte[] theirs = NethereumEncode(tree);
            if (!ours.AsSpan().SequenceEqual(theirs))
            {
                Assert.Fail($"{tree}: Cere {Hex.Encode(ours)}, Nethereum {Hex.Encode(theirs)}");
            }
        }, iter: 1500);
    }

    [Test]
    public void UInt64RoundTripsAndEncodesAsItsMinimalBytes()
    {
        GenUInt64.Sample(value =>
        {
            byte[] encoded = Rlp.Rlp.EncodeUInt64(value);
            Assert.That(encoded, Has.Length.EqualTo(Rlp.Rlp.LengthOf(value)));

            // Independent oracle: an integer is the byte string of its minimal big-endian bytes.
            Assert.That(encoded, Is.EqualTo(Rlp.Rlp.EncodeBytes(MinimalBigEndian(value))));

            RlpReader reader = new(encoded);
            Assert.That(reader.ReadUInt64(), Is.EqualTo(value));
            reader.EnsureFinished();

            RlpReader wide = new(encoded);
            Assert.That(wide.ReadUInt256(), Is.EqualTo(new UInt256(value)));
        }, iter: 20000);
    }

    [Test]
    public void UInt256RoundTripsAndEncodesAsItsMinimalBytes()
    {
        GenUInt256.Sample(value =>
        {
            byte[] encoded = Rlp.Rlp.EncodeUInt256(value);
            Assert.That(encoded, Has.Length.EqualTo(Rlp.Rlp.LengthOf(value)));
            Assert.That(encoded, Is.EqualTo(Rlp.Rlp.EncodeBytes(MinimalBigEndian(value.ToBigInteger()))));

            RlpReader reader = new(encoded);
            Assert.That(reader.ReadUInt256(), Is.EqualTo(value));
            reader.EnsureFinished();

            // ReadUInt64 takes exactly the values that fit.
            RlpReader narrow = new(encoded);
            if (value.FitsInUInt64)
            {
                Assert.That(narrow.ReadUInt64(), Is.EqualTo(value.U0));
            }
            else
            {
                RlpException ex = Assert.Throws<RlpException>(() => new RlpReader(encoded).ReadUInt64());
                Assert.That(ex.Error, Is.EqualTo(RlpError.IntegerTooLarge));
            }
        }, iter: 10000);
    }

    [Test]
    public void CorruptedEncodingsFailOnlyWithRlpExceptionAndAcceptedInputsAreCanonical()
    {
        Gen<byte[]> corrupted = Gen.Select(GenTree, Gen.Int[0, 3], Gen.Int, Gen.Byte.Array[1, 12], (tree, kind, where, extra) =>
        {
            byte[] valid = tree.Encode();
            int at = (int)((uint)where % (uint)valid.Length);
            switch (kind)
            {
                case 0: // truncate
                    return valid[..at];
                case 1: // append
                    return [.. valid, .. extra];
                case 2: // replace one byte, often a prefix (the first byte is always one)
                    byte[] flipped = (byte[])valid.Clone();
                    flipped[(where & 1) == 0 ? 0 : at] = extra[0];
                    return flipped;
                default: // overwrite a run of bytes
                    byte[] spliced = (byte[])valid.Clone();
                    extra.AsSpan(0, Math.Min(extra.Length, spliced.Length - at)).CopyTo(spliced.AsSpan(at));
                    return spliced;
            }
        });

        corrupted.Sample(AcceptsOnlyCanonical, iter: 2000);
    }

    [Test]
    public void RandomBytesFailOnlyWithRlpExceptionAndAcceptedInputsAreCanonical()
    {
        Gen.Byte.Array[0, 64].Sample(AcceptsOnlyCanonical, iter: 30000);
    }

    [Test]
    public void TypedReadsOfRandomBytesFailOnlyWithRlpException()
    {
        Gen.Byte.Array[0, 40].Sample(input =>
        {
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadUInt64());
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadUInt256());
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadByte());
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadBool());
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadAddress());
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadOptionalAddress());
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadHash256());
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadEncodedItem().Length);
            ExpectOnlyRlpException(input, (ref RlpReader r) => r.ReadListHeader());
            ExpectOnlyRlpException(input, (ref RlpReader r) =>
            {
                r.SkipItem();
                return r.Position;
            });
        }, iter: 5000);
    }

    /// <summary>A reader operation, for <see cref="ExpectOnlyRlpException"/>.</summary>
    private delegate T ReaderAction<T>(ref RlpReader reader);

    private static void ExpectOnlyRlpException<T>(byte[] input, ReaderAction<T> read)
    {
        try
        {
            RlpReader reader = new(input);
            read(ref reader);
        }
        catch (RlpException)
        {
            // The only acceptable failure.
        }
    }

    /// <summary>Decoding either fails with RlpException or succeeds on an input that is its own canonical encoding.</summary>
    private static void AcceptsOnlyCanonical(byte[] input)
    {
        RlpItem decoded;
        try
        {
            decoded = RlpItem.Decode(input);
        }
        catch (RlpException)
        {
            return;
        }

        // RLP has one encoding per value: anything accepted must re-encode to exactly the input.
        Assert.That(decoded.Encode(), Is.EqualTo(input), "accepted a non-canonical encoding");
    }

    private static byte[] NethereumEncode(RlpItem item)
    {
        if (!item.IsList)
        {
            return NethereumRlp.EncodeElement(item.Bytes.ToArray());
        }

        byte[][] items = new byte[item.Items.Count][];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = NethereumEncode(item.Items[i]);
        }

        return NethereumRlp.EncodeList(items);
    }

    private static byte[] MinimalBigEndian(BigInteger value) => value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
}
