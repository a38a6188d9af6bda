using System.Net;
using System.Net.WebSockets;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nethereum.Model;
using Nethereum.Signer;

namespace Cere.Chain.Tests.E2e;

/// <summary>
/// Bad input over real HTTP and WebSocket against the running <c>cere-node --dev</c> binary: malformed JSON, unknown
/// methods, wrong parameter types, oversized bodies and batches, garbage and foreign-chain raw transactions each get
/// their specific error; afterwards the node still serves and its head and state are exactly as before.
/// (The in-process versions are in tests/Cere.Chain.Tests/Rpc; this is the same over the wire, through Kestrel.)
/// </summary>
[NonParallelizable]
public class RpcBadInputE2eTests
{
    // Account 9 of the dev mnemonic (anvil's published key): it signs the refused transactions and must never move.
    private const string Key9 = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";
    private const string Address9 = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
    private const string Address0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    private const int MaxRequestBytes = 5 * 1024 * 1024; // RpcLimits default (geth's)

    private NodeProcess? _node;
    private Uri? _url;
    private string? _dataDir;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private string? _headBefore;
    private string? _stateBefore;

    /// <summary>One malformed request and the JSON-RPC error code it must get (over HTTP 200, as geth does).</summary>
    public sealed record BadRequest(string Name, string Body, int Code, string? MessagePattern = null)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    private static IEnumerable<TestCaseData> BadRequests()
    {
        static string Call(string method, string @params) => $$"""{"jsonrpc":"2.0","id":7,"method":"{{method}}","params":{{@params}}}""";
        BadRequest[] cases =
        [
            new("truncated JSON", """{"jsonrpc":"2.0","id":7,"method":"eth_chainId" """, -32700),
            new("not JSON", "hello node", -32700),
            new("empty body", "", -32700),
            new("nesting 10,000 deep", new string('[', 10_000) + new string(']', 10_000), -32700),
            new("request without method", """{"jsonrpc":"2.0","id":7}""", -32600),
            new("wrong jsonrpc version", """{"jsonrpc":"1.0","id":7,"method":"eth_chainId"}""", -32600),
            new("empty batch", "[]", -32600),
            new("unknown method", Call("eth_noSuchMethod", "[]"), -32601, "eth_noSuchMethod"),
            new("number for an address", Call("eth_getBalance", """[123, "latest"]"""), -32602),
            new("short address", Call("eth_getBalance", """["0x1234", "latest"]"""), -32602),
            new("unknown block tag", Call("eth_getBalance", $$"""["{{Address0}}", "yesterday"]"""), -32602),
            new("missing parameters", Call("eth_getBalance", "[]"), -32602),
            new("too many parameters", Call("eth_blockNumber", "[1, 2, 3]"), -32602),
            new("string for a bool", Call("eth_getBlockByNumber", """["latest", "yes"]"""), -32602),
            new("params as an object", Call("eth_getBlockByNumber", """{"a": 1}"""), -32602),
            new("quantity with leading zero", Call("eth_getBlockByNumber", """["0x01", false]"""), -32602),
            new("hash of the wrong length", Call("eth_getTransactionByHash", """["0x12"]"""), -32602),
            new("eth_call with a number for 'to'", Call("eth_call", """[{"to": 5}, "latest"]"""), -32602),
            new("eth_getLogs with a word for fromBlock", Call("eth_getLogs", """[{"fromBlock": "banana"}]"""), -32602),
            new("raw transaction not hex", Call("eth_sendRawTransaction", """["0xzz"]"""), -32602),
            new("raw transaction: garbage", Call("eth_sendRawTransaction", """["0xdeadbeef"]"""), -32000),
            new("raw transaction: empty", Call("eth_sendRawTransaction", """["0x"]"""), -32000),
            new("raw transaction: truncated RLP", Call("eth_sendRawTransaction", """["0xf8"]"""), -32000),
            new("raw transaction: unknown type", Call("eth_sendRawTransaction", """["0x05c0"]"""), -32000, "transaction type not supported"),
        ];
        foreach (BadRequest c in cases)
        {
            yield return new TestCaseData(c).SetName($"BadRequestGetsItsError({c.Name})");
        }
    }

