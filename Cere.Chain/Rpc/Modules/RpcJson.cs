using System.Text.Json;
using Cere.Core;

namespace Cere.Chain.Rpc.Modules;

/// <summary>Writes the execution-apis value encodings: quantities (0x, no leading zeros) and data (0x, even length).</summary>
public static class RpcJson
{
    /// <summary>A quantity property.</summary>
    public static void Quantity(Utf8JsonWriter w, string name, ulong value)
    {
        w.WritePropertyName(name);
        Quantity(w, value);
    }

    /// <summary>A quantity value.</summary>
    public static void Quantity(Utf8JsonWriter w, ulong value)
    {
        Span<byte> buffer = stackalloc byte[18];
        buffer[0] = (byte)'0';
        buffer[1] = (byte)'x';
        int nibbles = value == 0 ? 1 : (67 - (int)ulong.LeadingZeroCount(value)) >> 2;
        for (int i = 0; i < nibbles; i++)
        {
            int n = (int)((value >> ((nibbles - 1 - i) * 4)) & 0xF);
            buffer[2 + i] = (byte)(n < 10 ? '0' + n : 'a' + n - 10);
        }

        w.WriteStringValue(buffer[..(2 + nibbles)]);
    }

    /// <summary>A 256-bit quantity property.</summary>
    public static void Quantity(Utf8JsonWriter w, string name, in UInt256 value) => w.WriteString(name, value.ToHexQuantity());

    /// <summary>A data property.</summary>
    public static void Data(Utf8JsonWriter w, string name, ReadOnlySpan<byte> bytes) => w.WriteString(name, Hex.Encode(bytes));

    /// <summary>A hash property.</summary>
    public static void Hash(Utf8JsonWriter w, string name, in Hash256 hash) => w.WriteString(name, Hex.Encode(hash.Bytes));

    /// <summary>An address property (lower case, as geth returns addresses).</summary>
    public static void Address(Utf8JsonWriter w, string name, in Address address) => w.WriteString(name, Hex.Encode(address.Bytes));
}
