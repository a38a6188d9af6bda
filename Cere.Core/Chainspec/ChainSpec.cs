using System.Text.Json;

namespace Cere.Core.Chainspec;

/// <summary>
/// The rules of one chain that are not in genesis: chain id, block time, gas and fee rules, consensus timing,
/// epoch length and bootnodes. Every value documents its unit.
/// </summary>
public sealed record ChainSpec
{
    /// <summary>The EIP-155 chain id (must equal the genesis file's).</summary>
    public required ulong ChainId { get; init; }

    /// <summary>A human name for logs.</summary>
    public string Name { get; init; } = "cere";

    /// <summary>Target time between blocks, in milliseconds.</summary>
    public int BlockTimeMs { get; init; } = 1000;

    /// <summary>EIP-1559 elasticity multiplier (gas target = gas limit / this).</summary>
    public ulong ElasticityMultiplier { get; init; } = 2;

    /// <summary>EIP-1559 base-fee change denominator (at most 1/8 change per block).</summary>
    public ulong BaseFeeChangeDenominator { get; init; } = 8;

    /// <summary>Blocks per validator-set epoch; validator-set changes take effect at epoch boundaries.</summary>
    public ulong EpochLength { get; init; } = 1000;

    /// <summary>Propose timeout of round 0, in milliseconds; each later round adds <see cref="TimeoutDeltaMs"/>.</summary>
    public int ProposeTimeoutMs { get; init; } = 1000;

    /// <summary>Prevote and precommit timeouts of round 0, in milliseconds.</summary>
    public int VoteTimeoutMs { get; init; } = 500;

    /// <summary>Timeout growth per round, in milliseconds.</summary>
    public int TimeoutDeltaMs { get; init; } = 500;

    /// <summary>libp2p multiaddrs to dial at start.</summary>
    public IReadOnlyList<string> Bootnodes { get; init; } = [];

    /// <summary>Parses a chain-spec file.</summary>
    /// <exception cref="ChainspecException">A field is missing or malformed.</exception>
    public static ChainSpec Parse(string json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement r = doc.RootElement;
            if (!r.TryGetProperty("chainId", out JsonElement chainId))
            {
                throw new ChainspecException("chainspec: chainId is required");
            }

            List<string> bootnodes = [];
            if (r.TryGetProperty("bootnodes", out JsonElement b))
            {
                foreach (JsonElement n in b.EnumerateArray())
                {
                    bootnodes.Add(n.GetString() ?? throw new ChainspecException("chainspec: bootnodes[] must be strings"));
                }
            }

            ChainSpec d = new() { ChainId = 0 };
            return new ChainSpec
            {
                ChainId = (ulong)Genesis.Quantity(chainId, "chainId"),
                Name = r.TryGetProperty("name", out JsonElement name) ? name.GetString() ?? d.Name : d.Name,
                BlockTimeMs = Int(r, "blockTimeMs", d.BlockTimeMs),
                ElasticityMultiplier = (ulong)Int(r, "elasticityMultiplier", (int)d.ElasticityMultiplier),
                BaseFeeChangeDenominator = (ulong)Int(r, "baseFeeChangeDenominator", (int)d.BaseFeeChangeDenominator),
                EpochLength = (ulong)Int(r, "epochLength", (int)d.EpochLength),
                ProposeTimeoutMs = Int(r, "proposeTimeoutMs", d.ProposeTimeoutMs),
                VoteTimeoutMs = Int(r, "voteTimeoutMs", d.VoteTimeoutMs),
                TimeoutDeltaMs = Int(r, "timeoutDeltaMs", d.TimeoutDeltaMs),
                Bootnodes = bootnodes,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            throw new ChainspecException($"chainspec: {e.Message}", e);
        }
    }

    private static int Int(JsonElement r, string name, int fallback)
    {
        if (!r.TryGetProperty(name, out JsonElement v))
        {
            return fallback;
        }

        return v.TryGetInt32(out int i) && i > 0 ? i : throw new ChainspecException($"chainspec: {name} must be a positive integer");
    }
}