    [OneTimeSetUp]
    public async Task StartNode()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "cere-e2e-badinput-" + Guid.NewGuid().ToString("N"));
        // Period 0: a block only when a transaction is accepted, so an unchanged head proves nothing got in.
        (_node, _url) = await NodeProcess.StartAsync($"--dev --datadir \"{_dataDir}\" --rpc.port 0 --dev.period 0", TimeSpan.FromSeconds(90));
        _headBefore = await SnapshotHeadAsync();
        _stateBefore = await SnapshotStateAsync();
    }

    [OneTimeTearDown]
    public void StopNode()
    {
        _http.Dispose();
        _node?.Dispose();
        if (_dataDir is not null && Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Order(1)]
    [TestCaseSource(nameof(BadRequests))]
    public async Task BadRequestGetsItsError(BadRequest request)
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync(request.Body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "JSON-RPC errors travel in an HTTP 200 body");
        AssertError(body, request.Code, request.MessagePattern);
        if (request.Code != -32700 && request.Code != -32600)
        {
            Assert.That(body.GetProperty("id").GetInt32(), Is.EqualTo(7), "the error echoes the request id");
        }
    }

    [Test]
    [Order(1)]
    public async Task BatchOfGoodAndBadCallsAnswersEachInOrder()
    {
        string batch = $$"""
            [{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]},
             {"jsonrpc":"2.0","id":2,"method":"eth_noSuchMethod","params":[]},
             {"jsonrpc":"2.0","id":3,"method":"eth_getBalance","params":[123,"latest"]},
             {"jsonrpc":"2.0","id":4,"method":"eth_getBalance","params":["{{Address9}}","latest"]}]
            """;
        (HttpStatusCode status, JsonElement body) = await PostAsync(batch);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Array));
        JsonElement[] answers = body.EnumerateArray().ToArray();
        Assert.That(answers, Has.Length.EqualTo(4));
        Assert.Multiple(() =>
        {
            Assert.That(answers[0].GetProperty("result").GetString(), Is.EqualTo("0x1092"));
            Assert.That(answers[1].GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-32601));
            Assert.That(answers[2].GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-32602));
            Assert.That(answers[3].GetProperty("result").GetString(), Is.EqualTo("0x21e19e0c9bab2400000"), "10,000 ether");
            Assert.That(answers.Select(a => a.GetProperty("id").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        });
    }

    [Test]
    [Order(1)]
    public async Task HugeBatchIsRefusedWithALimitError()
    {
        string batch = "[" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => $$"""{"jsonrpc":"2.0","id":{{i}},"method":"eth_chainId","params":[]}""")) + "]";
        (HttpStatusCode status, JsonElement body) = await PostAsync(batch);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object), "one error for the whole batch, not 10,000 answers");
        AssertError(body, -32005, "batch too large");
    }

    [Test]
    [Order(1)]
    public async Task OversizedBodyWithContentLengthIs413()
    {
        string big = $$"""{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["{{new string('a', MaxRequestBytes + 1024)}}","latest"]}""";
        using HttpRequestMessage req = new(HttpMethod.Post, _url) { Content = new StringContent(big, Encoding.UTF8, "application/json") };
        req.Headers.ExpectContinue = true; // as curl sends for large bodies: the node refuses on the declared length
        using HttpResponseMessage r = await _http.SendAsync(req);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await r.Content.ReadAsStringAsync(), Does.Contain("too large"));
    }

    [Test]
    [Order(1)]
    public async Task OversizedChunkedBodyIs413()
    {
        // No Content-Length: the limit can only be found while reading.
        byte[] big = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["{{new string('a', MaxRequestBytes + 1024)}}","latest"]}""");
        using HttpRequestMessage req = new(HttpMethod.Post, _url) { Content = new StreamContent(new ChunkedOnlyStream(big)) };
        req.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        req.Headers.TransferEncodingChunked = true;
        req.Headers.ExpectContinue = true;
        using HttpResponseMessage r = await _http.SendAsync(req);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    [Order(1)]
    public async Task GetIsRefusedWithMethodNotAllowed()
    {
        using HttpResponseMessage r = await _http.GetAsync(_url);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(await r.Content.ReadAsStringAsync(), Does.Contain("POST"));
    }

    [Test]
    [Order(1)]
    public async Task TransactionsForAnotherChainAreRefused()
    {
        // Signed by Nethereum (not our encoder), valid in every other way: account 9 has the funds and nonce 0 is next.
        string legacy = new LegacyTransactionSigner().SignTransaction(Key9, chainId: 1, to: Address0, amount: 1, nonce: 0,
            gasPrice: BigInteger.Pow(10, 10), gasLimit: 21_000, data: "");
        Transaction1559 tx1559 = new(chainId: 1, nonce: 0, maxPriorityFeePerGas: BigInteger.Pow(10, 9), maxFeePerGas: BigInteger.Pow(10, 10),
            gasLimit: 21_000, receiverAddress: Address0, amount: 1, data: "", accessList: null);
        string signed1559 = new Transaction1559Signer().SignTransaction(Key9, tx1559);
        foreach (string raw in new[] { legacy, signed1559 })
        {
            (_, JsonElement body) = await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x{{raw.Replace("0x", "", StringComparison.Ordinal)}}"]}""");
            AssertError(body, -32000, "invalid chain id");
        }
    }

    private static IEnumerable<TestCaseData> InvalidTransactions()
    {
        BigInteger gwei = BigInteger.Pow(10, 9);
        // (name, gas limit, tip, fee cap, value, geth's message)
        static TestCaseData Case(string name, long gas, BigInteger tip, BigInteger feeCap, BigInteger value, string message) =>
            new TestCaseData(gas, tip, feeCap, value, message).SetName($"InvalidTransactionIsRefused({name})");
        yield return Case("gas below intrinsic", 20_000L, gwei, 10 * gwei, BigInteger.One, "intrinsic gas too low");
        yield return Case("gas above the block gas limit", 1_000_000_000L, gwei, 10 * gwei, BigInteger.One, "exceeds block gas limit");
        yield return Case("tip above fee cap", 21_000L, 10 * gwei, gwei, BigInteger.One, "max priority fee per gas higher than max fee per gas");
        yield return Case("value above the balance", 21_000L, gwei, 10 * gwei, BigInteger.Pow(10, 23), "insufficient funds");
    }

    [Order(1)]
    [TestCaseSource(nameof(InvalidTransactions))]
    public async Task InvalidTransactionIsRefused(long gas, BigInteger tip, BigInteger feeCap, BigInteger value, string message)
    {
        // Signed by Nethereum for this chain with the next nonce: only the named field is wrong.
        Transaction1559 tx = new(chainId: 4242, nonce: 0, maxPriorityFeePerGas: tip, maxFeePerGas: feeCap, gasLimit: gas,
            receiverAddress: Address0, amount: value, data: "", accessList: null);
        string raw = new Transaction1559Signer().SignTransaction(Key9, tx);
        (_, JsonElement body) = await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x{{raw.Replace("0x", "", StringComparison.Ordinal)}}"]}""");
        AssertError(body, -32000, Regex.Escape(message));
    }

    [Test]
    [Order(1)]
    public async Task OversizedTransactionIsRefused()
    {
        // 200 KiB of calldata: under the body limit, over the pool's 128 KiB per transaction (geth's txMaxSize).
        string data = "0x" + new string('1', 2 * 200 * 1024);
        Transaction1559 tx = new(chainId: 4242, nonce: 0, maxPriorityFeePerGas: BigInteger.Pow(10, 9), maxFeePerGas: BigInteger.Pow(10, 10),
            gasLimit: 8_000_000, receiverAddress: Address0, amount: 0, data: data, accessList: null);
        string raw = new Transaction1559Signer().SignTransaction(Key9, tx);
        (_, JsonElement body) = await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x{{raw.Replace("0x", "", StringComparison.Ordinal)}}"]}""");
        AssertError(body, -32000, "oversized data");
    }

    [Test]
    [Order(1)]
    public async Task WebSocketSurvivesMalformedMessagesAndClosesOnOversizedOnes()
    {
        Uri ws = new UriBuilder(_url!) { Scheme = "ws" }.Uri;
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(60));
        using (ClientWebSocket socket = new())
        {
            await socket.ConnectAsync(ws, cts.Token);
            AssertError(await WsCallAsync(socket, "{bad json", cts.Token), -32700);
            AssertError(await WsCallAsync(socket, """{"jsonrpc":"2.0","id":2,"method":"eth_getBalance","params":[1,"latest"]}""", cts.Token), -32602);
            JsonElement ok = await WsCallAsync(socket, """{"jsonrpc":"2.0","id":3,"method":"eth_chainId","params":[]}""", cts.Token);
            Assert.That(ok.GetProperty("result").GetString(), Is.EqualTo("0x1092"), "the same connection still serves");
        }

        using (ClientWebSocket socket = new())
        {
            await socket.ConnectAsync(ws, cts.Token);
            byte[] big = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["{{new string('a', MaxRequestBytes + 1024)}}","latest"]}""");
            try
            {
                await socket.SendAsync(big, WebSocketMessageType.Text, endOfMessage: true, cts.Token);
            }
            catch (WebSocketException)
            {
                // The node may close while the tail is still being sent; the close status below is what counts.
            }

            byte[] buffer = new byte[1024];
            WebSocketReceiveResult r = await socket.ReceiveAsync(buffer, cts.Token);
            Assert.That(r.MessageType, Is.EqualTo(WebSocketMessageType.Close));
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
        }
    }

    [Test]
    [Order(2)]
    public async Task AfterAllOfThemTheNodeServesAndNothingChanged()
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("result").GetString(), Is.EqualTo("0x1092"));
        Assert.That(await SnapshotHeadAsync(), Is.EqualTo(_headBefore), "the head did not move");
        Assert.That(await SnapshotStateAsync(), Is.EqualTo(_stateBefore), "balances and nonces (latest and pending) are unchanged");
        Assert.That(_node!.Output, Does.Not.Contain("Unhandled exception").And.Not.Contain("NullReferenceException").And.Not.Contain("IndexOutOfRange"));
    }

    private async Task<string> SnapshotHeadAsync()
    {
        JsonElement head = (await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["latest",false]}""")).Body.GetProperty("result");
        return $"{head.GetProperty("number").GetString()} {head.GetProperty("hash").GetString()} {head.GetProperty("stateRoot").GetString()}";
    }

    private async Task<string> SnapshotStateAsync()
    {
        StringBuilder sb = new();
        foreach (string a in new[] { Address0, Address9 })
        {
            sb.Append(Result(await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["{{a}}","latest"]}"""))).Append(' ');
            sb.Append(Result(await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionCount","params":["{{a}}","latest"]}"""))).Append(' ');
            sb.Append(Result(await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionCount","params":["{{a}}","pending"]}"""))).Append('\n');
        }

        return sb.ToString();
    }

    private static string Result((HttpStatusCode Status, JsonElement Body) r) =>
        r.Body.TryGetProperty("result", out JsonElement v) ? v.ToString() : $"error {r.Body}";

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string body)
    {
        Assert.That(_url, Is.Not.Null, "the node did not start");
        using StringContent content = new(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage r = await _http.PostAsync(_url, content);
        string text = await r.Content.ReadAsStringAsync();
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            return (r.StatusCode, doc.RootElement.Clone());
        }
        catch (JsonException)
        {
            Assert.Fail($"HTTP {(int)r.StatusCode}: the answer is not JSON: {text}");
            throw;
        }
    }

    private static async Task<JsonElement> WsCallAsync(ClientWebSocket socket, string message, CancellationToken ct)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, ct);
        using MemoryStream ms = new();
        byte[] buffer = new byte[16 * 1024];
        WebSocketReceiveResult r;
        do
        {
            r = await socket.ReceiveAsync(buffer, ct);
            Assert.That(r.MessageType, Is.EqualTo(WebSocketMessageType.Text), $"expected an answer to {message}, got {r.MessageType} {socket.CloseStatus}");
            ms.Write(buffer, 0, r.Count);
        }
        while (!r.EndOfMessage);
        using JsonDocument doc = JsonDocument.Parse(ms.ToArray());
        return doc.RootElement.Clone();
    }

    private static void AssertError(JsonElement body, int code, string? messagePattern = null)
    {
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object), body.ToString());
        Assert.That(body.TryGetProperty("error", out JsonElement error), Is.True, $"expected an error, got {body}");
        Assert.That(body.TryGetProperty("result", out _), Is.False, "an error has no result");
        Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(code), error.ToString());
        string message = error.GetProperty("message").GetString() ?? "";
        Assert.That(message, Is.Not.Empty);
        if (messagePattern is not null)
        {
            Assert.That(Regex.IsMatch(message, messagePattern, RegexOptions.IgnoreCase), Is.True, $"message \"{message}\" should match /{messagePattern}/");
        }
    }

    // A stream that does not report its length, so HttpClient sends it chunked.
    private sealed class ChunkedOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
