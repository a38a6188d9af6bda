using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;

namespace Cere.Chain.Tests.BlockchainTests;

/// <summary>One test of a BlockchainTests fixture file: genesis, blocks to import and the expected end.</summary>
public sealed class BlockchainTestCase
{
    /// <summary>The fixture file, relative to the vectors root.</summary>
    public required string File { get; init; }

    /// <summary>The test's name inside the file.</summary>
    public required string Name { get; init; }

    /// <summary>The fixture's network (Cancun, Shanghai, ShanghaiToCancunAtTime15k).</summary>
    public required string Network { get; init; }

    /// <summary>The genesis header as the fixture gives it (its state root is recomputed from <see cref="Pre"/>).</summary>
    public required BlockHeader GenesisHeader { get; init; }

    /// <summary>The fixture's genesis block hash.</summary>
    public required Hash256 GenesisHash { get; init; }

    /// <summary>The pre-state.</summary>
    public required IReadOnlyDictionary<Address, GenesisAccount> Pre { get; init; }

    /// <summary>The blocks in import order.</summary>
    public required IReadOnlyList<FixtureBlock> Blocks { get; init; }

    /// <summary>The hash the head must end on.</summary>
    public required Hash256 LastBlockHash { get; init; }

    /// <summary>The expected post-state (null when the fixture gives only its root).</summary>
    public IReadOnlyDictionary<Address, GenesisAccount>? PostState { get; init; }

    /// <summary>The expected post-state root (only when the fixture gives no full post-state).</summary>
    public Hash256? PostStateHash { get; init; }

    /// <summary>The folder of the file (its path without the file name).</summary>
    public string Folder => File[..File.LastIndexOf('/')];

    /// <summary>A unique display name.</summary>
    public override string ToString() => $"{File["blockchain/".Length..]} {Name}";
}

/// <summary>A block of a fixture: its RLP and, for a block that must be rejected, the expected exception name.</summary>
public sealed record FixtureBlock(byte[] Rlp, string? ExpectException);
