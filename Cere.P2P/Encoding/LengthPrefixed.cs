namespace Cere.P2P.Encoding;

/// <summary>Varint-length-prefixed messages on a stream, the framing identify, gossipsub and request/response use.</summary>
public static class LengthPrefixed
{
    /// <summary>Writes the varint length of <paramref name="message"/> and the message itself in one write.</summary>
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        int prefix = Varint.SizeOf((ulong)message.Length);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(prefix + message.Length);
        try
        {
            Varint.Write((ulong)message.Length, buffer);
            message.Span.CopyTo(buffer.AsSpan(prefix));
            await stream.WriteAsync(buffer.AsMemory(0, prefix + message.Length), ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads one message of at most <paramref name="maxLength"/> bytes; returns null on a clean end of stream before the
    /// length, throws <see cref="InvalidDataException"/> if the announced length is over the limit.
    /// </summary>
    public static async ValueTask<byte[]?> ReadAsync(Stream stream, int maxLength, CancellationToken ct)
    {
        ulong? prefix = await Varint.ReadAsync(stream, ct).ConfigureAwait(false);
        if (prefix is not ulong length)
        {
            return null;
        }

        if (length > (ulong)maxLength)
        {
            throw new InvalidDataException($"message of {length} bytes is over the limit of {maxLength}");
        }

        byte[] message = new byte[(int)length];
        await stream.ReadExactlyAsync(message, ct).ConfigureAwait(false);
        return message;
    }
}
