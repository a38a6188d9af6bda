using System.Text.Json;
using Cere.Chain.Logs;
using Cere.Chain.Rpc.Modules;
using Cere.Core;

namespace Cere.Chain.Rpc.Filters;

/// <summary>Log objects in the execution-apis shape, <c>removed</c> included (true for logs of a dropped block).</summary>
public static class LogJson
{
    /// <summary>One log object.</summary>
    public static void Write(Utf8JsonWriter w, in MatchedLog m)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        RpcJson.Address(w, "address", m.Log.Address);
        w.WritePropertyName("topics"u8);
        w.WriteStartArray();
        foreach (Hash256 t in m.Log.Topics)
        {
            w.WriteStringValue(Hex.Encode(t.Bytes));
        }

        w.WriteEndArray();
        RpcJson.Data(w, "data", m.Log.Data);
        RpcJson.Quantity(w, "blockNumber", m.Header.Number);
        RpcJson.Hash(w, "transactionHash", m.TransactionHash);
        RpcJson.Quantity(w, "transactionIndex", (ulong)m.TransactionIndex);
        RpcJson.Hash(w, "blockHash", m.Header.Hash);
        RpcJson.Quantity(w, "logIndex", (ulong)m.LogIndex);
        w.WriteBoolean("removed"u8, m.Removed);
        w.WriteEndObject();
    }

    /// <summary>An array of log objects.</summary>
    public static void WriteArray(Utf8JsonWriter w, List<MatchedLog> logs)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(logs);
        w.WriteStartArray();
        foreach (MatchedLog m in logs)
        {
            Write(w, m);
        }

        w.WriteEndArray();
    }
}
