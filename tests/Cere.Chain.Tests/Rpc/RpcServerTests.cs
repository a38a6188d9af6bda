using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cere.Chain.Rpc;

namespace Cere.Chain.Tests.Rpc;

/// <summary>The server over real sockets: HTTP POST, WebSocket, limits, the Host allow-list.</summary>
public class RpcServerTests
{
    private static async Task<RpcServer> StartAsync(RpcServerOptions? options = null)
    {
        RpcMethodRegistry methods = new();
        methods.Register("test_echo", (args, w, _) => args[0].WriteTo(w));
        methods.Register("test_push", (args, w, ctx) =>
        {
            bool pushed = ctx.PushChannel?.TryPush("""{"jsonrpc":"2.0","method":"eth_subscription","params":{"result":1}}"""u8.ToArray()) ?? false;
            w.WriteBooleanValue(pushed);
        });
        RpcServer server = new((options ?? new RpcServerOptions()) with { Port = 0 }, methods);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    [Test]
    public async Task HttpPostIsAnswered()
    {
        await using RpcServer server = await StartAsync();
        using HttpClient client = new();
        HttpResponseMessage r = await client.PostAsync(server.Url, new StringContent("""{"jsonrpc":"2.0","id":7,"method":"test_echo","params":["hi"]}""", Encoding.UTF8, "application/json"));
        JsonElement body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(server.Url!.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("result").GetString(), Is.EqualTo("hi"));
        });
    }

    [Test]
    public async Task OversizedBodyIsRefusedAndServerKeepsServing()
    {
        await using RpcServer server = await StartAsync(new RpcServerOptions { Limits = new RpcLimits { MaxRequestBytes = 1024 } });
        using HttpClient client = new();
        string big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[\"" + new string('a', 4096) + "\"]}";
        // Expect: 100-continue lets the server refuse on the declared length before the client streams the body;
        // without it the refusal races the client's upload and may surface as a reset instead of the status.
        using HttpRequestMessage req = new(HttpMethod.Post, server.Url) { Content = new StringContent(big, Encoding.UTF8, "application/json") };
        req.Headers.ExpectContinue = true;
        HttpResponseMessage r = await client.SendAsync(req);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        HttpResponseMessage ok = await client.PostAsync(server.Url, new StringContent("""{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[1]}""", Encoding.UTF8, "application/json"));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ForeignHostHeaderIsRefused()
    {
        await using RpcServer server = await StartAsync();
        using HttpClient client = new();
        using HttpRequestMessage req = new(HttpMethod.Post, server.Url) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        req.Headers.Host = "evil.example";
        HttpResponseMessage r = await client.SendAsync(req);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task WebSocketAnswersCallsAndDeliversPushes()
    {
        await using RpcServer server = await StartAsync();
        using ClientWebSocket ws = new();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Url!.Port}"), CancellationToken.None);
        await ws.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"test_push"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        List<string> received = [];
        byte[] buffer = new byte[4096];
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        while (received.Count < 2)
        {
            WebSocketReceiveResult r = await ws.ReceiveAsync(buffer, timeout.Token);
            received.Add(Encoding.UTF8.GetString(buffer, 0, r.Count));
        }

        Assert.That(received, Has.Some.Contains("eth_subscription"));
        Assert.That(received, Has.Some.Contains("\"result\":true"));
    }
}
