using System.Buffers;
using System.Text.Json;
using Cere.Chain.Rpc.Modules;
using Cere.Core.Blocks;

namespace Cere.Chain.Rpc.Subscriptions;

/// <summary>A block header in the shape of geth's newHeads notification (the block object without transactions, uncles or size).</summary>
public static class HeaderJson
{
    /// <summary>The header as UTF-8 JSON.</summary>
    public static byte[] Serialize(BlockHeader h)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter w = new(buffer))
        {
            w.WriteStartObject();
            ChainJson.WriteHeaderFields(w, h);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
