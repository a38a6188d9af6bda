using System.Text.Json;

namespace Cere.Core.Chainspec;

/// <summary>
/// A genesis file in geth's <c>genesis.json</c> shape (<c>config.chainId</c>, <c>alloc</c>, <c>gasLimit</c>,
/// <c>baseFeePerGas</c>, <c>timestamp</c>, <c>extraData</c>, …) plus a <c>cere</c> section with the validator set,
/// so existing allocations and tools carry over.
/// </summary>
public sealed class Genesis
{
    /// <summary>The chain id from <c>config.chainId</c>.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The genesis timestamp, seconds since the Unix epoch.</summary>
    public ulong Timestamp { get; init; }

    /// <summary>The block gas limit of block 0.</summary>
    public ulong GasLimit { get; init; } = 30_000_000;

    /// <summary>The base fee of block 0, in wei (EIP-1559's initial value by default).</summary>
    public UInt256 BaseFeePerGas { get; init; } = 1_000_000_000UL;

    /// <summary>Block 0's extra data (at most 32 bytes).</summary>
    public byte[] ExtraData { get; init; } = [];

    /// <summary>Block 0's beneficiary.</summary>
    public Address Coinbase { get; init; }

    /// <summary>Block 0's mix hash.</summary>
    public Hash256 MixHash { get; init; }

    /// <summary>The pre-funded accounts, by address.</summary>
    public required IReadOnlyDictionary<Address, GenesisAccount> Alloc { get; init; }

    /// <summary>The genesis validator set (empty on a chain without one).</summary>
    public IReadOnlyList<GenesisValidator> Validators { get; init; } = [];

    /// <summary>Parses a genesis file.</summary>
    /// <exception cref="ChainspecException">A field is missing or malformed; the message names it.</exception>
    public static Genesis Parse(string json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("config", out JsonElement config) || !config.TryGetProperty("chainId", out JsonElement chainId))
            {
                throw new ChainspecException("genesis: config.chainId is required");
            }

            Dictionary<Address, GenesisAccount> alloc = [];
            if (root.TryGetProperty("alloc", out JsonElement allocJson))
            {
                foreach (JsonProperty entry in allocJson.EnumerateObject())
                {
                    alloc[ParseAddress(entry.Name, "alloc key")] = ParseAccount(entry.Name, entry.Value);
                }
            }

            List<GenesisValidator> validators = [];
            if (root.TryGetProperty("cere", out JsonElement cere) && cere.TryGetProperty("validators", out JsonElement vs))
            {
                foreach (JsonElement v in vs.EnumerateArray())
                {
                    validators.Add(new GenesisValidator(
                        ParseAddress(Str(v, "address", "cere.validators[].address"), "cere.validators[].address"),
                        Quantity(v.GetProperty("stake"), "cere.validators[].stake")));
                }
            }

            byte[] extra = root.TryGetProperty("extraData", out JsonElement ed) ? Hex.Decode(ed.GetString() ?? "") : [];
            if (extra.Length > 32)
            {
                throw new ChainspecException($"genesis: extraData is {extra.Length} bytes, at most 32");
            }

            return new Genesis
            {
                ChainId = (ulong)Quantity(chainId, "config.chainId"),
                Timestamp = root.TryGetProperty("timestamp", out JsonElement ts) ? (ulong)Quantity(ts, "timestamp") : 0,
                GasLimit = root.TryGetProperty("gasLimit", out JsonElement gl) ? (ulong)Quantity(gl, "gasLimit") : 30_000_000,
                BaseFeePerGas = root.TryGetProperty("baseFeePerGas", out JsonElement bf) ? Quantity(bf, "baseFeePerGas") : 1_000_000_000UL,
                ExtraData = extra,
                Coinbase = root.TryGetProperty("coinbase", out JsonElement cb) ? ParseAddress(cb.GetString() ?? "", "coinbase") : default,
                MixHash = root.TryGetProperty("mixHash", out JsonElement mh) ? Hash256.Parse(mh.GetString() ?? "") : default,
                Alloc = alloc,
                Validators = validators,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or OverflowException)
        {
            throw new ChainspecException($"genesis: {e.Message}", e);
        }
    }

    private static GenesisAccount ParseAccount(string address, JsonElement a)
    {
        Dictionary<UInt256, UInt256> storage = [];
        if (a.TryGetProperty("storage", out JsonElement s))
        {
            foreach (JsonProperty slot in s.EnumerateObject())
            {
                storage[UInt256.Parse(slot.Name)] = UInt256.Parse(slot.Value.GetString() ?? "0x0");
            }
        }

        return new GenesisAccount(
            a.TryGetProperty("balance", out JsonElement b) ? Quantity(b, $"alloc[{address}].balance") : UInt256.Zero,
            a.TryGetProperty("nonce", out JsonElement n) ? (ulong)Quantity(n, $"alloc[{address}].nonce") : 0,
            a.TryGetProperty("code", out JsonElement c) ? Hex.Decode(c.GetString() ?? "") : [],
            storage);
    }

    /// <summary>A quantity written as a JSON number, a decimal string or a 0x hex string (geth accepts all three).</summary>
    internal static UInt256 Quantity(JsonElement e, string field) => e.ValueKind switch
    {
        JsonValueKind.Number => e.TryGetUInt64(out ulong u) ? u : throw new ChainspecException($"{field}: a JSON number must fit 64 bits; write larger values as strings"),
        JsonValueKind.String => UInt256.TryParse(e.GetString(), out UInt256 v) ? v : throw new ChainspecException($"{field}: '{e.GetString()}' is not a number"),
        _ => throw new ChainspecException($"{field}: expected a number"),
    };

    private static string Str(JsonElement e, string name, string field) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ChainspecException($"{field} is required");

    private static Address ParseAddress(string text, string field) =>
        Address.TryParse(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text : "0x" + text, out Address a, out string? error)
            ? a
            : throw new ChainspecException($"{field}: {error}");
}
