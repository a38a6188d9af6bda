using Cere.Consensus.Messages;

namespace Cere.Consensus.Wal;

/// <summary>What a WAL held: own signed messages after the last end-of-height marker, and whether a torn tail was cut.</summary>
public sealed record WalReplay(IReadOnlyList<ConsensusMessage> Messages, ulong? LastEndedHeight, int Records, bool TornTailDropped);
