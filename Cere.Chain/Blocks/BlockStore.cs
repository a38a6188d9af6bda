using System.Buffers.Binary;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Rlp;
using Cere.Core.Transactions;
using Cere.Storage.Db;
using RlpLength = Cere.Core.Rlp.Rlp;

namespace Cere.Chain.Blocks;

/// <summary>
/// Blocks on a key-value store: headers and bodies by hash, receipts by block hash, the canonical number→hash
/// index, the transaction hash→location index and the head pointer. Writes go into a caller's batch so a block
/// lands together with its state.
/// </summary>
public sealed class BlockStore
{
    private const byte CanonicalPrefix = (byte)'n';
    private const byte TxPrefix = (byte)'t';
    private static readonly byte[] HeadKey = "chain.head"u8.ToArray();

    private readonly IKeyValueStore _db;

    /// <summary>Creates a store over <paramref name="db"/>.</summary>
    public BlockStore(IKeyValueStore db) => _db = db ?? throw new ArgumentNullException(nameof(db));

    /// <summary>The database underneath.</summary>
    public IKeyValueStore Db => _db;

    /// <summary>Adds the block, its receipts, the canonical and transaction indexes and the head pointer to <paramref name="batch"/>.</summary>
    public static void WriteCanonical(IWriteBatch batch, Block block, IReadOnlyList<Receipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(block);
        if (receipts.Count != block.Transactions.Length)
        {
            throw new ArgumentException($"{receipts.Count} receipts for {block.Transactions.Length} transactions", nameof(receipts));
        }

        Hash256 hash = block.Hash;
        batch.Put(DbColumn.Headers, hash.Bytes, BlockHeaderCodec.Encode(block.Header));
        batch.Put(DbColumn.Bodies, hash.Bytes, BlockCodec.Encode(block));
        batch.Put(DbColumn.Receipts, hash.Bytes, EncodeReceipts(receipts));

        Span<byte> numberKey = stackalloc byte[9];
        CanonicalKey(block.Number, numberKey);
        batch.Put(DbColumn.Indexes, numberKey, hash.Bytes);

        Span<byte> txKey = stackalloc byte[33];
        Span<byte> location = stackalloc byte[44];
        hash.CopyTo(location);
        BinaryPrimitives.WriteUInt64BigEndian(location[32..], block.Number);
        for (int i = 0; i < block.Transactions.Length; i++)
        {
            txKey[0] = TxPrefix;
            block.Transactions[i].Hash.CopyTo(txKey[1..]);
            BinaryPrimitives.WriteInt32BigEndian(location[40..], i);
            batch.Put(DbColumn.Indexes, txKey, location);
        }

        batch.Put(DbColumn.Metadata, HeadKey, hash.Bytes);
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> the removal of <paramref name="block"/>'s canonical index entries (its number and
    /// its transactions' locations); the block itself and its receipts stay stored by hash.
    /// </summary>
    public static void RemoveCanonical(IWriteBatch batch, Block block)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(block);
        Span<byte> numberKey = stackalloc byte[9];
        CanonicalKey(block.Number, numberKey);
        batch.Delete(DbColumn.Indexes, numberKey);
        Span<byte> txKey = stackalloc byte[33];
        txKey[0] = TxPrefix;
        foreach (Transaction tx in block.Transactions)
        {
            tx.Hash.CopyTo(txKey[1..]);
            batch.Delete(DbColumn.Indexes, txKey);
        }
    }

    /// <summary>The hash of the head block, or null for an empty database.</summary>
    public Hash256? ReadHeadHash()
    {
        byte[]? v = _db.Get(DbColumn.Metadata, HeadKey);
        return v is { Length: Hash256.Size } ? new Hash256(v) : null;
    }

    /// <summary>The canonical block hash at <paramref name="number"/>, or null.</summary>
    public Hash256? ReadCanonicalHash(ulong number)
    {
        Span<byte> key = stackalloc byte[9];
        CanonicalKey(number, key);
        byte[]? v = _db.Get(DbColumn.Indexes, key);
        return v is { Length: Hash256.Size } ? new Hash256(v) : null;
    }

    /// <summary>The header with <paramref name="hash"/>, or null.</summary>
    public BlockHeader? ReadHeader(in Hash256 hash)
    {
        byte[]? v = _db.Get(DbColumn.Headers, hash.Bytes);
        return v is null ? null : BlockHeaderCodec.Decode(v);
    }

    /// <summary>The block with <paramref name="hash"/>, or null.</summary>
    public Block? ReadBlock(in Hash256 hash)
    {
        byte[]? v = _db.Get(DbColumn.Bodies, hash.Bytes);
        return v is null ? null : BlockCodec.Decode(v);
    }

    /// <summary>The receipts of the block with <paramref name="hash"/>, or null.</summary>
    public Receipt[]? ReadReceipts(in Hash256 hash)
    {
        byte[]? v = _db.Get(DbColumn.Receipts, hash.Bytes);
        return v is null ? null : DecodeReceipts(v);
    }

    /// <summary>Where the canonical transaction <paramref name="txHash"/> is, or null if no canonical block holds it.</summary>
    public TxLocation? ReadTxLocation(in Hash256 txHash)
    {
        Span<byte> key = stackalloc byte[33];
        key[0] = TxPrefix;
        txHash.CopyTo(key[1..]);
        byte[]? v = _db.Get(DbColumn.Indexes, key);
        if (v is not { Length: 44 })
        {
            return null;
        }

        return new TxLocation(new Hash256(v.AsSpan(0, 32)), BinaryPrimitives.ReadUInt64BigEndian(v.AsSpan(32)), BinaryPrimitives.ReadInt32BigEndian(v.AsSpan(40)));
    }

    private static void CanonicalKey(ulong number, Span<byte> key)
    {
        key[0] = CanonicalPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(key[1..], number);
    }

    // Receipts are kept as an RLP list of their consensus encodings (typed receipts as byte strings, as in blocks).
    private static byte[] EncodeReceipts(IReadOnlyList<Receipt> receipts)
    {
        byte[][] encoded = new byte[receipts.Count][];
        int payload = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            encoded[i] = receipts[i].Encode();
            payload += RlpLength.LengthOfBytes(encoded[i]);
        }

        byte[] result = new byte[RlpLength.LengthOfList(payload)];
        RlpWriter w = new(result);
        w.WriteListHeader(payload);
        foreach (byte[] r in encoded)
        {
            w.WriteBytes(r);
        }

        return result;
    }

    private static Receipt[] DecodeReceipts(byte[] data)
    {
        RlpReader r = new(data);
        int end = r.ReadListHeader();
        List<Receipt> list = new();
        while (r.HasItemsBefore(end))
        {
            list.Add(Receipt.Decode(r.ReadBytes()));
        }

        r.EnsureAt(end);
        return list.ToArray();
    }
}
