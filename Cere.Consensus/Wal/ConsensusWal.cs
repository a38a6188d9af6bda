using System.Buffers.Binary;
using Cere.Consensus.Messages;

namespace Cere.Consensus.Wal;

/// <summary>
/// The consensus write-ahead log: every message this validator signs is appended and made durable before it is sent;
/// a marker ends each decided height. Records are [length u32 LE][CRC-32 u32 LE][kind][body]; replay stops at the first
/// record that is short or fails its CRC (a torn write from a crash) and cuts it off (CometBFT's WAL, in spirit).
/// </summary>
public sealed class ConsensusWal
{
    /// <summary>The largest record accepted on replay; anything larger is a corrupt length.</summary>
    public const int MaxRecordSize = ConsensusCodec.MaxMessageSize + 1;

    private const int HeaderSize = 8;
    private const byte KindMessage = 1;
    private const byte KindEndHeight = 2;

    private readonly IWalStorage _storage;

    /// <summary>A WAL over <paramref name="storage"/>.</summary>
    public ConsensusWal(IWalStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
    }

    /// <summary>Appends a signed message and flushes it durably.</summary>
    public void AppendMessage(ConsensusMessage message)
    {
        byte[] body = ConsensusCodec.Encode(message);
        AppendRecord(KindMessage, body);
    }

    /// <summary>Appends the end-of-height marker for <paramref name="height"/> and flushes it.</summary>
    public void AppendEndHeight(ulong height)
    {
        Span<byte> body = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(body, height);
        AppendRecord(KindEndHeight, body);
    }

    /// <summary>Drops every record: called when a new height starts, since nothing signed for an earlier height matters any more.</summary>
    public void Reset() => _storage.Truncate(0);

    /// <summary>Reads the log back: every own message it holds (the caller picks its height) and the last end-of-height marker; a torn tail is cut off the storage.</summary>
    public WalReplay Replay()
    {
        byte[] data = _storage.ReadAll();
        List<ConsensusMessage> messages = [];
        ulong? lastEnded = null;
        int records = 0;
        int pos = 0;
        bool torn = false;
        while (pos < data.Length)
        {
            if (!TryReadRecord(data, pos, out byte kind, out ReadOnlySpan<byte> body, out int next))
            {
                torn = true;
                break;
            }

            if (kind == KindMessage)
            {
                try
                {
                    messages.Add(ConsensusCodec.Decode(body));
                }
                catch (ConsensusDecodeException)
                {
                    // A record with a good CRC but an undecodable body was not written by us: treat as the end of the log.
                    torn = true;
                    break;
                }
            }
            else if (kind == KindEndHeight && body.Length == 8)
            {
                // Messages before the marker are kept: if the host crashed after the marker but before it stored the
                // block, it restarts at the same height and must still see what it signed there.
                lastEnded = BinaryPrimitives.ReadUInt64LittleEndian(body);
            }
            else
            {
                torn = true;
                break;
            }

            records++;
            pos = next;
        }

        if (torn)
        {
            _storage.Truncate(pos);
        }

        return new WalReplay(messages, lastEnded, records, torn);
    }

    private static bool TryReadRecord(byte[] data, int pos, out byte kind, out ReadOnlySpan<byte> body, out int next)
    {
        kind = 0;
        body = default;
        next = pos;
        if (data.Length - pos < HeaderSize)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos));
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos + 4));
        if (length == 0 || length > MaxRecordSize || length > (uint)(data.Length - pos - HeaderSize))
        {
            return false;
        }

        ReadOnlySpan<byte> payload = data.AsSpan(pos + HeaderSize, (int)length);
        if (Crc32.Compute(payload) != crc)
        {
            return false;
        }

        kind = payload[0];
        body = payload[1..];
        next = pos + HeaderSize + (int)length;
        return true;
    }

    private void AppendRecord(byte kind, ReadOnlySpan<byte> body)
    {
        byte[] record = new byte[HeaderSize + 1 + body.Length];
        Span<byte> payload = record.AsSpan(HeaderSize);
        payload[0] = kind;
        body.CopyTo(payload[1..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.Compute(payload));
        _storage.Append(record);
        _storage.Flush();
    }
}
