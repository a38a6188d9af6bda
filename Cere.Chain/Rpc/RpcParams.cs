using System.Text.Json;
using Cere.Core;

namespace Cere.Chain.Rpc;

/// <summary>
/// Positional parameters of a call, read with the Ethereum encodings (0x quantities without leading zeros,
/// 0x data, 20-byte addresses, 32-byte hashes, block tags). Each bad value is an invalid-params error that
/// names the argument, as geth reports it.
/// </summary>
public readonly struct RpcParams
{
    private readonly JsonElement _array;

    /// <summary>Wraps the "params" member (absent, null or an array).</summary>
    /// <exception cref="RpcException">params is present but not an array.</exception>
    public RpcParams(JsonElement? parameters)
    {
        if (parameters is JsonElement p && p.ValueKind == JsonValueKind.Array)
        {
            _array = p;
            Count = p.GetArrayLength();
        }
        else if (parameters is null || parameters.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            Count = 0;
        }
        else
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, "non-array args");
        }
    }

    /// <summary>How many positional arguments were given.</summary>
    public int Count { get; }

    /// <summary>The raw argument at <paramref name="index"/>.</summary>
    public JsonElement this[int index] => _array[index];

    /// <summary>True when argument <paramref name="index"/> was given and is not null.</summary>
    public bool Has(int index) => index < Count && _array[index].ValueKind != JsonValueKind.Null;

    /// <summary>Fails unless between <paramref name="min"/> and <paramref name="max"/> arguments were given.</summary>
    public void ExpectCount(int min, int max)
    {
        if (Count < min)
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, $"missing value for required argument {Count}");
        }

        if (Count > max)
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, $"too many arguments, want at most {max}");
        }
    }

    /// <summary>A 0x quantity that fits 64 bits.</summary>
    public ulong GetUInt64(int index)
    {
        UInt256 v = GetQuantity(index);
        return v.FitsInUInt64 ? v.U0 : throw RpcException.InvalidArgument(index, "hex number > 64 bits");
    }

    /// <summary>A 0x quantity of up to 256 bits.</summary>
    public UInt256 GetQuantity(int index) => ParseQuantity(Required(index), index);

    /// <summary>A 20-byte address.</summary>
    public Address GetAddress(int index)
    {
        string s = RequiredString(index);
        if (!Address.TryParse(s, out Address a, out string? error))
        {
            throw RpcException.InvalidArgument(index, error);
        }

        return a;
    }

    /// <summary>A 32-byte hash.</summary>
    public Hash256 GetHash(int index)
    {
        byte[] b = ParseData(RequiredString(index), index);
        return b.Length == Hash256.Size ? new Hash256(b) : throw RpcException.InvalidArgument(index, $"hex string has length {b.Length * 2}, want 64 for common.Hash");
    }

    /// <summary>0x data of any length.</summary>
    public byte[] GetData(int index) => ParseData(RequiredString(index), index);

    /// <summary>A boolean, or <paramref name="fallback"/> when absent.</summary>
    public bool GetBool(int index, bool fallback)
    {
        if (!Has(index))
        {
            return fallback;
        }

        JsonElement e = _array[index];
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw RpcException.InvalidArgument(index, "expected a boolean"),
        };
    }

    /// <summary>A block tag, number, or EIP-1898 object; <paramref name="fallback"/> when absent.</summary>
    public BlockSelector GetBlock(int index, BlockSelector fallback)
    {
        if (!Has(index))
        {
            return fallback;
        }

        JsonElement e = _array[index];
        if (e.ValueKind == JsonValueKind.String)
        {
            // execution-apis BlockNumberOrTagOrHash (geth's rpc.BlockNumberOrHash): a 32-byte hex string is a block hash.
            string text = e.GetString()!;
            return text.Length == 2 + (2 * Hash256.Size) ? BlockSelector.ByHash(new Hash256(ParseData(text, index)), false) : ParseBlockTag(text, index);
        }

        if (e.ValueKind == JsonValueKind.Object)
        {
            // EIP-1898: {"blockNumber": "0x…"} or {"blockHash": "0x…", "requireCanonical": bool}.
            bool hasNumber = e.TryGetProperty("blockNumber", out JsonElement n);
            bool hasHash = e.TryGetProperty("blockHash", out JsonElement h);
            if (hasNumber == hasHash)
            {
                throw RpcException.InvalidArgument(index, "types of blockNumber and blockHash must be exactly one");
            }

            if (hasNumber)
            {
                return ParseBlockTag(n.ValueKind == JsonValueKind.String ? n.GetString()! : throw RpcException.InvalidArgument(index, "blockNumber must be a string"), index);
            }

            bool canonical = e.TryGetProperty("requireCanonical", out JsonElement c) && c.ValueKind == JsonValueKind.True;
            byte[] hash = ParseData(h.ValueKind == JsonValueKind.String ? h.GetString()! : "", index);
            if (hash.Length != Hash256.Size)
            {
                throw RpcException.InvalidArgument(index, "blockHash must be 32 bytes");
            }

            return BlockSelector.ByHash(new Hash256(hash), canonical);
        }

        throw RpcException.InvalidArgument(index, "expected a block number, tag or EIP-1898 object");
    }

    /// <summary>Parses a block tag or a 0x block number.</summary>
    public static BlockSelector ParseBlockTag(string tag, int index) => tag switch
    {
        "latest" => BlockSelector.Latest,
        "pending" => new BlockSelector(BlockSelectorKind.Pending),
        "safe" => new BlockSelector(BlockSelectorKind.Safe),
        "finalized" => new BlockSelector(BlockSelectorKind.Finalized),
        "earliest" => new BlockSelector(BlockSelectorKind.Earliest),
        _ => BlockSelector.ByNumber(ParseQuantityText(tag, index) is { FitsInUInt64: true } q ? q.U0 : throw RpcException.InvalidArgument(index, "block number > 64 bits")),
    };

    /// <summary>Parses a JSON quantity (a 0x string without leading zeros).</summary>
    public static UInt256 ParseQuantity(JsonElement e, int index) =>
        e.ValueKind == JsonValueKind.String ? ParseQuantityText(e.GetString()!, index) : throw RpcException.InvalidArgument(index, "json: cannot unmarshal non-string into Go value of type hexutil.Big");

    /// <summary>Parses quantity text ("0x0", "0x1a"; not "0x", "0x01" or "12").</summary>
    public static UInt256 ParseQuantityText(string s, int index)
    {
        if (!s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw RpcException.InvalidArgument(index, "hex string without 0x prefix");
        }

        ReadOnlySpan<char> digits = s.AsSpan(2);
        if (digits.IsEmpty)
        {
            throw RpcException.InvalidArgument(index, "hex string \"0x\"");
        }

        if (digits.Length > 1 && digits[0] == '0')
        {
            throw RpcException.InvalidArgument(index, "hex number with leading zero digits");
        }

        if (digits.Length > 64)
        {
            throw RpcException.InvalidArgument(index, "hex number > 256 bits");
        }

        foreach (char c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                throw RpcException.InvalidArgument(index, "invalid hex string");
            }
        }

        return UInt256.Parse(s);
    }

    /// <summary>Parses 0x data with an even number of digits.</summary>
    public static byte[] ParseData(string s, int index)
    {
        if (!s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw RpcException.InvalidArgument(index, "hex string without 0x prefix");
        }

        if (s.Length % 2 == 1)
        {
            throw RpcException.InvalidArgument(index, "hex string of odd length");
        }

        try
        {
            return Convert.FromHexString(s.AsSpan(2));
        }
        catch (FormatException)
        {
            throw RpcException.InvalidArgument(index, "invalid hex string");
        }
    }

    private JsonElement Required(int index)
    {
        if (index >= Count)
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, $"missing value for required argument {index}");
        }

        return _array[index];
    }

    private string RequiredString(int index)
    {
        JsonElement e = Required(index);
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw RpcException.InvalidArgument(index, "expected a 0x-prefixed hex string");
    }
}
