using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Transactions;

namespace Cere.Chain.Tests.Network.Faults;

/// <summary>The few JSON-RPC calls the network tests make against a running node, errors raised as assertion failures.</summary>
public sealed class NodeRpc(Uri url)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>The node's JSON-RPC URL.</summary>
    public Uri Url { get; } = url;

    /// <summary>The head's number (in this chain every block is final once it is there).</summary>
    public async Task<ulong> HeadAsync() => Quantity((await CallAsync("eth_blockNumber")).GetValue<string>());

    /// <summary>Block <paramref name="number"/> without transactions, or null.</summary>
    public Task<JsonNode?> BlockAsync(ulong number) => TryCallAsync("eth_getBlockByNumber", Hex(number), false);

    /// <summary>The hashes of blocks 0..<paramref name="last"/> in one batch; a missing block is an assertion failure.</summary>
    public async Task<string[]> BlockHashesAsync(ulong last)
    {
        JsonArray batch = [];
        for (ulong n = 0; n <= last; n++)
        {
            batch.Add(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = (long)n, ["method"] = "eth_getBlockByNumber", ["params"] = new JsonArray(Hex(n), false) });
        }

        using HttpResponseMessage response = await Http.PostAsJsonAsync(Url, batch);
        JsonArray answers = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        string[] hashes = new string[last + 1];
        foreach (JsonNode? a in answers)
        {
            long id = a!["id"]!.GetValue<long>();
            hashes[id] = a["result"]?["hash"]?.GetValue<string>() ?? throw new AssertionException($"{Url} has no block {id}: {a.ToJsonString()}");
        }

        return hashes;
    }

    /// <summary>Sends 1000 wei from <paramref name="from"/> to <paramref name="to"/>; returns the transaction hash.</summary>
    public async Task<string> SendTransferAsync(PrivateKey from, Address to, ulong nonce, ulong chainId)
    {
        Transaction tx = DevChainFixture.Transfer1559(from, to, nonce, new UInt256(1000), tipGwei: 1, maxFeeGwei: 3, chainId: chainId);
        return (await CallAsync("eth_sendRawTransaction", "0x" + Convert.ToHexStringLower(TransactionEncoder.Encode(tx)))).GetValue<string>();
    }

    /// <summary>The receipt's status, or null while the transaction is not in a block.</summary>
    public async Task<string?> ReceiptStatusAsync(string hash) =>
        (await TryCallAsync("eth_getTransactionReceipt", hash))?["status"]?.GetValue<string>();

    /// <summary>The balance of <paramref name="account"/> at the head, as a hex quantity.</summary>
    public async Task<string> BalanceAsync(Address account) => (await CallAsync("eth_getBalance", account.ToString(), "latest")).GetValue<string>();

    /// <summary>Parses a hex quantity.</summary>
    public static ulong Quantity(string hex) => ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Hex(ulong n) => "0x" + n.ToString("x", CultureInfo.InvariantCulture);

    private async Task<JsonNode> CallAsync(string method, params object[] parameters) =>
        await TryCallAsync(method, parameters) ?? throw new AssertionException($"{method} at {Url} returned null");

    private async Task<JsonNode?> TryCallAsync(string method, params object[] parameters)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync(Url, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (body["error"] is JsonNode error)
        {
            throw new AssertionException($"{method} at {Url}: {error.ToJsonString()}");
        }

        return body["result"];
    }
}
