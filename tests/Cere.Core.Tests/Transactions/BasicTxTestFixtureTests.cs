using System.Text.Json;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Cere.Tests.Shared;

namespace Cere.Core.Tests.Transactions;

/// <summary>
/// basic/txtest.json: a key and the fields give the fixture's unsigned encoding and its RFC 6979 signature
/// (pre-EIP-155). The fixture predates EIP-2, so where its s is in the upper half we expect the same
/// signature in low-S form (s' = n - s, recovery id flipped), which is what we must produce.
/// </summary>
public class BasicTxTestFixtureTests
{
    private static IEnumerable<TestCaseData> Entries()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("basic", "txtest.json")));
        int i = 0;
        foreach (JsonElement e in doc.RootElement.EnumerateArray())
        {
            yield return new TestCaseData(e.GetRawText()).SetName($"txtest[{i++}]");
        }
    }

    [TestCaseSource(nameof(Entries))]
    public void SignsLikeTheFixture(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement e = doc.RootElement;
        string to = e.GetProperty("to").GetString()!;
        Transaction unsigned = new()
        {
            Type = TxType.Legacy,
            Nonce = e.GetProperty("nonce").GetUInt64(),
            GasPrice = UInt256.Parse(e.GetProperty("gasprice").GetRawText()),
            MaxFeePerGas = UInt256.Parse(e.GetProperty("gasprice").GetRawText()),
            GasLimit = e.GetProperty("startgas").GetUInt64(),
            To = to.Length == 0 ? null : Address.Parse(to),
            Value = UInt256.Parse(e.GetProperty("value").GetRawText()),
            Data = Hex.Decode(e.GetProperty("data").GetString()!),
        };
        PrivateKey key = new(Hex.Decode(e.GetProperty("key").GetString()!));

        Transaction signed = TransactionSigner.Sign(unsigned, key);
        Transaction fixture = TransactionDecoder.Decode(Hex.Decode(e.GetProperty("signed").GetString()!));
        EcdsaSignature expected = fixture.Signature.IsLowS ? fixture.Signature : fixture.Signature.ToLowS();

        Assert.Multiple(() =>
        {
            Assert.That(Hex.Encode(TransactionEncoder.Encode(unsigned), prefix: false), Is.EqualTo(e.GetProperty("unsigned").GetString()));
            Assert.That(signed.Signature, Is.EqualTo(expected), "RFC 6979 signature (low-S form)");
            Assert.That(signed.V, Is.EqualTo(new UInt256(27UL + expected.RecoveryId)));
            Assert.That(fixture.Sender, Is.EqualTo(key.Address), "the fixture's own signature recovers to the key");
            Assert.That(TransactionDecoder.Decode(TransactionEncoder.Encode(signed)).Sender, Is.EqualTo(key.Address));
        });
    }
}
