using System.Globalization;
using System.Text.Json;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Vm.StateTests;

/// <summary>Reads GeneralStateTests fixture files (each parsed once) into runnable entries for one fork.</summary>
public static class StateTestLoader
{
    /// <summary>Every entry of <paramref name="fork"/> in the file at <paramref name="path"/>; <paramref name="displayPath"/> names it.</summary>
    /// <exception cref="InvalidDataException">The file is not a state-test fixture.</exception>
    public static List<StateTestCase> Load(string path, string displayPath, string fork = "Cancun")
    {
        List<StateTestCase> cases = new();
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{displayPath}: a state test file is a JSON object of tests");
        }

        foreach (JsonProperty test in doc.RootElement.EnumerateObject())
        {
            JsonElement t = test.Value;
            if (!t.TryGetProperty("post", out JsonElement post) || !post.TryGetProperty(fork, out JsonElement entries))
            {
                continue;
            }

            StateTestPre pre = ParsePre(t, displayPath);
            int index = 0;
            foreach (JsonElement e in entries.EnumerateArray())
            {
                JsonElement ix = e.GetProperty("indexes");
                cases.Add(new StateTestCase
                {
                    File = displayPath,
                    Name = test.Name,
                    Fork = fork,
                    Index = index++,
                    Indexes = (ix.GetProperty("data").GetInt32(), ix.GetProperty("gas").GetInt32(), ix.GetProperty("value").GetInt32()),
                    Pre = pre,
                    TxBytes = e.TryGetProperty("txbytes", out JsonElement tb) ? Hex.Decode(tb.GetString()!) : throw new InvalidDataException($"{displayPath} {test.Name}: entry without txbytes"),
                    ExpectedRoot = Hash256.Parse(e.GetProperty("hash").GetString()!),
                    ExpectedLogs = Hash256.Parse(e.GetProperty("logs").GetString()!),
                    ExpectException = e.TryGetProperty("expectException", out JsonElement ex) ? ex.GetString() : null,
                });
            }
        }

        return cases;
    }

    private static StateTestPre ParsePre(JsonElement t, string file)
    {
        var accounts = new List<(Address, UInt256, ulong, byte[], List<(UInt256, UInt256)>)>();
        foreach (JsonProperty a in t.GetProperty("pre").EnumerateObject())
        {
            List<(UInt256, UInt256)> storage = new();
            foreach (JsonProperty s in a.Value.GetProperty("storage").EnumerateObject())
            {
                storage.Add((UInt256.Parse(s.Name), UInt256.Parse(s.Value.GetString()!)));
            }

            accounts.Add((
                Address.Parse(a.Name),
                UInt256.Parse(a.Value.GetProperty("balance").GetString()!),
                (ulong)UInt256.Parse(a.Value.GetProperty("nonce").GetString()!),
                Hex.Decode(a.Value.GetProperty("code").GetString()!),
                storage));
        }

        JsonElement env = t.GetProperty("env");
        ulong excess = env.TryGetProperty("currentExcessBlobGas", out JsonElement eb) ? (ulong)UInt256.Parse(eb.GetString()!) : 0;
        UInt256 gasLimit = UInt256.Parse(env.GetProperty("currentGasLimit").GetString()!);
        BlockEnvironment block = new()
        {
            Coinbase = Address.Parse(env.GetProperty("currentCoinbase").GetString()!),
            Number = (long)(ulong)UInt256.Parse(env.GetProperty("currentNumber").GetString()!),
            Timestamp = (ulong)UInt256.Parse(env.GetProperty("currentTimestamp").GetString()!),
            GasLimit = gasLimit.FitsInUInt64 && gasLimit.U0 <= long.MaxValue ? (long)gasLimit.U0 : long.MaxValue,
            BaseFee = env.TryGetProperty("currentBaseFee", out JsonElement bf) ? UInt256.Parse(bf.GetString()!) : UInt256.Zero,
            PrevRandao = env.TryGetProperty("currentRandom", out JsonElement rnd) ? new Hash256(new UInt256(Hex.Decode(rnd.GetString()!)).ToBigEndian32()) : default,
            BlobBaseFee = BlockEnvironment.BlobBaseFeeFor(excess),
            ChainId = 1,

            // The hash the Ethereum test tools give block n: Keccak-256 of n written in decimal.
            BlockHashes = n => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture))),
        };
        _ = file;
        return new StateTestPre { Accounts = accounts, Block = block };
    }

    private static byte[] ToBigEndian32(this UInt256 v)
    {
        byte[] b = new byte[32];
        v.WriteBigEndian(b);
        return b;
    }
}
