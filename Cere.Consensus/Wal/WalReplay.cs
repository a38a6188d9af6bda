using Cere.Consensus.Messages;

namespace Cere.Consensus.Wal;

/// <summary>What a WAL held: own signed messages (of the heights since the last reset), and whether a torn tail was cut.</summary>
public sealed record WalReplay(IReadOnlyList<ConsensusMessage> Messages, ulong? LastEndedHeight, int Records, bool TornTailDropped);
