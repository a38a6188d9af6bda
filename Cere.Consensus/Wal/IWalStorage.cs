namespace Cere.Consensus.Wal;

/// <summary>The bytes under a consensus WAL: append-only with a durable flush, read back whole at start-up.</summary>
public interface IWalStorage
{
    /// <summary>The current length in bytes.</summary>
    long Length { get; }

    /// <summary>All bytes (read once, at replay).</summary>
    byte[] ReadAll();

    /// <summary>Appends bytes (not yet durable).</summary>
    void Append(ReadOnlySpan<byte> data);

    /// <summary>Makes every appended byte durable before returning (fsync for a file).</summary>
    void Flush();

    /// <summary>Cuts the log to <paramref name="length"/> bytes, durably (drops a torn tail, or everything at a new height).</summary>
    void Truncate(long length);
}
