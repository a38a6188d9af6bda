using System.Buffers.Binary;
using Cere.Core;
using Cere.Storage.Db;

namespace Cere.Storage.State;

/// <summary>The committed head of the state (root and block number) and the root of every committed block, in the metadata column.</summary>
public readonly record struct StateHead(Hash256 Root, long BlockNumber)
{
    private static readonly byte[] HeadKey = "state.head"u8.ToArray();
    private const int RootKeyLength = 18;

    /// <summary>The head recorded by the last commit, or null for a database without state.</summary>
    /// <exception cref="InvalidDataException">The record is not 40 bytes.</exception>
    public static StateHead? Read(IKeyValueStore db)
    {
        byte[]? v = db.Get(DbColumn.Metadata, HeadKey);
        if (v is null)
        {
            return null;
        }

        if (v.Length != 40)
        {
            throw new InvalidDataException($"the state head record is {v.Length} bytes, expected 40 (root and block number)");
        }

        return new StateHead(new Hash256(v.AsSpan(0, 32)), BinaryPrimitives.ReadInt64BigEndian(v.AsSpan(32)));
    }

    /// <summary>The state root committed for <paramref name="blockNumber"/>, or null (never committed, or pruned away).</summary>
    public static Hash256? ReadRoot(IKeyValueStore db, long blockNumber)
    {
        Span<byte> key = stackalloc byte[RootKeyLength];
        RootKey(blockNumber, key);
        byte[]? v = db.Get(DbColumn.Metadata, key);
        return v is { Length: 32 } ? new Hash256(v) : null;
    }

    /// <summary>Adds the head record and the per-block root record to <paramref name="batch"/>.</summary>
    public void WriteTo(IWriteBatch batch)
    {
        Span<byte> v = stackalloc byte[40];
        Root.CopyTo(v);
        BinaryPrimitives.WriteInt64BigEndian(v[32..], BlockNumber);
        batch.Put(DbColumn.Metadata, HeadKey, v);
        Span<byte> key = stackalloc byte[RootKeyLength];
        RootKey(BlockNumber, key);
        batch.Put(DbColumn.Metadata, key, Root.Bytes);
    }

    /// <summary>Adds the deletion of a block's root record to <paramref name="batch"/> (its state was pruned).</summary>
    public static void DeleteRoot(IWriteBatch batch, long blockNumber)
    {
        Span<byte> key = stackalloc byte[RootKeyLength];
        RootKey(blockNumber, key);
        batch.Delete(DbColumn.Metadata, key);
    }

    private static void RootKey(long blockNumber, Span<byte> key)
    {
        "state.root"u8.CopyTo(key);
        BinaryPrimitives.WriteInt64BigEndian(key[10..], blockNumber);
    }
}
