using System.Numerics;
using System.Text;
using System.Text.Json;
using Cere.Core.Rlp;
using Cere.Tests.Shared;

namespace Cere.Core.Tests;

/// <summary>The official ethereum/tests RLP fixtures (every file under vectors/rlp, every entry its own case).</summary>
public class RlpVectorTests
{
    /// <summary>Entries whose <c>in</c> is a value: encode it and compare with <c>out</c>.</summary>
    public static IEnumerable<TestCaseData> ValidEntries() => Entries(e => e.Input.ValueKind != JsonValueKind.String || e.Input.GetString() is not ("INVALID" or "VALID"));

    /// <summary>Entries marked <c>INVALID</c>: decoding <c>out</c> must fail.</summary>
    public static IEnumerable<TestCaseData> InvalidEntries() => Entries(e => e.Input.ValueKind == JsonValueKind.String && e.Input.GetString() == "INVALID");

    /// <summary>Entries marked <c>VALID</c>: <c>out</c> must decode and re-encode to itself.</summary>
    public static IEnumerable<TestCaseData> RoundTripEntries() => Entries(e => e.Input.ValueKind == JsonValueKind.String && e.Input.GetString() == "VALID");

    [TestCaseSource(nameof(ValidEntries))]
    public void EncodesInputToOutput(string file, string name)
    {
        Entry entry = Load(file, name);
        RlpItem expectedTree = FromJson(entry.Input);

        // Encode the fixture's value with our writer.
        Assert.That(Hex.Encode(expectedTree.Encode()), Is.EqualTo(Hex.Encode(entry.Output)), "encoding of in");
        Assert.That(expectedTree.EncodedLength, Is.EqualTo(entry.Output.Length), "computed length");

        // Decode out generically, compare the tree, re-encode.
        RlpItem decoded = RlpItem.Decode(entry.Output);
        Assert.That(decoded.ToString(), Is.EqualTo(expectedTree.ToString()), "decoded tree");
        Assert.That(decoded.Encode(), Is.EqualTo(entry.Output), "re-encoding of out");

        // Integers go through the integer writer and reader too.
        if (entry.Input.ValueKind == JsonValueKind.Number)
        {
            ulong value = entry.Input.GetUInt64();
            Assert.That(Rlp.Rlp.EncodeUInt64(value), Is.EqualTo(entry.Output), "WriteUInt64");
            Assert.That(Rlp.Rlp.LengthOf(value), Is.EqualTo(entry.Output.Length), "LengthOf(ulong)");
            RlpReader reader = new(entry.Output);
            Assert.That(reader.ReadUInt64(), Is.EqualTo(value), "ReadUInt64");
            reader.EnsureFinished();
        }

        // Big integers ("#digits") go through UInt256 when they fit in 256 bits, and are refused when they do not.
        if (entry.Input.ValueKind == JsonValueKind.String && entry.Input.GetString()!.StartsWith('#'))
        {
            BigInteger big = BigInteger.Parse(entry.Input.GetString().AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            if (big.GetByteCount(isUnsigned: true) <= 32)
            {
                UInt256 value = UInt256.FromBigInteger(big);
                Assert.That(Rlp.Rlp.EncodeUInt256(value), Is.EqualTo(entry.Output), "WriteUInt256");
                Assert.That(Rlp.Rlp.LengthOf(value), Is.EqualTo(entry.Output.Length), "LengthOf(UInt256)");
                RlpReader reader = new(entry.Output);
                Assert.That(reader.ReadUInt256().ToBigInteger(), Is.EqualTo(big), "ReadUInt256");
                reader.EnsureFinished();
            }
            else
            {
                RlpException ex = Assert.Throws<RlpException>(() => new RlpReader(entry.Output).ReadUInt256());
                Assert.That(ex.Error, Is.EqualTo(RlpError.IntegerTooLarge));
            }
        }
    }

    [TestCaseSource(nameof(InvalidEntries))]
    public void RejectsInvalidEncoding(string file, string name)
    {
        Entry entry = Load(file, name);

        // Assert.Throws requires exactly RlpException: any other exception type fails the test.
        RlpException ex = Assert.Throws<RlpException>(() => RlpItem.Decode(entry.Output));
        Assert.That(ex.Message, Does.StartWith($"RLP {ex.Error} at offset {ex.Offset}: "));
        TestContext.Out.WriteLine(ex.Message);
    }

    [TestCaseSource(nameof(RoundTripEntries))]
    public void DecodesAndReEncodesToItself(string file, string name)
    {
        Entry entry = Load(file, name);
        Assert.That(RlpItem.Decode(entry.Output).Encode(), Is.EqualTo(entry.Output));
    }

    /// <summary>Each invalid fixture is rejected for the reason its name gives (the fixture says only "invalid").</summary>
    [TestCase("int32Overflow", RlpError.SizeOverflow)]
    [TestCase("int32Overflow2", RlpError.SizeOverflow)]
    [TestCase("wrongSizeList", RlpError.NonCanonicalSize)]
    [TestCase("wrongSizeList2", RlpError.NonCanonicalSize)]
    [TestCase("incorrectLengthInArray", RlpError.LeadingZeroInSize)]
    [TestCase("randomRLP", RlpError.LeadingZeroInSize)]
    [TestCase("bytesShouldBeSingleByte00", RlpError.SingleByteNotCanonical)]
    [TestCase("bytesShouldBeSingleByte01", RlpError.SingleByteNotCanonical)]
    [TestCase("bytesShouldBeSingleByte7F", RlpError.SingleByteNotCanonical)]
    [TestCase("leadingZerosInLongLengthArray1", RlpError.LeadingZeroInSize)]
    [TestCase("leadingZerosInLongLengthArray2", RlpError.LeadingZeroInSize)]
    [TestCase("leadingZerosInLongLengthList1", RlpError.LeadingZeroInSize)]
    [TestCase("leadingZerosInLongLengthList2", RlpError.LeadingZeroInSize)]
    [TestCase("nonOptimalLongLengthArray1", RlpError.NonCanonicalSize)]
    [TestCase("nonOptimalLongLengthArray2", RlpError.NonCanonicalSize)]
    [TestCase("nonOptimalLongLengthList1", RlpError.NonCanonicalSize)]
    [TestCase("nonOptimalLongLengthList2", RlpError.NonCanonicalSize)]
    [TestCase("emptyEncoding", RlpError.Truncated)]
    [TestCase("lessThanShortLengthArray1", RlpError.Truncated)]
    [TestCase("lessThanShortLengthArray2", RlpError.Truncated)]
    [TestCase("lessThanShortLengthList1", RlpError.Truncated)]
    [TestCase("lessThanShortLengthList2", RlpError.Truncated)]
    [TestCase("lessThanLongLengthArray1", RlpError.Truncated)]
    [TestCase("lessThanLongLengthArray2", RlpError.Truncated)]
    [TestCase("lessThanLongLengthList1", RlpError.Truncated)]
    [TestCase("lessThanLongLengthList2", RlpError.SizeOverflow)]
    public void RejectsInvalidFixtureForTheRightReason(string name, RlpError expected)
    {
        Entry entry = Load("rlp/invalidRLPTest.json", name);
        RlpException ex = Assert.Throws<RlpException>(() => RlpItem.Decode(entry.Output));
        Assert.That(ex.Error, Is.EqualTo(expected), ex.Message);
    }

    /// <summary>One fixture entry: the parsed <c>in</c> and the decoded <c>out</c> bytes.</summary>
    public sealed record Entry(JsonElement Input, byte[] Output);

    private static IEnumerable<TestCaseData> Entries(Func<Entry, bool> select)
    {
        foreach (string file in VectorFiles.Enumerate("rlp"))
        {
            foreach ((string name, Entry entry) in ReadFile(file))
            {
                if (select(entry))
                {
                    yield return new TestCaseData(file, name).SetName($"{{m}}({file}:{name})");
                }
            }
        }
    }

    private static Entry Load(string file, string name)
    {
        foreach ((string n, Entry e) in ReadFile(file))
        {
            if (n == name)
            {
                return e;
            }
        }

        throw new KeyNotFoundException($"{file} has no entry {name}");
    }

    private static List<(string Name, Entry Entry)> ReadFile(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(file)));
        List<(string, Entry)> result = [];
        foreach (JsonProperty p in doc.RootElement.EnumerateObject())
        {
            JsonElement input = p.Value.GetProperty("in").Clone();
            byte[] output = Hex.Decode(p.Value.GetProperty("out").GetString() ?? "");
            result.Add((p.Name, new Entry(input, output)));
        }

        return result;
    }

    /// <summary>The fixture convention: a string is its UTF-8 bytes, "#digits" a big integer, a number an integer, an array a list.</summary>
    private static RlpItem FromJson(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                string s = e.GetString()!;
                if (s.StartsWith('#'))
                {
                    return RlpItem.String(MinimalBigEndian(BigInteger.Parse(s.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)));
                }

                return RlpItem.String(Encoding.UTF8.GetBytes(s));
            case JsonValueKind.Number:
                return RlpItem.String(MinimalBigEndian(new BigInteger(e.GetUInt64())));
            case JsonValueKind.Array:
                List<RlpItem> items = [];
                foreach (JsonElement child in e.EnumerateArray())
                {
                    items.Add(FromJson(child));
                }

                return RlpItem.List([.. items]);
            default:
                throw new FormatException($"unexpected fixture value kind {e.ValueKind}");
        }
    }

    private static byte[] MinimalBigEndian(BigInteger value) => value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
}
