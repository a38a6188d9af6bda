using Cere.Core;

namespace Cere.Chain.Blocks;

/// <summary>Where a canonical transaction sits: its block's hash and number and its index in the block.</summary>
public readonly record struct TxLocation(Hash256 BlockHash, ulong BlockNumber, int Index);
