using System.Text.Json;
using Cere.Core.Rlp;
using Cere.Core.Transactions;
using Cere.Tests.Shared;

namespace Cere.Core.Tests.Transactions;

/// <summary>
/// Every file of ethereum/tests TransactionTests (../shared/vectors/transactions): valid transactions give
/// the expected sender, hash and intrinsic gas; invalid ones are rejected for the reason the fixture names.
/// </summary>
public class TransactionFixtureTests
{
    private const ulong FixtureChainId = 1;

    private static IEnumerable<TestCaseData> Files() =>
        VectorFiles.Enumerate("transactions").Select(f => new TestCaseData(f).SetName("tx: " + f));

    [TestCaseSource(nameof(Files))]
    public void Fixture(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path(file)));
        foreach (JsonProperty test in doc.RootElement.EnumerateObject())
        {
            byte[] raw = Hex.Decode(test.Value.GetProperty("txbytes").GetString()!);
            JsonElement expected = PickFork(test.Value.GetProperty("result"));
            if (expected.TryGetProperty("exception", out JsonElement exception))
            {
                ExpectRejected(raw, exception.GetString()!);
            }
            else
            {
                ExpectValid(raw, expected);
            }
        }
    }

    private static JsonElement PickFork(JsonElement results)
    {
        // The node runs Cancun rules; two legacy files only list forks up to London.
        foreach (string fork in (string[])["Cancun", "Shanghai", "London"])
        {
            if (results.TryGetProperty(fork, out JsonElement r))
            {
                return r;
            }
        }

        throw new InvalidDataException("fixture has no Cancun, Shanghai or London result");
    }

    private static void ExpectValid(byte[] raw, JsonElement expected)
    {
        Transaction tx = TransactionDecoder.Decode(raw);
        Address sender = TransactionValidator.Validate(tx, FixtureChainId);
        Assert.Multiple(() =>
        {
            Assert.That(sender, Is.EqualTo(Address.Parse(expected.GetProperty("sender").GetString()!)), "sender");
            Assert.That(tx.Hash, Is.EqualTo(Hash256.Parse(expected.GetProperty("hash").GetString()!)), "hash");
            Assert.That(IntrinsicGas.Of(tx), Is.EqualTo(Convert.ToUInt64(expected.GetProperty("intrinsicGas").GetString(), 16)), "intrinsic gas");
            Assert.That(TransactionEncoder.Encode(tx), Is.EqualTo(raw), "re-encoding gives the input bytes");
        });
    }

    private static void ExpectRejected(byte[] raw, string fixtureException)
    {
        TransactionException? error = null;
        try
        {
            Transaction tx = TransactionDecoder.Decode(raw);
            TransactionValidator.Validate(tx, FixtureChainId);
        }
        catch (TransactionException e)
        {
            error = e;
        }

        Assert.That(error, Is.Not.Null, $"expected rejection ({fixtureException}) but the transaction was accepted");
        ExpectedRejection want = ExpectedRejection.From(fixtureException);
        Assert.That(error!.Error, Is.EqualTo(want.Error), $"{fixtureException}: got {error.Error} ({error.Message})");
        if (want.Field is not null)
        {
            Assert.That(error.Field, Is.EqualTo(want.Field), $"{fixtureException}: field");
        }

        if (want.Rlp is not null)
        {
            Assert.That(error.RlpError, Is.EqualTo(want.Rlp), $"{fixtureException}: RLP error");
        }
    }

    /// <summary>Our rejection reason for a fixture's <c>TransactionException.*</c> name.</summary>
    private sealed record ExpectedRejection(TxError Error, string? Field = null, RlpError? Rlp = null)
    {
        private static readonly Dictionary<string, string> Fields = new()
        {
            ["NONCE"] = "nonce", ["GASLIMIT"] = "gasLimit", ["GASPRICE"] = "gasPrice", ["VALUE"] = "value",
            ["V"] = "v", ["R"] = "r", ["S"] = "s", ["SIGNATURE_R"] = "r", ["SIGNATURE_S"] = "s", ["TO"] = "to", ["DATA"] = "data",
            ["BASEFEE"] = "maxFeePerGas", ["PRIORITY_FEE"] = "maxPriorityFeePerGas", ["PRIORITY"] = "maxPriorityFeePerGas",
        };

        public static ExpectedRejection From(string fixture)
        {
            string name = fixture.Replace("TransactionException.", "", StringComparison.Ordinal);
            switch (name)
            {
                case "INVALID_CHAINID": return new(TxError.InvalidChainId);
                case "INVALID_SIGNATURE_VRS": return new(TxError.InvalidSignature);
                case "EC_RECOVERY_FAIL": return new(TxError.RecoveryFailed);
                case "INTRINSIC_GAS_TOO_LOW": return new(TxError.IntrinsicGasTooLow);
                case "NONCE_TOO_BIG": return new(TxError.NonceTooBig);
                case "GASLIMIT_PRICE_PRODUCT_OVERFLOW": return new(TxError.GasLimitPriceProductOverflow);
                case "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2": return new(TxError.PriorityFeeGreaterThanMaxFee);
                case "INITCODE_SIZE_EXCEEDED": return new(TxError.InitCodeSizeExceeded);
                case "TYPE_NOT_SUPPORTED": return new(TxError.TypeNotSupported);
                case "ADDRESS_TOO_LONG" or "ADDRESS_TOO_SHORT": return new(TxError.InvalidAddressLength, "to");
                case "GASPRICE_OVERFLOW": return new(TxError.FieldOverflow, null, RlpError.IntegerTooLarge); // gasPrice or maxFeePerGas

                // A raw transaction wrapped in an RLP string: our envelope check names it as no envelope at all.
                case "RLP_INVALID_HEADER": return new(TxError.TypeNotSupported, "envelope");
                case "RLP_LEADING_ZEROS_NONCE_SIZE" or "RLP_LEADING_ZEROS_DATA_SIZE" or "RLP_ERROR_SIZE_LEADING_ZEROS":
                    return new(TxError.MalformedRlp);
            }

            if (name.StartsWith("RLP_INVALID_ACCESS_LIST", StringComparison.Ordinal))
            {
                return new(TxError.InvalidAccessList, "accessList");
            }

            if (name.StartsWith("RLP_LEADING_ZEROS_", StringComparison.Ordinal))
            {
                return new(TxError.MalformedRlp, Fields[name["RLP_LEADING_ZEROS_".Length..]], RlpError.LeadingZeroInInteger);
            }

            if (name.EndsWith("_OVERFLOW", StringComparison.Ordinal))
            {
                return new(TxError.FieldOverflow, Fields[name[..^"_OVERFLOW".Length]], RlpError.IntegerTooLarge);
            }

            if (name.StartsWith("RLP_INVALID_", StringComparison.Ordinal) && Fields.TryGetValue(name["RLP_INVALID_".Length..], out string? field))
            {
                return new(TxError.MalformedRlp, field, RlpError.ExpectedString);
            }

            // RLP_ERROR_SIZE, RLP_ERROR_EOF, RLP_INVALID_HEADER, RLP_TOO_FEW/MANY_ELEMENTS: the envelope is not well-formed RLP.
            if (name.StartsWith("RLP_", StringComparison.Ordinal))
            {
                return new(TxError.MalformedRlp);
            }

            throw new InvalidDataException($"no mapping for fixture exception {fixture}: add one");
        }
    }
}
