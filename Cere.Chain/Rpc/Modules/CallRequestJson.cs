using System.Text.Json;
using Cere.Core;
using Cere.Core.Transactions;
using Cere.Vm;

namespace Cere.Chain.Rpc.Modules;

/// <summary>
/// Reads the execution-apis GenericTransaction object of eth_call, eth_estimateGas and eth_createAccessList into a
/// <see cref="CallRequest"/>, with geth's checks; every bad field is an invalid-params error naming the field.
/// </summary>
public static class CallRequestJson
{
    /// <summary>Parses argument <paramref name="index"/> of <paramref name="args"/>.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="index">Which argument holds the object.</param>
    /// <param name="chainId">The node's chain id (a given chainId must match it).</param>
    /// <exception cref="RpcException">A missing or malformed object or field.</exception>
    public static CallRequest Parse(RpcParams args, int index, ulong chainId)
    {
        if (index >= args.Count)
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, $"missing value for required argument {index}");
        }

        JsonElement o = args[index];
        if (o.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidArgument(index, "expected a transaction call object");
        }

        byte[]? data = Data(o, "data", index);
        byte[]? input = Data(o, "input", index);
        if (data is not null && input is not null && !data.AsSpan().SequenceEqual(input))
        {
            throw RpcException.InvalidArgument(index, "both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass transaction call data");
        }

        UInt256? gasPrice = Quantity(o, "gasPrice", index);
        UInt256? maxFee = Quantity(o, "maxFeePerGas", index);
        UInt256? maxTip = Quantity(o, "maxPriorityFeePerGas", index);
        if (gasPrice is not null && (maxFee is not null || maxTip is not null))
        {
            throw RpcException.InvalidArgument(index, "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
        }

        if (maxFee is UInt256 fee && maxTip is UInt256 tip && fee < tip)
        {
            throw RpcException.InvalidArgument(index, $"maxFeePerGas ({fee}) < maxPriorityFeePerGas ({tip})");
        }

        if (Quantity(o, "chainId", index) is UInt256 id && id != new UInt256(chainId))
        {
            throw RpcException.InvalidArgument(index, $"chainId does not match node's (have={id}, want={chainId})");
        }

        // geth accepts the nonce and then skips nonce checks for calls; it is validated and otherwise unused.
        _ = UInt64(o, "nonce", index);
        return new CallRequest
        {
            From = AddressField(o, "from", index) ?? Address.Zero,
            To = AddressField(o, "to", index),
            Gas = UInt64(o, "gas", index),
            GasPrice = gasPrice,
            MaxFeePerGas = maxFee,
            MaxPriorityFeePerGas = maxTip,
            Value = Quantity(o, "value", index) ?? UInt256.Zero,
            Data = input ?? data ?? [],
            AccessList = AccessList(o, index),
        };
    }

    /// <summary>An optional quantity field (null when absent or JSON null).</summary>
    public static UInt256? Quantity(JsonElement o, string field, int index)
    {
        if (!o.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            throw RpcException.InvalidArgument(index, $"{field}: expected a 0x-prefixed hex quantity string");
        }

        try
        {
            return RpcParams.ParseQuantityText(e.GetString()!, index);
        }
        catch (RpcException x)
        {
            throw Named(x, field, index);
        }
    }

    /// <summary>An optional quantity field that must fit 64 bits.</summary>
    public static ulong? UInt64(JsonElement o, string field, int index)
    {
        UInt256? v = Quantity(o, field, index);
        if (v is null)
        {
            return null;
        }

        return v.Value.FitsInUInt64 ? v.Value.U0 : throw RpcException.InvalidArgument(index, $"{field}: hex number > 64 bits");
    }

    /// <summary>An optional data field.</summary>
    public static byte[]? Data(JsonElement o, string field, int index)
    {
        if (!o.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            throw RpcException.InvalidArgument(index, $"{field}: expected a 0x-prefixed hex string");
        }

        try
        {
            return RpcParams.ParseData(e.GetString()!, index);
        }
        catch (RpcException x)
        {
            throw Named(x, field, index);
        }
    }

    /// <summary>An optional 32-byte field.</summary>
    public static Hash256? Hash(JsonElement o, string field, int index)
    {
        byte[]? b = Data(o, field, index);
        if (b is null)
        {
            return null;
        }

        return b.Length == Hash256.Size ? new Hash256(b) : throw RpcException.InvalidArgument(index, $"{field}: hex string has length {b.Length * 2}, want 64");
    }

    /// <summary>An optional address field.</summary>
    public static Address? AddressField(JsonElement o, string field, int index)
    {
        if (!o.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return ParseAddress(e, field, index);
    }

    /// <summary>A 20-byte address value.</summary>
    public static Address ParseAddress(JsonElement e, string field, int index)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            throw RpcException.InvalidArgument(index, $"{field}: expected a 0x-prefixed address string");
        }

        return Address.TryParse(e.GetString()!, out Address a, out string? error) ? a : throw RpcException.InvalidArgument(index, $"{field}: {error}");
    }

    private static AccessListEntry[] AccessList(JsonElement o, int index)
    {
        if (!o.TryGetProperty("accessList", out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw RpcException.InvalidArgument(index, "accessList: expected an array");
        }

        AccessListEntry[] entries = new AccessListEntry[list.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in list.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("address", out JsonElement a))
            {
                throw RpcException.InvalidArgument(index, $"accessList[{i}]: expected an object with an address");
            }

            Address address = ParseAddress(a, $"accessList[{i}].address", index);
            Hash256[] keys = [];
            if (e.TryGetProperty("storageKeys", out JsonElement ks) && ks.ValueKind != JsonValueKind.Null)
            {
                if (ks.ValueKind != JsonValueKind.Array)
                {
                    throw RpcException.InvalidArgument(index, $"accessList[{i}].storageKeys: expected an array");
                }

                keys = new Hash256[ks.GetArrayLength()];
                int j = 0;
                foreach (JsonElement k in ks.EnumerateArray())
                {
                    byte[] b = k.ValueKind == JsonValueKind.String
                        ? Named(() => RpcParams.ParseData(k.GetString()!, index), $"accessList[{i}].storageKeys[{j}]", index)
                        : throw RpcException.InvalidArgument(index, $"accessList[{i}].storageKeys[{j}]: expected a 0x-prefixed hex string");
                    keys[j++] = b.Length == Hash256.Size ? new Hash256(b) : throw RpcException.InvalidArgument(index, $"accessList[{i}].storageKeys[{j - 1}]: hex string has length {b.Length * 2}, want 64");
                }
            }

            entries[i++] = new AccessListEntry(address, keys);
        }

        return entries;
    }

    private static byte[] Named(Func<byte[]> parse, string field, int index)
    {
        try
        {
            return parse();
        }
        catch (RpcException x)
        {
            throw Named(x, field, index);
        }
    }

    // "invalid argument 0: hex string without 0x prefix" → "invalid argument 0: from: hex string without 0x prefix".
    private static RpcException Named(RpcException x, string field, int index)
    {
        string prefix = $"invalid argument {index}: ";
        string detail = x.Message.StartsWith(prefix, StringComparison.Ordinal) ? x.Message[prefix.Length..] : x.Message;
        return RpcException.InvalidArgument(index, $"{field}: {detail}");
    }
}
