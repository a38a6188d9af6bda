using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Blocks;

/// <summary>A sealed block with its receipts and post-state (not yet committed), and the transactions left out as invalid.</summary>
public sealed record BuiltBlock(Block Block, Receipt[] Receipts, WorldState State, IReadOnlyList<(Transaction Tx, string Reason)> Rejected);
