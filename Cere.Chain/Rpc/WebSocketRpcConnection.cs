using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Cere.Chain.Rpc;

/// <summary>
/// One WebSocket client: a receive loop that answers calls and one send loop that owns the socket's write side,
/// so responses and subscription notifications never interleave.
/// </summary>
public sealed class WebSocketRpcConnection : IRpcPushChannel
{
    private readonly WebSocket _socket;
    private readonly JsonRpcProcessor _processor;
    private readonly RpcLimits _limits;
    private readonly Channel<byte[]> _outbox;
    private readonly RpcCallContext _context;

    /// <summary>Wraps an accepted socket.</summary>
    public WebSocketRpcConnection(WebSocket socket, JsonRpcProcessor processor, RpcLimits limits, int sendQueue)
    {
        _socket = socket;
        _processor = processor;
        _limits = limits;
        _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(sendQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        _context = new RpcCallContext(this);
    }

    /// <inheritdoc/>
    public event Action? Closed;

    /// <inheritdoc/>
    public bool TryPush(byte[] utf8Json) => _outbox.Writer.TryWrite(utf8Json);

    /// <summary>Serves the connection until the client closes it or <paramref name="ct"/> fires.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        Task sender = SendLoopAsync(ct);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (_socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
            {
                using MemoryStream message = new();
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await _socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer, 0, r.Count);
                    if (message.Length > _limits.MaxRequestBytes)
                    {
                        await _socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message larger than {_limits.MaxRequestBytes} bytes", ct).ConfigureAwait(false);
                        return;
                    }
                }
                while (!r.EndOfMessage);

                byte[]? response = _processor.Process(message.GetBuffer().AsMemory(0, (int)message.Length), _context);
                if (response is not null && !_outbox.Writer.TryWrite(response))
                {
                    await _socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "send queue full: client is not reading", ct).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // The client went away mid-message: nothing to answer.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Server shutdown.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _outbox.Writer.TryComplete();
            Closed?.Invoke();
            await sender.ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (byte[] msg in _outbox.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (_socket.State != WebSocketState.Open)
                {
                    return;
                }

                await _socket.SendAsync(msg, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed under us; the receive loop ends the connection.
        }
    }
}
