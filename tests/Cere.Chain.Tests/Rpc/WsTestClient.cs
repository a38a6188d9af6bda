using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Cere.Chain.Tests.Rpc;

/// <summary>A JSON-RPC client over a real System.Net.WebSockets.ClientWebSocket, with every received message queued for the test.</summary>
public sealed class WsTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _ws = new();
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _nextId = 1;

    /// <summary>Connects to the node's RPC port.</summary>
    public static async Task<WsTestClient> ConnectAsync(Uri rpcUrl)
    {
        WsTestClient c = new();
        await c._ws.ConnectAsync(new Uri($"ws://127.0.0.1:{rpcUrl.Port}"), CancellationToken.None);
        c._loop = c.ReceiveLoopAsync();
        return c;
    }

    /// <summary>The socket's state.</summary>
    public WebSocketState State => _ws.State;

    /// <summary>Sends a call and returns its id.</summary>
    public async Task<int> SendAsync(string method, string paramsJson)
    {
        int id = _nextId++;
        string body = $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{paramsJson}}}""";
        await _ws.SendAsync(Encoding.UTF8.GetBytes(body), WebSocketMessageType.Text, true, CancellationToken.None);
        return id;
    }

    /// <summary>Sends a call and waits for its response (notifications that arrive first stay queued).</summary>
    public async Task<JsonElement> CallAsync(string method, string paramsJson)
    {
        int id = await SendAsync(method, paramsJson);
        JsonElement m = await NextAsync();
        Assert.That(m.TryGetProperty("id", out JsonElement got) && got.GetInt32() == id, Is.True, $"expected the response to call {id} first, got {m}");
        return m;
    }

    /// <summary>The next message, or a failure after <paramref name="seconds"/>.</summary>
    public async Task<JsonElement> NextAsync(int seconds = 20)
    {
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(seconds));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when a message is already waiting.</summary>
    public bool TryNext(out JsonElement message) => _received.Reader.TryRead(out message);

    /// <summary>Closes the socket cleanly.</summary>
    public async Task CloseAsync()
    {
        if (_ws.State == WebSocketState.Open)
        {
            await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Stopped.
        }

        _ws.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[64 * 1024];
        while (_ws.State == WebSocketState.Open)
        {
            using MemoryStream message = new();
            WebSocketReceiveResult r;
            do
            {
                r = await _ws.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    _received.Writer.TryComplete();
                    return;
                }

                message.Write(buffer, 0, r.Count);
            }
            while (!r.EndOfMessage);

            _received.Writer.TryWrite(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
        }
    }
}
