using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Cere.Chain.Rpc;

/// <summary>
/// One WebSocket client: a receive loop that answers calls and one send loop that owns the socket's write side,
/// so responses and subscription notifications never interleave. A client that does not read fills its bounded
/// send queue and is disconnected, so pushing to it never blocks the block-commit thread.
/// </summary>
public sealed class WebSocketRpcConnection : IRpcPushChannel
{
    private readonly WebSocket _socket;
    private readonly JsonRpcProcessor _processor;
    private readonly RpcLimits _limits;
    private readonly Channel<byte[]> _outbox;
    private readonly RpcCallContext _context;
    private readonly CancellationTokenSource _overflow = new();
    private int _closed;
    private volatile bool _overflowed;

    /// <summary>Wraps an accepted socket.</summary>
    public WebSocketRpcConnection(WebSocket socket, JsonRpcProcessor processor, RpcLimits limits, int sendQueue)
    {
        _socket = socket;
        _processor = processor;
        _limits = limits;

        // Wait mode: TryWrite fails when the queue is full (DropWrite would report success and lose the message).
        _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(sendQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _context = new RpcCallContext(this);
    }

    /// <inheritdoc/>
    public event Action? Closed;

    /// <summary>True once the connection was dropped because its send queue overflowed.</summary>
    public bool Overflowed => _overflowed;

    /// <inheritdoc/>
    public bool TryPush(byte[] utf8Json)
    {
        if (_outbox.Writer.TryWrite(utf8Json))
        {
            return true;
        }

        if (Volatile.Read(ref _closed) == 0)
        {
            // The client stopped reading: drop it rather than buffer without bound or block the pusher.
            _overflowed = true;
            _outbox.Writer.TryComplete();
            CancelQuietly();
        }

        return false;
    }

    /// <summary>Serves the connection until the client closes it, its queue overflows, or <paramref name="ct"/> fires.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _overflow.Token);
        CancellationToken token = linked.Token;
        Task sender = SendLoopAsync(token);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (_socket.State == WebSocketState.Open && !token.IsCancellationRequested)
            {
                using MemoryStream message = new();
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await _socket.ReceiveAsync(buffer.AsMemory(), token).ConfigureAwait(false);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer, 0, r.Count);
                    if (message.Length > _limits.MaxRequestBytes)
                    {
                        await _socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message larger than {_limits.MaxRequestBytes} bytes", token).ConfigureAwait(false);
                        return;
                    }
                }
                while (!r.EndOfMessage);

                byte[]? response = _processor.Process(message.GetBuffer().AsMemory(0, (int)message.Length), _context);
                if (response is not null && !_outbox.Writer.TryWrite(response))
                {
                    _overflowed = true;
                    await _socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "send queue full: client is not reading", token).ConfigureAwait(false);
                    return;
                }

                // Subscriptions made by this call start delivering now that their ids are queued ahead of them.
                _context.RunAfterResponse();
            }
        }
        catch (WebSocketException)
        {
            // The client went away mid-message: nothing to answer.
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Server shutdown, or the queue overflowed.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Volatile.Write(ref _closed, 1);
            _outbox.Writer.TryComplete();
            if (Overflowed)
            {
                _socket.Abort();
            }

            Closed?.Invoke();
            await sender.ConfigureAwait(false);
            _overflow.Dispose();
        }
    }

    private void CancelQuietly()
    {
        try
        {
            _overflow.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
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
