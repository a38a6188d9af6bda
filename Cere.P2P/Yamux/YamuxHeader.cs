using System.Buffers.Binary;

namespace Cere.P2P.Yamux;

/// <summary>Yamux frame types (yamux spec "Type Field").</summary>
internal enum YamuxFrameType : byte
{
    Data = 0,
    WindowUpdate = 1,
    Ping = 2,
    GoAway = 3,
}

/// <summary>Yamux flags (yamux spec "Flag Field").</summary>
[Flags]
internal enum YamuxFlags : ushort
{
    None = 0,
    Syn = 1,
    Ack = 2,
    Fin = 4,
    Rst = 8,
}

/// <summary>Go-away error codes (yamux spec "Session termination").</summary>
internal enum YamuxGoAwayCode : uint
{
    Normal = 0,
    ProtocolError = 1,
    InternalError = 2,
}

/// <summary>The 12-byte yamux frame header: version, type, flags, stream id, length, all big-endian.</summary>
internal readonly record struct YamuxHeader(YamuxFrameType Type, YamuxFlags Flags, uint StreamId, uint Length)
{
    public const int Size = 12;

    public void Write(Span<byte> destination)
    {
        destination[0] = 0; // version 0, the only one defined
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>Parses a header; returns the version byte separately so the caller can reject unknown versions.</summary>
    public static YamuxHeader Read(ReadOnlySpan<byte> source, out byte version)
    {
        version = source[0];
        return new YamuxHeader(
            (YamuxFrameType)source[1],
            (YamuxFlags)BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
    }
}
