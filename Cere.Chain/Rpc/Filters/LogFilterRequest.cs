using System.Text.Json;
using Cere.Chain.Logs;
using Cere.Core;

namespace Cere.Chain.Rpc.Filters;

/// <summary>
/// The filter object of eth_getLogs / eth_newFilter / eth_subscribe("logs"): a block range or a block hash, one
/// address or a list, and positional topics (null: any; an array: any of them), as in ethereum/execution-apis.
/// </summary>
public sealed record LogFilterRequest(LogFilter Filter, BlockSelector? FromBlock, BlockSelector? ToBlock, Hash256? BlockHash)
{
    /// <summary>Most topic positions (LOG0..LOG4 carry at most four topics).</summary>
    public const int MaxTopicPositions = 4;

    /// <summary>Most addresses, and most alternatives in one topic position (geth's default log query limit).</summary>
    public const int MaxAlternatives = 1000;

    /// <summary>Parses argument <paramref name="index"/> of a call; a missing or null argument matches everything.</summary>
    /// <exception cref="RpcException">Invalid params (-32602) naming what is wrong.</exception>
    public static LogFilterRequest Parse(RpcParams args, int index)
    {
        if (!args.Has(index))
        {
            return new LogFilterRequest(LogFilter.Any, null, null, null);
        }

        JsonElement e = args[index];
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidArgument(index, "filter must be a JSON object");
        }

        BlockSelector? from = OptionalBlock(e, "fromBlock", index);
        BlockSelector? to = OptionalBlock(e, "toBlock", index);
        Hash256? blockHash = null;
        if (e.TryGetProperty("blockHash", out JsonElement h) && h.ValueKind != JsonValueKind.Null)
        {
            if (from is not null || to is not null)
            {
                throw RpcException.InvalidArgument(index, "cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other");
            }

            blockHash = ParseHash(h, index, "blockHash");
        }

        List<Address> addresses = ParseAddresses(e, index);
        List<IReadOnlyList<Hash256>?> topics = ParseTopics(e, index);
        return new LogFilterRequest(new LogFilter(addresses, topics), from, to, blockHash);
    }

    private static BlockSelector? OptionalBlock(JsonElement e, string name, int index)
    {
        if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            throw RpcException.InvalidArgument(index, $"{name} must be a block number or tag string");
        }

        return RpcParams.ParseBlockTag(v.GetString()!, index);
    }

    private static List<Address> ParseAddresses(JsonElement e, int index)
    {
        List<Address> result = [];
        if (!e.TryGetProperty("address", out JsonElement a) || a.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (a.ValueKind == JsonValueKind.String)
        {
            result.Add(ParseAddress(a.GetString()!, index, "address"));
            return result;
        }

        if (a.ValueKind != JsonValueKind.Array)
        {
            throw RpcException.InvalidArgument(index, "address must be an address string or an array of them");
        }

        if (a.GetArrayLength() > MaxAlternatives)
        {
            throw RpcException.InvalidArgument(index, $"exceed max addresses ({MaxAlternatives})");
        }

        int i = 0;
        foreach (JsonElement item in a.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw RpcException.InvalidArgument(index, $"invalid address at index {i}: not a string");
            }

            result.Add(ParseAddress(item.GetString()!, index, $"address at index {i}"));
            i++;
        }

        return result;
    }

    private static List<IReadOnlyList<Hash256>?> ParseTopics(JsonElement e, int index)
    {
        List<IReadOnlyList<Hash256>?> result = [];
        if (!e.TryGetProperty("topics", out JsonElement t) || t.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (t.ValueKind != JsonValueKind.Array)
        {
            throw RpcException.InvalidArgument(index, "topics must be an array");
        }

        if (t.GetArrayLength() > MaxTopicPositions)
        {
            throw RpcException.InvalidArgument(index, "exceed max topics");
        }

        foreach (JsonElement position in t.EnumerateArray())
        {
            switch (position.ValueKind)
            {
                case JsonValueKind.Null:
                    result.Add(null);
                    break;
                case JsonValueKind.String:
                    result.Add([ParseHash(position, index, "topic")]);
                    break;
                case JsonValueKind.Array:
                    if (position.GetArrayLength() > MaxAlternatives)
                    {
                        throw RpcException.InvalidArgument(index, $"exceed max topics per position ({MaxAlternatives})");
                    }

                    List<Hash256>? alternatives = [];
                    foreach (JsonElement alt in position.EnumerateArray())
                    {
                        if (alt.ValueKind == JsonValueKind.Null)
                        {
                            alternatives = null; // a null alternative matches anything (as geth reads it)
                            break;
                        }

                        alternatives.Add(ParseHash(alt, index, "topic"));
                    }

                    result.Add(alternatives);
                    break;
                default:
                    throw RpcException.InvalidArgument(index, "invalid topic(s)");
            }
        }

        return result;
    }

    private static Address ParseAddress(string s, int index, string what) =>
        Address.TryParse(s, out Address a, out string? error) ? a : throw RpcException.InvalidArgument(index, $"invalid {what}: {error}");

    private static Hash256 ParseHash(JsonElement v, int index, string what)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            throw RpcException.InvalidArgument(index, $"invalid {what}: not a hex string");
        }

        byte[] b = RpcParams.ParseData(v.GetString()!, index);
        return b.Length == Hash256.Size ? new Hash256(b) : throw RpcException.InvalidArgument(index, $"invalid {what}: hex string has length {b.Length * 2}, want 64");
    }
}
