using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Consensus;

/// <summary>
/// A block executed on its parent's state but not committed: what a proposer built or a validator re-executed, kept
/// until the height is decided so the decided block is committed without executing it again.
/// </summary>
/// <param name="Block">The block.</param>
/// <param name="Encoded">Its RLP (what consensus carries and hashes through the header).</param>
/// <param name="Receipts">Its receipts.</param>
/// <param name="State">The post-state, uncommitted, over the parent's state.</param>
/// <param name="Rejected">Pool transactions the builder left out as invalid (empty for a re-executed block).</param>
public sealed record ExecutedBlock(Block Block, byte[] Encoded, Receipt[] Receipts, WorldState State, IReadOnlyList<(Transaction Tx, string Reason)> Rejected);
