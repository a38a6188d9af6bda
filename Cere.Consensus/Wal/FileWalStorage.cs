namespace Cere.Consensus.Wal;

/// <summary>A WAL in one file: appends go through a <see cref="FileStream"/>, <see cref="Flush"/> is <c>Flush(true)</c> (fsync).</summary>
public sealed class FileWalStorage : IWalStorage, IDisposable
{
    private readonly FileStream _stream;

    /// <summary>Opens (or creates) the file at <paramref name="path"/>.</summary>
    public FileWalStorage(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
        _stream.Seek(0, SeekOrigin.End);
    }

    /// <inheritdoc/>
    public long Length => _stream.Length;

    /// <inheritdoc/>
    public byte[] ReadAll()
    {
        byte[] data = new byte[_stream.Length];
        _stream.Seek(0, SeekOrigin.Begin);
        _stream.ReadExactly(data);
        _stream.Seek(0, SeekOrigin.End);
        return data;
    }

    /// <inheritdoc/>
    public void Append(ReadOnlySpan<byte> data) => _stream.Write(data);

    /// <inheritdoc/>
    public void Flush() => _stream.Flush(flushToDisk: true);

    /// <inheritdoc/>
    public void Truncate(long length)
    {
        _stream.SetLength(length);
        _stream.Seek(0, SeekOrigin.End);
        _stream.Flush(flushToDisk: true);
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
