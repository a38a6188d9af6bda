using Cere.Core.Crypto;

namespace Cere.Core.Receipts;

/// <summary>The 2048-bit log bloom filter of a receipt or a block header (Yellow Paper, section 4.3.1).</summary>
public sealed class Bloom : IEquatable<Bloom>
{
    /// <summary>The length in bytes.</summary>
    public const int Size = 256;

    private readonly byte[] _bits;

    /// <summary>An empty bloom.</summary>
    public Bloom() => _bits = new byte[Size];

    /// <summary>Copies a bloom from exactly 256 bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 256 bytes long.</exception>
    public Bloom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a bloom is {Size} bytes, got {bytes.Length}", nameof(bytes));
        }

        _bits = bytes.ToArray();
    }

    /// <summary>The 256 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bits;

    /// <summary>True when no bit is set.</summary>
    public bool IsEmpty => _bits.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Adds a log: its address and each of its topics.</summary>
    public void Add(LogEntry log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Add(log.Address.Bytes);
        foreach (Hash256 topic in log.Topics)
        {
            Add(topic.Bytes);
        }
    }

    /// <summary>Adds every log of a list.</summary>
    public void Add(IReadOnlyList<LogEntry> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        for (int i = 0; i < logs.Count; i++)
        {
            Add(logs[i]);
        }
    }

    /// <summary>Adds one value (an address or a topic).</summary>
    public void Add(ReadOnlySpan<byte> value)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(value, h);
        for (int i = 0; i < 6; i += 2)
        {
            // The low 11 bits of each of the first three byte pairs pick a bit, counted from the end.
            int bit = ((h[i] << 8) | h[i + 1]) & 2047;
            _bits[Size - 1 - (bit >> 3)] |= (byte)(1 << (bit & 7));
        }
    }

    /// <summary>True when every bit of <paramref name="value"/>'s three bits is set (it may be present).</summary>
    public bool MightContain(ReadOnlySpan<byte> value)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(value, h);
        for (int i = 0; i < 6; i += 2)
        {
            int bit = ((h[i] << 8) | h[i + 1]) & 2047;
            if ((_bits[Size - 1 - (bit >> 3)] & (1 << (bit & 7))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sets every bit that is set in <paramref name="other"/> (a block's bloom is the union of its receipts').</summary>
    public void Accumulate(Bloom other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < Size; i++)
        {
            _bits[i] |= other._bits[i];
        }
    }

    /// <inheritdoc/>
    public bool Equals(Bloom? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Bloom);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bits, 252);

    /// <summary>0x-prefixed hex of the 256 bytes.</summary>
    public override string ToString() => Hex.Encode(_bits);
}
