using System.Buffers.Binary;

namespace Cere.P2P.Noise;

/// <summary>
/// The Noise transport phase (libp2p noise spec "Wire Format"): every message is a 2-byte big-endian length and a
/// ChaCha20-Poly1305 ciphertext of at most 65535 bytes. Reads decrypt a whole frame into a buffer kept for the
/// connection; writes encrypt from the caller's span straight into one frame buffer kept for the connection, so no
/// frame allocates.
/// Writes must not be concurrent (the muxer serialises them).
/// </summary>
internal sealed class NoiseSecureStream : Stream
{
    /// <summary>Largest plaintext per frame: 65535 minus the 16-byte tag.</summary>
    public const int MaxPlaintext = 65535 - ChaChaPoly.TagSize;

    private readonly Stream _inner;
    private readonly NoiseCipherState _send;
    private readonly NoiseCipherState _receive;
    private readonly byte[] _readFrame = GC.AllocateUninitializedArray<byte>(2 + 65535);
    private readonly byte[] _plain = GC.AllocateUninitializedArray<byte>(MaxPlaintext);
    private readonly byte[] _writeFrame = GC.AllocateUninitializedArray<byte>(2 + 65535);
    private int _plainStart;
    private int _plainEnd;
    private int _disposed;

    public NoiseSecureStream(Stream inner, NoiseCipherState send, NoiseCipherState receive)
    {
        _inner = inner;
        _send = send;
        _receive = receive;
    }

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

        if (_plainStart == _plainEnd)
        {
            if (!await ReadFrameAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }

        int n = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, n).CopyTo(buffer.Span);
        _plainStart += n;
        return n;
    }

    private async ValueTask<bool> ReadFrameAsync(CancellationToken ct)
    {
        do
        {
            int got = 0;
            while (got < 2)
            {
                int n = await _inner.ReadAsync(_readFrame.AsMemory(got, 2 - got), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    return got == 0 ? false : throw new IOException("connection ended inside a Noise length prefix");
                }

                got += n;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_readFrame);
            if (length < ChaChaPoly.TagSize)
            {
                throw new NoiseException($"Noise frame of {length} bytes is shorter than its tag");
            }

            await _inner.ReadExactlyAsync(_readFrame.AsMemory(2, length), ct).ConfigureAwait(false);
            _plainStart = 0;
            _plainEnd = _receive.DecryptWithAd([], _readFrame.AsSpan(2, length), _plain);
        }
        while (_plainEnd == 0); // an empty frame carries nothing; keep reading

        return true;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, MaxPlaintext);
            int written = _send.EncryptWithAd([], buffer.Span[..n], _writeFrame.AsSpan(2));
            BinaryPrimitives.WriteUInt16BigEndian(_writeFrame, (ushort)written);
            await _inner.WriteAsync(_writeFrame.AsMemory(0, 2 + written), cancellationToken).ConfigureAwait(false);
            buffer = buffer[n..];
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _inner.Dispose();
            _send.Dispose();
            _receive.Dispose();
        }

        base.Dispose(disposing);
    }
}
