using Cere.Core;

namespace Cere.Chain.Rpc;

/// <summary>Which block a call refers to: a tag, a number, or (EIP-1898) a hash with an optional canonical requirement.</summary>
public readonly record struct BlockSelector(BlockSelectorKind Kind, ulong Number = 0, Hash256 Hash = default, bool RequireCanonical = false)
{
    /// <summary>The head block.</summary>
    public static readonly BlockSelector Latest = new(BlockSelectorKind.Latest);

    /// <summary>A block by number.</summary>
    public static BlockSelector ByNumber(ulong number) => new(BlockSelectorKind.Number, number);

    /// <summary>A block by hash.</summary>
    public static BlockSelector ByHash(Hash256 hash, bool requireCanonical = false) => new(BlockSelectorKind.Hash, 0, hash, requireCanonical);
}

/// <summary>The forms a block selector takes.</summary>
public enum BlockSelectorKind
{
    /// <summary>"latest": the head.</summary>
    Latest,

    /// <summary>"pending": the block being built (on a dev chain, the head plus the pool).</summary>
    Pending,

    /// <summary>"safe": the last block that cannot be reverted (BFT: every committed block).</summary>
    Safe,

    /// <summary>"finalized": the last certified block.</summary>
    Finalized,

    /// <summary>"earliest": the genesis block.</summary>
    Earliest,

    /// <summary>An explicit number.</summary>
    Number,

    /// <summary>An explicit hash (EIP-1898).</summary>
    Hash,
}
