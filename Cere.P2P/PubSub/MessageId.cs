namespace Cere.P2P.PubSub;

/// <summary>A pubsub message id (pubsub/README.md "Message Identification"): opaque bytes compared by value.</summary>
public readonly struct MessageId : IEquatable<MessageId>
{
    private readonly byte[]? _bytes;
    private readonly int _hash;

    /// <summary>Wraps <paramref name="bytes"/> without copying; the caller must not change them afterwards.</summary>
    public MessageId(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = bytes;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        _hash = hash.ToHashCode();
    }

    /// <summary>The id bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>The id bytes as an array (shared, do not modify).</summary>
    public byte[] Bytes => _bytes ?? [];

    /// <summary>Length of the id in bytes.</summary>
    public int Length => _bytes?.Length ?? 0;

    /// <inheritdoc/>
    public bool Equals(MessageId other) => _hash == other._hash && Span.SequenceEqual(other.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MessageId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <summary>Lower-case hex, for logs.</summary>
    public override string ToString() => Convert.ToHexStringLower(Span);

    /// <summary>Value equality.</summary>
    public static bool operator ==(MessageId left, MessageId right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(MessageId left, MessageId right) => !left.Equals(right);
}
