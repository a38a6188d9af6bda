using System.Buffers;
using System.IO.Pipelines;
using Cere.P2P.Hosting;

namespace Cere.P2P.Yamux;

/// <summary>
/// One yamux stream. Received data is buffered in a pipe bounded by the receive window we granted; writes wait for
/// send window (back-pressure) and are cut into frames of at most <see cref="YamuxOptions.MaxFrameData"/> bytes.
/// </summary>
internal sealed class YamuxStream : P2pStream
{
    // The session reader never waits on the pipe: the window we granted already bounds what it can hold.
    private static readonly PipeOptions PipeSettings = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    private readonly YamuxSession _session;
    private readonly Pipe _pipe = new(PipeSettings);
    private readonly object _gate = new();
    private long _sendWindow = YamuxOptions.InitialWindow;
    private TaskCompletionSource? _windowWaiter;
    private long _receiveWindow;
    private long _consumedSinceUpdate;
    private bool _localClosed;
    private bool _remoteClosed;
    private bool _reset;
    private bool _readClosed;
    private string _protocol = "";

    public YamuxStream(YamuxSession session, uint id, bool outbound)
    {
        _session = session;
        Id = id;
        IsOutbound = outbound;
        _receiveWindow = Math.Max(session.Options.ReceiveWindow, YamuxOptions.InitialWindow);
    }

    public uint Id { get; }

    public bool IsOutbound { get; }

    public override string Protocol => _protocol;

    public override Connection Connection => _session.Connection ?? throw new InvalidOperationException("stream has no connection yet");

