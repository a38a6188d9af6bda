using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Storage.State;

namespace Cere.Chain.Blocks;

/// <summary>A block that passed every import check: its parent, receipts and post-state (not yet committed).</summary>
public sealed record ValidatedBlock(Block Block, BlockHeader Parent, Receipt[] Receipts, WorldState State);
