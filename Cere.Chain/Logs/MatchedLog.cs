using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;

namespace Cere.Chain.Logs;

/// <summary>
/// A log found by a query, with where it sits: its block, transaction and index within the block; <c>Removed</c> when
/// a reorganisation took its block out of the canonical chain.
/// </summary>
public readonly record struct MatchedLog(LogEntry Log, BlockHeader Header, Hash256 TransactionHash, int TransactionIndex, int LogIndex, bool Removed = false);
