namespace Cere.Storage.Db;

/// <summary>The column families of the node's database; each holds one kind of record.</summary>
public enum DbColumn
{
    /// <summary>Block headers by hash.</summary>
    Headers,

    /// <summary>Block bodies by hash.</summary>
    Bodies,

    /// <summary>Receipts by block hash.</summary>
    Receipts,

    /// <summary>Trie nodes (account and storage tries) by Keccak-256 of their RLP.</summary>
    TrieNodes,

    /// <summary>Contract code by Keccak-256.</summary>
    Code,

    /// <summary>Lookup indexes (transaction hash to location, number to hash, logs).</summary>
    Indexes,

    /// <summary>The consensus write-ahead log and its records.</summary>
    Consensus,

    /// <summary>Small records: head pointers, state roots by block number, settings.</summary>
    Metadata,
}

/// <summary>Names of the columns as stored in RocksDB (stable: renaming one would orphan its data).</summary>
public static class DbColumns
{
    /// <summary>Every column, in enum order.</summary>
    public static readonly DbColumn[] All =
    [
        DbColumn.Headers, DbColumn.Bodies, DbColumn.Receipts, DbColumn.TrieNodes,
        DbColumn.Code, DbColumn.Indexes, DbColumn.Consensus, DbColumn.Metadata,
    ];

    /// <summary>The RocksDB column family name of a column.</summary>
    public static string Name(DbColumn column) => column switch
    {
        DbColumn.Headers => "headers",
        DbColumn.Bodies => "bodies",
        DbColumn.Receipts => "receipts",
        DbColumn.TrieNodes => "trie_nodes",
        DbColumn.Code => "code",
        DbColumn.Indexes => "indexes",
        DbColumn.Consensus => "consensus",
        DbColumn.Metadata => "metadata",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "unknown column"),
    };
}
