using System.Buffers.Binary;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Storage.Db;

namespace Cere.Chain.Logs;

/// <summary>
/// A compact per-block digest of the logs, kept in the Indexes column under <c>'l' ‖ number</c> and written in the
/// block's own commit batch. eth_getLogs reads one small value per block instead of the block's receipts, and only
/// decodes receipts where a log's fingerprints match. A block without an entry (genesis, or blocks stored before
/// the index existed) is searched through its header bloom instead.
/// </summary>
/// <remarks>
/// Layout: version byte; for a block with logs then the block hash (32), the log count (u32 BE) and per log the
/// address fingerprint (8), the topic count (1) and each topic's fingerprint (8). A block without logs is the
/// version byte alone.
/// </remarks>
public static class LogIndex
{
    private const byte KeyPrefix = (byte)'l';
    private const byte Version = 1;
    private const int HeaderLength = 1 + Hash256.Size + sizeof(uint);

    /// <summary>Adds the digest of <paramref name="block"/>'s logs to <paramref name="batch"/>.</summary>
    public static void Write(IWriteBatch batch, Block block, IReadOnlyList<Receipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        Span<byte> key = stackalloc byte[9];
        Key(block.Number, key);

        int count = 0;
        int length = HeaderLength;
        for (int i = 0; i < receipts.Count; i++)
        {
            foreach (LogEntry log in receipts[i].Logs)
            {
                count++;
                length += sizeof(ulong) + 1 + (log.Topics.Length * sizeof(ulong));
            }
        }

        if (count == 0)
        {
            batch.Put(DbColumn.Indexes, key, [Version]);
            return;
        }

        byte[] value = new byte[length];
        value[0] = Version;
        block.Hash.CopyTo(value.AsSpan(1));
        BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(1 + Hash256.Size), (uint)count);
        int at = HeaderLength;
        for (int i = 0; i < receipts.Count; i++)
        {
            foreach (LogEntry log in receipts[i].Logs)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(at), LogFingerprint.Of(log.Address));
                at += sizeof(ulong);
                value[at++] = (byte)log.Topics.Length;
                foreach (Hash256 t in log.Topics)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(at), LogFingerprint.Of(t));
                    at += sizeof(ulong);
                }
            }
        }

        batch.Put(DbColumn.Indexes, key, value);
    }

    /// <summary>The stored digest of block <paramref name="number"/>, or null when the block has none.</summary>
    public static byte[]? Read(IKeyValueStore db, ulong number)
    {
        ArgumentNullException.ThrowIfNull(db);
        Span<byte> key = stackalloc byte[9];
        Key(number, key);
        return db.Get(DbColumn.Indexes, key);
    }

    /// <summary>
    /// Whether a block's digest may hold a log matching <paramref name="filter"/>, and the block's hash when it does.
    /// </summary>
    /// <exception cref="InvalidDataException">The digest is damaged or of an unknown version.</exception>
    public static bool MayMatch(ReadOnlySpan<byte> digest, LogFilter filter, out Hash256 blockHash)
    {
        ArgumentNullException.ThrowIfNull(filter);
        blockHash = default;
        if (digest.IsEmpty || digest[0] != Version)
        {
            throw new InvalidDataException($"log index entry of unknown version {(digest.IsEmpty ? "(empty)" : digest[0].ToString())}");
        }

        if (digest.Length == 1)
        {
            return false;
        }

        if (digest.Length < HeaderLength)
        {
            throw new InvalidDataException("log index entry is truncated");
        }

        uint count = BinaryPrimitives.ReadUInt32BigEndian(digest.Slice(1 + Hash256.Size));
        int at = HeaderLength;
        for (uint i = 0; i < count; i++)
        {
            if (at + sizeof(ulong) + 1 > digest.Length)
            {
                throw new InvalidDataException("log index entry is truncated");
            }

            ulong addressPrint = BinaryPrimitives.ReadUInt64LittleEndian(digest.Slice(at));
            int topicBytes = digest[at + sizeof(ulong)] * sizeof(ulong);
            at += sizeof(ulong) + 1;
            if (at + topicBytes > digest.Length)
            {
                throw new InvalidDataException("log index entry is truncated");
            }

            if (filter.MayMatch(addressPrint, digest.Slice(at, topicBytes)))
            {
                blockHash = new Hash256(digest.Slice(1, Hash256.Size));
                return true;
            }

            at += topicBytes;
        }

        return false;
    }

    private static void Key(ulong number, Span<byte> key)
    {
        key[0] = KeyPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(key[1..], number);
    }
}
