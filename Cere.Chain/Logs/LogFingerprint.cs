using System.Buffers.Binary;
using Cere.Core;

namespace Cere.Chain.Logs;

/// <summary>
/// An 8-byte digest of an address or topic for the log index: the XOR of its little-endian 64-bit words, so that
/// topics that are mostly zero padding (indexed addresses, small numbers) still differ in their digests.
/// </summary>
public static class LogFingerprint
{
    /// <summary>The digest of an address.</summary>
    public static ulong Of(in Address address)
    {
        ReadOnlySpan<byte> b = address.Bytes;
        return BinaryPrimitives.ReadUInt64LittleEndian(b) ^ BinaryPrimitives.ReadUInt64LittleEndian(b[8..]) ^ BinaryPrimitives.ReadUInt32LittleEndian(b[16..]);
    }

    /// <summary>The digest of a topic.</summary>
    public static ulong Of(in Hash256 topic)
    {
        ReadOnlySpan<byte> b = topic.Bytes;
        return BinaryPrimitives.ReadUInt64LittleEndian(b) ^ BinaryPrimitives.ReadUInt64LittleEndian(b[8..])
            ^ BinaryPrimitives.ReadUInt64LittleEndian(b[16..]) ^ BinaryPrimitives.ReadUInt64LittleEndian(b[24..]);
    }
}
