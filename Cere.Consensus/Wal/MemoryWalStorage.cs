namespace Cere.Consensus.Wal;

/// <summary>
/// A WAL in memory for the simulator and tests. It survives a simulated crash (it is the "disk"), and can be told to crash
/// in the middle of the n-th append, leaving a torn record behind, as power loss would.
/// </summary>
public sealed class MemoryWalStorage : IWalStorage
{
    private byte[] _data = new byte[256];
    private int _length;
    private int _appends;

    /// <summary>When set, the append with this 0-based index writes only <see cref="TornBytes"/> bytes and throws <see cref="IOException"/>.</summary>
    public int? CrashAtAppend { get; set; }

    /// <summary>How many bytes of the crashing append reach the "disk".</summary>
    public int TornBytes { get; set; }

    /// <summary>Appends done so far.</summary>
    public int Appends => _appends;

    /// <inheritdoc/>
    public long Length => _length;

    /// <inheritdoc/>
    public byte[] ReadAll() => _data.AsSpan(0, _length).ToArray();

    /// <inheritdoc/>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (CrashAtAppend == _appends)
        {
            CrashAtAppend = null;
            Write(data[..Math.Clamp(TornBytes, 0, data.Length)]);
            throw new IOException($"simulated crash during WAL append #{_appends}");
        }

        _appends++;
        Write(data);
    }

    /// <inheritdoc/>
    public void Flush()
    {
    }

    /// <inheritdoc/>
    public void Truncate(long length) => _length = (int)Math.Clamp(length, 0, _length);

    /// <summary>Forgets everything: the "validator that loses its WAL" of the byzantine tests.</summary>
    public void Wipe() => _length = 0;

    private void Write(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + data.Length));
        }

        data.CopyTo(_data.AsSpan(_length));
        _length += data.Length;
    }
}
