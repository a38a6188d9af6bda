using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Cere.P2P.Hosting;

namespace Cere.P2P.Yamux;

/// <summary>
/// A yamux session (libp2p/specs yamux/README.md) over a secured byte stream: one reader loop dispatches frames to
/// streams; writers share one lock so frames never interleave. Streams are flow-controlled per the spec's windows.
/// </summary>
internal sealed class YamuxSession : IAsyncDisposable
{
    private readonly Stream _transport;
    private readonly bool _isClient;
    private readonly YamuxOptions _options;
    private readonly Action<string> _log;
    private readonly string _name;
    private readonly Dictionary<uint, YamuxStream> _streams = [];
    private readonly ConcurrentDictionary<uint, TaskCompletionSource> _pings = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _writeBuffer;
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _nextStreamId;
    private uint _nextPingId;
    private int _inboundCount;
    private int _refused;
    private bool _goAwaySent;
    private bool _goAwayReceived;
    private int _closing;
    private long _lastReceivedMs = Environment.TickCount64;
    private Task? _readLoop;
    private Task? _keepAlive;

    public YamuxSession(Stream transport, bool isClient, YamuxOptions options, Action<string> log, string name)
    {
        _transport = transport;
        _isClient = isClient;
        _options = options;
        _log = log;
        _name = name;
        // yamux spec "StreamID Field": the client uses odd ids, the server even; 0 is the session.
        _nextStreamId = isClient ? 1u : 2u;
        _writeBuffer = new byte[YamuxHeader.Size + options.MaxFrameData];
    }

    /// <summary>Called for every stream the remote opens, on the reader loop; must not block.</summary>
    public Action<YamuxStream>? InboundStream { get; set; }

    /// <summary>The owning connection (set once, right after the session is created).</summary>
    public Connection? Connection { get; set; }

    public YamuxOptions Options => _options;

    /// <summary>Completes when the session has closed, for whatever reason.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Why the session closed (null while open).</summary>
    public string? CloseReason { get; private set; }

    public bool IsClosed => Volatile.Read(ref _closing) != 0;

    public CancellationToken ClosingToken => _cts.Token;

