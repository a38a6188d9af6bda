using Cere.Chain.Blocks;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Storage.State;

namespace Cere.Chain.Rpc.Modules;

/// <summary>Resolves block selectors against the chain for the RPC modules (tags, numbers, EIP-1898 hashes).</summary>
public sealed class ChainReader
{
    /// <summary>Creates a reader over <paramref name="chain"/>.</summary>
    public ChainReader(Blockchain chain) => Chain = chain ?? throw new ArgumentNullException(nameof(chain));

    /// <summary>The chain.</summary>
    public Blockchain Chain { get; }

    /// <summary>The header the selector names, or null when there is none.</summary>
    /// <exception cref="RpcException">A hash with requireCanonical that is not canonical.</exception>
    public BlockHeader? Header(BlockSelector selector)
    {
        switch (selector.Kind)
        {
            case BlockSelectorKind.Earliest:
                return Chain.Genesis;
            case BlockSelectorKind.Number:
                return Chain.HeaderByNumber(selector.Number);
            case BlockSelectorKind.Hash:
                BlockHeader? h = Chain.Blocks.ReadHeader(selector.Hash);
                if (h is not null && selector.RequireCanonical && Chain.Blocks.ReadCanonicalHash(h.Number) != h.Hash)
                {
                    throw new RpcException(RpcErrorCodes.ServerError, $"hash {selector.Hash} is not currently canonical");
                }

                return h;
            default:
                // latest, pending, safe and finalized: a one-validator BFT dev chain finalises every block it seals.
                return Chain.Head;
        }
    }

    /// <summary>The state after the selected block.</summary>
    /// <exception cref="RpcException">No such block, or its state is not kept ("header not found" as geth says).</exception>
    public WorldState State(BlockSelector selector)
    {
        BlockHeader h = Header(selector) ?? throw new RpcException(RpcErrorCodes.ServerError, "header not found");
        return Chain.OpenState(h.StateRoot);
    }

    /// <summary>The block the selector names, or null.</summary>
    public Block? Block(BlockSelector selector) => Header(selector) is BlockHeader h ? Chain.Blocks.ReadBlock(h.Hash) : null;

    /// <summary>The block with <paramref name="hash"/>, or null.</summary>
    public Block? Block(in Hash256 hash) => Chain.Blocks.ReadBlock(hash);
}