    internal void SetProtocol(string protocol) => _protocol = protocol;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        ThrowIfReset();
        ReadResult result;
        try
        {
            result = await _pipe.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (_readClosed)
        {
            throw new StreamClosedException($"yamux stream {Id} was closed for reading");
        }

        ReadOnlySequence<byte> data = result.Buffer;
        if (result.IsCanceled)
        {
            // Reset or session close from another thread cancels the pending read (the pipe writer belongs to the reader loop).
            _pipe.Reader.AdvanceTo(data.Start);
            ThrowIfReset();
            return await ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        if (data.IsEmpty && result.IsCompleted)
        {
            _pipe.Reader.AdvanceTo(data.End);
            ThrowIfReset();
            return 0;
        }

        int n = (int)Math.Min(buffer.Length, data.Length);
        data.Slice(0, n).CopyTo(buffer.Span);
        _pipe.Reader.AdvanceTo(data.GetPosition(n));
        await OnConsumedAsync(n).ConfigureAwait(false);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Grants the remote more window once we consumed half of it, so a steady reader never stalls the sender.</summary>
    private async ValueTask OnConsumedAsync(int n)
    {
        uint delta = 0;
        lock (_gate)
        {
            _consumedSinceUpdate += n;
            if (_consumedSinceUpdate >= Math.Max(_session.Options.ReceiveWindow, YamuxOptions.InitialWindow) / 2 && !_remoteClosed && !_reset)
            {
                delta = (uint)_consumedSinceUpdate;
                _receiveWindow += _consumedSinceUpdate;
                _consumedSinceUpdate = 0;
            }
        }

        if (delta > 0)
        {
            await _session.SendWindowUpdateAsync(Id, delta, YamuxFlags.None).ConfigureAwait(false);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int max = _session.Options.MaxFrameData;
        while (!buffer.IsEmpty)
        {
            int n;
            while (true)
            {
                Task? wait = null;
                lock (_gate)
                {
                    if (_reset)
                    {
                        throw new StreamClosedException($"yamux stream {Id} was reset");
                    }

                    if (_localClosed)
                    {
                        throw new StreamClosedException($"yamux stream {Id} is closed for writing");
                    }

                    if (_sendWindow > 0)
                    {
                        n = (int)Math.Min(Math.Min(buffer.Length, max), _sendWindow);
                        _sendWindow -= n;
                        break;
                    }

                    _windowWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _windowWaiter.Task;
                }

                // Back-pressure: the remote has not consumed what we sent; wait for its window update.
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            await _session.SendFrameAsync(new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, Id, (uint)n), buffer[..n], cancellationToken).ConfigureAwait(false);
            buffer = buffer[n..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask CloseWriteAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_localClosed || _reset)
            {
                return;
            }

            _localClosed = true;
            ReleaseWriters();
        }

        try
        {
            await _session.SendFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, Id, 0), default, ct).ConfigureAwait(false);
        }
        catch (StreamClosedException)
        {
            // The session is gone; the stream is closed either way.
        }

        MaybeRemove();
    }

    public override void Reset()
    {
        lock (_gate)
        {
            if (_reset)
            {
                return;
            }

            _reset = true;
            ReleaseWriters();
        }

        _pipe.Reader.CancelPendingRead();
        _ = _session.SendWindowUpdateAsync(Id, 0, YamuxFlags.Rst).AsTask();
        _session.RemoveStream(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseWriteAsync().ConfigureAwait(false);
        lock (_gate)
        {
            if (_readClosed)
            {
                return;
            }

            _readClosed = true;
        }

        // Later data for this stream is discarded by ReceiveAsync (with window updates, so the remote never stalls).
        _pipe.Reader.Complete();
        MaybeRemove();
        GC.SuppressFinalize(this);
    }

    internal void AddSendWindow(uint delta)
    {
        lock (_gate)
        {
            _sendWindow += delta;
            ReleaseWriters();
        }
    }

    /// <summary>Called by the session reader for a data frame: moves exactly <paramref name="length"/> bytes into the pipe.</summary>
    internal async ValueTask ReceiveAsync(Stream transport, int length, byte[] discard, CancellationToken ct)
    {
        bool drop;
        lock (_gate)
        {
            _receiveWindow -= length;
            if (_receiveWindow < 0)
            {
                throw new P2pProtocolException($"stream {Id}: peer sent {-_receiveWindow} bytes beyond the window we granted");
            }

            drop = _readClosed || _reset || _remoteClosed;
        }

        if (drop)
        {
            await _session.DiscardAsync(length, discard).ConfigureAwait(false);
            if (!_reset && !_remoteClosed)
            {
                lock (_gate)
                {
                    _receiveWindow += length;
                }

                await _session.SendWindowUpdateAsync(Id, (uint)length, YamuxFlags.None).ConfigureAwait(false);
            }

            return;
        }

        PipeWriter writer = _pipe.Writer;
        int remaining = length;
        while (remaining > 0)
        {
            Memory<byte> memory = writer.GetMemory(Math.Min(remaining, 64 * 1024));
            int want = Math.Min(remaining, memory.Length);
            int n = await transport.ReadAsync(memory[..want], ct).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("connection ended inside a yamux data frame");
            }

            writer.Advance(n);
            remaining -= n;
        }

        await writer.FlushAsync(ct).ConfigureAwait(false);
    }

    internal void OnRemoteFin()
    {
        lock (_gate)
        {
            if (_remoteClosed)
            {
                return;
            }

            _remoteClosed = true;
        }

        _pipe.Writer.Complete();
        MaybeRemove();
    }

    internal void OnRemoteReset()
    {
        lock (_gate)
        {
            if (_reset)
            {
                return;
            }

            _reset = true;
            ReleaseWriters();
        }

        _pipe.Writer.Complete(new StreamClosedException($"yamux stream {Id} was reset by the remote"));
        _session.RemoveStream(this);
    }

    internal void OnSessionClosed()
    {
        lock (_gate)
        {
            if (_reset)
            {
                return;
            }

            _reset = true;
            ReleaseWriters();
        }

        _pipe.Reader.CancelPendingRead();
    }

    private void ReleaseWriters()
    {
        // Called under _gate: wake a writer waiting for window, it re-checks the state.
        _windowWaiter?.TrySetResult();
        _windowWaiter = null;
    }

    private void ThrowIfReset()
    {
        lock (_gate)
        {
            if (_reset && !_remoteClosed)
            {
                throw new StreamClosedException($"yamux stream {Id} was reset or its connection closed");
            }
        }
    }

    private void MaybeRemove()
    {
        bool done;
        lock (_gate)
        {
            done = _localClosed && (_remoteClosed || _readClosed);
        }

        // A stream we closed and stopped reading can go: late frames for it are discarded by the session.
        if (done)
        {
            _session.RemoveStream(this);
        }
    }
}