    public void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        if (_options.KeepAliveInterval > TimeSpan.Zero)
        {
            _keepAlive = Task.Run(KeepAliveLoopAsync);
        }
    }

    /// <summary>Opens a stream: sends SYN (with a window update growing our receive window) and returns at once.</summary>
    public async Task<YamuxStream> OpenStreamAsync(CancellationToken ct)
    {
        YamuxStream stream;
        lock (_streams)
        {
            if (IsClosed || _goAwayReceived)
            {
                throw new StreamClosedException($"{_name}: session is closed or going away; cannot open a stream");
            }

            uint id = _nextStreamId;
            _nextStreamId += 2;
            stream = new YamuxStream(this, id, outbound: true);
            _streams.Add(id, stream);
        }

        await SendFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, stream.Id, ExtraWindow), default, ct).ConfigureAwait(false);
        return stream;
    }

    /// <summary>A session-level ping (yamux Ping frame); returns the round-trip time.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken ct)
    {
        uint id = Interlocked.Increment(ref _nextPingId);
        TaskCompletionSource tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[id] = tcs;
        try
        {
            long start = Stopwatch.GetTimestamp();
            await SendFrameAsync(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Syn, 0, id), default, ct).ConfigureAwait(false);
            await tcs.Task.WaitAsync(ct).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(start);
        }
        finally
        {
            _pings.TryRemove(id, out _);
        }
    }

    private uint ExtraWindow => (uint)Math.Max(0, _options.ReceiveWindow - YamuxOptions.InitialWindow);

    /// <summary>Writes one frame; the caller's token only bounds the wait for the write lock, never a half-written frame.</summary>
    internal async ValueTask SendFrameAsync(YamuxHeader header, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (IsClosed)
        {
            throw new StreamClosedException($"{_name}: session closed ({CloseReason})");
        }

        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            header.Write(_writeBuffer);
            payload.Span.CopyTo(_writeBuffer.AsSpan(YamuxHeader.Size));
            await _transport.WriteAsync(_writeBuffer.AsMemory(0, YamuxHeader.Size + payload.Length), _cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await CloseAsync($"write failed: {e.Message}", YamuxGoAwayCode.InternalError, sendGoAway: false).ConfigureAwait(false);
            throw new StreamClosedException($"{_name}: session closed ({CloseReason})");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends a window update, swallowing errors of a session that is closing anyway.</summary>
    internal async ValueTask SendWindowUpdateAsync(uint id, uint delta, YamuxFlags flags)
    {
        try
        {
            await SendFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, flags, id, delta), default, default).ConfigureAwait(false);
        }
        catch (StreamClosedException)
        {
            // The session closed; the stream sees that through its own state.
        }
    }

    internal void RemoveStream(YamuxStream stream)
    {
        lock (_streams)
        {
            if (_streams.Remove(stream.Id) && !stream.IsOutbound)
            {
                _inboundCount--;
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        byte[] header = new byte[YamuxHeader.Size];
        byte[] discard = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                int got = await ReadHeaderAsync(header).ConfigureAwait(false);
                if (got == 0)
                {
                    await CloseAsync("remote closed the connection", YamuxGoAwayCode.Normal, sendGoAway: false).ConfigureAwait(false);
                    return;
                }

                Volatile.Write(ref _lastReceivedMs, Environment.TickCount64);
                YamuxHeader h = YamuxHeader.Read(header, out byte version);
                if (version != 0)
                {
                    await ProtocolErrorAsync($"unknown yamux version {version}").ConfigureAwait(false);
                    return;
                }

                switch (h.Type)
                {
                    case YamuxFrameType.Data:
                    case YamuxFrameType.WindowUpdate:
                        if (!await HandleStreamFrameAsync(h, discard).ConfigureAwait(false))
                        {
                            return;
                        }

                        break;
                    case YamuxFrameType.Ping:
                        if ((h.Flags & YamuxFlags.Syn) != 0)
                        {
                            _ = SendPongAsync(h.Length);
                        }
                        else if ((h.Flags & YamuxFlags.Ack) != 0 && _pings.TryGetValue(h.Length, out TaskCompletionSource? tcs))
                        {
                            tcs.TrySetResult();
                        }

                        break;
                    case YamuxFrameType.GoAway:
                        // yamux spec "Session termination": no new streams from here on; streams already open may
                        // finish, and the remote closes the connection when it is done.
                        _goAwayReceived = true;
                        if (h.Length != (uint)YamuxGoAwayCode.Normal)
                        {
                            _log($"{_name}: remote sent go-away with error code {h.Length}");
                        }

                        break;
                    default:
                        await ProtocolErrorAsync($"unknown yamux frame type {(byte)h.Type}").ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or P2pProtocolException)
        {
            string reason = e is P2pProtocolException ? $"protocol error: {e.Message}" : $"read failed: {e.Message}";
            await CloseAsync(reason, e is P2pProtocolException ? YamuxGoAwayCode.ProtocolError : YamuxGoAwayCode.InternalError, sendGoAway: e is P2pProtocolException).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(discard);
        }
    }

    // Any frame from the peer proves it alive. After KeepAliveInterval of silence we ping (at most once per interval);
    // after KeepAliveTimeout more, the connection is closed so that the connection manager can redial.
    private async Task KeepAliveLoopAsync()
    {
        long intervalMs = (long)_options.KeepAliveInterval.TotalMilliseconds;
        long deadMs = intervalMs + Math.Max(0, (long)_options.KeepAliveTimeout.TotalMilliseconds);
        TimeSpan check = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(intervalMs, deadMs - intervalMs) / 4, 10, 1000));
        long lastPingMs = long.MinValue / 2;
        CancellationToken closing = _cts.Token; // taken once: DisposeAsync disposes the source after this loop ends
        try
        {
            while (!IsClosed)
            {
                await Task.Delay(check, closing).ConfigureAwait(false);
                long now = Environment.TickCount64;
                long silentMs = now - Volatile.Read(ref _lastReceivedMs);
                if (silentMs >= deadMs)
                {
                    await CloseAsync($"keepalive: nothing received from the peer for {silentMs / 1000.0:0.#} s (ping unanswered)", YamuxGoAwayCode.InternalError, sendGoAway: false).ConfigureAwait(false);
                    return;
                }

                if (silentMs >= intervalMs && now - lastPingMs >= intervalMs)
                {
                    lastPingMs = now;
                    _ = SendKeepAlivePingAsync(closing);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session closed.
        }
    }

    // Not awaited by the loop: a write stuck on a peer that stopped reading holds the write lock, and the loop must
    // still be free to close the session when the deadline passes (which cancels the stuck write and this wait).
    private async Task SendKeepAlivePingAsync(CancellationToken closing)
    {
        try
        {
            uint id = Interlocked.Increment(ref _nextPingId);
            await SendFrameAsync(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Syn, 0, id), default, closing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StreamClosedException or OperationCanceledException)
        {
            // The session is closing; the loop sees that.
        }
    }

    private async ValueTask<int> ReadHeaderAsync(byte[] header)
    {
        int read = 0;
        while (read < header.Length)
        {
            int n = await _transport.ReadAsync(header.AsMemory(read), _cts.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return read == 0 ? 0 : throw new IOException("connection ended inside a yamux header");
            }

            read += n;
        }

        return read;
    }

    private async Task SendPongAsync(uint opaque)
    {
        try
        {
            await SendFrameAsync(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Ack, 0, opaque), default, default).ConfigureAwait(false);
        }
        catch (StreamClosedException)
        {
            // Session gone; nothing to answer.
        }
    }

    /// <summary>Handles a Data or WindowUpdate frame; returns false once the session was closed.</summary>
    private async ValueTask<bool> HandleStreamFrameAsync(YamuxHeader h, byte[] discard)
    {
        if (h.StreamId == 0)
        {
            await ProtocolErrorAsync($"{h.Type} frame on stream 0").ConfigureAwait(false);
            return false;
        }

        if (h.Type == YamuxFrameType.Data && h.Length > (uint)Math.Max(_options.ReceiveWindow, YamuxOptions.InitialWindow))
        {
            await ProtocolErrorAsync($"data frame of {h.Length} bytes is larger than any window we granted").ConfigureAwait(false);
            return false;
        }

        YamuxStream? stream;
        bool refuse = false;
        lock (_streams)
        {
            _streams.TryGetValue(h.StreamId, out stream);
            if ((h.Flags & YamuxFlags.Syn) != 0)
            {
                bool remoteParity = (h.StreamId & 1) == (_isClient ? 0u : 1u);
                if (stream is not null || !remoteParity)
                {
                    stream = null;
                    refuse = true;
                    _refused = int.MaxValue; // a duplicate or wrong-parity SYN is a protocol violation, not load
                }
                else if (_goAwaySent || _inboundCount >= _options.MaxInboundStreams)
                {
                    refuse = true;
                    _refused++;
                }
                else
                {
                    stream = new YamuxStream(this, h.StreamId, outbound: false);
                    _streams.Add(h.StreamId, stream);
                    _inboundCount++;
                }
            }
        }

        if (refuse)
        {
            if (_refused == int.MaxValue)
            {
                await ProtocolErrorAsync($"invalid SYN for stream {h.StreamId} (duplicate or wrong parity)").ConfigureAwait(false);
                return false;
            }

            if (_refused > _options.MaxRefusedStreams)
            {
                await ProtocolErrorAsync($"peer kept opening streams beyond the limit of {_options.MaxInboundStreams} ({_refused} refused)").ConfigureAwait(false);
                return false;
            }

            if (_refused == 1)
            {
                _log($"{_name}: refusing streams beyond the limit of {_options.MaxInboundStreams} open inbound streams");
            }

            await SendWindowUpdateAsync(h.StreamId, 0, YamuxFlags.Rst).ConfigureAwait(false);
        }
        else if (stream is not null && (h.Flags & YamuxFlags.Syn) != 0)
        {
            await SendWindowUpdateAsync(stream.Id, ExtraWindow, YamuxFlags.Ack).ConfigureAwait(false);
            InboundStream?.Invoke(stream);
        }

        if (h.Type == YamuxFrameType.WindowUpdate)
        {
            stream?.AddSendWindow(h.Length);
        }
        else if (h.Length > 0)
        {
            if (stream is null)
            {
                await DiscardAsync((int)h.Length, discard).ConfigureAwait(false);
            }
            else
            {
                await stream.ReceiveAsync(_transport, (int)h.Length, discard, _cts.Token).ConfigureAwait(false);
            }
        }

        if (stream is not null)
        {
            if ((h.Flags & YamuxFlags.Rst) != 0)
            {
                stream.OnRemoteReset();
            }
            else if ((h.Flags & YamuxFlags.Fin) != 0)
            {
                stream.OnRemoteFin();
            }
        }

        return true;
    }

    internal async ValueTask DiscardAsync(int length, byte[] discard)
    {
        while (length > 0)
        {
            int n = await _transport.ReadAsync(discard.AsMemory(0, Math.Min(length, discard.Length)), _cts.Token).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("connection ended inside a yamux data frame");
            }

            length -= n;
        }
    }

    private async ValueTask ProtocolErrorAsync(string reason) =>
        await CloseAsync($"protocol error: {reason}", YamuxGoAwayCode.ProtocolError, sendGoAway: true).ConfigureAwait(false);

    /// <summary>Closes the session: optional go-away, then the transport; every stream is reset. Logs why.</summary>
    internal async ValueTask CloseAsync(string reason, YamuxGoAwayCode code, bool sendGoAway)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        if (code != YamuxGoAwayCode.Normal)
        {
            _log($"{_name}: dropping connection: {reason}");
        }

        if (sendGoAway && !_goAwaySent)
        {
            _goAwaySent = true;
            try
            {
                using CancellationTokenSource quick = new(TimeSpan.FromSeconds(1));
                if (await _writeLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false))
                {
                    try
                    {
                        new YamuxHeader(YamuxFrameType.GoAway, YamuxFlags.None, 0, (uint)code).Write(_writeBuffer);
                        await _transport.WriteAsync(_writeBuffer.AsMemory(0, YamuxHeader.Size), quick.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        _writeLock.Release();
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // Best effort: the peer may already be gone.
            }
        }

        _cts.Cancel();
        await _transport.DisposeAsync().ConfigureAwait(false);
        YamuxStream[] streams;
        lock (_streams)
        {
            streams = [.. _streams.Values];
            _streams.Clear();
            _inboundCount = 0;
        }

        foreach (YamuxStream s in streams)
        {
            s.OnSessionClosed();
        }

        foreach (TaskCompletionSource p in _pings.Values)
        {
            p.TrySetException(new StreamClosedException($"{_name}: session closed ({reason})"));
        }

        _closed.TrySetResult();
    }

    /// <summary>Closes gracefully with a normal go-away.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync("closed locally", YamuxGoAwayCode.Normal, sendGoAway: true).ConfigureAwait(false);
        if (_readLoop is not null)
        {
            await _readLoop.ConfigureAwait(false);
        }

        if (_keepAlive is not null)
        {
            await _keepAlive.ConfigureAwait(false);
        }

        _cts.Dispose();
    }

    /// <summary>How many streams are open (both directions).</summary>
    public int StreamCount
    {
        get
        {
            lock (_streams)
            {
                return _streams.Count;
            }
        }
    }
}
