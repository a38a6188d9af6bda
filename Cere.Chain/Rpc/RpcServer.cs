using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cere.Chain.Rpc;

/// <summary>
/// The JSON-RPC endpoint on Kestrel: HTTP POST and WebSocket on one port, with body and batch limits,
/// CORS and a Host allow-list (DNS-rebinding protection).
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    private readonly RpcServerOptions _options;
    private readonly JsonRpcProcessor _processor;
    private WebApplication? _app;
    private int _webSockets;

    /// <summary>Creates the server; nothing listens until <see cref="StartAsync"/>.</summary>
    public RpcServer(RpcServerOptions options, RpcMethodRegistry methods)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _processor = new JsonRpcProcessor(methods, options.Limits);
    }

    /// <summary>The processor (for in-process callers and tests).</summary>
    public JsonRpcProcessor Processor => _processor;

    /// <summary>The URL the server listens on, once started (e.g. http://127.0.0.1:8545).</summary>
    public Uri? Url { get; private set; }

    /// <summary>Binds and starts serving.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = _options.Limits.MaxRequestBytes;
            k.Listen(_options.Address, _options.Port, l => l.Protocols = HttpProtocols.Http1);
        });
        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        _app = app;

        IPEndPoint? bound = null;
        foreach (string address in app.Urls)
        {
            Uri u = new(address);
            bound = new IPEndPoint(_options.Address, u.Port);
        }

        string host = _options.Address.Equals(IPAddress.IPv6Loopback) ? "[::1]" : _options.Address.ToString();
        Url = new Uri($"http://{host}:{bound?.Port ?? _options.Port}");
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (!HostAllowed(http.Request.Host))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("invalid host specified\n").ConfigureAwait(false);
            return;
        }

        ApplyCors(http);
        if (http.WebSockets.IsWebSocketRequest)
        {
            await ServeWebSocketAsync(http).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsOptions(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            await http.Response.WriteAsync("JSON-RPC: use POST with a JSON body, or a WebSocket\n").ConfigureAwait(false);
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(http).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.Response.WriteAsync($"content length too large ({_options.Limits.MaxRequestBytes} bytes at most)\n").ConfigureAwait(false);
            return;
        }

        byte[]? response = _processor.Process(body, RpcCallContext.Http);
        http.Response.ContentType = "application/json";
        if (response is not null)
        {
            http.Response.ContentLength = response.Length;
            await http.Response.Body.WriteAsync(response, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength is long declared && declared > _options.Limits.MaxRequestBytes)
        {
            throw new BadHttpRequestException("request body too large", StatusCodes.Status413PayloadTooLarge);
        }

        using MemoryStream ms = new(http.Request.ContentLength is long l ? (int)l : 1024);
        await http.Request.Body.CopyToAsync(ms, http.RequestAborted).ConfigureAwait(false);
        return ms.ToArray();
    }

    private async Task ServeWebSocketAsync(HttpContext http)
    {
        if (Interlocked.Increment(ref _webSockets) > _options.MaxWebSocketConnections)
        {
            Interlocked.Decrement(ref _webSockets);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        try
        {
            using System.Net.WebSockets.WebSocket socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            WebSocketRpcConnection connection = new(socket, _processor, _options.Limits, _options.WebSocketSendQueue);
            await connection.RunAsync(http.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _webSockets);
        }
    }

    private bool HostAllowed(HostString host)
    {
        if (!host.HasValue)
        {
            return true; // HTTP/1.0 clients and raw tools without a Host header
        }

        foreach (string allowed in _options.AllowedHosts)
        {
            if (allowed == "*" || string.Equals(allowed, host.Host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        // The address we bound to is always an acceptable Host.
        return string.Equals(host.Host, _options.Address.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private void ApplyCors(HttpContext http)
    {
        string? origin = http.Request.Headers.Origin;
        if (string.IsNullOrEmpty(origin) || _options.CorsOrigins.Count == 0)
        {
            return;
        }

        foreach (string allowed in _options.CorsOrigins)
        {
            if (allowed == "*" || string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers.AccessControlAllowOrigin = allowed == "*" ? "*" : origin;
                http.Response.Headers.AccessControlAllowMethods = "POST, GET, OPTIONS";
                http.Response.Headers.AccessControlAllowHeaders = "Content-Type";
                http.Response.Headers.AccessControlMaxAge = "600";
                return;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }
}
