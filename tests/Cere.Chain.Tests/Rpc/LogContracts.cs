using System.Net.Http;
using System.Text;
using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Node;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// Hand-assembled contracts that emit logs, and a dev node to run them on. Contract (n, r) emits LOGn r times per
/// call: topic i is calldata word i, the data is the calldata after the n topic words.
/// </summary>
public static class LogContracts
{
    /// <summary>Init code deploying the (topics, repeat) emitter.</summary>
    public static byte[] InitCode(int topics, int repeat)
    {
        List<byte> rt = [];
        byte dataStart = (byte)(32 * topics);

        // CALLDATACOPY(dest 0, offset 32n, size CALLDATASIZE - 32n)
        rt.AddRange([0x60, dataStart, 0x36, 0x03, 0x60, dataStart, 0x60, 0x00, 0x37]);
        for (int k = 0; k < repeat; k++)
        {
            for (int i = topics - 1; i >= 0; i--)
            {
                rt.AddRange([0x60, (byte)(32 * i), 0x35]); // CALLDATALOAD(32i)
            }

            rt.AddRange([0x60, dataStart, 0x36, 0x03, 0x60, 0x00, (byte)(0xa0 + topics)]); // LOGn(offset 0, size)
        }

        rt.Add(0x00);
        byte len = checked((byte)rt.Count);
        List<byte> init = [0x60, len, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, len, 0x60, 0x00, 0xf3];
        init.AddRange(rt);
        return [.. init];
    }

    /// <summary>Calldata for an emitter: the topic words then the data.</summary>
    public static byte[] CallData(IReadOnlyList<Hash256> topics, byte[] data)
    {
        byte[] b = new byte[(32 * topics.Count) + data.Length];
        for (int i = 0; i < topics.Count; i++)
        {
            topics[i].CopyTo(b.AsSpan(32 * i));
        }

        data.CopyTo(b.AsSpan(32 * topics.Count));
        return b;
    }

    /// <summary>A signed EIP-1559 transaction (a create when <paramref name="to"/> is null).</summary>
    public static Transaction Tx(PrivateKey from, ulong nonce, Address? to, byte[] data, ulong gas = 300_000) =>
        TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = 4242,
            Nonce = nonce,
            MaxPriorityFeePerGas = new UInt256(1_000_000_000UL),
            MaxFeePerGas = new UInt256(10_000_000_000UL),
            GasPrice = new UInt256(10_000_000_000UL),
            GasLimit = gas,
            To = to,
            Data = data,
        }, from);

    /// <summary>A dev node on <paramref name="db"/> with RPC on a free port, sealing only when told.</summary>
    public static async Task<DevNode> StartNodeAsync(IKeyValueStore db)
    {
        DevNode node = DevNode.Create(new NodeOptions { DataDir = "unused", RpcPort = 0, DevPeriodSeconds = 3600 }, db, TextWriter.Null);
        await node.StartAsync(TextWriter.Null, CancellationToken.None);
        return node;
    }

    /// <summary>Adds a transaction to the node's pool against the head state.</summary>
    public static void Submit(DevNode node, Transaction tx) => node.Pool.Add(tx, node.Chain.OpenState(node.Chain.Head.StateRoot));

    /// <summary>A JSON-RPC call over HTTP; returns the whole response object.</summary>
    public static async Task<JsonElement> CallAsync(HttpClient http, Uri url, string method, string paramsJson)
    {
        string body = $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""";
        HttpResponseMessage r = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Every log of canonical blocks <paramref name="from"/>..<paramref name="to"/>, read straight from the stored receipts.</summary>
    public static List<StoredLog> AllLogs(Blockchain chain, ulong from, ulong to)
    {
        List<StoredLog> all = [];
        for (ulong n = from; n <= to; n++)
        {
            Hash256 hash = chain.Blocks.ReadCanonicalHash(n)!.Value;
            Core.Blocks.Block block = chain.Blocks.ReadBlock(hash)!;
            Receipt[] receipts = chain.Blocks.ReadReceipts(hash)!;
            int logIndex = 0;
            for (int t = 0; t < receipts.Length; t++)
            {
                foreach (LogEntry log in receipts[t].Logs)
                {
                    all.Add(new StoredLog(n, hash, block.Transactions[t].Hash, t, logIndex++, log));
                }
            }
        }

        return all;
    }

    /// <summary>The JSON-RPC form of a stored log, as the tests expect it back.</summary>
    public static string Describe(StoredLog l) =>
        $"{l.Number}/{l.LogIndex} tx={l.TxHash} txIndex={l.TxIndex} block={l.BlockHash} address={l.Log.Address} topics=[{string.Join(",", l.Log.Topics.Select(t => t.ToString()))}] data={Hex.Encode(l.Log.Data)}";

    /// <summary>The same description from a log object of an RPC answer.</summary>
    public static string Describe(JsonElement log)
    {
        Assert.That(log.GetProperty("removed").GetBoolean(), Is.False);
        ulong number = Convert.ToUInt64(log.GetProperty("blockNumber").GetString()![2..], 16);
        ulong logIndex = Convert.ToUInt64(log.GetProperty("logIndex").GetString()![2..], 16);
        ulong txIndex = Convert.ToUInt64(log.GetProperty("transactionIndex").GetString()![2..], 16);
        string topics = string.Join(",", log.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        return $"{number}/{logIndex} tx={log.GetProperty("transactionHash").GetString()} txIndex={txIndex} block={log.GetProperty("blockHash").GetString()} address={log.GetProperty("address").GetString()} topics=[{topics}] data={log.GetProperty("data").GetString()}";
    }
}

/// <summary>A log as stored in a block's receipts, with its position.</summary>
public sealed record StoredLog(ulong Number, Hash256 BlockHash, Hash256 TxHash, int TxIndex, int LogIndex, LogEntry Log);
